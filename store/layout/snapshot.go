package layout

import (
	"errors"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// Snapshot is the graph at one version as one goroutine reads it: a kv.Reader, and a
// way to open a second reader of the same version so that many reads can be shared
// between two goroutines and still come from one snapshot.
type Snapshot struct {
	kv.Reader
	again func(read func(kv.Reader) error) error
}

// NewSnapshot reads through r; again opens another reader of r's version for the
// duration of read (nil: reads stay on r).
func NewSnapshot(r kv.Reader, again func(read func(kv.Reader) error) error) *Snapshot {
	return &Snapshot{Reader: r, again: again}
}

// View runs fn on a snapshot of s at version (kv.Latest: the newest).
func View(s kv.Store, version uint64, fn func(*Snapshot) error) error {
	return s.View(version, func(r kv.Reader) error {
		return fn(NewSnapshot(r, func(read func(kv.Reader) error) error { return s.View(r.Version(), read) }))
	})
}

// parallelReads is the fewest random reads InHalves splits between two goroutines: for
// fewer, a second goroutine and transaction cost about what they save.
const parallelReads = 128

// InHalves runs read over the items [0, n) of the snapshot. Many are read in two
// halves at once, the second half through another reader of the snapshot's version, so
// the answer still comes from one snapshot: they are random point reads of a few
// microseconds each, which would otherwise leave a second processor idle while one
// request waits for them. read must only touch state that belongs to the items it is
// given.
func (s *Snapshot) InHalves(n int, read func(r kv.Reader, from, to int) error) error {
	if n < parallelReads || s.again == nil {
		return read(s.Reader, 0, n)
	}
	half := n / 2
	done := make(chan error, 1)
	go func() {
		done <- s.again(func(r2 kv.Reader) error { return read(r2, half, n) })
	}()
	err := read(s.Reader, 0, half)
	return errors.Join(err, <-done)
}

// ReadNodes reads the nodes with ids, in order.
//
// Errors: domain.ErrNotFound.
func (s *Snapshot) ReadNodes(ids []string) ([]domain.Node, error) {
	out := make([]domain.Node, len(ids))
	err := s.InHalves(len(ids), func(r kv.Reader, from, to int) error {
		for i := from; i < to; i++ {
			n, err := ReadNode(r, ids[i])
			if err != nil {
				return err
			}
			out[i] = n
		}
		return nil
	})
	return out, err
}

// ReadEvidenceOf reads the evidence records of each of subjects (relation, position or
// entity ids, in ascending order without repeats), each list in evidence id order: one
// cursor over the subjects' ranges (kv.Reader.IterateRanges), in two halves as
// InHalves reads.
func (s *Snapshot) ReadEvidenceOf(subjects []string) ([][]*domain.Evidence, error) {
	out := make([][]*domain.Evidence, len(subjects))
	prefixes := make([][]byte, len(subjects))
	for i, subject := range subjects {
		prefixes[i] = EvidenceOf(subject)
	}
	err := s.InHalves(len(prefixes), func(r kv.Reader, from, to int) error {
		return r.IterateRanges(prefixes[from:to], func(i int, _, v []byte) error {
			ev, err := DecodeEvidence(v)
			out[from+i] = append(out[from+i], ev)
			return err
		})
	})
	return out, err
}
