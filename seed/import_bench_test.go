package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
	"eventgraph/store/spill"
)

// recordingStore is a kv.Store that writes a copy of every key and value written
// through Bulk to a file, so raw Badger can be timed writing exactly the same data.
type recordingStore struct {
	kv.Store
	w *spill.Writes
}

type recordingBulk struct {
	kv.BulkWriter
	s *recordingStore
}

func (r *recordingStore) Bulk() (kv.BulkWriter, error) {
	bw, err := r.Store.Bulk()
	return &recordingBulk{bw, r}, err
}

// Staged passes the store's answer on, so that the recorded import takes the path the
// timed one does (into an empty Badger directory, sorted runs rather than writes
// waiting in a file).
func (b *recordingBulk) Staged() bool {
	s, ok := b.BulkWriter.(kv.Staged)
	return ok && s.Staged()
}

func (b *recordingBulk) Set(k, v []byte) error {
	if err := b.s.w.Set(k, v); err != nil {
		return err
	}
	return b.BulkWriter.Set(k, v)
}

// BenchmarkImport measures the whole bulk import of a generated JSON Lines file (parse,
// open, validate, write, close) against raw Badger WriteBatch writing the same keys and
// values into an empty directory, in the same run: read from the file they were
// recorded to as it writes (a few seconds of the raw time at ten million relations),
// since held in memory with Badger's own they pass 24 GB there, and with conflict
// detection off, as a bulk load with no transaction beside it would run. Size:
// EVENTGRAPH_BENCH_RELATIONS (default 100,000). Run with -benchtime=Nx for N rounds; the reported figures are
// medians over the rounds.
//
//	go test ./seed -run '^$' -bench Import -benchtime 3x
func BenchmarkImport(b *testing.B) {
	relations := 100_000
	if v := os.Getenv("EVENTGRAPH_BENCH_RELATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		relations = n
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "synthetic.jsonl")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.Generate(f, seed.GenerateOptions{Relations: relations, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	f.Close()

	writes := recordImport(b, file, filepath.Join(dir, "record"))
	defer writes.Close()
	var ours, raw []float64
	b.ResetTimer()
	for i := range b.N {
		ourTime, imported := importFile(b, file, filepath.Join(dir, "ours"+strconv.Itoa(i)))
		if imported != relations {
			b.Fatalf("imported %d relations, generated %d", imported, relations)
		}
		rawTime := rawWriteBatch(b, writes, filepath.Join(dir, "raw"+strconv.Itoa(i)))
		raw = append(raw, float64(relations)/rawTime.Seconds())
		ours = append(ours, float64(relations)/ourTime.Seconds())
		runtime.GC()
	}
	b.StopTimer()
	b.ReportMetric(median(ours), "relations/s")
	b.ReportMetric(median(raw), "raw-relations/s")
	b.ReportMetric(median(ours)/median(raw), "ratio")
	b.ReportMetric(float64(writes.Len())/float64(relations), "keys/relation")
}

// The limits eventgraph import runs under by default (--memory-limit, --mapped-pages),
// and the memtable size it opens a new directory with.
const (
	importMemoryLimit = 1536 << 20
	importMappedPages = 256 << 20
	importMemTable    = 8 << 20
)

// importFile is the whole import as the command does it: the file read as it goes
// (ImportFiles), in parts, under the command's limits.
func importFile(b *testing.B, file, dir string) (time.Duration, int) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	start := time.Now()
	s, err := badgerkv.Open(badgerkv.Options{Dir: dir, MappedPagesLimit: importMappedPages, MemTableSize: importMemTable})
	if err != nil {
		b.Fatal(err)
	}
	stats, err := seed.Options{}.ImportFiles(context.Background(), store.New(s), file)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), stats.Relations
}

// recordImport imports file into dir through a recordingStore, and returns the writes
// it recorded.
func recordImport(b *testing.B, file, dir string) *spill.Writes {
	s, err := badgerkv.Open(badgerkv.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rec := &recordingStore{Store: s, w: &spill.Writes{Dir: b.TempDir()}}
	if _, err := (seed.Options{}).ImportFiles(context.Background(), store.New(rec), file); err != nil {
		b.Fatal(err)
	}
	return rec.w
}

// rawWriteBatch writes the recorded writes with plain Badger: open, WriteBatch, flush,
// close.
func rawWriteBatch(b *testing.B, writes *spill.Writes, dir string) time.Duration {
	start := time.Now()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithDetectConflicts(false))
	if err != nil {
		b.Fatal(err)
	}
	wb := db.NewWriteBatch()
	if err := writes.Each(wb.Set); err != nil { // Each's slices are never reused
		b.Fatal(err)
	}
	if err := wb.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
