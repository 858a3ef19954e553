package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"eventgraph/seed/ingest"
	"eventgraph/store"
)

// ingestArticle adds an article (plain text or HTML) as a source with its mentions and
// proposes candidate relations for review.
func ingestArticle(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	title := fs.String("title", "", "the article's title")
	url := fs.String("url", "", "where the article was published")
	publisher := fs.String("publisher", "", "the publisher: an actor's id or name")
	published := fs.String("published", "", "publication date or time (2026-02-06, RFC 3339)")
	key := fs.String("key", "", "the source's id (default: derived from the URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *title == "" || *url == "" {
		return errors.New("ingest: give --title, --url and one article file")
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	text := string(raw)
	if ext := strings.ToLower(filepath.Ext(fs.Arg(0))); ext == ".html" || ext == ".htm" || strings.HasPrefix(http.DetectContentType(raw), "text/html") {
		if text, err = ingest.HTMLText(bytes.NewReader(raw)); err != nil {
			return err
		}
	}
	src := store.Source{ID: *key, Title: *title, URL: *url, Text: text, Language: "en"}
	if src.ID == "" {
		src.ID = store.SourceKey(*url)
	}
	if *published != "" {
		t, err := parseDate(*published)
		if err != nil {
			return fmt.Errorf("ingest: --published: %w", err)
		}
		src.PublishedAt = &t
	}
	now := time.Now().UTC()
	src.RetrievedAt = &now
	g, closeStore, err := openGraph(ctx, *data, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	if *publisher != "" {
		if src.Publisher, err = resolveActor(ctx, g, *publisher); err != nil {
			return err
		}
	}
	res, err := ingest.Ingest(store.WithAuthor(ctx, "ingest:"+filepath.Base(fs.Arg(0))), g, ingest.Article{Source: src})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ingested %s as %s: %d mentions (%d new), %d boilerplate lines skipped, %d candidates proposed (%d new)\n",
		fs.Arg(0), src.ID, len(res.Mentions), res.Stats.Evidence, len(res.Boilerplate), len(res.Candidates), res.Proposed)
	return nil
}

// parseDate reads 2026-02-06 or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// resolveActor finds the actor with id s, or else the one actor called s.
func resolveActor(ctx context.Context, g *store.Graph, s string) (string, error) {
	if n, err := g.Node(ctx, s); err == nil && n.NodeKind() == store.KindActor {
		return s, nil
	}
	named, err := g.Named(ctx, s, []store.Kind{store.KindActor})
	switch {
	case err != nil:
		return "", err
	case len(named) == 1:
		return named[0].NodeID(), nil
	case len(named) > 1:
		return "", fmt.Errorf("ingest: --publisher %q names %d actors; give an id", s, len(named))
	}
	return "", fmt.Errorf("ingest: --publisher %q names no actor; add it first", s)
}
