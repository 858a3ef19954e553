//go:build tikv

package store

import (
	"testing"

	"eventgraph/store/storetest/testkv"
)

// TestCompactionOnAnotherProcessWaitsForWritesInFlight is
// TestCompactionWaitsForWritesInFlight across two processes on one TiKV cluster: one
// holds a write open while the other writes and compacts, and compaction there must not
// raise the low mark past the sequence number the first one's deltas carry, though that
// write's reservation is in the first process alone.
func TestCompactionOnAnotherProcessWaitsForWritesInFlight(t *testing.T) {
	stores := testkv.OpenProcesses(t, 2)
	holdAWriteAcrossCompaction(t, openGraph(t, stores[0]), openGraph(t, stores[1]))
}
