package explore

import (
	"hash/maphash"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// HubCache keeps the adjacency of hubs in memory between path searches, so that a
// search that must intersect two hubs' neighbours (a route hub→x→hub, the common
// neighbour whose relation sorts first) does it in memory instead of reading a quarter
// of a million adjacency keys of each from the store every time.
//
// What it keeps: for a node with at least minSteps followable relations under a walk's
// filter (types and direction), the steps a scan of its adjacency lists, in the scan's
// order, and an index of them by the node they lead to (sorted by a hash of its id),
// built from the first full read a search makes of it: the read it would have made
// anyway. Nodes with fewer relations, and walks with a window of valid time (which read
// relation records), are read from the store as before. At 10 million relations the
// eight generated hubs hold some 243,000 relations each, about 100 bytes a step with
// the index: some 24 MB a hub and filter. The bytes kept are bounded by budget; past
// it, the least recently used hubs are dropped.
//
// When it may be used: an adjacency read at version v serves a read at version r only
// while provably identical, that is when no commit touched the node's adjacency
// between the two (whichever is older). The cache knows of commits because its owner
// tells it (Writing) before each commit that changes adjacency keys, naming the nodes
// whose lists it changes, and after it, with its version; changes made before the
// cache was made (since) are unknown, so reads at or before since never use it, and a
// node's adjacency is not used at all while a write touching it is in flight. The
// owner must tell of every commit: a store that other processes write to cannot be
// cached this way.
//
// Concurrent searches share it: one reads a hub and keeps it, others wanting the
// same hub at the same time wait for that read and use it if it serves their version,
// or read the store themselves.
type HubCache struct {
	minSteps int
	budget   int64
	seed     maphash.Seed

	mu       sync.Mutex
	entries  map[hubKey]*hubEntry
	building map[hubKey]chan struct{}
	used     int64  // bytes of the entries
	tick     uint64 // counts uses, for dropping the least recently used
	// floor is the newest version whose changes the cache may not know of (made before
	// it, or forgotten), changed the version of the last commit known to have touched
	// a node's adjacency after floor, pending the nodes writes in flight touch
	// (pendingAll: writes in flight that may touch any).
	floor      uint64
	changed    map[string]uint64
	pending    map[string]int
	pendingAll int
}

// maxChanged bounds the nodes HubCache remembers commits to; past it they are
// forgotten, floor moving up to the newest of them.
const maxChanged = 1 << 16

// NewHubCache keeps the adjacency of nodes with at least minSteps followable relations,
// in at most budget bytes, for reads at versions after since, the store's newest version
// when it is made.
func NewHubCache(budget int64, minSteps int, since uint64) *HubCache {
	return &HubCache{
		minSteps: minSteps,
		budget:   budget,
		seed:     maphash.MakeSeed(),
		entries:  map[hubKey]*hubEntry{},
		building: map[hubKey]chan struct{}{},
		floor:    since,
		changed:  map[string]uint64{},
		pending:  map[string]int{},
	}
}

// Writing tells c that a write is about to commit that changes the adjacency lists of
// nodes, or of any node when all is set: until the returned function is called with
// the version it committed at (or the newest version, when it failed or its outcome is
// unknown), their kept adjacency is not used, and from then on not for reads and
// adjacency on either side of that version.
func (c *HubCache) Writing(nodes []string, all bool) func(version uint64) {
	c.mu.Lock()
	if all {
		c.pendingAll++
	}
	for _, n := range nodes {
		c.pending[n]++
	}
	c.mu.Unlock()
	return func(version uint64) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if all {
			c.pendingAll--
			c.floor = max(c.floor, version)
			// Commits of later versions may have been told of first: keep those.
			maps.DeleteFunc(c.changed, func(_ string, v uint64) bool { return v <= c.floor })
			for k, e := range c.entries {
				c.drop(k, e)
			}
		}
		for _, n := range nodes {
			if c.pending[n]--; c.pending[n] == 0 {
				delete(c.pending, n)
			}
			if !all {
				c.changed[n] = max(c.changed[n], version)
			}
		}
		if len(c.changed) > maxChanged {
			for _, v := range c.changed {
				c.floor = max(c.floor, v)
			}
			clear(c.changed)
		}
		if !all {
			for k, e := range c.entries {
				if c.lastChange(k.id) > e.version {
					c.drop(k, e)
				}
			}
		}
	}
}

// hubKey names a node's adjacency under one filter (filterKey).
type hubKey struct{ id, filter string }

// filterKey spells the types, direction and retracted relations of f, types sorted,
// so that filters that follow the same relations share adjacency.
func filterKey(f domain.RelationFilter) string {
	types := make([]string, len(f.Types))
	for i, t := range f.Types {
		types[i] = string(t)
	}
	slices.Sort(types)
	types = slices.Compact(types)
	dir := f.Direction
	if dir == domain.DirectionBoth {
		dir = ""
	}
	key := string(dir) + "|" + strings.Join(types, ",")
	if f.IncludeRetracted {
		key += "|retracted"
	}
	return key
}

type hubEntry struct {
	adj     *hubAdjacency
	version uint64 // of the snapshot it was read from
	used    uint64 // c.tick when last used
}

// lastChange is the newest version at which id's adjacency may have changed, as far as
// c knows. Call with c.mu held.
func (c *HubCache) lastChange(id string) uint64 {
	return max(c.floor, c.changed[id])
}

// serves reports whether e, id's adjacency, may be used for a read at version: no
// write touching it is in flight, and none committed between the two versions. Call
// with c.mu held.
func (c *HubCache) serves(id string, e *hubEntry, version uint64) bool {
	return c.pendingAll == 0 && c.pending[id] == 0 && c.lastChange(id) <= min(e.version, version)
}

func (c *HubCache) drop(k hubKey, e *hubEntry) {
	delete(c.entries, k)
	c.used -= e.adj.bytes
}

// cached returns the kept adjacency of id under f that serves a read at r's version,
// or nil; it reads nothing.
func (c *HubCache) cached(r kv.Reader, f domain.RelationFilter, id string) *hubAdjacency {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.serving(hubKey{id, filterKey(f)}, r.Version())
}

// serving returns the adjacency kept under k if it serves a read at version, and
// counts it as used. Call with c.mu held.
func (c *HubCache) serving(k hubKey, version uint64) *hubAdjacency {
	e := c.entries[k]
	if e == nil || !c.serves(k.id, e, version) {
		return nil
	}
	c.tick++
	e.used = c.tick
	return e.adj
}

// adjacency returns the steps of id under f at r's version: kept ones when they serve
// it, or those read returns, then kept when there are at least minSteps of them and
// room. adj indexes the steps when they are kept (nil otherwise).
func (c *HubCache) adjacency(r kv.Reader, f domain.RelationFilter, id string, read func() ([]layout.Step, error)) (steps []layout.Step, adj *hubAdjacency, err error) {
	k := hubKey{id, filterKey(f)}
	version := r.Version()
	waited := false
	for {
		c.mu.Lock()
		if adj := c.serving(k, version); adj != nil {
			c.mu.Unlock()
			return adj.steps, adj, nil
		}
		done, busy := c.building[k]
		if !busy || waited {
			break
		}
		c.mu.Unlock()
		<-done // another search is reading it: wait once, then use it or read ours
		waited = true
	}
	build := false
	if _, busy := c.building[k]; !busy {
		build = true
		c.building[k] = make(chan struct{})
	}
	c.mu.Unlock()
	if !build {
		steps, err := read()
		return steps, nil, err
	}
	defer func() {
		c.mu.Lock()
		close(c.building[k])
		delete(c.building, k)
		c.mu.Unlock()
	}()
	steps, err = read()
	if err != nil || len(steps) < c.minSteps {
		return steps, nil, err
	}
	adj = c.index(steps)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.keep(k, &hubEntry{adj: adj, version: version}) {
		return steps, nil, nil
	}
	return adj.steps, adj, nil
}

// keep adds e under k, dropping the least recently used entries to make room; it
// keeps nothing that can serve no read (a commit after its version touched it) or
// that would not fit. Call with c.mu held.
func (c *HubCache) keep(k hubKey, e *hubEntry) bool {
	if e.adj.bytes > c.budget || c.lastChange(k.id) > e.version {
		return false
	}
	if old := c.entries[k]; old != nil {
		c.drop(k, old)
	}
	for c.used+e.adj.bytes > c.budget {
		var oldest hubKey
		var oldestEntry *hubEntry
		for k2, e2 := range c.entries {
			if oldestEntry == nil || e2.used < oldestEntry.used {
				oldest, oldestEntry = k2, e2
			}
		}
		c.drop(oldest, oldestEntry)
	}
	c.tick++
	e.used = c.tick
	c.entries[k] = e
	c.used += e.adj.bytes
	return true
}

// hubAdjacency is a hub's steps under one filter, in the order a scan lists them, and
// an index of them by the node each leads to: positions sorted by the hash of that
// node's id, then the id, then the relation id, so that the steps to one node are
// found by binary search and two hubs' common neighbours by merging their indexes.
type hubAdjacency struct {
	seed   maphash.Seed // the cache's, so that two hubs' indexes merge
	steps  []layout.Step
	order  []int32  // indexes of steps, by (hash of Other, Other, Relation)
	hashes []uint64 // hash of the Other of steps[order[i]]
	bytes  int64    // what it costs in memory, roughly
}

// index builds the hub adjacency of read, a copy of its steps whose ids are all parts
// of one string: a few hundred thousand ids as one object, not as many, for the
// garbage collector to mark.
func (c *HubCache) index(read []layout.Step) *hubAdjacency {
	n := 0
	for _, st := range read {
		n += len(st.Relation) + len(st.Other)
	}
	var b strings.Builder
	b.Grow(n)
	for _, st := range read {
		b.WriteString(st.Relation)
		b.WriteString(st.Other)
	}
	ids := b.String()
	steps := make([]layout.Step, len(read))
	at := 0
	for i, st := range read {
		rel, other := ids[at:at+len(st.Relation)], ids[at+len(st.Relation):at+len(st.Relation)+len(st.Other)]
		at += len(st.Relation) + len(st.Other)
		steps[i] = layout.Step{Relation: rel, Type: st.Type, Other: other, Forward: st.Forward}
	}
	a := &hubAdjacency{seed: c.seed, steps: steps, order: make([]int32, len(steps)), hashes: make([]uint64, len(steps))}
	hs := make([]uint64, len(steps))
	for i, st := range steps {
		hs[i] = maphash.String(c.seed, st.Other)
		a.order[i] = int32(i)
	}
	slices.SortFunc(a.order, func(x, y int32) int {
		if hs[x] != hs[y] {
			if hs[x] < hs[y] {
				return -1
			}
			return 1
		}
		if c := strings.Compare(steps[x].Other, steps[y].Other); c != 0 {
			return c
		}
		return strings.Compare(steps[x].Relation, steps[y].Relation)
	})
	for i, o := range a.order {
		a.hashes[i] = hs[o]
	}
	a.bytes = int64(n) + int64(len(steps))*int64(unsafe.Sizeof(layout.Step{})+4+8)
	return a
}

// to returns the positions [lo, hi) of the index holding the steps to other, by
// relation id; h is other's hash.
func (a *hubAdjacency) to(h uint64, other string) (lo, hi int) {
	lo = sort.Search(len(a.hashes), func(i int) bool { return a.hashes[i] >= h })
	for lo < len(a.hashes) && a.hashes[lo] == h && a.steps[a.order[lo]].Other < other {
		lo++
	}
	hi = lo
	for hi < len(a.hashes) && a.hashes[hi] == h && a.steps[a.order[hi]].Other == other {
		hi++
	}
	return lo, hi
}

// toID is to for other's id.
func (a *hubAdjacency) toID(other string) (lo, hi int) {
	return a.to(maphash.String(a.seed, other), other)
}

// first returns the first step of the index positions [lo, hi) that usable keeps: the
// one whose relation id sorts first.
func (a *hubAdjacency) first(lo, hi int, usable func(layout.Step) bool) (layout.Step, bool) {
	for _, o := range a.order[lo:hi] {
		if st := a.steps[o]; usable(st) {
			return st, true
		}
	}
	return layout.Step{}, false
}

// common calls fn for every node both a and b have steps to, with the positions of
// those steps in each index. a and b must be indexed with one seed (one HubCache).
func common(a, b *hubAdjacency, fn func(aLo, aHi, bLo, bHi int)) {
	i, j := 0, 0
	for i < len(a.hashes) && j < len(b.hashes) {
		switch ha, hb := a.hashes[i], b.hashes[j]; {
		case ha < hb:
			i++
		case ha > hb:
			j++
		default:
			iEnd, jEnd := i, j
			for iEnd < len(a.hashes) && a.hashes[iEnd] == ha {
				iEnd++
			}
			for jEnd < len(b.hashes) && b.hashes[jEnd] == ha {
				jEnd++
			}
			// Within one hash, the ids are sorted: merge their runs.
			for i < iEnd && j < jEnd {
				x, y := a.steps[a.order[i]].Other, b.steps[b.order[j]].Other
				iRun, jRun := i, j
				for iRun < iEnd && a.steps[a.order[iRun]].Other == x {
					iRun++
				}
				for jRun < jEnd && b.steps[b.order[jRun]].Other == y {
					jRun++
				}
				switch c := strings.Compare(x, y); {
				case c < 0:
					i = iRun
				case c > 0:
					j = jRun
				default:
					fn(i, iRun, j, jRun)
					i, j = iRun, jRun
				}
			}
			i, j = iEnd, jEnd
		}
	}
}

// Kept reports how many adjacency lists c keeps and what they cost, in bytes.
func (c *HubCache) Kept() (lists int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.used
}
