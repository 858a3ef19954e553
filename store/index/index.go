// Package index is what a derived index is to the graph: data the store keeps beside
// its records that can always be recomputed from them (counts, a text index, evidence
// by id). The graph's write path tells every registered index of each record a write
// changes, and the index plans its own keys into the same write, so no reader ever
// sees the two disagree; Open rebuilds an index a store lacks, or holds at another
// version, from the records.
//
// An index is a package under store/index implementing Index, registered by one line
// in store (derived.go). Its keys are declared in package layout, which allocates
// every key prefix.
package index

import (
	"errors"
	"strconv"
	"sync"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Index is a derived index.
type Index interface {
	// Name names the index in its marker key (layout.MarkerKey).
	Name() string
	// Version changes whenever the index's keys change meaning; the marker records the
	// version a store holds.
	Version() int
	// Owns lists the key prefixes that hold this index's keys and nothing else; a
	// rebuild deletes everything under them first.
	Owns() [][]byte
	// Rebuild writes the whole index, into an empty key space, from the records r reads.
	Rebuild(r kv.Reader, w Writer) error
	// Plan starts the index's share of one write, planning its keys into keys.
	Plan(keys Keys) Plan
}

// Plan is an index's share of one write. It is told of every record the write
// changes, in the order the write changes them, and plans the keys that follow from
// each into the write; Finish plans what follows from the write as a whole.
type Plan interface {
	// Node: a node record goes from old to cur (old nil: it is new; cur nil: it is
	// removed).
	Node(old, cur domain.Node)
	// Relation: a relation record goes from old to cur (old nil: it is new; cur nil: it
	// is deleted). A retracted relation is out of current answers; kindOf gives the
	// kinds of its ends.
	Relation(old, cur *domain.Relation, kindOf KindOf) error
	// Evidence: an evidence record goes from old to cur (old nil: it is added; cur
	// nil: it is deleted).
	Evidence(old, cur *domain.Evidence)
	// Finish plans what the index writes once per write, after every change; c says
	// how the write commits. It returns what to do once the write has committed (nil:
	// nothing).
	Finish(c Commit) (committed func(), err error)
}

// KindOf returns the kind of the node with id as the write leaves it; "" when there is
// none (the write is then refused).
type KindOf func(id string) (domain.Kind, error)

// Keys is a write being planned: key writes go into it and commit together, so adding
// one cannot fail.
type Keys interface {
	Set(key, value []byte)
	Delete(key []byte)
}

// Writer receives key writes that may fail: a bulk write, a transaction.
type Writer interface {
	Set(key, value []byte) error
	Delete(key []byte) error
}

// Commit says how a write commits.
type Commit struct {
	// Seq is the write's sequence number (InFlight.Reserve): the newest version when
	// it began. Zero for a write that holds the commit lock.
	Seq uint64
	// Locked, set for a write that holds the store's commit lock (an import), reads
	// the newest snapshot: nothing else can change what it reads before the write
	// commits, so an index may write values computed from it.
	Locked kv.Reader
}

// Current reports whether the snapshot r reads holds the version of the index name.
// Snapshots older than the index's first build do not, and readers fall back to
// computing from the records there.
func Current(r kv.Reader, name string, version int) (bool, error) {
	v, err := r.Get(layout.MarkerKey(name))
	if errors.Is(err, kv.ErrNotFound) {
		return false, nil
	}
	return err == nil && string(v) == strconv.Itoa(version), err
}

// Marker is the marker key and value that say a store holds ix.
func Marker(ix Index) (key, value []byte) {
	return layout.MarkerKey(ix.Name()), []byte(strconv.Itoa(ix.Version()))
}

// Upkeeper is an Index with upkeep of its own (a compaction), which Open runs once the
// index is current.
type Upkeeper interface {
	Upkeep() error
}

// InFlight tracks the sequence numbers of the transactional writes in flight, so that
// work which must not pass over a write not yet committed (a compaction of counts)
// knows how far it may go. Its zero value is ready. Reservations are in memory: one
// process at a time opens a data directory.
type InFlight struct {
	mu       sync.Mutex
	reserved map[uint64]int
}

// Reserve returns the sequence number a write carries: the newest version of s now, at
// or below the snapshot its transaction will read. Release it once the write ends.
func (f *InFlight) Reserve(s kv.Store) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reserved == nil {
		f.reserved = map[uint64]int{}
	}
	seq := s.LatestVersion()
	f.reserved[seq]++
	return seq
}

// Release ends the reservation of seq.
func (f *InFlight) Release(seq uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reserved[seq]--; f.reserved[seq] == 0 {
		delete(f.reserved, seq)
	}
}

// Limit is the sequence number below which work reading at version may treat every
// write as committed and visible: a write not yet committed holds a reservation at or
// below its sequence number, and one reserving later gets at least version, which is
// already visible.
func (f *InFlight) Limit(version uint64) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	limit := version
	for seq := range f.reserved {
		limit = min(limit, seq)
	}
	return limit
}
