// Package kv is the narrow storage seam under the eventgraph graph: an ordered,
// transactional, multi-version key-value store.
//
// The graph layer (package store) speaks only this interface, so a second backend (a
// distributed ordered key-value engine, say) is added by implementing it and passing the
// shared conformance suite in kv/kvtest, not by rewriting the graph.
//
// Every committed write gets a version: a strictly increasing uint64 that is also the
// commit's transaction time in Unix nanoseconds. Readers see a consistent snapshot at one
// version, which is what "as of" queries and "readers never see half a write" rest on.
// Backends keep every version; nothing is compacted away.
package kv

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors returned by every backend.
var (
	// ErrNotFound is returned by Get when the key has no live value at the snapshot.
	ErrNotFound = errors.New("kv: key not found")
	// ErrConflict is returned by Update when the transaction kept conflicting with
	// concurrent commits after the backend's bounded retries.
	ErrConflict = errors.New("kv: transaction conflict")
	// ErrUndetermined is returned by Update or a BulkWriter's Commit when the backend
	// lost the answer to its commit and cannot tell whether it landed. The write is then
	// either wholly there or wholly absent, as readers see it; the caller reads before
	// writing it again, since running it again could apply it twice. Badger and memkv
	// never return it; TiKV does when the answer to a primary key's commit is lost.
	ErrUndetermined = errors.New("kv: the commit's result is unknown")
	// ErrClosed is returned by every call made after Close.
	ErrClosed = errors.New("kv: store closed")
	// ErrStop may be returned by an Iterate callback to end the iteration early; Iterate
	// then returns nil.
	ErrStop = errors.New("kv: stop iteration")
	// ErrLocked is returned by a backend's open function when another process holds the
	// data directory.
	ErrLocked = errors.New("kv: data directory is in use by another process")
)

// Latest asks View for the newest version (LatestVersion).
const Latest uint64 = 0

// Store is an ordered, transactional, multi-version key-value store.
type Store interface {
	// View runs fn against a consistent snapshot at version (Latest for the newest
	// committed one). The Reader must not be used after fn returns.
	View(version uint64, fn func(Reader) error) error
	// Update runs fn in a read-write transaction and commits it atomically, returning
	// the commit version. fn may run more than once: when a concurrent commit changed a
	// key fn read, Update retries a bounded number of times and then returns
	// ErrConflict. Any other error from fn aborts the transaction and is returned.
	Update(fn func(ReadWriter) error) (version uint64, err error)
	// Bulk starts a large write that is not bounded by transaction size. Its writes
	// become visible all together at Commit, or never (Abort, a crash before Commit).
	// Only one Bulk or Update commits at a time; Updates whose snapshot predates a Bulk
	// commit fail with ErrConflict and are retried. On a store other processes write
	// too (Shared), they may commit while a Bulk is open: when one of their commits
	// since the Bulk began wrote a key it writes, its Commit returns ErrConflict and
	// writes nothing, and the writer reads again before writing again.
	Bulk() (BulkWriter, error)
	// LatestVersion returns the newest version: one at which every commit acknowledged
	// before the call is visible. On a store one process holds (Badger, memkv) it is
	// the newest commit's own version, and stays put while nothing commits; on a store
	// several processes share (TiKV) it is the cluster's current time, which moves on
	// without commits, so that another process's commit is visible at once.
	LatestVersion() uint64
	// History calls fn for every version of key, newest first, with deleted == true
	// for versions that removed it.
	History(key []byte, fn func(version uint64, value []byte, deleted bool) error) error
	// Close releases the store. It does not commit pending Bulk writes.
	Close() error
}

// Shared is implemented by a Store that several processes write at once (tikvkv).
// A process knows only its own writes in flight (index.InFlight), so work that must not
// pass over one (folding counts) allows for the others' by WriteHorizon: a write
// commits, if ever, within that long after its sequence number, the LatestVersion it
// read when it began.
type Shared interface {
	WriteHorizon() time.Duration
}

// Reader reads one snapshot. Keys and values passed to callbacks are valid only during
// the callback; copy them to keep them.
type Reader interface {
	// Get returns a copy of the value of key, or ErrNotFound.
	Get(key []byte) ([]byte, error)
	// Iterate calls fn for each key in [opts.Start, opts.End) that has opts.Prefix, in
	// ascending key order (descending when opts.Reverse), until fn returns an error.
	// ErrStop ends it quietly.
	Iterate(opts IterOptions, fn func(key, value []byte) error) error
	// IterateRanges visits the keys under each prefix in turn, as Iterate with that
	// Prefix would, calling fn with the prefix's index: many small ranges read with one
	// cursor, for batched lookups. Prefixes must be in ascending order. ErrStop ends it
	// quietly.
	IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error
	// Version is the snapshot's version.
	Version() uint64
}

// ReadWriter is a Reader that also buffers writes for an atomic commit.
type ReadWriter interface {
	Reader
	// Set stores value under key. Reads in the same transaction see it.
	Set(key, value []byte) error
	// Delete removes key. Older versions stay readable through History and old snapshots.
	Delete(key []byte) error
}

// BulkWriter is a large atomic write; see Store.Bulk.
type BulkWriter interface {
	Set(key, value []byte) error
	Delete(key []byte) error
	// Commit makes every write visible at once and returns the version.
	Commit() (version uint64, err error)
	// Abort discards every write; calling it after Commit does nothing.
	Abort() error
}

// Staged is a BulkWriter that may keep its writes out of the store until Commit, in
// memory or in files beside it. Staged reports whether this one does: its Abort then
// costs nothing however much was written, so a writer may send it writes it has not
// finished checking. A BulkWriter that is not Staged may write into the store as it
// goes, and its Abort undo them.
type Staged interface {
	Staged() bool
}

// Local is implemented by a Store kept in a folder of this machine (badgerkv). Writers
// keep their temporary files in its TempDir, on the disk sized for the store rather
// than in the system's temporary folder (often memory, and not sized for data); the
// store empties the folder when it opens, so that a crash leaves nothing behind for
// long. TempDir is "" when the store has no folder.
type Local interface {
	TempDir() string
}

// Reserver is a BulkWriter that can make room for n more writes ahead of them.
type Reserver interface {
	Reserve(n int)
}

// IterOptions selects a key range. A zero value iterates over every key. Keys starting
// with the byte 0xFF are reserved for backends and never visited.
type IterOptions struct {
	Prefix []byte
	// Start is the lowest key of the range (inclusive); nil means no bound.
	Start []byte
	// End is the key the range stops before (exclusive); nil means no bound.
	End []byte
	// Reverse visits keys in descending order.
	Reverse bool
	// KeysOnly promises fn will not look at values, so backends may skip loading them.
	KeysOnly bool
}

// Bounds is the range o selects as its lowest key (inclusive, never nil) and the key it
// stops before, which is at most 0xFF: the reserved keys lie beyond.
func (o IterOptions) Bounds() (lo, hi []byte) {
	lo, hi = []byte{}, []byte{0xff}
	if bytes.Compare(o.Prefix, lo) > 0 {
		lo = o.Prefix
	}
	if bytes.Compare(o.Start, lo) > 0 {
		lo = o.Start
	}
	if end := PrefixEnd(o.Prefix); end != nil && bytes.Compare(end, hi) < 0 {
		hi = end
	}
	if o.End != nil && bytes.Compare(o.End, hi) < 0 {
		hi = o.End
	}
	return lo, hi
}

// CheckKey refuses the keys the kv contract reserves for backends: empty, or opening
// with 0xFF.
func CheckKey(key []byte) error {
	if len(key) == 0 || key[0] == 0xff {
		return fmt.Errorf("kv: key %q is empty or in the reserved 0xFF range", key)
	}
	return nil
}

// PrefixEnd is the smallest key above every key with prefix p, nil for none.
func PrefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// VersionTime converts a version to the transaction time it records.
func VersionTime(version uint64) time.Time { return time.Unix(0, int64(version)).UTC() }
