package explore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/storetest"
)

// TestPathsBetweenKeptHubsMatchExhaustiveSearch: where ordinary actors are few hops
// from hubs of 1,500 relations among 5,000 actors, and seldom from each other, routes
// between them often cross two hubs, hub→x→hub, which a search with both hubs kept
// finds by merging their indexes: the paths must still be the first routes of the
// enumeration, eight at a time, over every relation, one type, or outgoing relations.
func TestPathsBetweenKeptHubsMatchExhaustiveSearch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 19))
	g := newHubGraph(t, rnd, hubShape{
		hubs:     4,
		hubLinks: [][2]string{{"hub-1", "hub-2"}},
		actors:   5000, hubRelations: 1500,
	})
	g.x.hubs = explore.NewHubCache(64<<20, 1000, 0)
	pairs := g.pairs(rnd, [][2]string{{"hub-1", "hub-3"}, {"hub-4", "hub-2"}}, 8)
	walks := []domain.Walk{{}, {Types: []domain.RelationType{domain.RelMemberOf}}, {Direction: domain.DirectionOut}}
	for pass := range 2 {
		if found := g.checkPaths(t, pairs, walks, 8); found < 300 && !raceEnabled { // as in TestPathsAroundHubsMatchExhaustiveSearch
			t.Fatalf("pass %d: only %d routes in all: the graph is too sparse to test the search", pass, found)
		}
	}
}

// TestPathsIntersectKeptHubs: from hub h1 to t, whose neighbours are hub h2 and u,
// within three hops, where h1 and h2 have 2,000 peers each and share twenty, the
// routes are h1→shared peer→h2→t. Without kept hubs every search reads both hubs
// whole; once a search has read them, the next finds the same paths in the kept
// indexes, reading a few hundred keys of each to weigh them.
func TestPathsIntersectKeptHubs(t *testing.T) {
	g := storetest.MustGraph(t)
	b := newAllies()
	actor, link := b.actor, b.link
	actor("h1", "h2", "t", "u")
	for i := range 2000 {
		for _, hub := range []string{"h1", "h2"} {
			peer := fmt.Sprintf("%s-peer-%04d", hub, i)
			actor(peer)
			link(domain.RelAlliedWith, hub, peer)
		}
	}
	types := []domain.RelationType{domain.RelAlliedWith, domain.RelMemberOf}
	for i := range 20 {
		peer := fmt.Sprintf("shared-%02d", i)
		actor(peer)
		link(types[i%2], "h1", peer)
		link(types[i/2%2], peer, "h2")
	}
	link(domain.RelAlliedWith, "h2", "t")
	link(domain.RelAlliedWith, "u", "t")
	link(domain.RelAlliedWith, "h1-peer-0007", "u")
	storetest.MustApply(t, g, b.Batch)

	cache := explore.NewHubCache(64<<20, 1000, 0)
	paths := func(from, to string, w domain.Walk, hubs *explore.HubCache) ([]string, int) {
		t.Helper()
		counter := &keyCounter{}
		var ps []explore.Path
		err := layout.View(g.KV(), kv.Latest, func(r *layout.Snapshot) error {
			counter.Reader = r
			var err error
			ps, err = explore.Paths(counter, from, to, 3, w, 6, hubs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, hopsOf(t, from, p))
		}
		return out, counter.keys
	}
	walks := []domain.Walk{{}, {Types: []domain.RelationType{domain.RelAlliedWith}}, {Direction: domain.DirectionOut}, {Direction: domain.DirectionIn}}
	for _, w := range walks {
		for _, pair := range [][2]string{{"h1", "t"}, {"t", "h1"}} {
			want, read := paths(pair[0], pair[1], w, nil)
			first, _ := paths(pair[0], pair[1], w, cache)
			again, readAgain := paths(pair[0], pair[1], w, cache)
			if !slices.Equal(first, want) || !slices.Equal(again, want) {
				t.Fatalf("%s→%s over %+v: %v, then %v with kept hubs; want %v", pair[0], pair[1], w, first, again, want)
			}
			if w.Direction == "" && len(want) < 6 {
				t.Fatalf("%s→%s over %+v: %v; want six paths", pair[0], pair[1], w, want)
			}
			if w.Direction == "" && (read < 4000 || readAgain >= 2000) {
				t.Fatalf("%s→%s over %+v read %d keys, then %d with kept hubs: want both hubs whole, then neither", pair[0], pair[1], w, read, readAgain)
			}
		}
	}
}

// TestPathsThroughKeptHubsSortByTheWayIn: from ten actors each allied with hubs h1 and
// h3, to b, allied with hub h2, within four hops, where h1 and h3 share ten peers each
// with h2, of 3,000 peers each: the routes cross h1 or h3, then a shared peer, then h2,
// and the first sort by the relation into the first hub before the one out of it.
// With the hubs kept, the search merges h2's index with h1's and h3's.
func TestPathsThroughKeptHubsSortByTheWayIn(t *testing.T) {
	g := storetest.MustGraph(t)
	b := newAllies()
	actor := b.actor
	link := func(from, to string) { b.link(domain.RelAlliedWith, from, to) }
	actor("h1", "h2", "h3", "b")
	for i := range 3000 {
		for _, hub := range []string{"h1", "h2", "h3"} {
			peer := fmt.Sprintf("%s-peer-%04d", hub, i)
			actor(peer)
			link(hub, peer)
		}
	}
	for i := range 10 {
		for _, hub := range []string{"h1", "h3"} {
			peer := fmt.Sprintf("%s-h2-%d", hub, i)
			actor(peer)
			link(hub, peer)
			link(peer, "h2")
		}
		start := fmt.Sprintf("a%d", i)
		actor(start)
		link(start, "h1")
		link(start, "h3")
	}
	link("h2", "b")
	if _, err := g.Import(context.Background(), b.Batch); err != nil {
		t.Fatal(err)
	}

	cache := explore.NewHubCache(64<<20, 1000, 0)
	paths := func(from string, hubs *explore.HubCache) []string {
		return newest{Store: g.KV(), hubs: hubs}.hops(t, from, "b", 4, domain.Walk{}, 3)
	}
	for pass := range 2 {
		for i := range 10 {
			from := fmt.Sprintf("a%d", i)
			want, got := paths(from, nil), paths(from, cache)
			if len(want) != 3 || !slices.Equal(got, want) {
				t.Fatalf("pass %d, %s→b: %v with kept hubs; want %v", pass, from, got, want)
			}
		}
	}
}
