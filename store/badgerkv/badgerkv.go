// Package badgerkv implements kv.Store over Badger v4 in managed-transaction mode.
//
// Managed mode lets eventgraph choose every commit's version: the commit's wall-clock
// time in Unix nanoseconds, kept strictly increasing. Badger then serves snapshot reads
// at any past version, which is what "as of" queries rest on. Three rules keep that
// history whole:
//
//   - NumVersionsToKeep is unbounded, and a delete is written as a tombstone value (a
//     user-meta bit), never as a Badger delete, so compaction never drops an old version.
//     This is also why the discard timestamp may advance: it only prunes Badger's record
//     of committed transactions used for conflict detection.
//   - Commits are serialised under one mutex and published through a "visible" version
//     that readers snapshot, so a reader never sees part of a commit.
//   - A Bulk write goes through Badger's KVLoader (versionWriter) at a single version
//     above the visible one, so readers cannot see it until Commit publishes it. A pending marker written
//     before the first entry survives a crash; Open then rolls the partial write back by
//     rewriting each touched key's previous version, and records the aborted version range
//     so that snapshots inside it read the version just before.
//   - A Bulk write into an on-disk database that holds nothing at all (the first import)
//     is buffered, sorted and written with Badger's StreamWriter, which builds the LSM
//     tables directly instead of going through the memtable and compactions: several
//     times faster. A file (streamPendingFile) marks the data directory while it runs; if
//     Open finds it, the stream never finished, and since the database was empty before,
//     dropping everything restores it exactly.
package badgerkv

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"

	"eventgraph/store/kv"
)

// Options configure Open.
type Options struct {
	// Dir is the data directory; empty together with InMemory.
	Dir string
	// InMemory keeps everything in memory (tests).
	InMemory bool
	// Logger receives Badger's warnings and errors; nil discards them.
	Logger *slog.Logger
	// MaxRetries bounds how often Update reruns a conflicting transaction; 0 means 16.
	MaxRetries int
	// BulkRunEntries is how many writes the first Bulk into an empty database buffers
	// before it sorts them and spills them to a run file (runs.go); 0 means 1,048,576.
	BulkRunEntries int
	// MappedPagesLimit bounds the process's resident pages of mapped files, past which the
	// pages of this database's files are handed back to the kernel (pageMappedFiles); 0
	// leaves them resident until the kernel needs the memory.
	MappedPagesLimit int64
	// MemTableSize is the size of Badger's memtables; 0 means Badger's default, 64 MB.
	// Badger allocates the first one on the heap at open, with room for a batch beside it
	// (83 MB at the default), whether anything is written through it or not. Badger
	// refuses less than 8 MB: the batch room, 15%, must hold its value threshold (1 MB).
	MemTableSize int64
}

const (
	// tombstone marks a deleted key in Badger's user-meta byte.
	tombstone byte = 1
	// reserved prefixes this backend's own keys; kv promises callers never see them.
	reserved = "\xff\xff"
)

var (
	pendingKey = []byte(reserved + "bulk/pending")
	abortedKey = []byte(reserved + "bulk/aborted/") // + 8-byte start version → 8-byte end
)

// streamPendingFile marks a data directory while a streamed Bulk write is in progress.
const streamPendingFile = "eventgraph-stream.pending"

// Store is a kv.Store backed by a Badger database.
type Store struct {
	db         *badger.DB
	dir        string // "" when in memory
	maxRetries int
	runEntries int // Options.BulkRunEntries
	closed     atomic.Bool
	visible    atomic.Uint64
	stopPaging func()

	commitMu sync.Mutex // serialises commits; held for the whole of a Bulk
	last     uint64     // last version handed out; under commitMu
	lastBulk uint64     // version of the newest Bulk commit; under commitMu

	activeMu sync.Mutex
	active   map[uint64]int // snapshot versions of running Updates → count

	abortedMu sync.RWMutex
	aborted   [][2]uint64 // [start, end) version ranges of rolled-back Bulk writes
}

// HoldsDatabase reports whether dir holds a Badger database: the manifest Badger writes
// when it first opens a directory.
func HoldsDatabase(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Open opens (creating if needed) a Badger database. A directory already opened by
// another process yields an error wrapping kv.ErrLocked.
func Open(o Options) (*Store, error) {
	if !o.InMemory {
		if err := removeEmptyLogFiles(o.Dir); err != nil {
			return nil, err
		}
	}
	db, err := badger.OpenManaged(o.badger())
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("open %s: %w", o.Dir, kv.ErrLocked)
		}
		return nil, fmt.Errorf("open badger %s: %w", o.Dir, err)
	}
	s := &Store{db: db, maxRetries: o.MaxRetries, runEntries: o.BulkRunEntries, active: map[uint64]int{}, stopPaging: func() {}}
	if !o.InMemory {
		s.dir = o.Dir
		s.stopPaging = pageMappedFiles(o.Dir, o.MappedPagesLimit, o.logger())
	}
	if s.maxRetries <= 0 {
		s.maxRetries = 16
	}
	if s.runEntries <= 0 {
		s.runEntries = defaultRunEntries
	}
	if err := errors.Join(s.recoverStream(), s.removeAll(runsDir), s.removeAll(tempDir)); err != nil {
		s.stopPaging()
		db.Close()
		return nil, err
	}
	s.last = db.MaxVersion()
	s.visible.Store(s.last)
	if err := s.recover(); err != nil {
		s.stopPaging()
		db.Close()
		return nil, err
	}
	return s, nil
}

// badger returns the Badger options for o: managed transactions (our versions are
// commit times), every version kept, and tables of one size at every level.
//
// Badger's tables grow by TableSizeMultiplier a level, to 64 MB at the last, and its
// StreamWriter (a first bulk write) builds last-level tables, each in a buffer twice
// its size, up to 17 at once while earlier ones are written out: at a million
// relations that took 0.8 GB. Tables of 4 MB everywhere bound it near 140 MB, for
// about 250 table files a GB of store.
func (o Options) badger() badger.Options {
	bo := badger.DefaultOptions(o.Dir).
		WithInMemory(o.InMemory).
		WithNumVersionsToKeep(math.MaxInt32).
		WithBaseTableSize(4 << 20).
		WithLogger(badgerLogger{o.Logger})
	bo.TableSizeMultiplier = 1
	if o.MemTableSize > 0 {
		bo.MemTableSize = o.MemTableSize
	}
	if o.InMemory {
		bo = bo.WithDir("").WithValueDir("")
	}
	return bo
}

// logger is o.Logger, or one that discards what it is given.
func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// nextVersion hands out the next commit version; call with commitMu held.
func (s *Store) nextVersion() uint64 {
	v := uint64(time.Now().UnixNano())
	if v <= s.last {
		v = s.last + 1
	}
	s.last = v
	return v
}

// LatestVersion implements kv.Store.
func (s *Store) LatestVersion() uint64 { return s.visible.Load() }

// snapshotVersion maps a requested version to the one to read at.
func (s *Store) snapshotVersion(v uint64) uint64 {
	latest := s.visible.Load()
	if v == kv.Latest || v > latest {
		return latest
	}
	s.abortedMu.RLock()
	defer s.abortedMu.RUnlock()
	for _, r := range s.aborted {
		if v >= r[0] && v < r[1] {
			return r[0] - 1
		}
	}
	return v
}

func (s *Store) inAborted(v uint64) bool {
	s.abortedMu.RLock()
	defer s.abortedMu.RUnlock()
	for _, r := range s.aborted {
		if v >= r[0] && v < r[1] {
			return true
		}
	}
	return false
}

// View implements kv.Store.
func (s *Store) View(version uint64, fn func(kv.Reader) error) error {
	if s.closed.Load() {
		return kv.ErrClosed
	}
	v := s.snapshotVersion(version)
	txn := s.db.NewTransactionAt(v, false)
	defer txn.Discard()
	return fn(&reader{txn: txn, version: v})
}

// Update implements kv.Store.
func (s *Store) Update(fn func(kv.ReadWriter) error) (uint64, error) {
	for attempt := 0; attempt < s.maxRetries; attempt++ {
		if s.closed.Load() {
			return 0, kv.ErrClosed
		}
		v, err := s.updateOnce(fn)
		if !errors.Is(err, badger.ErrConflict) {
			return v, err
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Microsecond)
	}
	return 0, kv.ErrConflict
}

func (s *Store) updateOnce(fn func(kv.ReadWriter) error) (uint64, error) {
	readV := s.track()
	defer s.untrack(readV)
	txn := s.db.NewTransactionAt(readV, true)
	defer txn.Discard()
	if err := fn(&readWriter{reader{txn: txn, version: readV}}); err != nil {
		return 0, err
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	if readV < s.lastBulk {
		return 0, badger.ErrConflict
	}
	v := s.nextVersion()
	if err := txn.CommitAt(v, nil); err != nil {
		return 0, err
	}
	s.visible.Store(v)
	return v, nil
}

// track chooses a running Update's snapshot version and records it; untrack forgets it.
// Badger's record of committed transactions, which conflict detection reads, is pruned
// below the oldest recorded version (SetDiscardTs). Choosing and recording happen under
// one lock, the lock the pruning holds: were the version read before it is recorded,
// a prune in between could discard the commits that Update must conflict with (losing an
// update), and the next prune would move the discard timestamp back below it, which
// Badger answers with a failed assertion that ends the process.
func (s *Store) track() uint64 {
	s.activeMu.Lock()
	defer s.activeMu.Unlock()
	v := s.visible.Load()
	s.active[v]++
	return v
}

func (s *Store) untrack(v uint64) {
	s.activeMu.Lock()
	defer s.activeMu.Unlock()
	if s.active[v]--; s.active[v] == 0 {
		delete(s.active, v)
	}
	s.pruneConflictsLocked()
}

// pruneConflictsLocked lets Badger forget committed transactions no running Update can
// conflict with any more (Bulk writes register every key). Call with activeMu held.
// The oldest snapshot never falls (track records only the newest visible version, and
// visible only rises), so the discard timestamp only rises, as Badger requires.
func (s *Store) pruneConflictsLocked() {
	oldest := s.visible.Load()
	for a := range s.active {
		oldest = min(oldest, a)
	}
	s.db.SetDiscardTs(oldest)
}

// History implements kv.Store.
func (s *Store) History(key []byte, fn func(version uint64, value []byte, deleted bool) error) error {
	if s.closed.Load() {
		return kv.ErrClosed
	}
	txn := s.db.NewTransactionAt(s.visible.Load(), false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true, Prefix: key})
	defer it.Close()
	for it.Seek(key); it.ValidForPrefix(key); it.Next() {
		item := it.Item()
		if !bytes.Equal(item.Key(), key) {
			break
		}
		if s.inAborted(item.Version()) {
			continue
		}
		deleted := item.UserMeta()&tombstone != 0
		err := item.Value(func(val []byte) error { return fn(item.Version(), val, deleted) })
		if errors.Is(err, kv.ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Close implements kv.Store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.stopPaging()
	return s.db.Close()
}

type reader struct {
	txn     *badger.Txn
	version uint64
}

func (r *reader) Version() uint64 { return r.version }

func (r *reader) Get(key []byte) ([]byte, error) {
	item, err := r.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) || (err == nil && item.UserMeta()&tombstone != 0) {
		return nil, kv.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return item.ValueCopy(nil)
}

func (r *reader) Iterate(o kv.IterOptions, fn func(key, value []byte) error) error {
	// Values are small and live in the LSM tree beside their keys, so prefetching them
	// (a value-log optimisation) only costs time; they are read as each key is visited.
	it := r.txn.NewIterator(badger.IteratorOptions{Reverse: o.Reverse, Prefix: o.Prefix})
	defer it.Close()
	lo, hi := o.Bounds()
	if o.Reverse {
		it.Seek(hi)
	} else {
		it.Seek(lo)
	}
	for ; it.ValidForPrefix(o.Prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		if bytes.Compare(k, hi) >= 0 {
			if o.Reverse {
				continue
			}
			return nil
		}
		if bytes.Compare(k, lo) < 0 {
			if o.Reverse {
				return nil
			}
			continue
		}
		if item.UserMeta()&tombstone != 0 {
			continue
		}
		var err error
		if o.KeysOnly {
			err = fn(k, nil)
		} else {
			err = item.Value(func(val []byte) error { return fn(k, val) })
		}
		if errors.Is(err, kv.ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	if len(prefixes) == 0 {
		return nil
	}
	common := prefixes[0]
	for _, p := range prefixes[1:] {
		n := 0
		for n < len(common) && n < len(p) && common[n] == p[n] {
			n++
		}
		common = common[:n]
	}
	it := r.txn.NewIterator(badger.IteratorOptions{Prefix: common})
	defer it.Close()
	for i, p := range prefixes {
		if i > 0 && bytes.Compare(p, prefixes[i-1]) < 0 {
			return fmt.Errorf("kv: IterateRanges prefixes out of order at %d", i)
		}
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			item := it.Item()
			if item.UserMeta()&tombstone != 0 || bytes.HasPrefix(item.Key(), []byte(reserved)) {
				continue
			}
			err := item.Value(func(val []byte) error { return fn(i, item.Key(), val) })
			if errors.Is(err, kv.ErrStop) {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

type readWriter struct{ reader }

func (w *readWriter) Set(key, value []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	return w.txn.Set(key, value)
}

func (w *readWriter) Delete(key []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	return w.txn.SetEntry(badger.NewEntry(key, nil).WithMeta(tombstone))
}

// bulk is a kv.BulkWriter holding commitMu until it ends. It writes through a
// versionWriter, or, when streaming into an empty database, buffers for a StreamWriter.
type bulk struct {
	s       *Store
	version uint64
	w       *versionWriter // nil when streaming
	stream  []streamed
	// chunk is the free tail of the memory stream's keys and values are copied into:
	// a few blocks of keptChunk bytes, where the callers' keys and values were
	// millions of small allocations, each marked by every garbage collection until
	// its spill (a quarter of a 10M import's processor time went to collecting).
	chunk []byte
	runs  []string // run files spilled from stream, oldest first
	// spilling is the spill under way, whose run is the last of runs; nil when none.
	spilling *runSpill
	written  bool
	done     bool
}

// runSpill is a buffer of writes being sorted and written to a run file.
type runSpill struct {
	done    chan struct{} // closed when it has ended, path or err set
	entries []streamed
	path    string
	err     error
}

// Bulk implements kv.Store.
func (s *Store) Bulk() (kv.BulkWriter, error) {
	if s.closed.Load() {
		return nil, kv.ErrClosed
	}
	s.commitMu.Lock()
	v := s.nextVersion()
	if s.dir != "" && s.db.MaxVersion() == 0 {
		return &bulk{s: s, version: v}, nil
	}
	if err := s.writeMarker(v, pendingKey, u64(v), 0); err != nil {
		s.commitMu.Unlock()
		return nil, err
	}
	return &bulk{s: s, version: v, w: s.newVersionWriter(v)}, nil
}

func (b *bulk) Set(key, value []byte) error { return b.set(key, value, 0) }

// Staged implements kv.Staged: a streamed bulk keeps its writes in memory and in runs
// until Commit; one into a database holding data writes into it as it goes, and its
// Abort rolls them back, rescanning the database.
func (b *bulk) Staged() bool { return b.w == nil }

// Reserve implements kv.Reserver: a streamed bulk buffers up to runEntries writes, and
// growing that buffer a key at a time copies it over and over.
func (b *bulk) Reserve(n int) {
	if b.w == nil {
		b.stream = slices.Grow(b.stream, min(n, b.s.runEntries-len(b.stream)))
	}
}

func (b *bulk) Delete(key []byte) error { return b.set(key, nil, tombstone) }

func (b *bulk) set(key, value []byte, meta byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	b.written = true
	if b.w == nil {
		e := streamed{key: b.kept(key), value: b.kept(value), meta: meta, seq: len(b.stream)}
		copy(e.head[:], key)
		b.stream = append(b.stream, e)
		if len(b.stream) >= b.s.runEntries {
			return b.spill()
		}
		return nil
	}
	return b.w.set(key, value, meta)
}

func (b *bulk) Commit() (uint64, error) {
	if b.done {
		return 0, errors.New("kv: bulk write already ended")
	}
	b.done = true
	defer b.s.commitMu.Unlock()
	if b.w == nil {
		defer b.s.removeAll(runsDir)
		var writes sortedWrites
		if len(b.runs) == 0 {
			writes = inMemory(b.stream)
		} else {
			if err := b.spill(); err != nil {
				return 0, err
			}
			if _, err := b.spilled(); err != nil {
				return 0, err
			}
			b.stream = nil // the buffer is on disk now, and its memory the table builders'
			next, closeRuns, err := merged(b.runs)
			if err != nil {
				return 0, err
			}
			defer closeRuns()
			writes = next
		}
		if err := b.s.writeStream(b.version, writes); err != nil {
			return 0, err
		}
		b.s.lastBulk = b.version
		b.s.visible.Store(b.version)
		return b.version, nil
	}
	if err := b.w.flush(); err != nil {
		return 0, errors.Join(err, b.s.rollback(b.version))
	}
	v := b.s.nextVersion()
	if err := b.s.writeMarker(v, pendingKey, nil, tombstone); err != nil {
		return 0, err
	}
	b.s.lastBulk = v
	b.s.visible.Store(v)
	b.s.activeMu.Lock()
	b.s.pruneConflictsLocked()
	b.s.activeMu.Unlock()
	return v, nil
}

func (b *bulk) Abort() error {
	if b.done {
		return nil
	}
	b.done = true
	defer b.s.commitMu.Unlock()
	if b.w == nil {
		_, err := b.spilled() // its goroutine is done with the folder
		return errors.Join(err, b.s.removeAll(runsDir))
	}
	// The writes already queued must reach Badger before the rollback looks for them.
	flushed := b.w.flush()
	if !b.written {
		return b.s.writeMarker(b.s.nextVersion(), pendingKey, nil, tombstone)
	}
	return errors.Join(flushed, b.s.rollback(b.version))
}

// keptChunk is the size of the blocks a streamed Bulk copies its writes into.
const keptChunk = 1 << 20

// kept copies p into the bulk's chunks.
func (b *bulk) kept(p []byte) []byte {
	if len(p) > cap(b.chunk)-len(b.chunk) {
		b.chunk = make([]byte, 0, max(len(p), keptChunk))
	}
	start := len(b.chunk)
	b.chunk = append(b.chunk, p...)
	return b.chunk[start:len(b.chunk):len(b.chunk)]
}

// versionWriter writes entries at one version through Badger's KVLoader, which hands
// them to Badger's write queue outside its transactions. A WriteBatch would enter
// every key it writes in Badger's record of committed transactions for conflict
// detection, which is pruned only once no running Update's snapshot predates the
// write, for a Bulk after its Commit: rebuilding the full-text index of ten million
// relations held 1.4 GB of them. Updates need no such record of these writes: none
// commits while a Bulk or a rollback holds commitMu, one whose snapshot predates a
// committed Bulk conflicts (lastBulk), and a rollback writes back the values the
// snapshots before it read.
type versionWriter struct {
	loader *badger.KVLoader
	kv     pb.KV
	meta   [1]byte
}

// loaderPendingWrites is how many batches a KVLoader hands Badger's writer ahead: the
// writer, one goroutine, is kept busy by a few, and each is some 10 MB of entries.
const loaderPendingWrites = 4

func (s *Store) newVersionWriter(v uint64) *versionWriter {
	return &versionWriter{loader: s.db.NewKVLoader(loaderPendingWrites), kv: pb.KV{Version: v}}
}

// set writes key at the writer's version. Badger keeps key and value until the write
// reaches it; the caller must not change them.
func (w *versionWriter) set(key, value []byte, meta byte) error {
	w.meta[0] = meta
	w.kv.Key, w.kv.Value, w.kv.UserMeta = key, value, w.meta[:]
	return w.loader.Set(&w.kv)
}

// flush waits until every write has reached Badger, and returns the first error.
func (w *versionWriter) flush() error { return w.loader.Finish() }

// spill hands the buffered writes to a goroutine that sorts them into a new run file,
// and goes on with the buffer of the spill before it: the caller plans its next writes
// while these are sorted, on another processor (sorting inline took a seventh of a
// million-relation import). One spill runs at a time, so two buffers are held at most.
func (b *bulk) spill() error {
	if len(b.stream) == 0 {
		return nil
	}
	spare, err := b.spilled()
	if err != nil {
		return err
	}
	sp := &runSpill{done: make(chan struct{}), entries: b.stream}
	dir, n := filepath.Join(b.s.dir, runsDir), len(b.runs)
	go func() {
		defer close(sp.done)
		sp.path, sp.err = spill(dir, n, sp.entries)
	}()
	b.runs = append(b.runs, "") // named when it has ended
	b.spilling = sp
	b.stream = spare
	return nil
}

// spilled waits for the spill under way, if any, and returns its buffer, emptied.
func (b *bulk) spilled() ([]streamed, error) {
	sp := b.spilling
	if sp == nil {
		return nil, nil
	}
	<-sp.done
	b.spilling = nil
	if sp.err != nil {
		return nil, sp.err
	}
	b.runs[len(b.runs)-1] = sp.path
	clear(sp.entries) // letting their chunks go
	return sp.entries[:0], nil
}

// removeAll removes the folder name of the data directory: a streamed Bulk's runs
// (runsDir) or writers' temporary files (tempDir), once done with or left by a crash.
func (s *Store) removeAll(name string) error {
	if s.dir == "" {
		return nil
	}
	return os.RemoveAll(filepath.Join(s.dir, name))
}

// tempDir is the folder of writers' temporary files in a data directory (TempDir).
const tempDir = "eventgraph-temp"

// TempDir implements kv.Local: a folder in the data directory, which Open empties.
func (s *Store) TempDir() string {
	if s.dir == "" {
		return ""
	}
	return filepath.Join(s.dir, tempDir)
}

// streamed is one buffered write of a streamed Bulk, with its position among them. The
// key's first bytes are kept inline so that sorting millions of them mostly compares
// without chasing pointers.
type streamed struct {
	head       [16]byte
	key, value []byte
	meta       byte
	seq        int
}

func compareStreamed(a, b *streamed) int {
	if c := bytes.Compare(a.head[:], b.head[:]); c != 0 {
		return c
	}
	if c := bytes.Compare(a.key, b.key); c != 0 {
		return c
	}
	return a.seq - b.seq
}

// sortedStream sorts entries on both cores, each half at once, and returns a function
// giving them in order, merging the halves (nil at the end). A million-relation import
// sorts some ten million entries, seconds of work on one core.
func sortedStream(entries []streamed) func() *streamed {
	cmp := func(a, b streamed) int { return compareStreamed(&a, &b) }
	a, b := entries[:len(entries)/2], entries[len(entries)/2:]
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		slices.SortFunc(a, cmp)
	}()
	slices.SortFunc(b, cmp)
	wg.Wait()
	return func() *streamed {
		switch {
		case len(a) == 0 && len(b) == 0:
			return nil
		case len(b) == 0 || len(a) > 0 && compareStreamed(&a[0], &b[0]) <= 0:
			e := &a[0]
			a = a[1:]
			return e
		}
		e := &b[0]
		b = b[1:]
		return e
	}
}

// writeStream writes writes, all at version v, into the empty database with a
// StreamWriter, marking the directory while it runs. Call with commitMu held.
func (s *Store) writeStream(v uint64, writes sortedWrites) error {
	pending := filepath.Join(s.dir, streamPendingFile)
	if err := os.WriteFile(pending, nil, 0o600); err != nil {
		return err
	}
	sw := s.db.NewStreamWriter()
	if err := sw.Prepare(); err != nil {
		return err
	}
	// The StreamWriter decodes each buffer written into a request of its own and
	// queues up to three more; small buffers keep that near 50 MB. A goroutine merges
	// the writes and encodes them into one buffer while this one hands the other to
	// the StreamWriter: each took about half of a large commit.
	free, full := make(chan *z.Buffer, 2), make(chan *z.Buffer, 1)
	for range 2 {
		free <- z.NewBuffer(8<<20, "eventgraph.stream")
	}
	stop := make(chan struct{})
	var encodeErr error
	go func() {
		defer close(full)
		encodeErr = encodeStream(v, writes, free, full, stop)
	}()
	var err error
	for buf := range full {
		if err == nil {
			if err = sw.Write(buf); err != nil {
				close(stop)
			}
		}
		free <- buf
	}
	for range 2 {
		(<-free).Release()
	}
	if err = cmp.Or(err, encodeErr); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return os.Remove(pending)
}

// encodeStream encodes writes at version v into buffers taken from free, sending each
// to full once it holds 4 MB, and the last one however little it holds; it ends early
// when stop is closed. Every buffer it takes, it sends.
func encodeStream(v uint64, writes sortedWrites, free <-chan *z.Buffer, full chan<- *z.Buffer, stop <-chan struct{}) error {
	buf := <-free
	buf.Reset()
	defer func() { full <- buf }()
	for {
		e, err := writes()
		if err != nil || e == nil {
			return err
		}
		kv := kvEntry{key: e.key, value: e.value, userMeta: e.meta, version: v}
		kv.append(buf.SliceAllocate(kv.size())[:0])
		if buf.LenNoPadding() < 4<<20 {
			continue
		}
		select {
		case full <- buf:
		case <-stop:
			return nil
		}
		buf = <-free
		buf.Reset()
	}
}

// recoverStream undoes a streamed Bulk write that a crash interrupted: the database
// was empty before it began, so everything in it now is the partial write.
func (s *Store) recoverStream() error {
	if s.dir == "" {
		return nil
	}
	pending := filepath.Join(s.dir, streamPendingFile)
	if _, err := os.Stat(pending); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err := s.db.DropAll(); err != nil {
		return fmt.Errorf("roll back an interrupted first import: %w", err)
	}
	return os.Remove(pending)
}

// writeMarker writes one backend key at version v, bypassing the visible version: the
// marker itself is what makes a crashed Bulk recoverable. Call with commitMu held.
func (s *Store) writeMarker(v uint64, key, value []byte, meta byte) error {
	txn := s.db.NewTransactionAt(v-1, true)
	defer txn.Discard()
	if err := txn.SetEntry(badger.NewEntry(key, value).WithMeta(meta)); err != nil {
		return err
	}
	return txn.CommitAt(v, nil)
}

// recover loads the aborted ranges and rolls back a Bulk write left pending by a crash.
func (s *Store) recover() error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{Prefix: abortedKey, PrefetchValues: true})
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		val, err := item.ValueCopy(nil)
		if err != nil {
			it.Close()
			return err
		}
		start := binary.BigEndian.Uint64(item.Key()[len(abortedKey):])
		s.aborted = append(s.aborted, [2]uint64{start, binary.BigEndian.Uint64(val)})
	}
	it.Close()
	item, err := txn.Get(pendingKey)
	if errors.Is(err, badger.ErrKeyNotFound) || (err == nil && item.UserMeta()&tombstone != 0) {
		return nil
	}
	if err != nil {
		return err
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		return err
	}
	return s.rollback(binary.BigEndian.Uint64(val))
}

// rollback undoes every write made at version v by rewriting each touched key's previous
// version (or a tombstone) at a new version, then records [v, new) as aborted so old
// snapshots never read the partial write. Call with commitMu held.
func (s *Store) rollback(v uint64) error {
	undo := s.newVersionWriter(s.nextVersion())
	err := s.undoVersion(v, undo)
	if ferr := undo.flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	end := s.nextVersion()
	s.abortedMu.Lock()
	s.aborted = append(s.aborted, [2]uint64{v, end})
	s.abortedMu.Unlock()
	if err := s.writeMarker(end, append(bytes.Clone(abortedKey), u64(v)...), u64(end), 0); err != nil {
		return err
	}
	if err := s.writeMarker(s.nextVersion(), pendingKey, nil, tombstone); err != nil {
		return err
	}
	s.visible.Store(s.last)
	return nil
}

// undoVersion scans every version of every key (newest first within a key) and, for each
// key written at v, writes to undo the newest value older than v, or a tombstone.
func (s *Store) undoVersion(v uint64, undo *versionWriter) error {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
	defer it.Close()
	var key []byte
	written, restored := false, false
	finish := func() error {
		if written && !restored {
			return undo.set(bytes.Clone(key), nil, tombstone)
		}
		return nil
	}
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if bytes.HasPrefix(item.Key(), []byte(reserved)) {
			continue
		}
		if !bytes.Equal(item.Key(), key) {
			if err := finish(); err != nil {
				return err
			}
			key = item.KeyCopy(key[:0])
			written, restored = false, false
		}
		switch ver := item.Version(); {
		case ver == v:
			written = true
		case ver < v && written && !restored:
			val, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if err := undo.set(bytes.Clone(key), val, item.UserMeta()); err != nil {
				return err
			}
			restored = true
		}
	}
	return finish()
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// badgerLogger forwards Badger's warnings and errors to slog.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	if b.l != nil {
		b.l.Error(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
	}
}

func (b badgerLogger) Warningf(f string, a ...any) {
	if b.l != nil {
		b.l.Warn(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
	}
}

func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}
