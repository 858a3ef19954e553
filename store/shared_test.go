//go:build tikv

package store

import (
	"context"
	"testing"

	"eventgraph/store/kv"
	"eventgraph/store/storetest/testkv"
)

// TestCompactionOnAnotherProcessWaitsForWritesInFlight is
// TestCompactionWaitsForWritesInFlight across two processes on one TiKV cluster: one
// holds a write open while the other writes and compacts, and compaction there must not
// raise the low mark past the sequence number the first one's deltas carry, though that
// write's reservation is in the first process alone.
func TestCompactionOnAnotherProcessWaitsForWritesInFlight(t *testing.T) {
	ctx := context.Background()
	stores := testkv.OpenProcesses(t, 2)
	held, compacting := openGraph(t, stores[0]), openGraph(t, stores[1])
	w := newCounterWorld(5)
	if _, err := compacting.Apply(ctx, w.batch(3)); err != nil {
		t.Fatal(err)
	}
	seq := held.inFlight.Reserve(held.kv)
	for range 3 {
		if _, err := compacting.Apply(ctx, w.batch(3)); err != nil {
			t.Fatal(err)
		}
	}
	late := w.batch(3)
	if err := countersOf(compacting).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if err := commitReserved(ctx, held, late, seq); err != nil {
		t.Fatal(err)
	}
	checkExact(t, held, kv.Latest)
	checkExact(t, compacting, kv.Latest)
}
