package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
)

// TestRetractedRelationsLeaveWalksAndCounts: a retracted relation is walked by no
// path, counted in no degree, exported by no visit, and still read by id.
func TestRetractedRelationsLeaveWalksAndCounts(t *testing.T) {
	chain, ids := storetest.MustChain(t)
	ctx := context.Background()
	// Opened, the graph keeps its counts in the counters index (built here from the
	// records), so a retraction must subtract from them.
	g, err := store.Open(ctx, chain.KV())
	if err != nil {
		t.Fatal(err)
	}
	degree := func(id string) int {
		top, err := g.Central(ctx, []domain.Kind{domain.KindActor}, nil, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range top {
			if c.Entity.NodeID() == id {
				return c.Degree
			}
		}
		return 0
	}
	before := degree("b")
	for _, rel := range []string{ids["bd"], ids["cd"]} {
		if _, _, err := g.Retract(ctx, rel, "test"); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := g.Paths(ctx, "b", "d", 4, domain.Walk{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		for _, h := range p.Hops {
			if h.Relation.ID == ids["bd"] || h.Relation.ID == ids["cd"] {
				t.Fatalf("a path walks a retracted relation: %+v", p)
			}
		}
	}
	if got := degree("b"); got != before-1 {
		t.Fatalf("b's degree after a retraction: %d, want %d", got, before-1)
	}
	visited := 0
	g.Visit(ctx, store.Visitor{Relation: func(r *domain.Relation, _ []*domain.Evidence) error {
		visited++
		if r.Retracted != nil {
			t.Errorf("visit gave retracted %s", r.ID)
		}
		return nil
	}})
	if visited != len(ids)-2 {
		t.Fatalf("visited %d relations, want %d", visited, len(ids)-2)
	}
	rel, err := g.Relation(ctx, ids["bd"])
	if err != nil || rel.Retracted == nil || rel.Retracted.Reason != "test" {
		t.Fatalf("a retracted relation read by id: %+v, %v", rel, err)
	}
	if _, _, err := g.Retract(ctx, "a", "actors are not retracted"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("retracting an actor = %v, want ErrInvalid", err)
	}
	if _, _, err := g.Retract(ctx, "rel:nothing", "x"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("retracting nothing = %v, want ErrNotFound", err)
	}
}

func TestRetractedPositionsLeaveSearch(t *testing.T) {
	g := storetest.MustGraph(t)
	ctx := context.Background()
	b := baseBatch()
	b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: "rights", Name: "Rights"}},
		&domain.Position{ID: "firm", Holder: "araghchi", Topic: "rights", Stance: domain.StanceRejects, Statement: "Iran will not yield on enrichment."})
	b.Evidence = []domain.Evidence{{Subject: "firm", Source: "src", Quote: "Iran will stand firm", Confidence: 1, Method: "test"}}
	storetest.MustApply(t, g, b)
	found := func() int {
		p, err := g.Search(ctx, "enrichment", search.Options{}, domain.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if found() != 1 {
		t.Fatal("the position's statement is not found")
	}
	if _, _, err := g.Retract(ctx, "firm", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if n := found(); n != 0 {
		t.Fatalf("a retracted position is still found (%d)", n)
	}
}

// TestRetractionSurvivesRewrite: writing a retracted relation again (a re-import of the
// file it came from, here with a new valid time) keeps it retracted, out of walks and
// counts, where its adjacency stays.
func TestRetractionSurvivesRewrite(t *testing.T) {
	g, ids := storetest.MustChain(t)
	ctx := context.Background()
	if _, _, err := g.Retract(ctx, ids["bd"], "test"); err != nil {
		t.Fatal(err)
	}
	since := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	storetest.MustApply(t, g, &store.Batch{
		Relations: []domain.Relation{{Type: domain.RelAlliedWith, From: "b", To: "d", ValidFrom: &since}},
		Evidence:  []domain.Evidence{{Subject: ids["bd"], Source: "src", Quote: "allies", Confidence: 1, Method: "test"}},
	})
	rel, err := g.Relation(ctx, ids["bd"])
	if err != nil || rel.Retracted == nil || rel.ValidFrom == nil || !rel.ValidFrom.Equal(since) {
		t.Fatalf("the rewritten relation: %+v, %v; want retracted, valid from %v", rel, err, since)
	}
	sub, err := g.Neighbourhood(ctx, "b", 1, domain.Walk{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sub.Relations {
		if r.ID == ids["bd"] {
			t.Fatalf("the retracted relation is walked again after a rewrite")
		}
	}
	page, err := g.Relations(ctx, "b", domain.RelationFilter{IncludeRetracted: true}, domain.Walk{}, domain.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	var listed *domain.Relation
	for _, r := range page.Items {
		if r.ID == ids["bd"] {
			listed = r
		}
	}
	if listed == nil || listed.Retracted == nil || listed.ValidFrom == nil || !listed.ValidFrom.Equal(since) {
		t.Fatalf("listed with retracted relations: %+v", listed)
	}
}
