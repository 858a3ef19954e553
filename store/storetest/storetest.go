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
	"eventgraph/store/domain"
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

// MustApply applies b to g, failing the test on an error.
func MustApply(t testing.TB, g *store.Graph, b *store.Batch) store.WriteStats {
	t.Helper()
	stats, err := g.Apply(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// MustChain is MustGraph holding actors a…e linked as a→b→c→d, a→e→d and b→d (ALLIED_WITH), each
// relation with evidence; e→d held only until 2020. It returns the relations' ids by
// their ends ("ab" for a→b).
func MustChain(t testing.TB) (*store.Graph, map[string]string) {
	t.Helper()
	g := MustGraph(t)
	const text = "They were allies."
	b := &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Report", Text: text}}}
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorState})
	}
	ids := map[string]string{}
	until := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, pair := range [][2]string{{"a", "b"}, {"b", "c"}, {"c", "d"}, {"a", "e"}, {"e", "d"}, {"b", "d"}} {
		rel := domain.Relation{Type: domain.RelAlliedWith, From: pair[0], To: pair[1]}
		if pair == [2]string{"e", "d"} {
			rel.ValidTo = &until
		}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		ids[pair[0]+pair[1]] = rel.ID
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
	}
	MustApply(t, g, b)
	return g, ids
}

// AlliedHub returns a batch of an actor "hub" allied with n others ("ally-0000" on),
// each alliance held until until (nil: open) and backed by one evidence record.
func AlliedHub(n int, until *time.Time) *store.Batch {
	b := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "src", Title: "Report", Text: "They were allies."},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "hub", Name: "Hub alliance"}, Kind: domain.ActorGroup},
	}}
	for i := range n {
		id := fmt.Sprintf("ally-%04d", i)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Allied actor " + id}, Kind: domain.ActorGroup})
		rel := domain.Relation{Type: domain.RelAlliedWith, From: "hub", To: id, ValidTo: until}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
	}
	return b
}
