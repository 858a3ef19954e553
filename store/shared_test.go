//go:build tikv

package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
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

// TestSubscribersHearOtherProcesses: two processes on one cluster, each following the
// other's commits (FollowOthers); a subscriber through one hears every commit made
// through either, each once (another process's within a look or two of landing, so
// perhaps after a later commit through this one).
func TestSubscribersHearOtherProcesses(t *testing.T) {
	stores := testkv.OpenProcesses(t, 2)
	counted := &historyCounter{Store: stores[1], Shared: stores[1].(kv.Shared)}
	a, b := openGraph(t, stores[0]), openGraph(t, counted)
	ctx, cancel := context.WithCancel(context.Background())
	var following sync.WaitGroup
	for _, g := range []*Graph{a, b} {
		following.Go(func() { g.FollowOthers(ctx, func(err error) { t.Error(err) }) })
	}
	defer func() {
		cancel()
		following.Wait()
	}()
	for _, g := range []*Graph{a, b} { // following from here on
		for started := false; !started; time.Sleep(time.Millisecond) {
			g.feed.mu.Lock()
			started = g.feed.published != nil
			g.feed.mu.Unlock()
		}
	}
	changes, stop := b.Subscribe()
	defer stop()
	w := newCounterWorld(5)
	var want []uint64
	for i, through := range []*Graph{a, a, b, a, b} {
		stats, err := through.Apply(WithAuthor(ctx, fmt.Sprint("writer ", i)), w.batch(2))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, stats.Version)
	}
	var got []uint64
	deadline := time.After(10 * time.Second)
	for len(got) < len(want) {
		select {
		case c := <-changes:
			got = append(got, c.Version)
		case <-deadline:
			t.Fatalf("after 10 s the subscriber through one process heard %v; the commits were %v", got, want)
		}
	}
	select {
	case c := <-changes:
		got = append(got, c.Version)
	case <-time.After(4 * followEvery): // a commit heard twice would come by now
	}
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Fatalf("the subscriber heard %v; the commits were %v", got, want)
	}
	// Two commits whose records say the same (one author renaming one actor twice) are
	// told apart by their records' Commit ids: the second is heard too.
	for _, name := range []string{"Renamed", "Renamed again"} {
		actor := &domain.Actor{EntityBase: domain.EntityBase{ID: "renamed", Name: name}, Kind: domain.ActorState}
		stats, err := a.Apply(WithAuthor(ctx, "one author"), &Batch{Nodes: []domain.Node{actor}})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-changes:
			if c.Version != stats.Version {
				t.Fatalf("heard the commit at %d; the rename was at %d", c.Version, stats.Version)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("after 10 s the subscriber had not heard the rename to %q", name)
		}
	}
	// With nothing committed, a look reads the newest change record and stops there.
	counted.histories.Store(0)
	time.Sleep(4 * followEvery)
	if n := counted.histories.Load(); n > 0 {
		t.Fatalf("%d looks read the change record's history with nothing committed since the last", n)
	}
}

// historyCounter is a shared store that counts the calls of History.
type historyCounter struct {
	kv.Store
	kv.Shared
	histories atomic.Int64
}

func (h *historyCounter) History(key []byte, fn func(version uint64, value []byte, deleted bool) error) error {
	h.histories.Add(1)
	return h.Store.History(key, fn)
}
