// Package storetest gives the tests of eventgraph's packages a graph over a throwaway
// store, empty or holding the bundled seed data, of the backend testkv chooses.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/storetest/testkv"
)

// MustGraph opens a graph over a new store (testkv.Open) as the server opens one
// (store.Open), and closes the store when the test ends.
func MustGraph(t testing.TB) *store.Graph {
	t.Helper()
	g, err := store.Open(context.Background(), testkv.Open(t))
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

// AlliedHub returns a batch of an actor "hub" allied with n others ("ally-0000" on),
// each alliance held until until (nil: open) and backed by one evidence record.
func AlliedHub(n int, until *time.Time) *store.Batch {
	b := &store.Batch{Nodes: []store.Node{
		&store.Source{ID: "src", Title: "Report", Text: "They were allies."},
		&store.Actor{EntityBase: store.EntityBase{ID: "hub", Name: "Hub alliance"}, Kind: store.ActorGroup},
	}}
	for i := range n {
		id := fmt.Sprintf("ally-%04d", i)
		b.Nodes = append(b.Nodes, &store.Actor{EntityBase: store.EntityBase{ID: id, Name: "Allied actor " + id}, Kind: store.ActorGroup})
		rel := store.Relation{Type: store.RelAlliedWith, From: "hub", To: id, ValidTo: until}
		rel.ID = store.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, store.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
	}
	return b
}
