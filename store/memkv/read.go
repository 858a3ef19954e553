package memkv

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"eventgraph/store/kv"
)

// reader is a snapshot at version. In an Update, tracked records the keys read.
type reader struct {
	s       *Store
	version uint64
	tracked map[string]bool
}

func (r *reader) Version() uint64 { return r.version }

// entry is one key of a range as a snapshot or a transaction's writes hold it.
type entry struct {
	key, value []byte
	deleted    bool
}

func (r *reader) Get(key []byte) ([]byte, error) {
	if r.tracked != nil {
		r.tracked[string(key)] = true
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.s.closed {
		return nil, kv.ErrClosed
	}
	if rec := r.s.lookup(key); rec != nil {
		if v, ok := rec.at(r.version); ok {
			return bytes.Clone(v), nil
		}
	}
	return nil, kv.ErrNotFound
}

func (r *reader) Iterate(o kv.IterOptions, fn func(key, value []byte) error) error {
	return quiet(r.iterate(o, nil, fn))
}

func (r *reader) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	return quiet(iterateRanges(prefixes, func(o kv.IterOptions, fn func(key, value []byte) error) error {
		return r.iterate(o, nil, fn)
	}, fn))
}

// iterateRanges runs iterate over each prefix in turn, leaving kv.ErrStop to the
// caller so that it ends every range.
func iterateRanges(prefixes [][]byte, iterate func(kv.IterOptions, func(key, value []byte) error) error, fn func(i int, key, value []byte) error) error {
	for i, p := range prefixes {
		if i > 0 && bytes.Compare(p, prefixes[i-1]) < 0 {
			return fmt.Errorf("kv: IterateRanges prefixes out of order at %d", i)
		}
		err := iterate(kv.IterOptions{Prefix: p}, func(k, v []byte) error { return fn(i, k, v) })
		if err != nil {
			return err
		}
	}
	return nil
}

// quiet turns kv.ErrStop into the nil the callers of Iterate expect.
func quiet(err error) error {
	if errors.Is(err, kv.ErrStop) {
		return nil
	}
	return err
}

// iterate passes fn the keys of o's range in order, with own (a transaction's writes
// in that range, sorted by key) laid over the snapshot: an own write replaces the
// snapshot's value or, deleted, hides the key. It returns fn's error as it is.
func (r *reader) iterate(o kv.IterOptions, own []entry, fn func(key, value []byte) error) error {
	lo, hi := o.Bounds()
	if bytes.Compare(lo, hi) >= 0 {
		return nil
	}
	if o.Reverse {
		slices.Reverse(own)
	}
	// before says whether key a comes before key b in the iteration's order.
	before := func(a, b []byte) bool {
		if o.Reverse {
			return bytes.Compare(a, b) > 0
		}
		return bytes.Compare(a, b) < 0
	}
	next := r.cursor(lo, hi, o.Reverse)
	for {
		stored, ok, err := next()
		if err != nil {
			return err
		}
		// Own writes that come before the stored key, or at it, are passed on first.
		shadowed := false
		for len(own) > 0 && (!ok || !before(stored.key, own[0].key)) {
			mine := own[0]
			own = own[1:]
			shadowed = shadowed || ok && bytes.Equal(mine.key, stored.key)
			if !mine.deleted {
				if err := r.visit(mine.key, mine.value, fn); err != nil {
					return err
				}
			}
		}
		if !ok {
			return nil
		}
		if !shadowed {
			if err := r.visit(stored.key, stored.value, fn); err != nil {
				return err
			}
		}
	}
}

func (r *reader) visit(key, value []byte, fn func(key, value []byte) error) error {
	if r.tracked != nil {
		r.tracked[string(key)] = true
	}
	return fn(key, value)
}

// cursor returns a function giving the snapshot's live keys in [lo, hi) one at a
// time, ascending or descending, false after the last. It reads a chunk of them under
// the lock at a time, so that no lock is held while the caller's callback runs.
func (r *reader) cursor(lo, hi []byte, reverse bool) func() (entry, bool, error) {
	var buf []entry
	done := false
	return func() (entry, bool, error) {
		if len(buf) == 0 && !done {
			var err error
			if buf, err = r.chunk(lo, hi, reverse); err != nil {
				return entry{}, false, err
			}
			done = len(buf) < chunk
			if n := len(buf); n > 0 && reverse {
				hi = buf[n-1].key
			} else if n > 0 {
				lo = append(bytes.Clone(buf[n-1].key), 0) // the next key after it
			}
		}
		if len(buf) == 0 {
			return entry{}, false, nil
		}
		e := buf[0]
		buf = buf[1:]
		return e, true, nil
	}
}

// chunk reads up to chunk live keys of [lo, hi) from the lowest, or from the highest
// when reverse.
func (r *reader) chunk(lo, hi []byte, reverse bool) ([]entry, error) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.s.closed {
		return nil, kv.ErrClosed
	}
	first, end := r.s.find(lo), r.s.find(hi)
	out := make([]entry, 0, min(chunk, end-first))
	for n := range end - first {
		i := first + n
		if reverse {
			i = end - 1 - n
		}
		rec := r.s.records[i]
		if v, ok := rec.at(r.version); ok {
			out = append(out, entry{key: rec.key, value: v})
			if len(out) == chunk {
				break
			}
		}
	}
	return out, nil
}

// txn is an Update's transaction: a snapshot and the writes buffered over it.
type txn struct {
	reader
	writes map[string]version
	reads  map[string]bool
}

func (t *txn) Get(key []byte) ([]byte, error) {
	if w, ok := t.writes[string(key)]; ok {
		if w.deleted {
			return nil, kv.ErrNotFound
		}
		return bytes.Clone(w.value), nil
	}
	return t.reader.Get(key)
}

func (t *txn) Set(key, value []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	t.writes[string(key)] = version{value: bytes.Clone(value)}
	return nil
}

func (t *txn) Delete(key []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	t.writes[string(key)] = version{deleted: true}
	return nil
}

func (t *txn) Iterate(o kv.IterOptions, fn func(key, value []byte) error) error {
	return quiet(t.iterate(o, fn))
}

func (t *txn) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	return quiet(iterateRanges(prefixes, t.iterate, fn))
}

// iterate is reader.iterate with the transaction's own writes in o's range laid over
// the snapshot.
func (t *txn) iterate(o kv.IterOptions, fn func(key, value []byte) error) error {
	lo, hi := o.Bounds()
	var own []entry
	for k, w := range t.writes {
		if key := []byte(k); bytes.Compare(key, lo) >= 0 && bytes.Compare(key, hi) < 0 {
			own = append(own, entry{key: key, value: w.value, deleted: w.deleted})
		}
	}
	slices.SortFunc(own, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	return t.reader.iterate(o, own, fn)
}
