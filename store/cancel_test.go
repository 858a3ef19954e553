package store_test

import (
	"context"
	"errors"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
	"eventgraph/store/storetest/testkv"
)

// mustHubGraph opens a graph over a key-counting in-memory store holding a hub allied
// with 2,000 others.
func mustHubGraph(t *testing.T) (*store.Graph, *storetest.KeyCounter) {
	t.Helper()
	keys := storetest.CountKeys(testkv.Open(t))
	g, err := store.Open(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustApply(t, g, storetest.AlliedHub(2000, nil))
	return g, keys
}

// TestReadsStopWhenTheirContextIsDone: a long read cancelled while it runs (its client
// went away, or its deadline passed) stops at the next key it would visit and reports
// the cancellation, instead of reading on to the end for nobody.
func TestReadsStopWhenTheirContextIsDone(t *testing.T) {
	g, keys := mustHubGraph(t)
	reads := map[string]func(ctx context.Context) error{
		"neighbourhood": func(ctx context.Context) error {
			_, err := g.Neighbourhood(ctx, "hub", 2, domain.Walk{}, 2000)
			return err
		},
		"paths": func(ctx context.Context) error {
			_, err := g.Paths(ctx, "ally-0000", "ally-1000", 6, domain.Walk{}, 10)
			return err
		},
		"search": func(ctx context.Context) error {
			_, err := g.Search(ctx, "allied actor", search.Options{}, domain.PageArgs{First: 500})
			return err
		},
		"relations": func(ctx context.Context) error {
			_, err := g.Relations(ctx, "hub", domain.RelationFilter{Direction: domain.DirectionBoth}, domain.Walk{}, domain.PageArgs{First: 500})
			return err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			keys.Reset(0, nil, 0)
			if err := read(context.Background()); err != nil {
				t.Fatal(err)
			}
			whole := keys.Visited()
			const mark = 20
			if whole < 10*mark {
				t.Fatalf("the whole read visits %d keys; the test needs a longer one", whole)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			keys.Reset(mark, cancel, 0)
			if err := read(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled read returned %v, want context.Canceled", err)
			}
			// A read split in two halves may have one key in flight on the other half.
			if visited := keys.Visited(); visited > mark+1 {
				t.Fatalf("cancelled at key %d, the read went on to key %d (of %d)", mark, visited, whole)
			}
		})
	}
}
