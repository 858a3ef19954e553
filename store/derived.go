package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// derivedIndex is data the store keeps beside its records that can always be recomputed
// from them (counters, degree ranks, a text index). Writes keep it up to date in the
// same transaction as the records; Open rebuilds it when a data directory lacks it or
// holds an older version of it (written by an older eventgraph, or a rebuild cut short).
type derivedIndex struct {
	name string
	// version changes whenever the index's keys change meaning; a marker key records
	// the version a store holds.
	version int
	// owns lists the key prefixes that hold this index's keys and nothing else; a
	// rebuild deletes everything under them first.
	owns [][]byte
	// rebuild writes the whole index from the records r reads.
	rebuild func(r kv.Reader, w writer) error
}

// derivedIndexes are the registered derived indexes, in registration order.
var derivedIndexes []derivedIndex

// registerDerived adds an index to those Open checks; call it from an init function.
func registerDerived(d derivedIndex) { derivedIndexes = append(derivedIndexes, d) }

// current reports whether the snapshot r reads holds version d.version of the index.
// Snapshots older than the index's first build do not, and readers fall back to
// computing from the records there.
func (d derivedIndex) current(r kv.Reader) (bool, error) {
	v, err := r.Get(layout.MarkerKey(d.name))
	if errors.Is(err, kv.ErrNotFound) {
		return false, nil
	}
	return err == nil && string(v) == strconv.Itoa(d.version), err
}

// Open layers a Graph over s, as New does, and first brings every derived index up to
// date: each one the store lacks, or holds at another version, is rebuilt from the
// records in one atomic bulk write, so a crash during a rebuild leaves the marker
// absent and the next Open rebuilds again. The Graph does not own s; close s when done.
func Open(ctx context.Context, s kv.Store) (*Graph, error) {
	g := New(s)
	if err := g.ensureDerived(ctx); err != nil {
		return nil, err
	}
	if err := g.compactCounters(); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *Graph) ensureDerived(ctx context.Context) error {
	var stale []derivedIndex
	empty := true
	err := g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, d := range derivedIndexes {
			ok, err := d.current(r)
			if err != nil {
				return err
			}
			if !ok {
				stale = append(stale, d)
			}
		}
		return r.Iterate(kv.IterOptions{Prefix: layout.Nodes(), KeysOnly: true}, func(_, _ []byte) error {
			empty = false
			return kv.ErrStop
		})
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	if empty {
		// Every index of a store without records is empty, so the first write stamps
		// the markers instead: writing them now would cost the first import the fast
		// path for empty databases.
		g.unstamped.Store(true)
		return nil
	}
	for _, d := range stale {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := g.rebuildDerived(d); err != nil {
			return fmt.Errorf("rebuild derived index %s: %w", d.name, err)
		}
	}
	return nil
}

// rebuildDerived replaces index d with one computed from the newest records.
func (g *Graph) rebuildDerived(d derivedIndex) error {
	bw, err := g.kv.Bulk()
	if err != nil {
		return err
	}
	err = g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, p := range d.owns {
			err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: true}, func(k, _ []byte) error {
				return bw.Delete(bytes.Clone(k))
			})
			if err != nil {
				return err
			}
		}
		if err := d.rebuild(r, bw); err != nil {
			return err
		}
		return bw.Set(layout.MarkerKey(d.name), []byte(strconv.Itoa(d.version)))
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
	for _, d := range derivedIndexes {
		p.set(layout.MarkerKey(d.name), []byte(strconv.Itoa(d.version)))
	}
}
