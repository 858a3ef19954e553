package badgerkv

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"eventgraph/store/kv"
)

// TestMappedPagesGoBackToTheKernel writes 24 MB of tables with a first Bulk, whose
// tables Badger writes through its mappings, and 24 MB through Updates, which Badger
// logs through its mapped memtable logs, then reads every value back: with no limit the
// pages stay resident; with a limit the pager hands them back, every value still reads
// as written, and reads racing the pager read right too.
func TestMappedPagesGoBackToTheKernel(t *testing.T) {
	const keys, size = 12_000, 4 << 10
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([][]byte, keys)
	for i := range values {
		values[i] = make([]byte, size) // random, so that Snappy leaves the tables their size
		for j := range values[i] {
			values[i][j] = byte(rng.Uint32())
		}
	}
	key := func(i int) []byte { return fmt.Appendf(nil, "k%06d", i) }
	mustFill := func(t *testing.T, s *Store) {
		t.Helper()
		b, err := s.Bulk()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range values[:keys/2] {
			if err := b.Set(key(i), v); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Commit(); err != nil {
			t.Fatal(err)
		}
		for i := keys / 2; i < keys; i += 100 {
			_, err := s.Update(func(w kv.ReadWriter) error {
				for j := i; j < i+100; j++ {
					if err := w.Set(key(j), values[j]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	mustReadAll := func(t *testing.T, s *Store) {
		t.Helper()
		err := s.View(kv.Latest, func(r kv.Reader) error {
			for i, want := range values {
				got, err := r.Get(key(i))
				if err != nil {
					return err
				}
				if !bytes.Equal(got, want) {
					return fmt.Errorf("%s reads other bytes than were written", key(i))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("NoLimit", func(t *testing.T) {
		dir := t.TempDir()
		s := mustOpen(t, Options{Dir: dir})
		defer s.Close()
		mustFill(t, s)
		mustReadAll(t, s)
		if resident := mustResidentFiles(t, dir); resident < keys*size*3/4 {
			t.Fatalf("%d bytes of the store's files resident after writing and reading %d: the measure is wrong", resident, keys*size)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		dir := t.TempDir()
		s := mustOpen(t, Options{Dir: dir, MappedPagesLimit: 1})
		defer s.Close()
		mustFill(t, s)
		mustPagedOut(t, dir)
		mustReadAll(t, s)
		mustPagedOut(t, dir)
		for range 5 {
			mustReadAll(t, s)
		}
		mustPagedOut(t, dir)
	})
}

// mustPagedOut waits up to ten seconds for the files in dir to hold under 1 MB of
// resident pages.
func mustPagedOut(t *testing.T, dir string) {
	t.Helper()
	var resident int64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resident = mustResidentFiles(t, dir); resident < 1<<20 {
			return
		}
	}
	t.Fatalf("the store's files still hold %d resident bytes", resident)
}

// mustResidentFiles is the resident bytes of the process's mappings of files in dir,
// as the pager reads them.
func mustResidentFiles(t *testing.T, dir string) int64 {
	t.Helper()
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	mappings, err := (&pager{prefix: []byte(dir + "/")}).residentMappings()
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, m := range mappings {
		total += m.resident
	}
	return total
}

// TestOutOrder pages out first the mappings that gained no page since the last pass,
// the largest first, then the others by what they gained, least first.
func TestOutOrder(t *testing.T) {
	mappings := []residentMapping{
		{start: 1, resident: 4 << 20}, // gained 1 MB
		{start: 2, resident: 1 << 20}, // unchanged
		{start: 3, resident: 3 << 20}, // unchanged
		{start: 4, resident: 2 << 20}, // new: gained 2 MB
		{start: 5, resident: 1 << 20}, // shrank
		{start: 6, resident: 8 << 20}, // gained 8 MB
	}
	seen := map[uintptr]int64{1: 3 << 20, 2: 1 << 20, 3: 3 << 20, 5: 2 << 20, 6: 0}
	outOrder(mappings, seen)
	var got []uintptr
	for _, m := range mappings {
		got = append(got, m.start)
	}
	if want := []uintptr{3, 2, 5, 1, 4, 6}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestFileMapping(t *testing.T) {
	prefix := []byte("/data/event graph/")
	for _, c := range []struct {
		line       string
		start, end uintptr
		ok         bool
	}{
		{"7f0a00000000-7f0a00400000 r--s 00000000 fd:01 1234   /data/event graph/000012.sst", 0x7f0a00000000, 0x7f0a00400000, true},
		{"7f0a00000000-7f0a00400000 rw-s 00000000 fd:01 1234 /data/event graph/000012.sst", 0x7f0a00000000, 0x7f0a00400000, true},
		{"7f0a00000000-7f0a00400000 r--s 00000000 fd:01 1234 /data/event graph/000012.sst (deleted)", 0x7f0a00000000, 0x7f0a00400000, true},
		{"7f0a00000000-7f0a08000000 rw-s 00000000 fd:01 1234 /data/event graph/00001.mem", 0x7f0a00000000, 0x7f0a08000000, true},
		{"7f0a00000000-7f0a00400000 r--s 00000000 fd:01 1234 /data/event graph-2/000012.sst", 0, 0, false},
		{"7f0a00000000-7f0a00400000 r--s 00000000 fd:01 1234 /data/other/000012.sst", 0, 0, false},
		{"7f0a00000000-7f0a00400000 rw-p 00000000 00:00 0 ", 0, 0, false},
		{"7f0a00400000-7f0a00000000 r--s 00000000 fd:01 1234 /data/event graph/000012.sst", 0, 0, false},
		{"Rss:                 4 kB", 0, 0, false},
	} {
		start, end, ok := fileMapping([]byte(c.line), prefix)
		if start != c.start || end != c.end || ok != c.ok {
			t.Errorf("fileMapping(%q) = %x, %x, %v; want %x, %x, %v", c.line, start, end, ok, c.start, c.end, c.ok)
		}
	}
}
