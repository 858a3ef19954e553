package badgerkv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

// TestConformanceInRuns runs the conformance suite with the first Bulk into an empty
// database spilling a run every 1,000 writes (250 runs for BulkLarge).
func TestConformanceInRuns(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return mustOpen(t, Options{Dir: t.TempDir(), BulkRunEntries: 1000}) })
}

// TestBulkRunsKeepTheLastWrite spills a run every three writes and writes keys again
// across runs: a key set in one run and set or deleted in a later one keeps the later
// write, as in one buffer; the runs are gone once the bulk commits.
func TestBulkRunsKeepTheLastWrite(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir, BulkRunEntries: 3})
	defer s.Close()
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		key, value string
		delete     bool
	}{
		{key: "c", value: "1"}, {key: "a", value: "1"}, {key: "b", value: "1"}, // run 0
		{key: "a", value: "2"}, {key: "d", value: "1"}, {key: "c", delete: true}, // run 1
		{key: "e", value: "1"}, {key: "a", value: "3"}, {key: "e", value: "2"}, // run 2
		{key: "b", value: "2"}, // in memory at Commit, spilled as run 3
	}
	for _, st := range steps {
		if st.delete {
			err = b.Delete([]byte(st.key))
		} else {
			err = b.Set([]byte(st.key), []byte(st.value))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.(*bulk).spilled(); err != nil { // the third run's spill is under way
		t.Fatal(err)
	}
	runs, _ := filepath.Glob(filepath.Join(dir, runsDir, "run-*"))
	if len(runs) != 3 {
		t.Fatalf("%d runs spilled before Commit, want 3", len(runs))
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{}, func(k, v []byte) error { got[string(k)] = string(v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "3", "b": "2", "d": "1", "e": "2"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after a bulk write in runs: %v, want %v", got, want)
	}
	mustHoldNoRuns(t, dir, "after Commit")
}

// TestBulkRunsGoWithAbortAndCrash: an aborted bulk leaves no run behind, and runs a
// crash left are removed when the store opens, with nothing of them in it, as are
// writers' temporary files.
func TestBulkRunsGoWithAbortAndCrash(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Options{Dir: dir, BulkRunEntries: 2})
	if err := mustSpillFive(t, s).Abort(); err != nil {
		t.Fatal(err)
	}
	mustHoldNoRuns(t, dir, "after Abort")
	mustSpillFive(t, s)
	// A writer's temporary file (kv.Local), such as an import's texts.
	if err := os.MkdirAll(s.TempDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.TempDir(), "eventgraph-texts-1"), []byte("text"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A crash now: the process ends with the bulk open (its lock released as the
	// process's would be), and the store is opened again.
	s.commitMu.Unlock()
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, Options{Dir: dir})
	defer s.Close()
	mustHoldNoRuns(t, dir, "after Open, of those a crash left")
	if _, err := os.Stat(s.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("temporary files a crash left are still there: %v", err)
	}
	if keys := kvtest.MustKeys(t, s, kv.Latest, kv.IterOptions{}); len(keys) != 0 {
		t.Fatalf("after a crash during a bulk write: %q", keys)
	}
}

// mustSpillFive opens a bulk write on s and writes five keys into it, past s's run size.
func mustSpillFive(t *testing.T, s *Store) kv.BulkWriter {
	t.Helper()
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := b.Set(fmt.Appendf(nil, "k%d", i), []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// mustHoldNoRuns fails t if the data directory dir holds a bulk write's runs.
func mustHoldNoRuns(t *testing.T, dir, when string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, runsDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("runs left %s: %v", when, err)
	}
}
