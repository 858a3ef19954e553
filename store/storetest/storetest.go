// Package storetest gives the tests of eventgraph's packages a graph over a throwaway
// in-memory Badger store, empty or holding the bundled seed data.
package storetest

import (
	"context"
	"testing"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
)

// MustGraph opens a graph over an in-memory Badger store as the server opens one
// (store.Open), and closes the store when the test ends.
func MustGraph(t testing.TB) *store.Graph {
	t.Helper()
	s, err := badgerkv.Open(badgerkv.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	g, err := store.Open(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// MustSeeded is MustGraph holding the bundled seed data, imported as serve imports it.
func MustSeeded(t testing.TB) *store.Graph {
	t.Helper()
	g := MustGraph(t)
	set, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Import(context.Background(), g, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	return g
}
