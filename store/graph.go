package store

import (
	"context"
	"sync/atomic"
	"time"

	"eventgraph/store/explore"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Graph is the eventgraph knowledge graph layered over a kv.Store.
type Graph struct {
	kv    kv.Store
	clock func() time.Time
	reads atomic.Int64
	feed  feed

	// indexes are the derived indexes the graph keeps (derived.go), and inFlight its
	// transactional writes in flight, which some of them need to know of.
	indexes  []index.Index
	inFlight index.InFlight
	// unstamped is set while the store holds no records and no derived-index markers:
	// the first write adds them (see Open).
	unstamped atomic.Bool
	// hubs keeps hubs' adjacency between path searches, told of every commit that
	// changes adjacency (plan.touch); nil on a store other processes write to, whose
	// commits it would not hear of.
	hubs *explore.HubCache
}

// Hub adjacency kept between path searches (explore.HubCache): nodes with at least
// hubCacheSteps followable relations, in at most hubCacheBytes. At 10 million
// relations the eight generated hubs, under the filter of a walk over every relation,
// cost some 24 MB each (about 100 bytes a relation).
const (
	hubCacheBytes = 256 << 20
	hubCacheSteps = 8192
)

// New layers a Graph over s without checking its derived indexes: reads that need one
// a snapshot lacks compute from the records instead. Open is New with the check. The
// Graph does not own s; close s when done.
func New(s kv.Store) *Graph {
	g := &Graph{kv: s, clock: time.Now}
	g.indexes = derivedIndexes(s, &g.inFlight)
	if shared, ok := s.(kv.Shared); !ok || shared.WriteHorizon() == 0 {
		g.hubs = explore.NewHubCache(hubCacheBytes, hubCacheSteps, s.LatestVersion())
	}
	return g
}

// KV returns the store the graph is layered over. Write to it directly only what the
// graph does not model: path searches keep hubs' adjacency and hear only of the
// graph's own commits.
func (g *Graph) KV() kv.Store { return g.kv }

// tempDir is the folder long jobs spill to: the store's (kv.Local), else "" for the
// system's temporary folder.
func (g *Graph) tempDir() string {
	if l, ok := g.kv.(kv.Local); ok {
		return l.TempDir()
	}
	return ""
}

type versionKey struct{}

// Pin returns a context whose reads all see the snapshot at version (kv.Latest: the
// newest now). A GraphQL request pins once, so every field of one answer agrees.
func (g *Graph) Pin(ctx context.Context, version uint64) context.Context {
	pin := new(atomic.Uint64)
	ctx = context.WithValue(ctx, versionKey{}, pin)
	g.Repin(ctx, version)
	return ctx
}

// Repin moves a context made by Pin to another version, e.g. to the version a mutation
// just committed, so the fields of its answer show the write. Other contexts are left
// alone.
func (g *Graph) Repin(ctx context.Context, version uint64) {
	if version == kv.Latest {
		version = g.kv.LatestVersion()
	}
	if pin, ok := ctx.Value(versionKey{}).(*atomic.Uint64); ok {
		pin.Store(version)
	}
}

// VersionAt returns the version that holds what the graph knew at t: every write
// committed by then, and none after. Versions are commit times in Unix nanoseconds, so
// this is t itself, clamped: a moment at or before 1970 (nothing was written then) is
// the first version, where nothing is visible, and a moment after the newest version is
// the newest (what is known now is all a future moment can know). Comparing times
// rather than converting t first keeps moments outside the years 1678 to 2262, which
// Unix nanoseconds cannot hold, on the right side.
func (g *Graph) VersionAt(t time.Time) uint64 {
	latest := g.kv.LatestVersion()
	switch {
	case !t.After(time.Unix(0, 0)):
		return 1
	case t.After(kv.VersionTime(latest)):
		return latest
	}
	return uint64(t.UnixNano())
}

// Version returns the snapshot version ctx reads at (kv.Latest when not pinned).
func Version(ctx context.Context) uint64 {
	if pin, ok := ctx.Value(versionKey{}).(*atomic.Uint64); ok {
		return pin.Load()
	}
	return kv.Latest
}

// Reads counts the snapshot reads the graph has made, for checking that batching works.
func (g *Graph) Reads() int64 { return g.reads.Load() }

// view runs fn on the snapshot ctx reads at, every read checking ctx; a second reader
// of the snapshot (layout.Snapshot.InHalves) checks it too.
func (g *Graph) view(ctx context.Context, fn func(*layout.Snapshot) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g.reads.Add(1)
	return g.kv.View(Version(ctx), func(r kv.Reader) error {
		again := func(read func(kv.Reader) error) error {
			g.reads.Add(1)
			return g.kv.View(r.Version(), func(r2 kv.Reader) error { return read(readerFor(ctx, r2)) })
		}
		return fn(layout.NewSnapshot(readerFor(ctx, r), again))
	})
}
