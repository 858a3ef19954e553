package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"eventgraph/store/index"
	"eventgraph/store/index/counters"
	"eventgraph/store/index/evidenceids"
	"eventgraph/store/index/fulltext"
	"eventgraph/store/index/soundalike"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// derivedIndexes are the derived indexes a graph over s keeps (package index), in the
// order Open checks them; inFlight are the graph's transactional writes in flight. A
// new index is a package under store/index and a line here.
func derivedIndexes(s kv.Store, inFlight *index.InFlight) []index.Index {
	return []index.Index{
		counters.New(s, inFlight),
		fulltext.Index{},
		evidenceids.Index{},
		soundalike.Index{},
	}
}

// Open layers a Graph over s, as New does, and first brings every derived index up to
// date: each one the store lacks, or holds at another version, is rebuilt from the
// records in one atomic bulk write, so a crash during a rebuild leaves the marker
// absent and the next Open rebuilds again. Then it runs the indexes' upkeep (a
// compaction of the counters). The Graph does not own s; close s when done.
func Open(ctx context.Context, s kv.Store) (*Graph, error) {
	g := New(s)
	if err := g.ensureDerived(ctx); err != nil {
		return nil, err
	}
	for _, ix := range g.indexes {
		if u, ok := ix.(index.Upkeeper); ok {
			if err := u.Upkeep(); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

func (g *Graph) ensureDerived(ctx context.Context) error {
	var stale []index.Index
	var hasNodes bool
	err := g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, ix := range g.indexes {
			ok, err := index.Current(r, ix.Name(), ix.Version())
			if err != nil {
				return err
			}
			if !ok {
				stale = append(stale, ix)
			}
		}
		var err error
		hasNodes, err = layout.HasNodes(r)
		return err
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	if !hasNodes {
		// Every index of a store without records is empty, so the first write stamps
		// the markers instead: writing them now would cost the first import the fast
		// path for empty databases.
		g.unstamped.Store(true)
		return nil
	}
	for _, ix := range stale {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := g.rebuildDerived(ix)
		// On a store other processes write, a rebuild whose keys one of them wrote
		// meanwhile is refused (kv.Store.Bulk): it is computed again from newer records.
		for runs := 1; errors.Is(err, kv.ErrConflict) && runs < rebuildRuns; runs++ {
			err = g.rebuildDerived(ix)
		}
		if err != nil {
			return fmt.Errorf("rebuild derived index %s: %w", ix.Name(), err)
		}
	}
	return nil
}

// rebuildRuns bounds the runs of a rebuild that other processes' commits keep refusing.
const rebuildRuns = 3

// rebuildDerived replaces index ix with one computed from the newest records.
func (g *Graph) rebuildDerived(ix index.Index) error {
	bw, err := g.kv.Bulk()
	if err != nil {
		return err
	}
	err = g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, p := range ix.Owns() {
			err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: true}, func(k, _ []byte) error {
				return bw.Delete(bytes.Clone(k))
			})
			if err != nil {
				return err
			}
		}
		if err := ix.Rebuild(r, bw); err != nil {
			return err
		}
		return bw.Set(index.Marker(ix))
	})
	if err != nil {
		return errors.Join(err, bw.Abort())
	}
	_, err = bw.Commit()
	return err
}

// stampDerived adds the markers of every index to the first write into an empty store.
func (g *Graph) stampDerived(p *plan) {
	if !g.unstamped.Load() {
		return
	}
	for _, ix := range g.indexes {
		p.Set(index.Marker(ix))
	}
}
