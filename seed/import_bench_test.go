package seed_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
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
)

// recordingStore is a kv.Store that writes a copy of every key and value written
// through Bulk to a file, so raw Badger can be timed writing exactly the same data.
type recordingStore struct {
	kv.Store
	w *bufio.Writer
	n int
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
	for _, p := range [][]byte{k, v} {
		b.s.w.Write(binary.AppendUvarint(nil, uint64(len(p))))
		b.s.w.Write(p)
	}
	b.s.n++
	return b.BulkWriter.Set(k, v)
}

// BenchmarkImport measures the whole bulk import of a generated JSON Lines file (parse,
// open, validate, write, close) against raw Badger WriteBatch writing the same keys and
// values into an empty directory, in the same run. Size: EVENTGRAPH_BENCH_RELATIONS
// (default 100,000). Run with -benchtime=Nx for N rounds; the reported figures are
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

	entries := filepath.Join(dir, "entries")
	keys := recordImport(b, file, filepath.Join(dir, "record"), entries)
	var ours, raw []float64
	b.ResetTimer()
	for i := range b.N {
		// Ours runs first, while the recorded keys are on disk only: held in memory, they
		// would be marked by every collection of the import's own garbage.
		ourTime, imported := importFile(b, file, filepath.Join(dir, "ours"+strconv.Itoa(i)))
		if imported != relations {
			b.Fatalf("imported %d relations, generated %d", imported, relations)
		}
		rawTime := rawWriteBatch(b, mustReadEntries(b, entries, keys), filepath.Join(dir, "raw"+strconv.Itoa(i)))
		raw = append(raw, float64(relations)/rawTime.Seconds())
		ours = append(ours, float64(relations)/ourTime.Seconds())
		runtime.GC()
	}
	b.StopTimer()
	b.ReportMetric(median(ours), "relations/s")
	b.ReportMetric(median(raw), "raw-relations/s")
	b.ReportMetric(median(ours)/median(raw), "ratio")
	b.ReportMetric(float64(keys)/float64(relations), "keys/relation")
}

// The limits eventgraph import runs under by default (--memory-limit, --mapped-pages).
const (
	importMemoryLimit = 1536 << 20
	importMappedPages = 256 << 20
)

// importFile is the whole import as the command does it: the file read as it goes
// (ImportFiles), in parts, under the command's limits.
func importFile(b *testing.B, file, dir string) (time.Duration, int) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	start := time.Now()
	s, err := badgerkv.Open(badgerkv.Options{Dir: dir, MappedPagesLimit: importMappedPages})
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

// recordImport imports file into dir through a recordingStore writing to entries, and
// returns how many keys it wrote.
func recordImport(b *testing.B, file, dir, entries string) int {
	s, err := badgerkv.Open(badgerkv.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f, err := os.Create(entries)
	if err != nil {
		b.Fatal(err)
	}
	rec := &recordingStore{Store: s, w: bufio.NewWriterSize(f, 1<<20)}
	if _, err := (seed.Options{}).ImportFiles(context.Background(), store.New(rec), file); err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(rec.w.Flush(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return rec.n
}

// recordedEntries are the keys and values recordImport wrote, in one buffer: entry i's
// key is data[at[2i]:at[2i+1]] and its value data[at[2i+1]:at[2i+2]]. Offsets rather
// than slices, so that at ten million relations (8.8 GB) the collector has no pointers
// to mark while raw Badger writes.
type recordedEntries struct {
	data []byte
	at   []int
}

func (e *recordedEntries) len() int { return (len(e.at) - 1) / 2 }

func (e *recordedEntries) entry(i int) (key, value []byte) {
	return e.data[e.at[2*i]:e.at[2*i+1]], e.data[e.at[2*i+1]:e.at[2*i+2]]
}

// mustReadEntries reads the n keys and values recordImport wrote, packing them in
// place.
func mustReadEntries(b *testing.B, file string, n int) *recordedEntries {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	e := &recordedEntries{data: data, at: make([]int, 1, 2*n+1)}
	read, end := 0, 0
	for range 2 * n {
		l, w := binary.Uvarint(data[read:])
		read += w
		end += copy(data[end:], data[read:read+int(l)])
		read += int(l)
		e.at = append(e.at, end)
	}
	e.data = data[:end]
	return e
}

// rawWriteBatch writes entries with plain Badger: open, WriteBatch, flush, close.
func rawWriteBatch(b *testing.B, entries *recordedEntries, dir string) time.Duration {
	start := time.Now()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		b.Fatal(err)
	}
	wb := db.NewWriteBatch()
	for i := range entries.len() {
		if err := wb.Set(entries.entry(i)); err != nil {
			b.Fatal(err)
		}
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
