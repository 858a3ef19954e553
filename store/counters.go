package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// The counters index keeps the counts Aggregate and Central read, so neither scans the
// graph. A count is a folded base value plus the pending deltas writes added since:
//
//   - Apply writes each count it changes as a new delta key of its own (blind writes:
//     concurrent writers never read, so never conflict on, a shared counter key).
//   - A compaction, in its own transactions, sums the oldest deltas into the base values
//     and raises the counter's low mark past them: readers sum only the deltas from the
//     low mark on, so they stay few however long the store has run. Folded deltas are
//     left in place (deleting them would only add tombstones readers skip anyway); a
//     rebuild deletes them with the rest of the index.
//   - Import and the rebuild on Open hold the store's commit lock, so they fold their
//     counts straight into the base values.
//
// Degree bases are mirrored by a rank key per entity, ordered by degree, which Central
// walks from the top. Relations with a valid time are also indexed by that time under
// each end, so Central can discount the relations a window leaves out.
var countersIndex = derivedIndex{
	name:    "counters",
	version: 1,
	owns: [][]byte{layout.AllDeltas(), layout.AllBases(), layout.AllRanks(), layout.AllValidFrom(), layout.AllValidTo(),
		layout.LowMarks()},
	rebuild: rebuildCounters,
}

func init() { registerDerived(countersIndex) }

// Counter names.
const (
	counterEventKind    = "event-kind"
	counterEventMonth   = "event-month"
	counterRelationType = "relation-type"
	counterPublisher    = "publisher"
	degreePrefix        = "degree."
)

func degreeCounter(k domain.Kind) string { return degreePrefix + string(k) }

// counterNames lists every counter, for compaction.
var counterNames = func() []string {
	names := []string{counterEventKind, counterEventMonth, counterRelationType, counterPublisher}
	for _, k := range domain.EntityKinds {
		names = append(names, degreeCounter(k))
	}
	return names
}()

// group is one count: of a counter, under a key (an event kind, an entity id, …).
type group struct{ counter, key string }

// tally is a write's net change to each group it touches.
type tally map[group]int64

func (t tally) add(counter, key string, d int64) { t[group{counter, key}] += d }

// counters is a Graph's bookkeeping for delta keys.
type counters struct {
	// unique makes delta keys of this process distinct from those of earlier runs.
	unique string
	next   atomic.Uint64
	// mu guards reserved: the sequence numbers of Applies in flight. Compaction folds
	// only deltas below all of them, so it cannot pass over a delta not yet committed.
	mu       sync.Mutex
	reserved map[uint64]int
	written  atomic.Int64
	compact  sync.Mutex
	// foldEvery is how many deltas Apply writes between compactions, and foldBatch
	// bounds the deltas one compaction transaction folds: together they bound the
	// deltas a reader sums to a few thousand per counter.
	foldEvery, foldBatch int
}

func newCounters() *counters {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return &counters{unique: hex.EncodeToString(b[:]), reserved: map[uint64]int{}, foldEvery: 1024, foldBatch: 2048}
}

// reserve returns the sequence number an Apply's deltas carry: the newest version now,
// at or below the snapshot its transaction will read. Release it once the Apply ends.
func (c *counters) reserve(s kv.Store) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	seq := s.LatestVersion()
	c.reserved[seq]++
	return seq
}

func (c *counters) release(seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reserved[seq]--; c.reserved[seq] == 0 {
		delete(c.reserved, seq)
	}
}

// foldLimit is the sequence number below which a compaction reading at version may fold
// and raise the low mark: every delta below it is already visible at version, because
// an Apply not yet committed holds a reservation at or below its deltas' sequence
// number, and an Apply reserving later gets at least version, which is already
// visible. Reservations are in memory: one process at a time opens a data directory.
func (c *counters) foldLimit(version uint64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := version
	for seq := range c.reserved {
		limit = min(limit, seq)
	}
	return limit
}

// writeDeltas plans one delta key per group p's write changed, and returns how many.
func (c *counters) writeDeltas(p *plan, seq uint64) int {
	n := 0
	for g, d := range p.tally {
		if d == 0 {
			continue
		}
		suffix := c.unique + strconv.FormatUint(c.next.Add(1), 36)
		p.set(layout.DeltaKey(g.counter, seq, g.key, suffix), binary.AppendVarint(nil, d))
		n++
	}
	return n
}

// low is the counter's low mark: every delta below it is folded into the bases.
func low(r kv.Reader, counter string) (uint64, error) {
	v, err := r.Get(layout.LowKey(counter))
	if errors.Is(err, kv.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return layout.DecodeLow(v)
}

// eachDelta calls fn for each pending delta of counter, in sequence order, up to (not
// including) sequence number limit (0: no limit).
func eachDelta(r kv.Reader, counter string, limit uint64, fn func(seq uint64, key string, d int64) error) error {
	from, err := low(r, counter)
	if err != nil {
		return err
	}
	return r.Iterate(layout.Deltas(counter, from, limit), func(k, v []byte) error {
		seq, group, err := layout.ParseDelta(counter, k)
		if err != nil {
			return err
		}
		d, n := binary.Varint(v)
		if n <= 0 {
			return fmt.Errorf("counter delta %q: bad value", k)
		}
		return fn(seq, group, d)
	})
}

// pending sums the counter's unfolded deltas by key.
func pending(r kv.Reader, counter string) (map[string]int64, error) {
	sums := map[string]int64{}
	err := eachDelta(r, counter, 0, func(_ uint64, key string, d int64) error {
		sums[key] += d
		return nil
	})
	return sums, err
}

func decodeCount(k, v []byte) (int64, error) {
	n, size := binary.Varint(v)
	if size <= 0 {
		return 0, fmt.Errorf("counter %q: bad value", k)
	}
	return n, nil
}

// base reads a group's folded value.
func base(r kv.Reader, g group) (int64, error) {
	k := layout.BaseKey(g.counter, g.key)
	v, err := r.Get(k)
	if errors.Is(err, kv.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return decodeCount(k, v)
}

// totals is every group of counter with its count: folded bases plus pending deltas.
func totals(r kv.Reader, counter string) (map[string]int, error) {
	sums, err := pending(r, counter)
	if err != nil {
		return nil, err
	}
	prefix := layout.Bases(counter)
	err = r.Iterate(kv.IterOptions{Prefix: prefix}, func(k, v []byte) error {
		n, err := decodeCount(k, v)
		sums[layout.After(prefix, k)] += n
		return err
	})
	out := make(map[string]int, len(sums))
	for k, n := range sums {
		if n != 0 {
			out[k] = int(n)
		}
	}
	return out, err
}

// fold adds t to the base values r reads, writing the new values and degree ranks to w.
func fold(r kv.Reader, w writer, t tally) error {
	for g, d := range t {
		if d == 0 {
			continue
		}
		old, err := base(r, g)
		if err != nil {
			return err
		}
		n := old + d
		k := layout.BaseKey(g.counter, g.key)
		if n == 0 {
			err = w.Delete(k)
		} else {
			err = w.Set(k, binary.AppendVarint(nil, n))
		}
		if err != nil {
			return err
		}
		if kind, ok := strings.CutPrefix(g.counter, degreePrefix); ok {
			kind := domain.Kind(kind)
			if old > 0 {
				if err := w.Delete(layout.RankKey(kind, old, g.key)); err != nil {
					return err
				}
			}
			if n > 0 {
				if err := w.Set(layout.RankKey(kind, n, g.key), nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// planWriter lets fold add to a plan.
type planWriter struct{ p *plan }

func (w planWriter) Set(k, v []byte) error { w.p.set(k, v); return nil }
func (w planWriter) Delete(k []byte) error { w.p.del(k); return nil }

// foldPlanned folds p's counts into the base values of the newest snapshot; Import calls
// it while holding the commit lock, so no other write can change them before it commits.
func (g *Graph) foldPlanned(p *plan) error {
	return g.kv.View(kv.Latest, func(r kv.Reader) error { return fold(r, planWriter{p}, p.tally) })
}

// compactCounters folds every counter's deltas into its bases, a batch per transaction.
// A compaction already running makes it return at once: that one does the work.
func (g *Graph) compactCounters() error {
	if !g.counters.compact.TryLock() {
		return nil
	}
	defer g.counters.compact.Unlock()
	g.counters.written.Store(0)
	for _, name := range counterNames {
		for more := true; more; {
			var err error
			if more, err = g.compactBatch(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// compactBatch folds a batch of the counter's oldest deltas (more when the last
// sequence number taken has more) and reports whether older-than-limit deltas remain.
func (g *Graph) compactBatch(counter string) (bool, error) {
	var due bool
	if err := g.kv.View(kv.Latest, func(r kv.Reader) error {
		return eachDelta(r, counter, g.counters.foldLimit(r.Version()), func(uint64, string, int64) error {
			due = true
			return kv.ErrStop
		})
	}); err != nil || !due {
		return false, err
	}
	more := false
	_, err := g.kv.Update(func(rw kv.ReadWriter) error {
		more = false
		from, err := low(rw, counter)
		if err != nil {
			return err
		}
		limit := g.counters.foldLimit(rw.Version())
		if limit <= from {
			return nil
		}
		next := limit
		t := tally{}
		folded := 0
		last := uint64(0)
		err = eachDelta(rw, counter, limit, func(seq uint64, key string, d int64) error {
			if folded >= g.counters.foldBatch && seq != last {
				next, more = seq, true
				return kv.ErrStop
			}
			last = seq
			folded++
			t.add(counter, key, d)
			return nil
		})
		if err != nil {
			return err
		}
		if err := fold(rw, rw, t); err != nil {
			return err
		}
		return rw.Set(layout.LowKey(counter), layout.EncodeLow(next))
	})
	return more, err
}

// afterApply counts the deltas an Apply wrote and compacts when enough have built up.
func (g *Graph) afterApply(deltas int) {
	if g.counters.written.Add(int64(deltas)) < int64(g.counters.foldEvery) {
		return
	}
	// A failed compaction loses nothing: the deltas stay and keep counting, and the
	// next Apply past the threshold tries again.
	_ = g.compactCounters()
}

// node tallies the change from old (nil when new) to n in the counts by event kind and
// month and by source publisher.
func (t tally) node(old, n domain.Node) {
	count := func(n domain.Node, d int64) {
		switch n := n.(type) {
		case *domain.Event:
			t.add(counterEventKind, string(n.Kind), d)
			t.add(counterEventMonth, monthOf(n), d)
		case *domain.Source:
			t.add(counterPublisher, publisherOf(n), d)
		}
	}
	if old != nil {
		count(old, -1)
	}
	count(n, 1)
}

func publisherOf(s *domain.Source) string {
	if s.Publisher == "" {
		return "unknown"
	}
	return s.Publisher
}

// countRelation tallies a new relation (old == nil) by type and in its ends' degrees,
// and plans its valid-time keys in place of those of old.
func (c *checker) countRelation(p *plan, rel, old *domain.Relation) error {
	if old == nil {
		p.tally.add(counterRelationType, string(rel.Type), 1)
		for _, end := range relationEnds(rel) {
			n, err := c.node(end)
			if err != nil || n == nil {
				return err // a missing end is reported, and the write refused, by ref
			}
			p.tally.add(degreeCounter(n.NodeKind()), end, 1)
		}
	}
	keep := map[string]bool{}
	for _, kv := range validTimeKeys(rel) {
		keep[string(kv[0])] = true
		p.set(kv[0], kv[1])
	}
	if old != nil {
		for _, kv := range validTimeKeys(old) {
			if !keep[string(kv[0])] {
				p.del(kv[0])
			}
		}
	}
	return nil
}

// relationEnds is the entities a relation adds to the degree of: one for a loop.
func relationEnds(rel *domain.Relation) []string {
	if rel.From == rel.To {
		return []string{rel.From}
	}
	return []string{rel.From, rel.To}
}

// validTimeKeys are the keys indexing rel by valid time under each end: by ValidFrom
// (valued with ValidTo, when it has one) and by ValidTo.
func validTimeKeys(rel *domain.Relation) [][2][]byte {
	var out [][2][]byte
	for _, end := range relationEnds(rel) {
		if rel.ValidFrom != nil {
			var to []byte
			if rel.ValidTo != nil {
				to = []byte(layout.TimePart(*rel.ValidTo))
			}
			out = append(out, [2][]byte{layout.ValidFromKey(end, *rel.ValidFrom, rel.ID), to})
		}
		if rel.ValidTo != nil {
			out = append(out, [2][]byte{layout.ValidToKey(end, *rel.ValidTo, rel.ID), nil})
		}
	}
	return out
}

// leftOut counts the relations of entity id whose valid time lies wholly outside w's
// window (Walk.validDuring false): those starting at or after w.To plus those ending at
// or before w.From, less those counted twice.
func leftOut(r kv.Reader, id string, w domain.Walk) (int64, error) {
	var n, both int64
	if w.To != nil {
		var from string
		if w.From != nil {
			from = layout.TimePart(*w.From)
		}
		err := r.Iterate(layout.StartingFrom(id, *w.To), func(_, v []byte) error {
			n++
			if from != "" && len(v) > 0 && string(v) <= from {
				both++
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	if w.From != nil {
		o := layout.EndingBy(id, *w.From)
		o.KeysOnly = true
		err := r.Iterate(o, func(_, _ []byte) error {
			n++
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return n - both, nil
}

// rebuildCounters writes the counters index for the records r reads.
func rebuildCounters(r kv.Reader, w writer) error {
	t := tally{}
	kinds := map[string]domain.Kind{}
	for _, k := range domain.EntityKinds {
		prefix := layout.KindPrefix(k)
		err := r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(key, _ []byte) error {
			kinds[layout.After(prefix, key)] = k
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, k := range []domain.Kind{domain.KindEvent, domain.KindSource} {
		prefix := layout.KindPrefix(k)
		err := r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(key, _ []byte) error {
			n, err := layout.ReadNode(r, layout.After(prefix, key))
			if err != nil {
				return err
			}
			t.node(nil, n)
			return nil
		})
		if err != nil {
			return err
		}
	}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Relations()}, func(_, v []byte) error {
		rel, err := layout.DecodeRelation(v)
		if err != nil || rel.Retracted != nil {
			return err
		}
		t.add(counterRelationType, string(rel.Type), 1)
		for _, end := range relationEnds(rel) {
			t.add(degreeCounter(kinds[end]), end, 1)
		}
		for _, kv := range validTimeKeys(rel) {
			if err := w.Set(kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := fold(emptyReader{r}, w, t); err != nil {
		return err
	}
	for _, name := range counterNames {
		// Every delta written before this snapshot was deleted with the old index.
		if err := w.Set(layout.LowKey(name), layout.EncodeLow(r.Version())); err != nil {
			return err
		}
	}
	return nil
}

// emptyReader reads as if no counter had been folded yet: the rebuild writes over an
// index it has just deleted.
type emptyReader struct{ kv.Reader }

func (emptyReader) Get([]byte) ([]byte, error) { return nil, kv.ErrNotFound }
