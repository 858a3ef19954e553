// Package memkv is an in-memory kv.Store: the reference implementation of the kv
// contract, written to be read rather than to be fast. It passes the conformance suite
// (kv/kvtest), and the store, server, graph and seed test suites run on it as they run
// on Badger (EVENTGRAPH_TEST_KV=memory, see storetest/testkv). Nothing is written to
// disk: closing the store, or ending the process, loses everything. It has no backups:
// the server serves GET /backup only over a store with a Backup method, as Badger has.
//
// The whole design:
//
//   - Every key ever written has a record holding all its versions, oldest first, each
//     a value or a tombstone. Records sit in one slice sorted by key, so a range read
//     is a binary search and a walk. Nothing is ever removed.
//   - A snapshot at version v reads, for each key, the newest version at or below v.
//     Every commit gets the next version (the commit's wall-clock time in Unix
//     nanoseconds, kept strictly increasing) and is applied under the store's one lock,
//     so a snapshot sees all of a commit or none of it.
//   - Readers take that lock for each call and never hold it while a callback runs: a
//     callback may start a View or an Update of its own. Iterations read a chunk of
//     keys under the lock, release it, pass the chunk on, and seek past its last key.
//     It is a plain mutex, not a readers-writer lock: each hold is short, and under
//     the race detector a sync.RWMutex taken by readers in a tight loop made commits
//     wait some forty times longer (kvtest's ManyConcurrentWriters: 31 s against 0.8 s).
//   - An Update runs its function against a snapshot with its writes buffered; the
//     keys it reads (each Get, each key an iteration passes on) are remembered. At
//     commit, if any of those keys has a version newer than the snapshot, or a Bulk
//     committed since the snapshot, the Update is run again, up to MaxRetries times,
//     then fails with kv.ErrConflict. Like Badger, it does not detect phantoms: a key
//     created in a range the function iterated over is not a conflict.
//   - A Bulk holds the commit lock from start to end, so Updates wait for it to finish,
//     and buffers its writes until Commit applies them at one version.
package memkv

import (
	"bytes"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"eventgraph/store/kv"
)

// Options configure New.
type Options struct {
	// MaxRetries bounds how often Update reruns a conflicting transaction; 0 means 16,
	// as for Badger.
	MaxRetries int
}

// chunk is how many keys an iteration reads under one hold of the lock.
const chunk = 256

// Store is an in-memory kv.Store.
type Store struct {
	maxRetries int

	// commitMu serialises commits; a Bulk holds it from Bulk to Commit or Abort.
	commitMu sync.Mutex

	mu       sync.Mutex // guards everything below
	records  []*record  // sorted by key
	latest   uint64     // newest committed version
	lastBulk uint64     // version of the newest Bulk commit
	closed   bool
}

// record is every version of one key, oldest first.
type record struct {
	key      []byte
	versions []version
}

type version struct {
	at      uint64
	value   []byte
	deleted bool
}

// at returns the version of r visible at snapshot v, or false when the key had no
// version yet or its newest one is a tombstone.
func (r *record) at(v uint64) ([]byte, bool) {
	i := sort.Search(len(r.versions), func(i int) bool { return r.versions[i].at > v })
	if i == 0 || r.versions[i-1].deleted {
		return nil, false
	}
	return r.versions[i-1].value, true
}

// New returns an empty store.
func New(o Options) *Store {
	s := &Store{maxRetries: o.MaxRetries}
	if s.maxRetries <= 0 {
		s.maxRetries = 16
	}
	return s
}

// find returns the index of the first record whose key is not below key. Call with mu
// held.
func (s *Store) find(key []byte) int { return search(s.records, key) }

// search returns the index of the first of records, sorted by key, whose key is not
// below key.
func search(records []*record, key []byte) int {
	i, _ := slices.BinarySearchFunc(records, key, func(r *record, k []byte) int { return bytes.Compare(r.key, k) })
	return i
}

// lookup returns key's record, or nil. Call with mu held.
func (s *Store) lookup(key []byte) *record {
	if i := s.find(key); i < len(s.records) && bytes.Equal(s.records[i].key, key) {
		return s.records[i]
	}
	return nil
}

// LatestVersion implements kv.Store.
func (s *Store) LatestVersion() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest
}

// View implements kv.Store. A version above the newest reads the newest. After Close it
// returns kv.ErrClosed, as do the Reader's calls.
func (s *Store) View(v uint64, fn func(kv.Reader) error) error {
	s.mu.Lock()
	closed, latest := s.closed, s.latest
	s.mu.Unlock()
	if closed {
		return kv.ErrClosed
	}
	if v == kv.Latest || v > latest {
		v = latest
	}
	return fn(&reader{s: s, version: v})
}

// Update implements kv.Store. It returns kv.ErrConflict when every one of MaxRetries
// runs conflicted, kv.ErrClosed after Close, a reserved key's error from Set or
// Delete, and otherwise fn's own error.
func (s *Store) Update(fn func(kv.ReadWriter) error) (uint64, error) {
	for attempt := range s.maxRetries {
		v, err := s.updateOnce(fn)
		if !errors.Is(err, errConflict) {
			return v, err
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Microsecond)
	}
	return 0, kv.ErrConflict
}

// errConflict is one attempt's conflict, retried by Update.
var errConflict = errors.New("memkv: conflict")

func (s *Store) updateOnce(fn func(kv.ReadWriter) error) (uint64, error) {
	s.mu.Lock()
	closed, snapshot := s.closed, s.latest
	s.mu.Unlock()
	if closed {
		return 0, kv.ErrClosed
	}
	t := &txn{reader: reader{s: s, version: snapshot}, writes: map[string]version{}, reads: map[string]bool{}}
	t.reader.tracked = t.reads
	if err := fn(t); err != nil {
		return 0, err
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, kv.ErrClosed
	}
	if snapshot < s.lastBulk {
		return 0, errConflict
	}
	for k := range t.reads {
		if r := s.lookup([]byte(k)); r != nil && r.versions[len(r.versions)-1].at > snapshot {
			return 0, errConflict
		}
	}
	return s.commitLocked(t.writes), nil
}

// commitLocked applies writes at the next version and returns it. Call with commitMu
// and mu held.
func (s *Store) commitLocked(writes map[string]version) uint64 {
	v := max(uint64(time.Now().UnixNano()), s.latest+1)
	var added []*record
	for k, w := range writes {
		w.at = v
		if r := s.lookup([]byte(k)); r != nil {
			r.versions = append(r.versions, w)
		} else {
			added = append(added, &record{key: []byte(k), versions: []version{w}})
		}
	}
	s.insertLocked(added)
	s.latest = v
	return v
}

// insertLocked adds records for new keys to s.records. From the largest new key down,
// each goes after the old records below it, and the old records above it move up past
// it and the new keys still to come, in one copy. Call with mu held.
func (s *Store) insertLocked(added []*record) {
	slices.SortFunc(added, func(a, b *record) int { return bytes.Compare(a.key, b.key) })
	end := len(s.records) // the old records not moved yet are s.records[:end]
	s.records = slices.Grow(s.records, len(added))[:end+len(added)]
	for j := len(added) - 1; j >= 0; j-- {
		at := search(s.records[:end], added[j].key)
		copy(s.records[at+j+1:], s.records[at:end])
		s.records[at+j] = added[j]
		end = at
	}
}

// History implements kv.Store; after Close it returns kv.ErrClosed.
func (s *Store) History(key []byte, fn func(version uint64, value []byte, deleted bool) error) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return kv.ErrClosed
	}
	var versions []version
	if r := s.lookup(key); r != nil {
		versions = slices.Clone(r.versions)
	}
	s.mu.Unlock()
	for _, v := range slices.Backward(versions) {
		err := fn(v.at, v.value, v.deleted)
		if errors.Is(err, kv.ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Close implements kv.Store: it drops every record. A Bulk still open fails at
// Commit.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.records = nil
	return nil
}

// Bulk implements kv.Store; after Close it returns kv.ErrClosed. It waits for a Bulk
// already open to end, and Commit returns kv.ErrClosed if the store was closed
// meanwhile.
func (s *Store) Bulk() (kv.BulkWriter, error) {
	s.commitMu.Lock()
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		s.commitMu.Unlock()
		return nil, kv.ErrClosed
	}
	return &bulk{s: s, writes: map[string]version{}}, nil
}

// bulk is a kv.BulkWriter holding commitMu until it ends.
type bulk struct {
	s      *Store
	writes map[string]version
	done   bool
}

func (b *bulk) Set(key, value []byte) error {
	return b.write(key, version{value: bytes.Clone(value)})
}

func (b *bulk) Delete(key []byte) error { return b.write(key, version{deleted: true}) }

// Staged implements kv.Staged: the writes stay in the bulk until Commit.
func (b *bulk) Staged() bool { return true }

func (b *bulk) write(key []byte, w version) error {
	if b.done {
		return errEnded
	}
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	b.writes[string(key)] = w
	return nil
}

var errEnded = errors.New("kv: bulk write already ended")

func (b *bulk) Commit() (uint64, error) {
	if b.done {
		return 0, errEnded
	}
	b.done = true
	defer b.s.commitMu.Unlock()
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	if b.s.closed {
		return 0, kv.ErrClosed
	}
	v := b.s.commitLocked(b.writes)
	b.s.lastBulk = v
	return v, nil
}

func (b *bulk) Abort() error {
	if !b.done {
		b.done = true
		b.s.commitMu.Unlock()
	}
	return nil
}
