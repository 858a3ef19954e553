package store_test

import (
	"context"
	"fmt"
	"testing"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
)

// BenchmarkNeighbours reads one node's relations with their evidence (one hop) at
// degree 10 and 10,000, from an on-disk store that also holds the other node's edges.
func BenchmarkNeighbours(b *testing.B) {
	kv, err := badgerkv.Open(badgerkv.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer kv.Close()
	g := store.New(kv)
	const text = "Officials met in the capital to discuss the agreement."
	batch := &store.Batch{Nodes: []store.Node{
		&store.Source{ID: "src", Title: "Wire report", Text: text},
		&store.Actor{EntityBase: store.EntityBase{ID: "small", Name: "Small"}, Kind: store.ActorState},
		&store.Actor{EntityBase: store.EntityBase{ID: "hub", Name: "Hub"}, Kind: store.ActorState},
	}}
	link := func(from, to string) {
		rel := store.Relation{Type: store.RelAlliedWith, From: from, To: to}
		rel.ID = store.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		batch.Relations = append(batch.Relations, rel)
		batch.Evidence = append(batch.Evidence, store.Evidence{Subject: rel.ID, Source: "src",
			Quote: "Officials met", Confidence: 0.9, Method: "bench"})
	}
	for i := range 10_000 {
		id := fmt.Sprintf("peer-%05d", i)
		batch.Nodes = append(batch.Nodes, &store.Actor{EntityBase: store.EntityBase{ID: id, Name: "Peer " + id}, Kind: store.ActorGroup})
		link("hub", id)
		if i < 10 {
			link("small", id)
		}
	}
	if _, err := g.Import(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		id     string
		degree int
	}{{"small", 10}, {"hub", 10_000}} {
		b.Run(fmt.Sprintf("degree=%d", tc.degree), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				rels, err := g.RelationsOf(ctx, []string{tc.id}, store.RelationFilter{Direction: store.DirectionOut})
				if err != nil {
					b.Fatal(err)
				}
				evs, err := g.Evidence(ctx, relationIDs(rels[0]))
				if err != nil {
					b.Fatal(err)
				}
				if len(rels[0]) != tc.degree || len(evs) != tc.degree || len(evs[0]) != 1 {
					b.Fatalf("read %d relations, %d evidence lists", len(rels[0]), len(evs))
				}
			}
		})
	}
}

func relationIDs(rels []*store.Relation) []string {
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.ID
	}
	return ids
}
