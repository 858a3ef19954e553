package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// walkRelations pages through the hub's relations, first at a time, and lists each
// page's relation ids and whether more followed.
func walkRelations(t *testing.T, g *store.Graph, first int, uncounted bool) []string {
	t.Helper()
	var out []string
	args := domain.PageArgs{First: first, Uncounted: uncounted}
	for {
		p, err := g.Relations(context.Background(), "hub", domain.RelationFilter{Direction: domain.DirectionBoth}, domain.Walk{}, args)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range p.Items {
			out = append(out, rel.ID)
		}
		out = append(out, fmt.Sprint("more: ", p.HasNext))
		if !p.HasNext {
			return out
		}
		args.After = p.Cursors[len(p.Cursors)-1]
	}
}

// TestUncountedPages: a page nobody counts is the page a count would give, and reads
// only as far as the key after it, outgoing and incoming relations alike.
func TestUncountedPages(t *testing.T) {
	g, keys := mustHubGraph(t)
	members := &store.Batch{}
	for i := range 30 {
		rel := domain.Relation{Type: domain.RelMemberOf, From: fmt.Sprintf("ally-%04d", i), To: "hub"}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		members.Relations = append(members.Relations, rel)
		members.Evidence = append(members.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
	}
	storetest.MustApply(t, g, members)

	for _, first := range []int{1, 7, 50} {
		counted, uncounted := walkRelations(t, g, first, false), walkRelations(t, g, first, true)
		if !slices.Equal(counted, uncounted) || len(counted) < 2030 {
			t.Errorf("first %d: %d entries uncounted, %d counted, or the pages differ", first, len(uncounted), len(counted))
		}
	}

	ctx := context.Background()
	for _, uncounted := range []bool{false, true} {
		keys.Reset(0, nil, 0)
		p, err := g.Relations(ctx, "hub", domain.RelationFilter{Direction: domain.DirectionBoth}, domain.Walk{}, domain.PageArgs{First: 10, Uncounted: uncounted})
		if err != nil {
			t.Fatal(err)
		}
		read := keys.Visited()
		if uncounted && read > 30 || !uncounted && (read < 2030 || p.Total != 2030) {
			t.Errorf("uncounted %v: %d keys read for a page of 10 (total %d)", uncounted, read, p.Total)
		}
	}
}
