// Package counters is the counters index (package index): the counts Aggregate and
// Central read, so neither scans the graph. A count is a folded base value plus the
// pending deltas writes added since:
//
//   - A transactional write (Apply, Retract) writes each count it changes as a new
//     delta key of its own (blind writes: concurrent writers never read, so never
//     conflict on, a shared counter key).
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
package counters

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

const (
	name    = "counters"
	version = 1
)

// Current reports whether the snapshot r reads holds the counters index; readers at
// snapshots without it compute from the records.
func Current(r kv.Reader) (bool, error) { return index.Current(r, name, version) }

// Index is the counters index of one graph: besides its keys, the bookkeeping of the
// deltas its writes add and of their compaction.
type Index struct {
	store    kv.Store
	inFlight *index.InFlight
	// unique makes delta keys of this process distinct from those of earlier runs.
	unique  string
	next    atomic.Uint64
	written atomic.Int64
	compact sync.Mutex
	// FoldEvery is how many deltas writes add between compactions, and FoldBatch
	// bounds the deltas one compaction transaction folds: together they bound the
	// deltas a reader sums to a few thousand per counter. Set them before use.
	FoldEvery, FoldBatch int
}

// New returns the counters index of the graph over s, whose transactional writes in
// flight are inFlight: a compaction folds no delta of a write not yet committed.
func New(s kv.Store, inFlight *index.InFlight) *Index {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return &Index{store: s, inFlight: inFlight, unique: hex.EncodeToString(b[:]), FoldEvery: 1024, FoldBatch: 2048}
}

// Name, Version and Owns make Index an index.Index.
func (*Index) Name() string { return name }
func (*Index) Version() int { return version }
func (*Index) Owns() [][]byte {
	return [][]byte{layout.AllDeltas(), layout.AllBases(), layout.AllRanks(), layout.AllValidFrom(), layout.AllValidTo(),
		layout.LowMarks()}
}

// Plan tallies the counts a write changes and plans the valid-time keys of the
// relations it writes.
func (ix *Index) Plan(keys index.Keys) index.Plan {
	return &plan{ix: ix, keys: keys, tally: newTally()}
}

// plan is the counters' share of one write.
type plan struct {
	ix    *Index
	keys  index.Keys
	tally *tally
}

func (p *plan) Node(old, cur domain.Node) { p.tally.node(old, cur) }

// Relation tallies a relation entering current answers (new, or its retraction
// undone) or leaving them (retracted, deleted) by type and in its ends' degrees, and
// plans the valid-time keys of the live relation in place of those of the old one.
func (p *plan) Relation(old, cur *domain.Relation, kindOf index.KindOf) error {
	wasLive := old != nil && old.Retracted == nil
	isLive := cur != nil && cur.Retracted == nil
	if wasLive != isLive {
		rel, d := old, int64(-1)
		if isLive {
			rel, d = cur, 1
		}
		p.tally.add(RelationType, string(rel.Type), d)
		for _, end := range RelationEnds(rel) {
			kind, err := kindOf(end)
			if err != nil {
				return err
			}
			if kind != "" { // a missing end is reported, and the write refused, by the write
				p.tally.add(Degree(kind), end, d)
			}
		}
	}
	keep := map[string]bool{}
	if isLive {
		for _, kv := range validTimeKeys(cur) {
			keep[string(kv[0])] = true
			p.keys.Set(kv[0], kv[1])
		}
	}
	if wasLive {
		for _, kv := range validTimeKeys(old) {
			if !keep[string(kv[0])] {
				p.keys.Delete(kv[0])
			}
		}
	}
	return nil
}

func (p *plan) Evidence(_, _ *domain.Evidence) {}

// Finish folds the write's counts into the base values when the write holds the
// commit lock, and otherwise plans one delta key per count it changed, compacting
// once the write has committed when enough have built up.
func (p *plan) Finish(c index.Commit) (func(), error) {
	if c.Locked != nil {
		return nil, fold(c.Locked, keysWriter{p.keys}, p.tally)
	}
	n := 0
	err := p.tally.each(func(g group, d int64) error {
		suffix := p.ix.unique + strconv.FormatUint(p.ix.next.Add(1), 36)
		p.keys.Set(layout.DeltaKey(g.counter, c.Seq, g.key, suffix), binary.AppendVarint(nil, d))
		n++
		return nil
	})
	return func() { p.ix.committed(n) }, err
}

// keysWriter lets fold add to a write being planned.
type keysWriter struct{ keys index.Keys }

func (w keysWriter) Set(k, v []byte) error { w.keys.Set(k, v); return nil }
func (w keysWriter) Delete(k []byte) error { w.keys.Delete(k); return nil }

// Counters: events by kind and by month (MonthOf), relations by type, sources by
// publisher (PublisherOf), and the degree of each entity, by kind (Degree).
const (
	EventKind    = "event-kind"
	EventMonth   = "event-month"
	RelationType = "relation-type"
	Publisher    = "publisher"
	degreePrefix = "degree."
)

// Degree is the counter of the degrees of the entities of kind k.
func Degree(k domain.Kind) string { return degreePrefix + string(k) }

// Names lists every counter.
var Names = func() []string {
	names := []string{EventKind, EventMonth, RelationType, Publisher}
	for _, k := range domain.EntityKinds {
		names = append(names, Degree(k))
	}
	return names
}()

// group is one count: of a counter, under a key (an event kind, an entity id, …).
type group struct{ counter, key string }

// tally is a write's net change to each group it touches. An import tallies a count
// for each of millions of entities, so a tally holds nothing the garbage collector
// must follow: the groups' names lie one after another in one byte slice, each group
// is its place there and its change, and a group is found by the fingerprint of its
// names.
type tally struct {
	fp     domain.Fingerprinter
	at     map[domain.Fingerprint]int // a group's place in groups
	groups []tallied
	names  []byte
}

// tallied is a group of a tally: its counter is names[start:mid], its key
// names[mid:end].
type tallied struct {
	start, mid, end int
	d               int64
}

func newTally() *tally {
	return &tally{fp: domain.NewFingerprinter(), at: map[domain.Fingerprint]int{}}
}

func (t *tally) add(counter, key string, d int64) {
	f := t.fp.OfPair(counter, key)
	i, ok := t.at[f]
	if !ok {
		start := len(t.names)
		t.names = append(append(t.names, counter...), key...)
		i = len(t.groups)
		t.groups = append(t.groups, tallied{start: start, mid: start + len(counter), end: len(t.names)})
		t.at[f] = i
	}
	t.groups[i].d += d
}

// each calls fn with each group the tally changed, and the change, in the order they
// were first tallied.
func (t *tally) each(fn func(g group, d int64) error) error {
	for _, e := range t.groups {
		if e.d == 0 {
			continue
		}
		if err := fn(group{string(t.names[e.start:e.mid]), string(t.names[e.mid:e.end])}, e.d); err != nil {
			return err
		}
	}
	return nil
}

// node tallies the change from old (nil when new) to n in the counts by event kind and
// month and by source publisher.
func (t *tally) node(old, n domain.Node) {
	count := func(n domain.Node, d int64) {
		switch n := n.(type) {
		case *domain.Event:
			t.add(EventKind, string(n.Kind), d)
			t.add(EventMonth, MonthOf(n), d)
		case *domain.Source:
			t.add(Publisher, PublisherOf(n), d)
		}
	}
	if old != nil {
		count(old, -1)
	}
	count(n, 1)
}

func PublisherOf(s *domain.Source) string {
	if s.Publisher == "" {
		return "unknown"
	}
	return s.Publisher
}

// MonthOf is the month an event counts under: its start's, its year for a YEAR-precision
// event, "unknown" without a start.
func MonthOf(e *domain.Event) string {
	switch {
	case e.Start == nil:
		return "unknown"
	case e.Precision == domain.PrecisionYear:
		return e.Start.UTC().Format("2006")
	}
	return e.Start.UTC().Format("2006-01")
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

// Pending sums the counter's unfolded deltas by group.
func Pending(r kv.Reader, counter string) (map[string]int64, error) {
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

// Base reads the folded value of a counter's group.
func Base(r kv.Reader, counter, key string) (int64, error) {
	return base(r, group{counter, key})
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

// Totals is every group of counter with its count: folded bases plus pending deltas.
func Totals(r kv.Reader, counter string) (map[string]int, error) {
	sums, err := Pending(r, counter)
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
// The bases are read in one batched lookup (IterateRanges), as a bulk write folds a
// count for each of its entities: one read each would be a round trip each on TiKV.
func fold(r kv.Reader, w index.Writer, t *tally) error {
	type folding struct {
		group
		key    []byte
		old, d int64
	}
	var bases []folding
	_ = t.each(func(g group, d int64) error {
		bases = append(bases, folding{group: g, key: layout.BaseKey(g.counter, g.key), d: d})
		return nil
	})
	slices.SortFunc(bases, func(a, b folding) int { return bytes.Compare(a.key, b.key) })
	keys := make([][]byte, len(bases))
	for i, b := range bases {
		keys[i] = b.key
	}
	err := r.IterateRanges(keys, func(i int, k, v []byte) error {
		if !bytes.Equal(k, keys[i]) {
			return nil // the base of a group whose key extends this one's
		}
		var err error
		bases[i].old, err = decodeCount(k, v)
		return err
	})
	if err != nil {
		return err
	}
	for _, b := range bases {
		g, old, d, k := b.group, b.old, b.d, b.key
		n := old + d
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

// Upkeep folds every counter's deltas into its bases, a batch per transaction. A
// compaction already running makes it return at once: that one does the work.
func (ix *Index) Upkeep() error {
	if !ix.compact.TryLock() {
		return nil
	}
	defer ix.compact.Unlock()
	ix.written.Store(0)
	for _, name := range Names {
		for more := true; more; {
			var err error
			if more, err = ix.compactBatch(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// compactBatch folds a batch of the counter's oldest deltas (more when the last
// sequence number taken has more) and reports whether older-than-limit deltas remain.
func (ix *Index) compactBatch(counter string) (bool, error) {
	var due bool
	if err := ix.store.View(kv.Latest, func(r kv.Reader) error {
		return eachDelta(r, counter, ix.inFlight.Limit(ix.settled(r.Version())), func(uint64, string, int64) error {
			due = true
			return kv.ErrStop
		})
	}); err != nil || !due {
		return false, err
	}
	more := false
	// The limit is taken before the transaction's snapshot too: a write still in
	// flight now holds it below the write's deltas, and one that has committed by now is
	// in the snapshot. Taken only inside, a write committing between the snapshot and
	// the limit would have its deltas, unseen, left below the new low mark: lost.
	before := ix.inFlight.Limit(ix.settled(ix.store.LatestVersion()))
	_, err := ix.store.Update(func(rw kv.ReadWriter) error {
		more = false
		from, err := low(rw, counter)
		if err != nil {
			return err
		}
		limit := min(before, ix.inFlight.Limit(ix.settled(rw.Version())))
		if limit <= from {
			return nil
		}
		next := limit
		t := newTally()
		folded := 0
		last := uint64(0)
		err = eachDelta(rw, counter, limit, func(seq uint64, key string, d int64) error {
			if folded >= ix.FoldBatch && seq != last {
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

// settled is the version below which every write has committed or never will, as far as
// this process can know at version: version itself, or on a store other processes
// write too, version less their writes' horizon (kv.Shared), as their writes in flight
// hold no reservation here.
func (ix *Index) settled(version uint64) uint64 {
	s, ok := ix.store.(kv.Shared)
	if !ok {
		return version
	}
	return version - min(version, uint64(s.WriteHorizon()))
}

// committed counts the deltas a write committed and compacts when enough have built
// up.
func (ix *Index) committed(deltas int) {
	if ix.written.Add(int64(deltas)) < int64(ix.FoldEvery) {
		return
	}
	// A failed compaction loses nothing: the deltas stay and keep counting, and the
	// next write past the threshold tries again.
	_ = ix.Upkeep()
}

// RelationEnds is the entities a relation adds to the degree of: one for a loop.
func RelationEnds(rel *domain.Relation) []string {
	if rel.From == rel.To {
		return []string{rel.From}
	}
	return []string{rel.From, rel.To}
}

// validTimeKeys are the keys indexing rel by valid time under each end: by ValidFrom
// (valued with ValidTo, when it has one) and by ValidTo.
func validTimeKeys(rel *domain.Relation) [][2][]byte {
	var out [][2][]byte
	for _, end := range RelationEnds(rel) {
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

// LeftOut counts the relations of entity id whose valid time lies wholly outside w's
// window (Walk.ValidDuring false): those starting at or after w.To plus those ending at
// or before w.From, less those counted twice.
func LeftOut(r kv.Reader, id string, w domain.Walk) (int64, error) {
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

// Rebuild writes the counters index for the records r reads.
func (*Index) Rebuild(r kv.Reader, w index.Writer) error {
	t := newTally()
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
		t.add(RelationType, string(rel.Type), 1)
		for _, end := range RelationEnds(rel) {
			t.add(Degree(kinds[end]), end, 1)
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
	for _, name := range Names {
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

// IterateRanges visits nothing: fold reads the bases through it.
func (emptyReader) IterateRanges([][]byte, func(int, []byte, []byte) error) error { return nil }
