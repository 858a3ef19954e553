package tikvkv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pingcap/log"
	"github.com/tikv/client-go/v2/oracle"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/txnkv/transaction"
	"go.uber.org/zap/zapcore"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/tikvkv"
)

func init() { log.SetLevel(zapcore.ErrorLevel) } // the client's informational lines drown a test's

// mockCluster is an in-process mock TiKV cluster (PD, TiKV, MVCC): the real client's
// code paths over an in-memory cluster, with its one region and store.
type mockCluster struct {
	*testutils.MockCluster
	client                    *tikv.KVStore
	storeID, peerID, regionID uint64
}

// mustMockStore is a store on a fresh mock cluster.
func mustMockStore(t *testing.T) (*tikvkv.Store, mockCluster) {
	t.Helper()
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := mockCluster{MockCluster: cluster}
	c.storeID, c.peerID, c.regionID = testutils.BootstrapWithSingleStore(cluster)
	if c.client, err = tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	st, err := tikvkv.New(c.client)
	if err != nil {
		t.Fatal(err)
	}
	return st, c
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { s, _ := mustMockStore(t); return s })
}

// TestRegionSplitDuringAScan splits the region under a running scan, as TiKV does when
// a region grows: the scan goes on over both halves and sees every key once, in order,
// and a key's history is read from the region that holds it now.
func TestRegionSplitDuringAScan(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	const n = 2000
	var first uint64
	for i := range 2 {
		v := kvtest.MustUpdate(t, s, func(w kv.ReadWriter) error {
			for k := range n {
				if err := w.Set(fmt.Appendf(nil, "k/%05d", k), fmt.Appendf(nil, "%d", i)); err != nil {
					return err
				}
			}
			return nil
		})
		if i == 0 {
			first = v
		}
	}
	var seen []string
	err := s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: []byte("k/")}, func(key, _ []byte) error {
			if len(seen) == n/4 {
				ids := cluster.AllocIDs(2)
				cluster.Split(cluster.regionID, ids[0], []byte("k/01500"), []uint64{ids[1]}, ids[1])
			}
			seen = append(seen, string(key))
			return nil
		})
	})
	if err != nil || len(seen) != n || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != n {
		t.Fatalf("scan across a split saw %d keys (sorted %v), err %v; want %d once each", len(seen), slices.IsSorted(seen), err, n)
	}
	var versions []uint64
	err = s.History([]byte("k/01700"), func(v uint64, value []byte, deleted bool) error {
		versions = append(versions, v)
		return nil
	})
	if err != nil || len(versions) != 2 || versions[1] != first {
		t.Fatalf("history of a key in the split-off region: %v, %v; want two versions, the older %d", versions, err, first)
	}
}

// mustMockStores is a store on a fresh mock cluster of three TiKV stores, holding one
// region with a peer on each, the first its leader.
func mustMockStores(t *testing.T) (*tikvkv.Store, *testutils.MockCluster, []uint64, []uint64, uint64) {
	t.Helper()
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	storeIDs, peerIDs, regionID, _ := testutils.BootstrapWithMultiStores(cluster, 3)
	s, err := tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tikvkv.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return st, cluster, storeIDs, peerIDs, regionID
}

// TestLeaderChangeAndStoreDown moves the region's leader while writes go on, then takes
// the leader's store down (its region led from another) and brings it back: every write
// acknowledged is there, and reads and writes go on throughout.
func TestLeaderChangeAndStoreDown(t *testing.T) {
	s, cluster, storeIDs, peerIDs, regionID := mustMockStores(t)
	defer s.Close()
	write := func(i int) {
		t.Helper()
		kvtest.MustSet(t, s, fmt.Sprintf("w/%03d", i), "x")
	}
	for i := range 20 {
		write(i)
	}
	cluster.ChangeLeader(regionID, peerIDs[1])
	for i := 20; i < 40; i++ {
		write(i)
	}
	history := func() {
		t.Helper()
		n := 0
		if err := s.History([]byte("w/000"), func(uint64, []byte, bool) error { n++; return nil }); err != nil || n != 1 {
			t.Fatalf("history after the leader moved: %d versions, %v", n, err)
		}
	}
	history()
	cluster.StopStore(storeIDs[1])
	cluster.ChangeLeader(regionID, peerIDs[2])
	history()
	for i := 40; i < 60; i++ {
		write(i)
	}
	cluster.StartStore(storeIDs[1])
	for i := 60; i < 80; i++ {
		write(i)
	}
	if keys := kvtest.MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("w/")}); len(keys) != 80 {
		t.Fatalf("%d keys after leader changes and a store down, want 80", len(keys))
	}
}

// TestHistoryOfAKeyStillLocked reads the history of a key whose transaction committed
// its primary key but not yet the key itself, as TiKV leaves a transaction's other keys
// for a moment after its commit returns: the history lists the write, at the
// transaction's commit.
func TestHistoryOfAKeyStillLocked(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	kvtest.MustSet(t, s, "secondary", "before")
	ctx := context.Background()
	txn, err := cluster.client.Begin()
	if err != nil {
		t.Fatal(err)
	}
	primary, secondary := []byte("primary"), []byte("secondary")
	for _, k := range [][]byte{primary, secondary} {
		if err := txn.Set(k, append([]byte{1}, "new"...)); err != nil { // tikvkv's marker byte, then the value
			t.Fatal(err)
		}
	}
	committer, err := transaction.TxnProbe{KVTxn: txn}.NewCommitter(1)
	if err != nil {
		t.Fatal(err)
	}
	committer.SetPrimaryKey(primary)
	if err := committer.PrewriteAllMutations(ctx); err != nil {
		t.Fatal(err)
	}
	commitTS, err := cluster.client.CurrentTimestamp(oracle.GlobalTxnScope)
	if err != nil {
		t.Fatal(err)
	}
	committer.SetCommitTS(commitTS)
	if err := committer.CommitMutations(ctx); err != nil { // the primary key alone
		t.Fatal(err)
	}
	var values []string
	err = s.History(secondary, func(_ uint64, value []byte, _ bool) error {
		values = append(values, string(value))
		return nil
	})
	if err != nil || !slices.Equal(values, []string{"new", "before"}) {
		t.Fatalf("history of a key its committed transaction still locks = %q, %v; want [new before]", values, err)
	}
}

// TestRegionSplitsDuringABulkCommit splits regions again and again while a bulk write
// of 100,000 keys commits, as TiKV splits regions that grow under a large write: the
// commit lands whole, every key once with its value, at the commit's version.
func TestRegionSplitsDuringABulkCommit(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	const n = 100_000
	const maxSplits = 10_000 // regions of ten keys: far smaller than any cluster's
	key := func(i int) []byte { return fmt.Appendf(nil, "b/%06d", i) }
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := b.Set(key(i), fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var committing, committed atomic.Bool
	splitsDuring := make(chan int)
	go func() {
		during := 0
		for i := 1; !committed.Load() && i <= maxSplits; i++ {
			at := key(i * 7919 % n) // a new key each time: 7919 is prime to n
			region, _, _, _ := cluster.GetRegionByKey(at)
			ids := cluster.AllocIDs(2)
			cluster.Split(region.GetId(), ids[0], at, []uint64{ids[1]}, ids[1])
			if committing.Load() && !committed.Load() {
				during++
			}
		}
		splitsDuring <- during
	}()
	committing.Store(true)
	v, err := b.Commit()
	committed.Store(true)
	during := <-splitsDuring
	if err != nil {
		t.Fatalf("bulk commit under region splits: %v", err)
	}
	if during == 0 {
		t.Fatal("no region split while the bulk write committed")
	}
	got := 0
	err = s.View(v, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: []byte("b/")}, func(k, value []byte) error {
			if want := key(got); !bytes.Equal(k, want) || string(value) != fmt.Sprint(got) {
				return fmt.Errorf("key %d is %q = %q, want %q = %d", got, k, value, want, got)
			}
			got++
			return nil
		})
	})
	if err != nil || got != n {
		t.Fatalf("after a bulk commit under %d region splits: %d keys, %v; want %d", during, got, err, n)
	}
	t.Logf("%d region splits while the bulk write committed", during)
}

// TestBulkOfAnySize commits a bulk write of 112 MiB, beyond the 100 MiB transaction
// limit of TiDB's that TiKV itself does not have: it lands whole, readers during the
// commit see all of it or none, and when Commit returns no lock of it is left for a
// reader to resolve. (The reader stops once it sees the write: on the mock cluster each
// read that meets a lock of a committed transaction rescans the whole region, so a
// reader going on while the client commits the other keys slows their commit tenfold.)
func TestBulkOfAnySize(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	const n = 112
	value := make([]byte, 1<<20)
	key := func(i int) []byte { return fmt.Appendf(nil, "big/%03d", i) }
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := b.Set(key(i), value); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	seen := make(chan map[int]int)
	go func() { // how many of the first, a middle and the last key each read sees
		counts := map[int]int{}
		for {
			select {
			case <-done:
				seen <- counts
				return
			default:
			}
			found := 0
			err := s.View(kv.Latest, func(r kv.Reader) error {
				for _, i := range []int{0, n / 2, n - 1} {
					if _, err := r.Get(key(i)); err == nil {
						found++
					} else if !errors.Is(err, kv.ErrNotFound) {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			counts[found]++
			if found == 3 { // all of it is visible: the reads that follow have nothing to tell
				<-done
				seen <- counts
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	v, err := b.Commit()
	close(done)
	counts := <-seen
	if err != nil {
		t.Fatalf("a bulk write of %d MiB: %v", n*len(value)>>20, err)
	}
	if counts[1] > 0 || counts[2] > 0 {
		t.Errorf("reads during the commit saw part of it: %v (found of 3: reads)", counts)
	}
	mustHoldNoLock(t, cluster, "big/")
	got := 0
	err = s.View(v, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: []byte("big/")}, func(k, value []byte) error {
			got++
			return nil
		})
	})
	if err != nil || got != n {
		t.Fatalf("after the bulk commit: %d keys, %v; want %d", got, err, n)
	}
	t.Logf("reads during the commit (keys found of 3: reads): %v", counts)
}

// TestCommitLeavesNoLock: TiKV acknowledges a commit once its primary key is committed,
// and the client commits the other keys after; Commit returns only then, so no reader
// meets a lock of it to resolve (a bulk write of 50,000 keys, in batches).
func TestCommitLeavesNoLock(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50_000 {
		if err := b.Set(fmt.Appendf(nil, "k/%05d", i), []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	mustHoldNoLock(t, cluster, "k/")
}

// mustHoldNoLock fails t if a key under prefix is locked.
func mustHoldNoLock(t *testing.T, cluster mockCluster, prefix string) {
	t.Helper()
	end := []byte(prefix)
	end[len(end)-1]++
	locks, err := tikv.StoreProbe{KVStore: cluster.client}.ScanLocks(context.Background(), []byte(prefix), end, math.MaxUint64)
	if err != nil || len(locks) > 0 {
		t.Errorf("after Commit returned: %d locks left under %q, %v", len(locks), prefix, err)
	}
}

// TestHoldsGarbageCollectionBack: an open store keeps its service GC safe point at the
// first version, so PD's safe point for garbage collection, the lowest of every
// service's, stays there, whatever another service asks.
func TestHoldsGarbageCollectionBack(t *testing.T) {
	s, cluster := mustMockStore(t)
	defer s.Close()
	kvtest.MustSet(t, s, "k", "v")
	now, err := cluster.client.CurrentTimestamp(oracle.GlobalTxnScope)
	if err != nil {
		t.Fatal(err)
	}
	lowest, err := cluster.client.GetPDClient().UpdateServiceGCSafePoint(context.Background(), "another-service", 60, now)
	if err != nil || lowest != 1 {
		t.Fatalf("the cluster's GC safe point with eventgraph's held = %d, %v; want 1, the first version", lowest, err)
	}
}

// mustProcesses is n stores on one fresh mock cluster, as n processes open it, closed
// when the test ends.
func mustProcesses(t *testing.T, n int) []*tikvkv.Store {
	t.Helper()
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	testutils.BootstrapWithSingleStore(cluster)
	stores := make([]*tikvkv.Store, n)
	for i := range stores {
		s, err := tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if stores[i], err = tikvkv.New(s); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	return stores
}

// TestTwoProcessesOnOneCluster opens two stores on one cluster, as two servers do: a
// commit through either is visible through the other at once, at its LatestVersion and
// in a View at kv.Latest.
func TestTwoProcessesOnOneCluster(t *testing.T) {
	stores := mustProcesses(t, 2)
	for i := range 20 {
		writer, reader := stores[i%2], stores[1-i%2]
		value := fmt.Sprint(i)
		v := kvtest.MustSet(t, writer, "k", value)
		if latest := reader.LatestVersion(); latest < v {
			t.Fatalf("commit %d at %d; the other process's LatestVersion is %d, before it", i, v, latest)
		}
		if got, _ := kvtest.MustGet(t, reader, kv.Latest, "k"); got != value {
			t.Fatalf("commit %d: the other process reads k = %q, want %q", i, got, value)
		}
	}
}

// mustSnapshot is every key and value s holds at kv.Latest.
func mustSnapshot(t *testing.T, s kv.Store) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{}, func(k, v []byte) error { got[string(k)] = string(v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestBulkRefusedAfterAnotherProcessWroteItsKey: a key a Bulk writes is written by
// another process's commit before the Bulk commits. The Bulk's writer planned its
// writes from what it read before that commit, so its commit fails with
// kv.ErrConflict and writes nothing (it used to commit again in a new transaction,
// writing over the other's work); a key of its own that nobody else wrote commits.
func TestBulkRefusedAfterAnotherProcessWroteItsKey(t *testing.T) {
	stores := mustProcesses(t, 2)
	importing, other := stores[0], stores[1]
	kvtest.MustSet(t, importing, "deleted", "before")
	b, err := importing.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "collides", "z"} {
		if err := b.Set([]byte(k), []byte("bulk")); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Delete([]byte("deleted")); err != nil {
		t.Fatal(err)
	}
	kvtest.MustSet(t, other, "collides", "other")
	if _, err := b.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("a bulk write whose key another process wrote since it began committed: %v; want kv.ErrConflict", err)
	}
	if got, want := mustSnapshot(t, other), map[string]string{"collides": "other", "deleted": "before"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after a refused bulk write: %v; want %v", got, want)
	}
	b, err = importing.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Set([]byte("a"), []byte("bulk")); err != nil {
		t.Fatal(err)
	}
	kvtest.MustSet(t, other, "elsewhere", "other")
	if _, err := b.Commit(); err != nil {
		t.Fatalf("a bulk write that no commit since it began collided with: %v", err)
	}
	if got := mustSnapshot(t, importing); got["a"] != "bulk" || got["elsewhere"] != "other" {
		t.Fatalf("after two writers of different keys: %v", got)
	}
}

// TestUpdateWaitsForABulk: an Update of the process that holds a Bulk open commits only
// after the Bulk has, and then runs again on a snapshot that holds the Bulk's writes, as
// on Badger, so that what the Bulk's writer read stays what this process last wrote.
func TestUpdateWaitsForABulk(t *testing.T) {
	s := mustProcesses(t, 1)[0]
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Set([]byte("k"), []byte("bulk")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		v    uint64
		seen []string
		err  error
	}
	updated := make(chan result, 1)
	go func() {
		var r result
		r.v, r.err = s.Update(func(rw kv.ReadWriter) error {
			v, err := rw.Get([]byte("k"))
			r.seen = append(r.seen, string(v))
			if err != nil && !errors.Is(err, kv.ErrNotFound) {
				return err
			}
			return rw.Set([]byte("k"), append(v, "+update"...))
		})
		updated <- r
	}()
	select {
	case r := <-updated:
		t.Fatalf("an Update committed while a Bulk of its process was open: %+v", r)
	case <-time.After(300 * time.Millisecond):
	}
	bv, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	r := <-updated
	if r.err != nil || r.v <= bv {
		t.Fatalf("the Update committed at %d (%v); the Bulk at %d", r.v, r.err, bv)
	}
	if got, _ := kvtest.MustGet(t, s, kv.Latest, "k"); got != "bulk+update" {
		t.Fatalf("k = %q after the Update ran on %q; want it on the Bulk's value", got, r.seen)
	}
}
