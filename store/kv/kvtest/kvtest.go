// Package kvtest is the conformance suite every kv.Store backend must pass. A backend's
// test calls Run with a function that opens a fresh, empty store.
//
// Every case tests the kv contract alone, so every case applies to every backend, in
// memory or on disk: BulkFirstWrite, say, is a Bulk into a store never written, which
// Badger on disk serves by a path of its own and memkv like any other. What happens
// to a crash's leftovers on disk is a backend's own matter, tested by that backend
// (badgerkv's TestCrashedBulkRollsBack).
package kvtest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"eventgraph/store/kv"
)

// Run runs every conformance test against stores made by open. open must return an
// empty store; Run closes it.
func Run(t *testing.T, open func(t *testing.T) kv.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, kv.Store)
	}{
		{"GetMissing", testGetMissing},
		{"SetGetDelete", testSetGetDelete},
		{"ReadYourWrites", testReadYourWrites},
		{"OwnWritesInIterations", testOwnWritesInIterations},
		{"FailedUpdateWritesNothing", testFailedUpdate},
		{"Iterate", testIterate},
		{"IterateRanges", testIterateRanges},
		{"IterateManyRanges", testIterateManyRanges},
		{"Snapshots", testSnapshots},
		{"SnapshotBetweenCommits", testSnapshotBetweenCommits},
		{"WritesDuringIteration", testWritesDuringIteration},
		{"History", testHistory},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"ManyConcurrentWriters", testManyConcurrentWriters},
		{"ConflictRetries", testConflictRetries},
		{"Bulk", testBulk},
		{"BulkAbort", testBulkAbort},
		{"BulkLarge", testBulkLarge},
		{"BulkFirstWrite", testBulkFirstWrite},
		{"BulkFirstWriteAbort", testBulkFirstWriteAbort},
		{"ReservedKeys", testReservedKeys},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
}

// MustUpdate runs fn in an Update and fails the test on error.
func MustUpdate(t *testing.T, s kv.Store, fn func(kv.ReadWriter) error) uint64 {
	t.Helper()
	v, err := s.Update(fn)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	return v
}

// MustSet stores key=value in its own Update.
func MustSet(t *testing.T, s kv.Store, key, value string) uint64 {
	t.Helper()
	return MustUpdate(t, s, func(w kv.ReadWriter) error { return w.Set([]byte(key), []byte(value)) })
}

// MustDeletePrefixes deletes every key under the prefixes in one Update, as a store
// written before some keys existed lacks them.
func MustDeletePrefixes(t *testing.T, s kv.Store, prefixes ...[]byte) uint64 {
	t.Helper()
	return MustUpdate(t, s, func(rw kv.ReadWriter) error {
		for _, p := range prefixes {
			var keys [][]byte
			err := rw.Iterate(kv.IterOptions{Prefix: p, KeysOnly: true}, func(k, _ []byte) error {
				keys = append(keys, bytes.Clone(k))
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := rw.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// MustGet reads key at version; "" with ok=false when it is absent.
func MustGet(t *testing.T, s kv.Store, version uint64, key string) (value string, ok bool) {
	t.Helper()
	err := s.View(version, func(r kv.Reader) error {
		v, err := r.Get([]byte(key))
		if errors.Is(err, kv.ErrNotFound) {
			return nil
		}
		value, ok = string(v), err == nil
		return err
	})
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	return value, ok
}

// MustKeys lists the keys an iteration visits.
func MustKeys(t *testing.T, s kv.Store, version uint64, o kv.IterOptions) []string {
	t.Helper()
	var keys []string
	err := s.View(version, func(r kv.Reader) error {
		return r.Iterate(o, func(k, _ []byte) error {
			keys = append(keys, string(k))
			return nil
		})
	})
	if err != nil {
		t.Fatalf("iterate: %v", err)
	}
	return keys
}

// MustVersions lists the versions of key that History gives, newest first: how often it
// was written, whatever LatestVersion does meanwhile.
func MustVersions(t *testing.T, s kv.Store, key []byte) []uint64 {
	t.Helper()
	var versions []uint64
	err := s.History(key, func(v uint64, _ []byte, _ bool) error {
		versions = append(versions, v)
		return nil
	})
	if err != nil {
		t.Fatalf("history of %q: %v", key, err)
	}
	return versions
}

func wantKeys(t *testing.T, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("keys = %q, want %q", got, want)
	}
}

func testGetMissing(t *testing.T, s kv.Store) {
	err := s.View(kv.Latest, func(r kv.Reader) error {
		_, err := r.Get([]byte("nope"))
		return err
	})
	if !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("Get of a missing key = %v, want ErrNotFound", err)
	}
}

func testSetGetDelete(t *testing.T, s kv.Store) {
	v1 := MustSet(t, s, "a", "1")
	if got, ok := MustGet(t, s, kv.Latest, "a"); !ok || got != "1" {
		t.Fatalf("a = %q,%v", got, ok)
	}
	v2 := MustUpdate(t, s, func(w kv.ReadWriter) error { return w.Delete([]byte("a")) })
	if v2 <= v1 {
		t.Fatalf("versions not increasing: %d then %d", v1, v2)
	}
	if _, ok := MustGet(t, s, kv.Latest, "a"); ok {
		t.Fatal("deleted key still readable")
	}
	if got, ok := MustGet(t, s, v1, "a"); !ok || got != "1" {
		t.Fatalf("a at version %d = %q,%v; old versions must stay readable", v1, got, ok)
	}
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}))
	latest := s.LatestVersion()
	if latest < v2 {
		t.Fatalf("LatestVersion = %d, before the last commit %d", latest, v2)
	}
	if v3 := MustSet(t, s, "later", "x"); latest >= v3 {
		t.Fatalf("LatestVersion = %d, at or after a later commit %d", latest, v3)
	}
}

func testReadYourWrites(t *testing.T, s kv.Store) {
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		if err := w.Set([]byte("k"), []byte("v")); err != nil {
			return err
		}
		got, err := w.Get([]byte("k"))
		if err != nil || string(got) != "v" {
			t.Errorf("read own write = %q, %v", got, err)
		}
		n := 0
		err = w.Iterate(kv.IterOptions{Prefix: []byte("k")}, func(_, _ []byte) error { n++; return nil })
		if n != 1 {
			t.Errorf("iterate saw %d own writes, want 1", n)
		}
		return err
	})
}

// testOwnWritesInIterations checks that a transaction's iterations, in both directions
// and over several ranges, see its own writes laid over its snapshot: a new value
// replaces the committed one, a new key appears in order, a deleted key is gone.
func testOwnWritesInIterations(t *testing.T, s kv.Store) {
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for _, k := range []string{"a", "b", "c", "d"} {
			if err := w.Set([]byte(k), []byte("old "+k)); err != nil {
				return err
			}
		}
		return nil
	})
	all := func(r kv.Reader, o kv.IterOptions) []string {
		var got []string
		err := r.Iterate(o, func(k, v []byte) error {
			got = append(got, string(k)+"="+string(v))
			return nil
		})
		if err != nil {
			t.Fatalf("iterate: %v", err)
		}
		return got
	}
	check := func(r kv.Reader) {
		t.Helper()
		wantKeys(t, all(r, kv.IterOptions{}), "a=old a", "b=new b", "bb=new bb", "d=old d", "e=new e")
		wantKeys(t, all(r, kv.IterOptions{Reverse: true}), "e=new e", "d=old d", "bb=new bb", "b=new b", "a=old a")
		wantKeys(t, all(r, kv.IterOptions{Start: []byte("b"), End: []byte("d"), Reverse: true}), "bb=new bb", "b=new b")
		var ranges []string
		err := r.IterateRanges([][]byte{[]byte("b"), []byte("c"), []byte("e")}, func(i int, k, _ []byte) error {
			ranges = append(ranges, fmt.Sprintf("%d:%s", i, k))
			return nil
		})
		if err != nil {
			t.Fatalf("IterateRanges: %v", err)
		}
		wantKeys(t, ranges, "0:b", "0:bb", "2:e")
	}
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for _, k := range []string{"b", "bb", "e"} {
			if err := w.Set([]byte(k), []byte("new "+k)); err != nil {
				return err
			}
		}
		if err := w.Delete([]byte("c")); err != nil {
			return err
		}
		check(w)
		return nil
	})
	if err := s.View(kv.Latest, func(r kv.Reader) error { check(r); return nil }); err != nil {
		t.Fatal(err)
	}
}

func testFailedUpdate(t *testing.T, s kv.Store) {
	boom := errors.New("boom")
	_, err := s.Update(func(w kv.ReadWriter) error {
		if err := w.Set([]byte("x"), []byte("1")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want the callback's error", err)
	}
	if _, ok := MustGet(t, s, kv.Latest, "x"); ok {
		t.Fatal("a failed update left a write behind")
	}
}

func testIterate(t *testing.T, s kv.Store) {
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for _, k := range []string{"a/1", "a/2", "a/3", "b/1", "a\xfe", "ab"} {
			if err := w.Set([]byte(k), []byte("v"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("a/")}), "a/1", "a/2", "a/3")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("a/"), Reverse: true}), "a/3", "a/2", "a/1")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("a/"), Start: []byte("a/2")}), "a/2", "a/3")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("a/"), End: []byte("a/3")}), "a/1", "a/2")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("a/"), Start: []byte("a/2"), End: []byte("a/3"), Reverse: true}), "a/2")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Start: []byte("a\xfe"), KeysOnly: true}), "a\xfe", "b/1")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{Reverse: true}), "b/1", "a\xfe", "ab", "a/3", "a/2", "a/1")

	var seen []string
	err := s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: []byte("a/")}, func(k, v []byte) error {
			if !bytes.Equal(v, append([]byte("v"), k...)) {
				t.Errorf("value of %q = %q", k, v)
			}
			seen = append(seen, string(k))
			if len(seen) == 2 {
				return kv.ErrStop
			}
			return nil
		})
	})
	if err != nil || len(seen) != 2 {
		t.Fatalf("ErrStop: err=%v seen=%q", err, seen)
	}
	boom := errors.New("boom")
	err = s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{}, func(_, _ []byte) error { return boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("callback error = %v, want it returned", err)
	}
}

func testIterateRanges(t *testing.T, s kv.Store) {
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for _, k := range []string{"a/1", "a/2", "b/1", "c/1", "c/2"} {
			if err := w.Set([]byte(k), []byte("v"+k)); err != nil {
				return err
			}
		}
		return w.Delete([]byte("c/2"))
	})
	var got []string
	err := s.View(kv.Latest, func(r kv.Reader) error {
		return r.IterateRanges([][]byte{[]byte("a/"), []byte("bb"), []byte("c/")}, func(i int, k, v []byte) error {
			if string(v) != "v"+string(k) {
				t.Errorf("value of %q = %q", k, v)
			}
			got = append(got, fmt.Sprintf("%d:%s", i, k))
			return nil
		})
	})
	if err != nil || fmt.Sprint(got) != "[0:a/1 0:a/2 2:c/1]" {
		t.Fatalf("IterateRanges = %v, %v", got, err)
	}
	err = s.View(kv.Latest, func(r kv.Reader) error {
		return r.IterateRanges([][]byte{[]byte("c/"), []byte("a/")}, func(int, []byte, []byte) error { return nil })
	})
	if err == nil {
		t.Fatal("prefixes out of order were accepted")
	}
	n := 0
	err = s.View(kv.Latest, func(r kv.Reader) error {
		return r.IterateRanges([][]byte{[]byte("a/")}, func(int, []byte, []byte) error { n++; return kv.ErrStop })
	})
	if err != nil || n != 1 {
		t.Fatalf("ErrStop: err %v after %d keys", err, n)
	}
}

// testIterateManyRanges visits 60 ranges of 0 to 1,000 keys, some absent, as a batched
// lookup of a hub's neighbours does, then stops inside a long range and inside a later
// one: every key once, range by range, in order, and nothing after a stop.
func testIterateManyRanges(t *testing.T, s kv.Store) {
	size := func(r int) int { return []int{0, 1, 3, 1000, 300, 257, 256, 2}[r%8] }
	var prefixes [][]byte
	var want []string
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for r := range 60 {
			prefix := fmt.Sprintf("r%02d/", r)
			prefixes = append(prefixes, []byte(prefix))
			for k := range size(r) {
				key := fmt.Sprintf("%s%04d", prefix, k)
				want = append(want, fmt.Sprintf("%d:%s", r, key))
				if err := w.Set([]byte(key), []byte(key)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	visit := func(stopAt int) []string {
		t.Helper()
		var got []string
		err := s.View(kv.Latest, func(r kv.Reader) error {
			return r.IterateRanges(prefixes, func(i int, k, v []byte) error {
				if !bytes.Equal(k, v) {
					t.Errorf("value of %q = %q", k, v)
				}
				got = append(got, fmt.Sprintf("%d:%s", i, k))
				if len(got) == stopAt {
					return kv.ErrStop
				}
				return nil
			})
		})
		if err != nil {
			t.Fatalf("IterateRanges over %d ranges: %v", len(prefixes), err)
		}
		return got
	}
	if got := visit(-1); !slices.Equal(got, want) {
		t.Fatalf("IterateRanges over %d ranges visited %d keys, want %d (first difference at %d)", len(prefixes), len(got), len(want), firstDifference(got, want))
	}
	for _, stopAt := range []int{4 + 700, len(want) - 10} {
		if got := visit(stopAt); !slices.Equal(got, want[:stopAt]) {
			t.Fatalf("IterateRanges stopped at key %d visited %d keys", stopAt, len(got))
		}
	}
}

// firstDifference is the index where two lists first differ.
func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func testSnapshots(t *testing.T, s kv.Store) {
	v1 := MustSet(t, s, "k", "1")
	err := s.View(kv.Latest, func(r kv.Reader) error {
		if r.Version() < v1 {
			t.Errorf("snapshot version %d, before the last commit %d", r.Version(), v1)
		}
		MustSet(t, s, "k", "2")
		MustSet(t, s, "other", "x")
		got, err := r.Get([]byte("k"))
		if string(got) != "1" {
			t.Errorf("snapshot saw a later commit: %q", got)
		}
		if _, err := r.Get([]byte("other")); !errors.Is(err, kv.ErrNotFound) {
			t.Errorf("snapshot saw a key committed later")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := MustGet(t, s, v1, "k"); got != "1" {
		t.Fatalf("k at %d = %q", v1, got)
	}
	if got, _ := MustGet(t, s, kv.Latest, "k"); got != "2" {
		t.Fatalf("k latest = %q", got)
	}
	if _, ok := MustGet(t, s, v1-1, "k"); ok {
		t.Fatal("k visible before it was written")
	}
}

// testSnapshotBetweenCommits reads at a version no commit has, just below a commit:
// the snapshot holds what the commit before it left.
func testSnapshotBetweenCommits(t *testing.T, s kv.Store) {
	v1 := MustSet(t, s, "k", "1")
	v2 := MustSet(t, s, "k", "2")
	err := s.View(v2-1, func(r kv.Reader) error {
		if r.Version() != v2-1 {
			t.Errorf("snapshot version %d, want %d", r.Version(), v2-1)
		}
		got, err := r.Get([]byte("k"))
		if string(got) != "1" {
			t.Errorf("k just below version %d = %q, want what version %d wrote", v2, got, v1)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testWritesDuringIteration commits while an iteration over more keys than a backend
// is likely to read at once is under way, from its callback: the iteration goes on
// over its snapshot, seeing neither the new key nor the new values.
func testWritesDuringIteration(t *testing.T, s kv.Store) {
	const n = 1000
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		for i := range n {
			if err := w.Set(fmt.Appendf(nil, "i/%04d", i), []byte("old")); err != nil {
				return err
			}
		}
		return nil
	})
	for _, reverse := range []bool{false, true} {
		seen := 0
		err := s.View(kv.Latest, func(r kv.Reader) error {
			return r.Iterate(kv.IterOptions{Prefix: []byte("i/"), Reverse: reverse}, func(k, v []byte) error {
				if seen == 10 {
					MustUpdate(t, s, func(w kv.ReadWriter) error {
						for i := range n {
							if err := w.Set(fmt.Appendf(nil, "i/%04d", i), []byte("new")); err != nil {
								return err
							}
						}
						return w.Set([]byte("i/0500+"), []byte("new"))
					})
				}
				if string(v) != "old" {
					return fmt.Errorf("key %s of the snapshot reads %q, written after it", k, v)
				}
				seen++
				return nil
			})
		})
		if err != nil || seen != n {
			t.Fatalf("reverse %v: an iteration during commits saw %d keys, want %d (%v)", reverse, seen, n, err)
		}
		MustDeletePrefixes(t, s, []byte("i/0500+"))
		MustUpdate(t, s, func(w kv.ReadWriter) error {
			for i := range n {
				if err := w.Set(fmt.Appendf(nil, "i/%04d", i), []byte("old")); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

func testHistory(t *testing.T, s kv.Store) {
	v1 := MustSet(t, s, "h", "1")
	v2 := MustSet(t, s, "h", "2")
	v3 := MustUpdate(t, s, func(w kv.ReadWriter) error { return w.Delete([]byte("h")) })
	MustSet(t, s, "h2", "other key")
	var got []string
	err := s.History([]byte("h"), func(v uint64, val []byte, deleted bool) error {
		got = append(got, fmt.Sprintf("%d:%s:%v", v, val, deleted))
		return nil
	})
	want := []string{fmt.Sprintf("%d::true", v3), fmt.Sprintf("%d:2:false", v2), fmt.Sprintf("%d:1:false", v1)}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("history = %q, %v; want %q", got, err, want)
	}
	calls := 0
	err = s.History([]byte("h"), func(uint64, []byte, bool) error { calls++; return kv.ErrStop })
	if err != nil || calls != 1 {
		t.Fatalf("ErrStop: err %v after %d versions", err, calls)
	}
	if err := s.History([]byte("never written"), func(uint64, []byte, bool) error { calls++; return nil }); err != nil || calls != 1 {
		t.Fatalf("history of a key never written: %v, %d versions", err, calls-1)
	}
}

func testConcurrentIncrements(t *testing.T, s kv.Store) {
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := s.Update(func(w kv.ReadWriter) error {
					n := 0
					v, err := w.Get([]byte("counter"))
					if err == nil {
						fmt.Sscan(string(v), &n)
					} else if !errors.Is(err, kv.ErrNotFound) {
						return err
					}
					return w.Set([]byte("counter"), []byte(fmt.Sprint(n+1)))
				})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if !errors.Is(err, kv.ErrConflict) {
				t.Fatalf("update: %v", err)
			}
			failed++
		}
	}
	got, _ := MustGet(t, s, kv.Latest, "counter")
	if want := fmt.Sprint(workers*each - failed); got != want {
		t.Fatalf("counter = %s, want %s (%d gave up with ErrConflict): an increment was lost", got, want, failed)
	}
}

// testManyConcurrentWriters runs writers and readers long enough for the interleavings
// of starting, committing and finishing transactions to occur: each writer adds keys of
// its own (as upserts of new nodes do) and now and then increments a counter kept in
// two keys, which writers contend for. Every acknowledged write must be there at the
// end, no increment may be lost, and no reader may see the two keys disagree.
func testManyConcurrentWriters(t *testing.T, s kv.Store) {
	const writers, each, readers = 16, 300, 2
	var acked [writers]int
	var increments [writers]int
	var wg, readersWG sync.WaitGroup
	done := make(chan struct{})
	readErrs := make(chan error, readers)
	for range readers {
		readersWG.Add(1)
		go func() {
			defer readersWG.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				err := s.View(kv.Latest, func(r kv.Reader) error {
					a, errA := r.Get([]byte("pair/a"))
					b, errB := r.Get([]byte("pair/b"))
					if !errors.Is(errA, errB) || !bytes.Equal(a, b) {
						return fmt.Errorf("a reader saw half a write: pair/a = %q (%v), pair/b = %q (%v)", a, errA, b, errB)
					}
					return nil
				})
				if err != nil {
					readErrs <- err
					return
				}
			}
		}()
	}
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				increment := i%4 == 0
				_, err := s.Update(func(rw kv.ReadWriter) error {
					if err := rw.Set(fmt.Appendf(nil, "own/%02d/%04d", w, i), []byte("x")); err != nil {
						return err
					}
					if !increment {
						return nil
					}
					n := 0
					v, err := rw.Get([]byte("pair/a"))
					if err == nil {
						fmt.Sscan(string(v), &n)
					} else if !errors.Is(err, kv.ErrNotFound) {
						return err
					}
					next := fmt.Append(nil, n+1)
					if err := rw.Set([]byte("pair/a"), next); err != nil {
						return err
					}
					return rw.Set([]byte("pair/b"), next)
				})
				switch {
				case err == nil:
					acked[w]++
					if increment {
						increments[w]++
					}
				case errors.Is(err, kv.ErrConflict) && increment:
				default:
					errs <- fmt.Errorf("writer %d, update %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readersWG.Wait()
	close(errs)
	close(readErrs)
	for err := range errs {
		t.Fatal(err)
	}
	for err := range readErrs {
		t.Fatal(err)
	}
	wantOwn, wantCount := 0, 0
	for w := range writers {
		wantOwn += acked[w]
		wantCount += increments[w]
	}
	if got := len(MustKeys(t, s, kv.Latest, kv.IterOptions{Prefix: []byte("own/")})); got != wantOwn {
		t.Fatalf("%d keys of acknowledged writes, want %d", got, wantOwn)
	}
	if got, _ := MustGet(t, s, kv.Latest, "pair/a"); got != fmt.Sprint(wantCount) {
		t.Fatalf("counter = %s, want %d acknowledged increments: an increment was lost", got, wantCount)
	}
}

// testConflictRetries makes an Update conflict on purpose, from within its own
// function on the first run: once by a commit changing a key it read, once by a Bulk
// committing after its snapshot. Each time the function must run again, over a
// snapshot that holds the intervening commit.
func testConflictRetries(t *testing.T, s kv.Store) {
	MustSet(t, s, "n", "1")
	runs := 0
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		runs++
		v, err := w.Get([]byte("n"))
		if err != nil {
			return err
		}
		if runs == 1 {
			MustSet(t, s, "n", "2")
		}
		return w.Set([]byte("n"), append(v, '+'))
	})
	if got, _ := MustGet(t, s, kv.Latest, "n"); runs != 2 || got != "2+" {
		t.Fatalf("a key read then changed by another commit: %d runs, n = %q; want 2 runs and n = 2+", runs, got)
	}

	runs = 0
	MustUpdate(t, s, func(w kv.ReadWriter) error {
		runs++
		if runs == 1 {
			b, err := s.Bulk()
			if err != nil {
				return err
			}
			if err := b.Set([]byte("bulk"), []byte("1")); err != nil {
				return err
			}
			if _, err := b.Commit(); err != nil {
				return err
			}
		}
		return w.Set([]byte("after bulk"), []byte("1"))
	})
	if runs != 2 {
		t.Fatalf("an Update whose snapshot predates a Bulk commit ran %d times, want 2", runs)
	}
}

func testBulk(t *testing.T, s kv.Store) {
	before := MustSet(t, s, "k0", "old")
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"k0", "k1", "k2"} {
		if err := b.Set([]byte(k), []byte("bulk")); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Delete([]byte("k2")); err != nil {
		t.Fatal(err)
	}
	if got, _ := MustGet(t, s, kv.Latest, "k0"); got != "old" {
		t.Fatalf("bulk write visible before commit: k0 = %q", got)
	}
	v, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if v <= before || s.LatestVersion() < v {
		t.Fatalf("bulk version %d, before %d, latest %d", v, before, s.LatestVersion())
	}
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}), "k0", "k1")
	wantKeys(t, MustKeys(t, s, before, kv.IterOptions{}), "k0")
	if got, _ := MustGet(t, s, before, "k0"); got != "old" {
		t.Fatalf("k0 before the bulk = %q", got)
	}
	MustSet(t, s, "after", "1")
}

func testBulkAbort(t *testing.T, s kv.Store) {
	MustSet(t, s, "keep", "old")
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if err := b.Set(fmt.Appendf(nil, "gone/%04d", i), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Set([]byte("keep"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}), "keep")
	if got, _ := MustGet(t, s, kv.Latest, "keep"); got != "old" {
		t.Fatalf("keep = %q after abort", got)
	}
	MustSet(t, s, "after", "1")
}

func testBulkLarge(t *testing.T, s kv.Store) {
	const n = 250_000 // beyond what one Badger transaction holds
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	val := bytes.Repeat([]byte("v"), 100)
	for i := range n {
		if err := b.Set(fmt.Appendf(nil, "big/%07d", i), val); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	count := 0
	err = s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: []byte("big/"), KeysOnly: true}, func(_, _ []byte) error { count++; return nil })
	})
	if err != nil || count != n {
		t.Fatalf("bulk wrote %d keys (err %v), want %d", count, err, n)
	}
}

// testBulkFirstWrite covers a Bulk into a store that has never been written, which
// backends may serve by a faster path.
func testBulkFirstWrite(t *testing.T, s kv.Store) {
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for _, kvs := range [][2]string{{"b", "1"}, {"a", "1"}, {"c", "1"}, {"b", "2"}} {
		if err := b.Set([]byte(kvs[0]), []byte(kvs[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Delete([]byte("c")); err != nil {
		t.Fatal(err)
	}
	if keys := MustKeys(t, s, kv.Latest, kv.IterOptions{}); len(keys) != 0 {
		t.Fatalf("bulk visible before commit: %q", keys)
	}
	v, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}), "a", "b")
	if got, _ := MustGet(t, s, kv.Latest, "b"); got != "2" {
		t.Fatalf("b = %q; a key set twice keeps its last value", got)
	}
	if s.LatestVersion() < v {
		t.Fatalf("latest %d, bulk committed at %d", s.LatestVersion(), v)
	}
	v2 := MustSet(t, s, "a", "after")
	if v2 <= v {
		t.Fatalf("version after the bulk went backwards: %d <= %d", v2, v)
	}
	if got, _ := MustGet(t, s, v, "a"); got != "1" {
		t.Fatalf("a at the bulk's version = %q", got)
	}
}

func testBulkFirstWriteAbort(t *testing.T, s kv.Store) {
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Set([]byte("gone"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}))
	MustSet(t, s, "after", "1")
	wantKeys(t, MustKeys(t, s, kv.Latest, kv.IterOptions{}), "after")
}

func testReservedKeys(t *testing.T, s kv.Store) {
	for _, k := range []string{"", "\xffx"} {
		if _, err := s.Update(func(w kv.ReadWriter) error { return w.Set([]byte(k), nil) }); err == nil {
			t.Errorf("Set(%q) succeeded; empty and 0xFF keys are reserved", k)
		}
	}
}

func testClosed(t *testing.T, s kv.Store) {
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.View(kv.Latest, func(kv.Reader) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("View after Close = %v", err)
	}
	if _, err := s.Update(func(kv.ReadWriter) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Update after Close = %v", err)
	}
	if _, err := s.Bulk(); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Bulk after Close = %v", err)
	}
	if err := s.History([]byte("k"), func(uint64, []byte, bool) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("History after Close = %v", err)
	}
}
