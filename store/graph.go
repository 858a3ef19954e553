package store

import (
	"context"
	"errors"
	"time"

	"eventgraph/store/kv"
)

// Graph is the eventgraph knowledge graph layered over a kv.Store.
type Graph struct {
	kv    kv.Store
	clock func() time.Time
}

// New layers a Graph over s. The Graph does not own s; close s when done.
func New(s kv.Store) *Graph { return &Graph{kv: s, clock: time.Now} }

// KV returns the store the graph is layered over.
func (g *Graph) KV() kv.Store { return g.kv }

type versionKey struct{}

// Pin returns a context whose reads all see the snapshot at version (kv.Latest: the
// newest now). A GraphQL request pins once, so every field of one answer agrees.
func (g *Graph) Pin(ctx context.Context, version uint64) context.Context {
	if version == kv.Latest {
		version = g.kv.LatestVersion()
	}
	return context.WithValue(ctx, versionKey{}, version)
}

// Version returns the snapshot version ctx reads at (kv.Latest when not pinned).
func Version(ctx context.Context) uint64 {
	v, _ := ctx.Value(versionKey{}).(uint64)
	return v
}

func (g *Graph) view(ctx context.Context, fn func(kv.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return g.kv.View(Version(ctx), fn)
}

func getNode(r kv.Reader, id string) (Node, error) {
	b, err := r.Get(key(pNode, id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, notFound("no node has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	return decodeNode(b)
}
