package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// cancelAt is a context cancelled at its at-th Err call: each run cancels at the next
// point where the code under test looks, so every such point is tried.
type cancelAt struct {
	context.Context
	cancel context.CancelFunc
	looks  atomic.Int64
	at     int64
}

func newCancelAt(at int) *cancelAt {
	ctx, cancel := context.WithCancel(context.Background())
	return &cancelAt{Context: ctx, cancel: cancel, at: int64(at)}
}

func (c *cancelAt) Err() error {
	if c.looks.Add(1) == c.at {
		c.cancel()
	}
	return c.Context.Err()
}

// mentionsBatch is a source naming n actors, one sentence each, with a mention of each
// and a candidate for each pair of neighbours: an ingestion's write, large enough that
// a cancellation can land while it is planned and while it is written.
func mentionsBatch(n int) *store.Batch {
	var text strings.Builder
	b := &store.Batch{}
	at := make([]int, n+1)
	for i := range n {
		at[i] = utf8.RuneCountInString(text.String())
		fmt.Fprintf(&text, "Actor %d met Actor %d. ", i, (i+1)%n)
	}
	at[n] = utf8.RuneCountInString(text.String())
	b.Nodes = append(b.Nodes, &domain.Source{ID: "article", Title: "Article", URL: "https://example.org/article", Text: text.String()})
	for i := range n {
		id := fmt.Sprintf("actor-%d", i)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: fmt.Sprintf("Actor %d", i)}, Kind: domain.ActorPerson})
		quote := fmt.Sprintf("Actor %d", i)
		start, end := at[i], at[i]+len(quote)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: id, Source: "article", Quote: quote, Start: &start, End: &end,
			Stance: domain.EvidenceMentions, Confidence: 1, Method: "test"})
		sentence := strings.TrimSpace(text.String()[at[i]:at[i+1]])
		b.Candidates = append(b.Candidates, domain.Candidate{Source: "article", From: id, To: fmt.Sprintf("actor-%d", (i+1)%n),
			Quote: sentence, Start: at[i], End: at[i] + len(sentence)})
	}
	return b
}

// TestImportStopsWhenCancelled cancels an import at every point it looks at its
// context, one run each, until a run completes: each cancelled run returns the
// context's error and leaves every key of the store as it was.
func TestImportStopsWhenCancelled(t *testing.T) {
	g := storetest.MustGraph(t)
	const n = 1500
	before := validateDump(t, g.KV())
	for at := 1; ; at++ {
		ctx := newCancelAt(at)
		stats, err := g.Import(ctx, mentionsBatch(n))
		if err == nil {
			if at <= 4 {
				t.Fatalf("the import completed although cancelled at look %d: it looks at its context too seldom", at)
			}
			if want := (store.WriteStats{Nodes: n + 1, Evidence: n, Candidates: n}); stats.Nodes != want.Nodes || stats.Evidence != want.Evidence || stats.Candidates != want.Candidates {
				t.Fatalf("the import wrote %+v, want %+v", stats, want)
			}
			t.Logf("cancelled at each of %d looks, then completed", at-1)
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at look %d: %v, want context.Canceled", at, err)
		}
		if after := validateDump(t, g.KV()); !maps.Equal(before, after) {
			t.Fatalf("cancelled at look %d, the import changed the store", at)
		}
	}
	again, err := g.Import(context.Background(), mentionsBatch(n))
	if err != nil || again.Nodes+again.Evidence+again.Candidates != 0 {
		t.Fatalf("importing again wrote %+v, %v", again, err)
	}
}
