package badgerkv

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

func TestConformanceInMemory(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return mustOpen(t, Options{InMemory: true}) })
}

func TestConformanceOnDisk(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return mustOpen(t, Options{Dir: t.TempDir()}) })
}

func mustOpen(t *testing.T, o Options) *Store {
	t.Helper()
	s, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReopenKeepsDataAndVersions(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir})
	v1 := kvtest.MustSet(t, s, "k", "1")
	v2 := kvtest.MustSet(t, s, "k", "2")
	s.Close()
	s = mustOpen(t, Options{Dir: dir})
	defer s.Close()
	if got, _ := kvtest.MustGet(t, s, v1, "k"); got != "1" {
		t.Fatalf("k at v1 after reopen = %q", got)
	}
	if s.LatestVersion() != v2 {
		t.Fatalf("latest after reopen = %d, want %d", s.LatestVersion(), v2)
	}
	if v3 := kvtest.MustSet(t, s, "k", "3"); v3 <= v2 {
		t.Fatalf("version went backwards after reopen: %d <= %d", v3, v2)
	}
}

// TestSmallMemTablesThenTheDefault opens a new directory with small memtables, as an
// import into a new directory does, writes more than one memtable holds (12 MB), and opens it
// again with Badger's default, as the server does.
func TestSmallMemTablesThenTheDefault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	mustHold := func(want bool) {
		t.Helper()
		if held, err := HoldsDatabase(dir); err != nil || held != want {
			t.Fatalf("HoldsDatabase = %v, %v; want %v", held, err, want)
		}
	}
	mustHold(false)
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	mustHold(false)
	const small = 8 << 20
	s := mustOpen(t, Options{Dir: dir, MemTableSize: small})
	if got := s.db.Opts().MemTableSize; got != small {
		t.Fatalf("memtable size %d, want %d", got, small)
	}
	mustHold(true)
	value := bytes.Repeat([]byte("v"), 512)
	var last uint64
	for i := range 24 {
		v, err := s.Update(func(w kv.ReadWriter) error {
			for j := range 1000 {
				if err := w.Set(fmt.Appendf(nil, "k%d-%04d", i, j), value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		last = v
	}
	s.Close()
	s = mustOpen(t, Options{Dir: dir})
	defer s.Close()
	if got := s.db.Opts().MemTableSize; got != badger.DefaultOptions("").MemTableSize {
		t.Fatalf("memtable size %d after reopening with the default", got)
	}
	for _, k := range []string{"k0-0000", "k23-0999"} {
		if got, _ := kvtest.MustGet(t, s, last, k); got != string(value) {
			t.Fatalf("%s after reopening: %d bytes", k, len(got))
		}
	}
}

// TestEmptyLogFilesLeftByACrashAreIgnored leaves, after a clean close, the empty
// memtable and value log files a kill between a file's creation and its first write
// leaves behind, and checks the store still opens with its data.
func TestEmptyLogFilesLeftByACrashAreIgnored(t *testing.T) {
	for _, name := range []string{"00099.mem", "000099.vlog"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpen(t, Options{Dir: dir})
			v := kvtest.MustSet(t, s, "k", "1")
			s.Close()
			if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, Options{Dir: dir})
			defer s.Close()
			if got, _ := kvtest.MustGet(t, s, v, "k"); got != "1" {
				t.Fatalf("k after reopen = %q", got)
			}
			kvtest.MustSet(t, s, "k", "2")
		})
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir})
	defer s.Close()
	// An empty log file of the open database may be one it is creating right now:
	// the locked-out Open must leave it alone.
	creating := filepath.Join(dir, "00098.mem")
	if err := os.WriteFile(creating, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir}); !errors.Is(err, kv.ErrLocked) {
		t.Fatalf("second open = %v, want ErrLocked", err)
	}
	if _, err := os.Stat(creating); err != nil {
		t.Fatalf("the open database's empty log file: %v", err)
	}
}

// TestCrashedBulkRollsBack flushes part of a Bulk to disk and closes the database
// without Commit, as a crash would leave it, then checks reopening undoes it.
func TestCrashedBulkRollsBack(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir})
	before := kvtest.MustSet(t, s, "keep", "old")
	bw, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	b := bw.(*bulk)
	for i := range 5000 {
		if err := b.Set(fmt.Appendf(nil, "partial/%05d", i), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Set([]byte("keep"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := b.w.flush(); err != nil { // the writes reach Badger, the commit never happens
		t.Fatal(err)
	}
	s.commitMu.Unlock()
	s.closed.Store(true)
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, Options{Dir: dir})
	defer s.Close()
	if keys := kvtest.MustKeys(t, s, kv.Latest, kv.IterOptions{}); fmt.Sprint(keys) != "[keep]" {
		t.Fatalf("after recovery keys = %d (%.40q...), want only keep", len(keys), keys)
	}
	if got, _ := kvtest.MustGet(t, s, kv.Latest, "keep"); got != "old" {
		t.Fatalf("keep = %q after recovery", got)
	}
	if keys := kvtest.MustKeys(t, s, b.version, kv.IterOptions{}); len(keys) != 1 {
		t.Fatalf("a snapshot at the crashed version sees %d keys; it must not see the partial write", len(keys))
	}
	if got, _ := kvtest.MustGet(t, s, before, "keep"); got != "old" {
		t.Fatalf("keep before = %q", got)
	}
	kvtest.MustSet(t, s, "after", "1")
}

// TestInterruptedFirstImportIsDropped leaves the stream-pending marker behind, as a
// crash during the first import into an empty directory would, and checks that opening
// the directory again restores it to empty.
func TestInterruptedFirstImportIsDropped(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir})
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if err := b.Set(fmt.Appendf(nil, "k/%04d", i), []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, streamPendingFile), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, Options{Dir: dir})
	defer s.Close()
	if keys := kvtest.MustKeys(t, s, kv.Latest, kv.IterOptions{}); len(keys) != 0 {
		t.Fatalf("%d keys survived an interrupted first import", len(keys))
	}
	if _, err := os.Stat(filepath.Join(dir, streamPendingFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("pending marker still there: %v", err)
	}
	kvtest.MustSet(t, s, "after", "1")
}

func TestKVEntryEncodesAsBadgerDoes(t *testing.T) {
	entries := []kvEntry{
		{key: []byte("n\x00araghchi"), value: []byte("A\x01record"), version: 1},
		{key: []byte("x"), userMeta: tombstone, version: 1 << 40},
		{key: bytes.Repeat([]byte("k"), 300), value: bytes.Repeat([]byte("v"), 70_000), version: 127},
		{key: []byte("gone"), meta: bitDelete | bitDiscardEarlierVersions, expiresAt: 1 << 33, version: 9},
	}
	for _, e := range entries {
		ours, theirs := z.NewBuffer(1<<10, "test"), z.NewBuffer(1<<10, "test")
		e.append(ours.SliceAllocate(e.size())[:0])
		var meta []byte
		if e.meta != 0 {
			meta = []byte{e.meta}
		}
		badger.KVToBuffer(&pb.KV{Key: e.key, Value: e.value, UserMeta: []byte{e.userMeta}, Version: e.version, ExpiresAt: e.expiresAt, Meta: meta}, theirs)
		if !bytes.Equal(ours.Bytes(), theirs.Bytes()) {
			t.Errorf("key %.10q: kvEntry wrote %x, KVToBuffer %x", e.key, ours.Bytes(), theirs.Bytes())
		}
		parsed, err := parseKV(ours.Bytes()[8:])
		if err != nil || !bytes.Equal(parsed.key, e.key) || parsed.version != e.version || parsed.meta != e.meta || parsed.foreign {
			t.Errorf("key %.10q: parseKV = %+v, %v", e.key, parsed, err)
		}
		ours.Release()
		theirs.Release()
	}
}
