package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"eventgraph/store/domain"
)

// Submission is an article as a client hands it in, on the command line or through
// the API.
type Submission struct {
	Key         string // the source's id; "" derives it from the URL (domain.SourceKey)
	Title, URL  string
	Publisher   string // an actor's id or name; "" for none
	PublishedAt *time.Time
	Language    string // "" is English
	Text        string // the article as plain text, or
	HTML        string // as an HTML page, whose article is taken out (HTMLText)
}

// Errors returned by Submit besides Ingest's.
var (
	// ErrInvalidSubmission: the title or URL is missing, or not exactly one of the
	// text and the page is given.
	ErrInvalidSubmission = errors.New("invalid article")
	// ErrAmbiguousPublisher: the publisher's name is several actors'; give an id.
	ErrAmbiguousPublisher = errors.New("ambiguous publisher")
)

// Publishers is what Submit needs of the graph besides Graph: an actor by id, or by name.
type Publishers interface {
	Node(ctx context.Context, id string) (domain.Node, error)
	Named(ctx context.Context, name string, kinds []domain.Kind) ([]domain.Node, error)
}

// Submit ingests a submitted article, retrieved at retrievedAt: it takes the text out
// of the page, resolves the publisher (an actor's id, or the one actor of that name;
// a name of no actor is proposed as a new MEDIA actor), and calls Ingest.
//
// Errors: ErrInvalidSubmission, ErrAmbiguousPublisher,
// ErrTooLarge (MaxHTMLBytes for a page, MaxTextBytes for its text), and Ingest's.
func Submit(ctx context.Context, g interface {
	Graph
	Publishers
}, s Submission, retrievedAt time.Time) (*Result, error) {
	switch {
	case strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.URL) == "":
		return nil, fmt.Errorf("%w: a title and a URL are required", ErrInvalidSubmission)
	case (s.Text == "") == (s.HTML == ""):
		return nil, fmt.Errorf("%w: give the article as text or as HTML, one of them", ErrInvalidSubmission)
	}
	text := s.Text
	if s.HTML != "" {
		if len(s.HTML) > MaxHTMLBytes {
			return nil, fmt.Errorf("%w: a page of %d bytes, at most %d", ErrTooLarge, len(s.HTML), MaxHTMLBytes)
		}
		var err error
		if text, err = HTMLText(strings.NewReader(s.HTML)); err != nil {
			return nil, err
		}
	}
	src := domain.Source{ID: s.Key, Title: s.Title, URL: s.URL, Text: text, Language: s.Language, PublishedAt: s.PublishedAt, RetrievedAt: &retrievedAt}
	if src.ID == "" {
		src.ID = domain.SourceKey(s.URL)
	}
	if src.Language == "" {
		src.Language = "en"
	}
	a := Article{Source: src}
	if s.Publisher != "" {
		var err error
		a.Source.Publisher, err = publisher(ctx, g, s.Publisher)
		switch {
		case errors.Is(err, errUnknownPublisher):
			a.Publisher = strings.TrimSpace(s.Publisher)
		case err != nil:
			return nil, err
		}
	}
	return Ingest(ctx, g, a)
}

// publisher is the actor with id s, or else the one actor called s.
func publisher(ctx context.Context, g Publishers, s string) (string, error) {
	if n, err := g.Node(ctx, s); err == nil && n.NodeKind() == domain.KindActor {
		return s, nil
	}
	named, err := g.Named(ctx, s, []domain.Kind{domain.KindActor})
	switch {
	case err != nil:
		return "", err
	case len(named) == 1:
		return named[0].NodeID(), nil
	case len(named) > 1:
		return "", fmt.Errorf("%w: %q names %d actors; give an id", ErrAmbiguousPublisher, s, len(named))
	}
	return "", errUnknownPublisher
}

// errUnknownPublisher: the publisher names no actor, and is proposed as one.
var errUnknownPublisher = errors.New("unknown publisher")
