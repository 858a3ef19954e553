package explore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/storetest"
)

// newest explores the newest snapshot of a graph's store through package explore, as
// store.Graph does: the algorithms run on a snapshot reader of whatever store holds
// the graph.
// Its paths keep hubs' adjacency in hubs, when set.
type newest struct {
	kv.Store
	hubs *explore.HubCache
}

func (s newest) Paths(from, to string, maxHops int, w domain.Walk, first int) ([]explore.Path, error) {
	var ps []explore.Path
	err := layout.View(s.Store, kv.Latest, func(r *layout.Snapshot) error {
		var err error
		ps, err = explore.Paths(r, from, to, maxHops, w, first, s.hubs)
		return err
	})
	return ps, err
}

// hops renders Paths as node sequences (hopsOf), failing t on an error.
func (s newest) hops(t *testing.T, from, to string, maxHops int, w domain.Walk, first int) []string {
	t.Helper()
	ps, err := s.Paths(from, to, maxHops, w, first)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, hopsOf(t, from, p))
	}
	return out
}

func (s newest) Neighbourhood(id string, depth int, w domain.Walk, limit int) (*explore.Subgraph, error) {
	var sub *explore.Subgraph
	err := layout.View(s.Store, kv.Latest, func(r *layout.Snapshot) error {
		var err error
		sub, err = explore.Neighbourhood(r, id, depth, w, limit)
		return err
	})
	return sub, err
}

func (s newest) Between(ids []string, w domain.Walk, limit int) (*explore.Subgraph, error) {
	var sub *explore.Subgraph
	err := layout.View(s.Store, kv.Latest, func(r *layout.Snapshot) error {
		var err error
		sub, err = explore.Between(r, ids, w, limit)
		return err
	})
	return sub, err
}

// hopsOf renders a path as its node sequence, checking that consecutive hops connect.
func hopsOf(t *testing.T, from string, p explore.Path) string {
	t.Helper()
	at, out := from, from
	for _, h := range p.Hops {
		next := h.Relation.To
		if !h.Forward {
			next = h.Relation.From
		}
		if (h.Forward && h.Relation.From != at) || (!h.Forward && h.Relation.To != at) {
			t.Fatalf("hop %s does not start at %s", h.Relation.ID, at)
		}
		at = next
		out += ">" + next
	}
	return out
}

func TestPaths(t *testing.T) {
	g, _ := storetest.MustChain(t)
	x := newest{Store: g.KV()}
	paths := func(from, to string, maxHops, first int, w domain.Walk) []string {
		return x.hops(t, from, to, maxHops, w, first)
	}
	got := paths("a", "d", 4, 3, domain.Walk{})
	if len(got) != 3 || len(got[0]) != 5 || len(got[1]) != 5 || got[2] != "a>b>c>d" {
		t.Fatalf("a→d = %v; want the two 2-hop paths, then a>b>c>d", got)
	}
	if !slices.Contains(got[:2], "a>b>d") || !slices.Contains(got[:2], "a>e>d") {
		t.Fatalf("a→d shortest = %v", got[:2])
	}
	if again := paths("a", "d", 4, 3, domain.Walk{}); fmt.Sprint(again) != fmt.Sprint(got) {
		t.Fatalf("paths not in a stable order: %v then %v", got, again)
	}
	if back := paths("d", "a", 4, 1, domain.Walk{}); len(back) != 1 || len(back[0]) != 5 {
		t.Fatalf("d→a against the relations' direction = %v", back)
	}
	if out := paths("d", "a", 4, 1, domain.Walk{Direction: domain.DirectionOut}); len(out) != 0 {
		t.Fatalf("d→a following only outgoing relations = %v, want none", out)
	}
	if none := paths("a", "d", 1, 3, domain.Walk{}); len(none) != 0 {
		t.Fatalf("a→d within 1 hop = %v, want none", none)
	}
	after := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := paths("a", "d", 4, 5, domain.Walk{From: &after}); slices.Contains(got, "a>e>d") || len(got) != 2 {
		t.Fatalf("a→d valid after 2020 = %v; e→d ended in 2020", got)
	}
	if _, err := x.Paths("a", "nobody", 4, domain.Walk{}, 1); err == nil {
		t.Fatal("a path to an unknown node is not an error")
	}
}

func TestNeighbourhood(t *testing.T) {
	g, ids := storetest.MustChain(t)
	x := newest{Store: g.KV()}
	sub, err := x.Neighbourhood("b", 1, domain.Walk{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var nodes, rels []string
	for _, n := range sub.Nodes {
		nodes = append(nodes, n.NodeID())
	}
	for _, r := range sub.Relations {
		rels = append(rels, r.ID)
	}
	slices.Sort(nodes)
	slices.Sort(rels)
	want := []string{ids["ab"], ids["bc"], ids["bd"]}
	slices.Sort(want)
	if fmt.Sprint(nodes) != "[a b c d]" || fmt.Sprint(rels) != fmt.Sprint(want) || sub.Truncated {
		t.Fatalf("depth 1 around b: nodes %v relations %v truncated %v", nodes, rels, sub.Truncated)
	}
	sub, err = x.Neighbourhood("b", 2, domain.Walk{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Relations) != 4 || !sub.Truncated {
		t.Fatalf("depth 2 limit 4: %d relations, truncated %v", len(sub.Relations), sub.Truncated)
	}
	sub, err = x.Neighbourhood("b", 2, domain.Walk{}, 100)
	if err != nil || len(sub.Relations) != 6 || sub.Truncated {
		t.Fatalf("depth 2: %d relations, truncated %v, %v", len(sub.Relations), sub.Truncated, err)
	}
}

// idsOf lists a subgraph's entity and relation ids, each sorted.
func idsOf(sub *explore.Subgraph) (nodes, rels []string) {
	for _, n := range sub.Nodes {
		nodes = append(nodes, n.NodeID())
	}
	for _, r := range sub.Relations {
		rels = append(rels, r.ID)
	}
	slices.Sort(nodes)
	slices.Sort(rels)
	return nodes, rels
}

func TestBetween(t *testing.T) {
	g, ids := storetest.MustChain(t)
	x := newest{Store: g.KV()}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	after := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		ids          []string
		w            domain.Walk
		limit        int
		nodes, rels  []string
		wantTruncate bool
	}{
		{"a triangle's two sides", []string{"d", "a", "b"}, domain.Walk{}, 100, sorted("a", "b", "d"), sorted(ids["ab"], ids["bd"]), false},
		{"a chain", []string{"a", "e", "d"}, domain.Walk{}, 100, sorted("a", "d", "e"), sorted(ids["ae"], ids["ed"]), false},
		{"valid after e→d ended", []string{"a", "e", "d"}, domain.Walk{From: &after}, 100, sorted("a", "d", "e"), sorted(ids["ae"]), false},
		{"a type none has", []string{"a", "b"}, domain.Walk{Types: []domain.RelationType{domain.RelMemberOf}}, 100, sorted("a", "b"), nil, false},
		{"an id twice", []string{"a", "b", "a"}, domain.Walk{}, 100, sorted("a", "b"), sorted(ids["ab"]), false},
		{"cut by the limit", []string{"a", "b", "c", "d", "e"}, domain.Walk{}, 2, sorted("a", "b", "c", "d", "e"), nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := x.Between(tc.ids, tc.w, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			nodes, rels := idsOf(sub)
			if tc.wantTruncate {
				if len(rels) != tc.limit || !sub.Truncated || !slices.Equal(nodes, tc.nodes) {
					t.Fatalf("nodes %v, %d relations, truncated %v; want %v and %d relations, truncated", nodes, len(rels), sub.Truncated, tc.nodes, tc.limit)
				}
				return
			}
			if !slices.Equal(nodes, tc.nodes) || !slices.Equal(rels, tc.rels) || sub.Truncated {
				t.Fatalf("nodes %v relations %v truncated %v; want %v and %v", nodes, rels, sub.Truncated, tc.nodes, tc.rels)
			}
		})
	}
	for _, bad := range [][]string{{"a", "nobody"}, {"a", ids["ab"]}} {
		if _, err := x.Between(bad, domain.Walk{}, 100); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("between %v: %v, want NOT_FOUND", bad, err)
		}
	}
}

func TestUnion(t *testing.T) {
	g, ids := storetest.MustChain(t)
	x := newest{Store: g.KV()}
	around := func(id string) *explore.Subgraph {
		sub, err := x.Neighbourhood(id, 1, domain.Walk{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	u := explore.Union(around("a"), around("d"))
	nodes, rels := idsOf(u)
	want := []string{ids["ab"], ids["ae"], ids["bd"], ids["cd"], ids["ed"]}
	slices.Sort(want)
	if fmt.Sprint(nodes) != "[a b c d e]" || !slices.Equal(rels, want) || u.Truncated {
		t.Fatalf("union around a and d: nodes %v relations %v truncated %v", nodes, rels, u.Truncated)
	}
}

// TestPathsThroughHubs checks paths that cross nodes with more relations than a search
// reads to weigh its sides: two hubs h1 and h2 with 600 peers each, a→h1, h1→h2, h2→b,
// c→h1, h1→x, x→h2, h2→d (x known only to the hubs), and a→e, e→b (MEMBER_OF).
func TestPathsThroughHubs(t *testing.T) {
	g := storetest.MustGraph(t)
	b := newAllies()
	actor, link := b.actor, b.link
	for _, id := range []string{"h1", "h2", "a", "b", "c", "d", "e", "x"} {
		actor(id)
	}
	for i := range 600 {
		for _, hub := range []string{"h1", "h2"} {
			peer := fmt.Sprintf("%s-peer-%03d", hub, i)
			actor(peer)
			link(domain.RelAlliedWith, hub, peer)
		}
	}
	for _, pair := range [][2]string{{"a", "h1"}, {"h1", "h2"}, {"h2", "b"}, {"c", "h1"}, {"h1", "x"}, {"x", "h2"}, {"h2", "d"}} {
		link(domain.RelAlliedWith, pair[0], pair[1])
	}
	link(domain.RelMemberOf, "a", "e")
	link(domain.RelMemberOf, "e", "b")
	storetest.MustApply(t, g, b.Batch)
	x := newest{Store: g.KV()}
	paths := func(from, to string, first int, w domain.Walk) []string {
		return x.hops(t, from, to, 4, w, first)
	}
	if got := paths("a", "b", 3, domain.Walk{}); fmt.Sprint(got) != "[a>e>b a>h1>h2>b a>h1>x>h2>b]" {
		t.Fatalf("a→b = %v", got)
	}
	allied := domain.Walk{Types: []domain.RelationType{domain.RelAlliedWith}}
	if got := paths("a", "b", 1, allied); fmt.Sprint(got) != "[a>h1>h2>b]" {
		t.Fatalf("a→b over alliances = %v; want the hop between the hubs", got)
	}
	if got := paths("b", "a", 1, domain.Walk{Types: allied.Types, Direction: domain.DirectionOut}); len(got) != 0 {
		t.Fatalf("b→a following outgoing alliances = %v, want none", got)
	}
	if got := paths("c", "d", 2, domain.Walk{}); fmt.Sprint(got) != "[c>h1>h2>d c>h1>x>h2>d]" {
		t.Fatalf("c→d = %v", got)
	}
	if got := paths("c", "d", 1, domain.Walk{Types: []domain.RelationType{domain.RelMemberOf}}); len(got) != 0 {
		t.Fatalf("c→d over memberships = %v, want none", got)
	}
}

// allies is a batch of actors and relations between them, each relation with evidence
// from one source.
type allies struct{ *store.Batch }

func newAllies() allies {
	return allies{&store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Report", Text: "They were allies."}}}}
}

func (b allies) actor(ids ...string) {
	for _, id := range ids {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorGroup})
	}
}

func (b allies) link(typ domain.RelationType, from, to string) {
	rel := domain.Relation{Type: typ, From: from, To: to}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	b.Relations = append(b.Relations, rel)
	b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
}

// keyCounter is a reader that counts the keys iterations visit.
type keyCounter struct {
	kv.Reader
	keys int
}

func (c *keyCounter) Iterate(o kv.IterOptions, fn func(k, v []byte) error) error {
	return c.Reader.Iterate(o, func(k, v []byte) error {
		c.keys++
		return fn(k, v)
	})
}

func (c *keyCounter) IterateRanges(prefixes [][]byte, fn func(i int, k, v []byte) error) error {
	return c.Reader.IterateRanges(prefixes, func(i int, k, v []byte) error {
		c.keys++
		return fn(i, k, v)
	})
}

// TestPathsProveAbsenceBetweenHubsUnread: when the last hop of a search would join two
// frontiers that both hold a hub, the relations between the frontiers are all the
// routes left, so finding none ends the search without reading either hub whole (it
// reads the first few hundred relations of each to weigh them): from hub h1 to t, whose
// neighbours are hub h2 and u, within two hops, where h1 and h2 have 2,000 peers each,
// none shared, and are not allied. Within three hops both hubs must be read.
func TestPathsProveAbsenceBetweenHubsUnread(t *testing.T) {
	g := storetest.MustGraph(t)
	b := newAllies()
	b.actor("h1", "h2", "t", "u")
	for i := range 2000 {
		for _, hub := range []string{"h1", "h2"} {
			peer := fmt.Sprintf("%s-peer-%04d", hub, i)
			b.actor(peer)
			b.link(domain.RelAlliedWith, hub, peer)
		}
	}
	b.link(domain.RelAlliedWith, "h2", "t")
	b.link(domain.RelAlliedWith, "u", "t")
	storetest.MustApply(t, g, b.Batch)
	for _, maxHops := range []int{2, 3} {
		var ps []explore.Path
		counter := &keyCounter{}
		err := layout.View(g.KV(), kv.Latest, func(r *layout.Snapshot) error {
			counter.Reader = r
			var err error
			ps, err = explore.Paths(counter, "h1", "t", maxHops, domain.Walk{}, 3, nil)
			return err
		})
		if err != nil || len(ps) != 0 {
			t.Fatalf("h1→t within %d hops: %d paths, %v; want none", maxHops, len(ps), err)
		}
		if maxHops == 2 && counter.keys >= 2000 {
			t.Fatalf("h1→t within 2 hops read %d keys: a hub whole", counter.keys)
		}
		if maxHops == 3 && counter.keys < 4000 {
			t.Fatalf("h1→t within 3 hops read %d keys: both hubs must be read to prove they share no peer", counter.keys)
		}
	}
}

// TestExplorationMatchesExhaustiveSearch checks Paths and Neighbourhood against plain
// enumeration on a random graph where three hubs of over 500 relations share peers
// with 1,200 ordinary actors, over every relation, one type, or outgoing relations
// only: for random pairs, the paths must be the first of every loop-free route found
// depth first, in the documented order (fewest hops, then relation ids); for random
// centres, the neighbourhood must hold exactly the relations within its depth.
func TestExplorationMatchesExhaustiveSearch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	g := newHubGraph(t, rnd, hubShape{hubs: 3, hubLinks: [][2]string{{"hub-1", "hub-2"}}})
	x, ids, followable := g.x, g.ids, g.followable
	pairs := [][2]string{{"hub-1", "hub-3"}, {"hub-2", ids[0]}}
	for range 40 {
		pairs = append(pairs, [2]string{ids[rnd.IntN(len(ids))], ids[rnd.IntN(len(ids))]})
	}
	walks := []domain.Walk{{}, {Types: []domain.RelationType{domain.RelAlliedWith}}, {Direction: domain.DirectionOut}}
	if found := g.checkPaths(t, pairs, walks, 3); found < 100 {
		t.Fatalf("only %d routes in all: the graph is too sparse to test the search", found)
	}

	// A neighbourhood of depth 2 is every relation the walk follows from the centre and
	// from the nodes one hop away; with a limit, the centre's own come first.
	for _, w := range walks {
		for _, pair := range pairs[:10] {
			centre := pair[0]
			want := map[string]bool{}
			near, rels := followable(centre, w, false)
			for _, r := range rels {
				want[r] = true
			}
			own := len(want)
			for _, n := range near {
				_, rels := followable(n, w, false)
				for _, r := range rels {
					want[r] = true
				}
			}
			sub, err := x.Neighbourhood(centre, 2, w, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, r := range sub.Relations {
				got[r.ID] = true
			}
			if sub.Truncated || len(got) != len(sub.Relations) || !maps.Equal(got, want) {
				t.Fatalf("neighbourhood of %s over %+v: %d relations (truncated %v), want %d", centre, w, len(sub.Relations), sub.Truncated, len(want))
			}
			if own == 0 || own == len(want) {
				continue
			}
			cut, err := x.Neighbourhood(centre, 2, w, own)
			if err != nil {
				t.Fatal(err)
			}
			if !cut.Truncated || len(cut.Relations) != own {
				t.Fatalf("neighbourhood of %s limited to %d: %d relations, truncated %v", centre, own, len(cut.Relations), cut.Truncated)
			}
			for _, r := range cut.Relations {
				if r.From != centre && r.To != centre {
					t.Fatalf("neighbourhood of %s limited to its own %d relations holds %s→%s", centre, own, r.From, r.To)
				}
			}
		}
	}
}

// TestPathsAroundHubsMatchExhaustiveSearch asks for eight paths at a time, where most
// routes of four hops cross two hubs: between four hubs of over 500 relations that share
// peers, three of them in a chain of alliances, over relations with valid times; from
// hubs, to hubs, between hubs and between ordinary actors, over every relation, within
// a window of valid time, one type, or outgoing relations only. Paths that leave a
// route at a hub must be searched, or proved not to come first, without changing which
// routes come first.
func TestPathsAroundHubsMatchExhaustiveSearch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	g := newHubGraph(t, rnd, hubShape{
		hubs:       4,
		hubLinks:   [][2]string{{"hub-1", "hub-2"}, {"hub-2", "hub-3"}, {"hub-4", "hub-3"}},
		validTimes: true,
	})
	pairs := g.pairs(rnd, [][2]string{{"hub-1", "hub-3"}, {"hub-4", "hub-2"}, {"hub-1", "hub-4"}}, 6)
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC)
	walks := []domain.Walk{{}, {From: &from, To: &to}, {Types: []domain.RelationType{domain.RelMemberOf}}, {Direction: domain.DirectionOut}}
	// The graph's density is checked where every pair is (not under the race detector).
	if found := g.checkPaths(t, pairs, walks, 8); found < 500 && !raceEnabled {
		t.Fatalf("only %d routes in all: the graph is too sparse to test the search", found)
	}
	// The same with the hubs' adjacency kept between searches (every hub of 540
	// relations is), twice over: the first pass keeps each hub as a search first reads
	// it, the second finds them all kept.
	g.x.hubs = explore.NewHubCache(64<<20, 300, 0)
	for range 2 {
		g.checkPaths(t, pairs, walks, 8)
	}
}

// TestWalksRebuildRelationsFromAdjacency: the relations a walk rebuilds from adjacency
// keys and values are the records, valid times included, and so are those of a
// relation whose adjacency keys have no value (as stores written before values were
// kept hold): the walk then reads the record.
func TestWalksRebuildRelationsFromAdjacency(t *testing.T) {
	g, ids := storetest.MustChain(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		sub, err := g.Neighbourhood(ctx, "a", 3, domain.Walk{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		lists, err := g.RelationsOf(ctx, []string{"d"}, domain.RelationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		walked := append(sub.Relations, lists[0]...)
		if len(sub.Relations) != len(ids) || len(lists[0]) != 3 {
			t.Fatalf("%s: %d relations around a, %d at d; want %d and 3", when, len(sub.Relations), len(lists[0]), len(ids))
		}
		for _, rel := range walked {
			stored, err := g.Relation(ctx, rel.ID)
			if err != nil || !reflect.DeepEqual(rel, stored) {
				t.Fatalf("%s: walked %+v, stored %+v (%v)", when, rel, stored, err)
			}
		}
	}
	check("with values")
	ed, err := g.Relation(ctx, ids["ed"])
	if err != nil || ed.ValidTo == nil {
		t.Fatalf("e→d: %+v, %v", ed, err)
	}
	_, err = g.KV().Update(func(w kv.ReadWriter) error {
		out, in := layout.AdjacencyKeys(ed, false)
		for _, k := range [][]byte{out, in} {
			if _, err := w.Get(k); err != nil {
				return fmt.Errorf("adjacency key %q: %w", k, err)
			}
			if err := w.Set(k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check("without values")
}

// hubGraph is a random graph written to a store, its relations kept aside so that a
// test can enumerate routes without the search: hubs of over 500 relations (more than
// a path search reads to weigh a node) share peers among 1,200 ordinary actors, which
// 900 more relations join.
type hubGraph struct {
	x        newest
	ids      []string // the ordinary actors
	adjacent map[string][]*domain.Relation
}

// hubShape says how many hubs a hubGraph has, which relations join hubs, and whether
// relations have valid times: a third none, a third in 2019–2020, a third in 2022–2023.
type hubShape struct {
	hubs       int
	hubLinks   [][2]string // alliances between hubs, by id (hub-1, hub-2, …)
	validTimes bool
	// actors and hubRelations, when set, replace the 1,200 ordinary actors and the
	// 540 relations of each hub.
	actors, hubRelations int
}

func newHubGraph(t *testing.T, rnd *rand.Rand, shape hubShape) *hubGraph {
	g := storetest.MustGraph(t)
	const text = "They were allies."
	b := &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Report", Text: text}}}
	hg := &hubGraph{x: newest{Store: g.KV()}, adjacent: map[string][]*domain.Relation{}}
	seen := map[string]bool{}
	year := func(y int) *time.Time {
		at := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return &at
	}
	link := func(typ domain.RelationType, from, to string) {
		rel := domain.Relation{Type: typ, From: from, To: to}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		if shape.validTimes {
			switch rnd.IntN(3) {
			case 1:
				rel.ValidFrom, rel.ValidTo = year(2019), year(2021)
			case 2:
				rel.ValidFrom, rel.ValidTo = year(2022), year(2024)
			}
		}
		if from == to || seen[rel.ID] {
			return
		}
		seen[rel.ID] = true
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
		hg.adjacent[from] = append(hg.adjacent[from], &rel)
		hg.adjacent[to] = append(hg.adjacent[to], &rel)
	}
	actors, hubRelations := 1200, 540
	if shape.actors > 0 {
		actors, hubRelations = shape.actors, shape.hubRelations
	}
	for i := range actors {
		hg.ids = append(hg.ids, fmt.Sprintf("n%04d", i))
	}
	var hubs []string
	for i := range shape.hubs {
		hubs = append(hubs, fmt.Sprintf("hub-%d", i+1))
	}
	for _, id := range append(slices.Clone(hubs), hg.ids...) {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorGroup})
	}
	types := []domain.RelationType{domain.RelAlliedWith, domain.RelMemberOf}
	for _, h := range hubs {
		for range hubRelations {
			link(types[rnd.IntN(2)], h, hg.ids[rnd.IntN(len(hg.ids))])
		}
	}
	for _, l := range shape.hubLinks {
		link(domain.RelAlliedWith, l[0], l[1])
	}
	for range 900 {
		link(types[rnd.IntN(2)], hg.ids[rnd.IntN(len(hg.ids))], hg.ids[rnd.IntN(len(hg.ids))])
	}
	storetest.MustApply(t, g, b)
	return hg
}

// pairs are hubPairs, then withHubs pairs of a hub and an ordinary actor (the hub first,
// then last), then 30 pairs of ordinary actors, drawn with rnd; under the race detector
// at most 2 of the first kind and 5 of the second.
func (g *hubGraph) pairs(rnd *rand.Rand, hubPairs [][2]string, withHubs int) [][2]string {
	random := 30
	if raceEnabled {
		withHubs, random = min(withHubs, 2), 5
	}
	pairs := slices.Clone(hubPairs)
	for i := range withHubs {
		hub := fmt.Sprintf("hub-%d", i%4+1)
		pairs = append(pairs, [2]string{hub, g.ids[rnd.IntN(len(g.ids))]}, [2]string{g.ids[rnd.IntN(len(g.ids))], hub})
	}
	for range random {
		pairs = append(pairs, [2]string{g.ids[rnd.IntN(len(g.ids))], g.ids[rnd.IntN(len(g.ids))]})
	}
	return pairs
}

// followable lists the nodes n reaches under w, each with the relation that leads
// there; reverse lists the nodes that reach n instead.
func (g *hubGraph) followable(n string, w domain.Walk, reverse bool) (others, rels []string) {
	for _, rel := range g.adjacent[n] {
		if len(w.Types) > 0 && !slices.Contains(w.Types, rel.Type) || !w.ValidDuring(rel) {
			continue
		}
		out := rel.From == n
		if reverse {
			out = !out
		}
		if w.Direction == domain.DirectionOut && !out {
			continue
		}
		other := rel.To
		if rel.To == n {
			other = rel.From
		}
		others, rels = append(others, other), append(rels, rel.ID)
	}
	return others, rels
}

// routes lists every loop-free route from a to z under w of at most maxHops relations,
// each as its relation ids joined by "|", in the documented order.
func (g *hubGraph) routes(a, z string, w domain.Walk, maxHops int) []string {
	// hopsTo bounds the search: a node farther from z than the hops left is skipped.
	hopsTo := map[string]int{z: 0}
	for frontier, d := []string{z}, 1; d <= maxHops; d++ {
		var next []string
		for _, n := range frontier {
			others, _ := g.followable(n, w, true)
			for _, other := range others {
				if _, ok := hopsTo[other]; !ok {
					hopsTo[other] = d
					next = append(next, other)
				}
			}
		}
		frontier = next
	}
	var out []string
	onRoute := map[string]bool{a: true}
	var walk func(n string, rels []string)
	walk = func(n string, rels []string) {
		if n == z {
			out = append(out, strings.Join(rels, "|"))
			return
		}
		others, via := g.followable(n, w, false)
		for i, other := range others {
			d, ok := hopsTo[other]
			if !ok || onRoute[other] || len(rels)+1+d > maxHops {
				continue
			}
			onRoute[other] = true
			walk(other, append(rels, via[i]))
			onRoute[other] = false
		}
	}
	walk(a, nil)
	slices.SortFunc(out, func(x, y string) int {
		if c := strings.Count(x, "|") - strings.Count(y, "|"); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	return out
}

// checkPaths checks that Paths, at most four hops, returns the first routes of the
// enumeration between each pair over each walk, and returns how many it compared.
func (g *hubGraph) checkPaths(t *testing.T, pairs [][2]string, walks []domain.Walk, first int) int {
	t.Helper()
	const maxHops = 4
	found := 0
	for _, w := range walks {
		for _, pair := range pairs {
			if pair[0] == pair[1] {
				continue
			}
			want := g.routes(pair[0], pair[1], w, maxHops)
			if len(want) > first {
				want = want[:first]
			}
			found += len(want)
			ps, err := g.x.Paths(pair[0], pair[1], maxHops, w, first)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				var rels []string
				for _, h := range p.Hops {
					rels = append(rels, h.Relation.ID)
				}
				hopsOf(t, pair[0], p)
				got = append(got, strings.Join(rels, "|"))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s→%s over %+v: paths\n%v\nwant\n%v", pair[0], pair[1], w, got, want)
			}
		}
	}
	return found
}
