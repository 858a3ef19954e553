//go:build tikv

package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/index/fulltext"
	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/layout"
	"eventgraph/store/search"
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

// TestImportBesideAnotherProcessesImport: two processes import into an empty cluster
// at once. The import that commits second was checked against the empty store, so it
// would write every entity as new and count from nothing; its commit is refused with
// ErrConflict instead. Run again it finds the first import's records there: of the
// same records it changes nothing; other relations among entities of the same ids it
// adds. Every count stays exact.
func TestImportBesideAnotherProcessesImport(t *testing.T) {
	first := newCounterWorld(9).batch(12) // importing it again changes nothing
	for _, c := range []struct {
		name   string
		second *Batch
	}{{"the same records", first}, {"other relations among entities of the same ids", newCounterWorld(10).batch(12)}} {
		t.Run(c.name, func(t *testing.T) {
			stores := testkv.OpenProcesses(t, 2)
			ctx := context.Background()
			other := openGraph(t, stores[1])
			g := openGraph(t, testkv.BeforeBulkCommit(stores[0], func() {
				if _, err := other.Import(ctx, first); err != nil {
					t.Error(err)
				}
			}))
			if _, err := g.Import(ctx, c.second); !errors.Is(err, ErrConflict) {
				t.Errorf("an import checked against a store another process wrote since: %v; want ErrConflict", err)
			}
			checkExact(t, g, kv.Latest)
			stats, err := g.Import(ctx, c.second)
			if err != nil || stats.changed() != (c.second != first) {
				t.Fatalf("the import run again: %+v, %v", stats, err)
			}
			checkExact(t, g, kv.Latest)
			checkExact(t, other, kv.Latest)
		})
	}
}

// TestRebuildBesideAnotherProcessesWrite: a process rebuilds the full-text index on
// open while another rewrites an actor's description. The rebuild, computed from the
// records before that write, would put the old description's postings back; its commit
// is refused and the rebuild computed again, so the index holds the new text only.
func TestRebuildBesideAnotherProcessesWrite(t *testing.T) {
	stores := testkv.OpenProcesses(t, 2)
	ctx := context.Background()
	other := openGraph(t, stores[1])
	described := func(text string) *Batch {
		return &Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "actor-0", Name: "Actor 0", Description: text}, Kind: domain.ActorState}}}
	}
	if _, err := other.Import(ctx, newCounterWorld(3).batch(12)); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Apply(ctx, described("Rides horses")); err != nil {
		t.Fatal(err)
	}
	kvtest.MustDeletePrefixes(t, stores[1], layout.MarkerKey(fulltext.Index{}.Name()))
	g := openGraph(t, testkv.BeforeBulkCommit(stores[0], func() {
		if _, err := other.Apply(ctx, described("Zebra stripes")); err != nil {
			t.Error(err)
		}
	}))
	p, err := g.Search(ctx, "zebra", search.Options{}, domain.PageArgs{First: 10})
	if err != nil || len(p.Items) != 1 || p.Items[0].Node.NodeID() != "actor-0" {
		t.Fatalf("search zebra after the rebuild: %+v, %v; want actor-0", p.Items, err)
	}
	// Search confirms each hit against its text, so a stale posting shows in the keys.
	var words []string
	err = stores[1].View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: layout.AllPostings(), KeysOnly: true}, func(k, _ []byte) error {
			if word, doc := layout.PostingParts(k); string(doc) == "actor-0" {
				words = append(words, string(word))
			}
			return nil
		})
	})
	if err != nil || len(words) != 2 || !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, "zebra") }) {
		t.Fatalf("after the rebuild, actor-0's postings are of %q (%v); want the two words of its new description", words, err)
	}
}
