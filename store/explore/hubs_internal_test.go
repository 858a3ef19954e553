package explore

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// at is a reader of nothing at version v: all HubCache asks of a reader.
type at struct {
	kv.Reader
	v uint64
}

func (r at) Version() uint64 { return r.v }

// TestHubCacheServesVersionsNoCommitSeparates: a hub's adjacency kept from version v
// serves a read at r only when no commit the cache was told of touched the hub between
// the two, none is in flight, and both are after the cache was made; commits to other
// nodes leave it, and one that may touch any node drops everything.
func TestHubCacheServesVersionsNoCommitSeparates(t *testing.T) {
	c := NewHubCache(1<<20, 2, 10)
	steps := []layout.Step{{Relation: "r1", Other: "x"}, {Relation: "r2", Other: "y"}, {Relation: "r0", Other: "x"}}
	reads := 0
	read := func() ([]layout.Step, error) { reads++; return steps, nil }
	var f domain.RelationFilter
	serves := func(v uint64) bool { return c.cached(at{v: v}, f, "h") != nil }
	if _, adj, _ := c.adjacency(at{v: 5}, f, "h", read); adj != nil || serves(5) {
		t.Fatal("kept the adjacency of a version before the cache was made")
	}
	if _, adj, _ := c.adjacency(at{v: 20}, f, "h", read); adj == nil {
		t.Fatal("did not keep the adjacency read at 20")
	}
	if !serves(10) || !serves(15) || !serves(99) || serves(9) {
		t.Fatal("adjacency read at 20 should serve reads from 10 on, the version the cache was made at")
	}
	if got, adj, _ := c.adjacency(at{v: 25}, f, "h", read); adj == nil || reads != 2 || len(got) != 3 {
		t.Fatalf("read %d times, kept %v", reads, adj != nil)
	}
	done := c.Writing([]string{"h", "k"}, false)
	if serves(25) {
		t.Fatal("served while a write touching the hub was in flight")
	}
	done(30)
	if serves(25) || serves(35) {
		t.Fatal("adjacency read at 20 served a read after a commit at 30 touched the hub")
	}
	if _, adj, _ := c.adjacency(at{v: 35}, f, "h", read); adj == nil || reads != 3 {
		t.Fatal("did not read the hub again after a commit touched it")
	}
	if !serves(30) || serves(29) {
		t.Fatal("adjacency read at 35 should serve reads from 30, the commit, on")
	}
	c.Writing([]string{"k"}, false)(40)
	if !serves(45) {
		t.Fatal("a commit touching another node stopped the hub's adjacency serving")
	}
	c.Writing(nil, true)(50)
	if serves(55) || serves(45) {
		t.Fatal("a commit that may touch any node left the hub's adjacency serving")
	}
	// Commits may be told of out of order: one touching any node at 70 after one
	// touching h at 80.
	all, one := c.Writing(nil, true), c.Writing([]string{"h"}, false)
	one(80)
	all(70)
	c.adjacency(at{v: 75}, f, "h", read)
	if serves(85) {
		t.Fatal("adjacency read at 75 served a read after a commit at 80 touched the hub")
	}

	// The index finds the steps to a node by relation id, and two hubs' common
	// neighbours.
	_, adj, _ := c.adjacency(at{v: 90}, f, "h", read)
	lo, hi := adj.toID("x")
	if hi-lo != 2 || adj.steps[adj.order[lo]].Relation != "r0" {
		t.Fatalf("steps to x: %d, first %s", hi-lo, adj.steps[adj.order[lo]].Relation)
	}
	if st, ok := adj.first(lo, hi, func(st layout.Step) bool { return st.Relation != "r0" }); !ok || st.Relation != "r1" {
		t.Fatalf("first usable step to x: %+v", st)
	}
	_, other, _ := c.adjacency(at{v: 90}, f, "g", func() ([]layout.Step, error) {
		return []layout.Step{{Relation: "s1", Other: "z"}, {Relation: "s2", Other: "y"}, {Relation: "s3", Other: "w"}}, nil
	})
	var shared []string
	common(adj, other, func(aLo, aHi, bLo, bHi int) {
		shared = append(shared, adj.steps[adj.order[aLo]].Other+"="+other.steps[other.order[bLo]].Other)
	})
	if len(shared) != 1 || shared[0] != "y=y" {
		t.Fatalf("common neighbours of h and g: %v", shared)
	}
}

// TestHubCacheReadsAHubOnceForConcurrentSearches: searches wanting a hub while another
// reads it wait for that read.
func TestHubCacheReadsAHubOnceForConcurrentSearches(t *testing.T) {
	c := NewHubCache(1<<20, 1, 0)
	var reads atomic.Int32
	read := func() ([]layout.Step, error) {
		reads.Add(1)
		time.Sleep(20 * time.Millisecond)
		return []layout.Step{{Relation: "r", Other: "x"}}, nil
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if st, _, err := c.adjacency(at{v: 1}, domain.RelationFilter{}, "h", read); err != nil || len(st) != 1 {
				t.Errorf("%v, %v", st, err)
			}
		})
	}
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("read the hub %d times", n)
	}
}

// TestHubCacheKeepsWithinItsBudget: past the budget, the hubs used least recently go.
func TestHubCacheKeepsWithinItsBudget(t *testing.T) {
	steps := []layout.Step{{Relation: "r", Other: "x"}}
	read := func() ([]layout.Step, error) { return steps, nil }
	one := NewHubCache(1<<20, 1, 0).index(steps).bytes
	c := NewHubCache(2*one, 1, 0)
	var f domain.RelationFilter
	for _, id := range []string{"a", "b"} {
		c.adjacency(at{v: 1}, f, id, read)
	}
	c.cached(at{v: 1}, f, "a") // a is now used more recently than b
	c.adjacency(at{v: 1}, f, "c", read)
	if c.cached(at{v: 1}, f, "a") == nil || c.cached(at{v: 1}, f, "b") != nil || c.cached(at{v: 1}, f, "c") == nil || c.used > c.budget {
		t.Fatalf("kept %d bytes of %d: a %v, b %v, c %v", c.used, c.budget,
			c.cached(at{v: 1}, f, "a") != nil, c.cached(at{v: 1}, f, "b") != nil, c.cached(at{v: 1}, f, "c") != nil)
	}
}

// TestHubCacheSharesAdjacencyAmongFiltersThatFollowTheSameRelations: both directions
// named or not, types in any order; not with retracted relations, or another direction.
func TestHubCacheSharesAdjacencyAmongFiltersThatFollowTheSameRelations(t *testing.T) {
	types := []domain.RelationType{domain.RelAlliedWith, domain.RelMemberOf}
	reversed := []domain.RelationType{domain.RelMemberOf, domain.RelAlliedWith}
	same := [][2]domain.RelationFilter{
		{{}, {Direction: domain.DirectionBoth}},
		{{Types: types}, {Types: reversed, Direction: domain.DirectionBoth}},
	}
	for _, p := range same {
		if filterKey(p[0]) != filterKey(p[1]) {
			t.Errorf("%+v and %+v keep apart", p[0], p[1])
		}
	}
	apart := []domain.RelationFilter{{}, {IncludeRetracted: true}, {Direction: domain.DirectionOut}, {Direction: domain.DirectionIn}, {Types: types}}
	for i, f := range apart {
		for _, g := range apart[i+1:] {
			if filterKey(f) == filterKey(g) {
				t.Errorf("%+v and %+v share", f, g)
			}
		}
	}
}
