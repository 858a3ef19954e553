package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store/analytics"
	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/index/counters"
	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/layout"
	"eventgraph/store/storetest/testkv"
)

func memStore(t *testing.T) kv.Store {
	t.Helper()
	return testkv.Open(t)
}

func openGraph(t *testing.T, s kv.Store) *Graph {
	t.Helper()
	g, err := Open(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// countersOf returns g's counters index.
func countersOf(g *Graph) *counters.Index {
	for _, ix := range g.indexes {
		if c, ok := ix.(*counters.Index); ok {
			return c
		}
	}
	panic("no counters index")
}

func year(y int) *time.Time {
	t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return &t
}

// counterWorld writes random graphs: a fixed cast of entities and random relations,
// each with one evidence record in a source of its own batch.
type counterWorld struct {
	rng      *rand.Rand
	batches  int
	entities []domain.Node
	rels     []domain.Relation // every relation written, for updating valid times
}

func newCounterWorld(seed uint64) *counterWorld {
	w := &counterWorld{rng: rand.New(rand.NewPCG(seed, 7))}
	for i := range 12 {
		w.entities = append(w.entities, &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("actor-%d", i), Name: fmt.Sprintf("Actor %d", i)}, Kind: domain.ActorState})
	}
	for i := range 8 {
		w.entities = append(w.entities, w.event(fmt.Sprintf("event-%d", i)))
	}
	for i := range 4 {
		w.entities = append(w.entities, &domain.Place{EntityBase: domain.EntityBase{ID: fmt.Sprintf("place-%d", i), Name: fmt.Sprintf("Place %d", i)}, Kind: domain.PlaceCity})
		w.entities = append(w.entities, &domain.Topic{EntityBase: domain.EntityBase{ID: fmt.Sprintf("topic-%d", i), Name: fmt.Sprintf("Topic %d", i)}})
	}
	return w
}

func (w *counterWorld) event(id string) *domain.Event {
	e := &domain.Event{EntityBase: domain.EntityBase{ID: id, Name: "Event " + id}, Kind: domain.EventKinds[w.rng.IntN(len(domain.EventKinds))]}
	switch w.rng.IntN(3) {
	case 0:
		e.Start = year(2020 + w.rng.IntN(3))
		e.Precision = domain.PrecisionYear
	case 1:
		at := time.Date(2020+w.rng.IntN(3), time.Month(1+w.rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		e.Start = &at
	}
	return e
}

// validTime draws the valid time of a relation: none, a start, an end, or both.
func (w *counterWorld) validTime() (from, to *time.Time) {
	switch w.rng.IntN(4) {
	case 0:
		return nil, nil
	case 1:
		return year(2000 + w.rng.IntN(10)), nil
	case 2:
		return nil, year(2000 + w.rng.IntN(10))
	}
	f := 2000 + w.rng.IntN(10)
	return year(f), year(f + w.rng.IntN(4))
}

// pick draws two distinct entities a relation of some type can connect.
func (w *counterWorld) relation() domain.Relation {
	for {
		a, b := w.entities[w.rng.IntN(len(w.entities))], w.entities[w.rng.IntN(len(w.entities))]
		for typ, ends := range domain.RelationTypes {
			if typ == domain.RelParticipatedIn || a == b || !slices.Contains(ends.From, a.NodeKind()) || !slices.Contains(ends.To, b.NodeKind()) {
				continue
			}
			from, to := w.validTime()
			return domain.Relation{Type: typ, From: a.NodeID(), To: b.NodeID(), ValidFrom: from, ValidTo: to}
		}
	}
}

// batch draws new relations, changed events and publishers and changed valid times.
func (w *counterWorld) batch(relations int) *Batch {
	w.batches++
	src := &domain.Source{ID: fmt.Sprintf("source-%d", w.batches), Title: "Report", Text: "It happened."}
	if w.rng.IntN(2) == 0 {
		src.Publisher = fmt.Sprintf("actor-%d", w.rng.IntN(3))
	}
	b := &Batch{Nodes: append(slices.Clone(w.entities), src)}
	if w.batches > 1 { // change a few events' kinds and months, and an earlier publisher
		for range 2 {
			i := 12 + w.rng.IntN(8)
			w.entities[i] = w.event(w.entities[i].NodeID())
			b.Nodes[i] = w.entities[i]
		}
		b.Nodes = append(b.Nodes, &domain.Source{ID: fmt.Sprintf("source-%d", 1+w.rng.IntN(w.batches-1)), Title: "Report", Text: "It happened.",
			Publisher: fmt.Sprintf("actor-%d", w.rng.IntN(3))})
	}
	inBatch := map[string]bool{}
	for range relations {
		rel := w.relation()
		if id := domain.RelationID(rel.Type, rel.From, rel.To, ""); inBatch[id] {
			continue
		} else {
			inBatch[id] = true
		}
		b.Relations = append(b.Relations, rel)
		start, end := 0, 11
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: domain.RelationID(rel.Type, rel.From, rel.To, ""), Source: src.ID,
			Quote: "It happened", Start: &start, End: &end, Confidence: 0.5, Method: "test"})
	}
	for range min(len(w.rels), 3) {
		rel := w.rels[w.rng.IntN(len(w.rels))]
		if id := domain.RelationID(rel.Type, rel.From, rel.To, ""); inBatch[id] {
			continue
		} else {
			inBatch[id] = true
		}
		rel.ID = ""
		rel.ValidFrom, rel.ValidTo = w.validTime()
		b.Relations = append(b.Relations, rel)
	}
	w.rels = append(w.rels, b.Relations...)
	return b
}

// windows are the valid-time windows Central is checked with: none, open on either
// side, on the boundaries the relations use, and inverted.
var windows = [][2]*time.Time{
	{nil, nil}, {year(2004), nil}, {nil, year(2004)}, {year(2003), year(2006)},
	{year(2001), year(2001)}, {year(2008), year(2002)}, {year(1990), year(2030)},
}

// checkExact compares Aggregate and Central, read from the counters index at version,
// with the same answers computed from the records.
func checkExact(t *testing.T, g *Graph, version uint64) {
	t.Helper()
	ctx := g.Pin(context.Background(), version)
	err := g.view(ctx, func(r *layout.Snapshot) error {
		if ok, err := counters.Current(r); err != nil || !ok {
			t.Fatalf("version %d: counters index not current (%v)", version, err)
		}
		want, err := analytics.ScanAggregates(r)
		if err != nil {
			return err
		}
		got, err := g.Aggregate(ctx)
		if err != nil {
			return err
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("version %d: Aggregate = %v\nrecords say %v", version, got, want)
		}
		for _, win := range windows {
			all, err := analytics.ScanDegrees(r, domain.Walk{From: win[0], To: win[1]})
			if err != nil {
				return err
			}
			for _, kinds := range [][]domain.Kind{nil, {domain.KindActor}, {domain.KindTopic, domain.KindPlace}} {
				for _, first := range []int{1, 3, 100} {
					var want []string
					for _, c := range all {
						n, err := layout.ReadNode(r, c.Key)
						if err != nil {
							return err
						}
						if len(want) < first && (kinds == nil || slices.Contains(kinds, n.NodeKind())) {
							want = append(want, fmt.Sprintf("%s:%d", c.Key, c.Count))
						}
					}
					ranked, err := g.Central(ctx, kinds, win[0], win[1], first)
					if err != nil {
						return err
					}
					var got []string
					for _, c := range ranked {
						got = append(got, fmt.Sprintf("%s:%d", c.Entity.NodeID(), c.Degree))
					}
					if !slices.Equal(got, want) {
						t.Errorf("version %d: Central(%v, %v, %v, %d) = %v\nrecords say %v", version, kinds, win[0], win[1], first, got, want)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pendingDeltas counts the groups with deltas readers sum at the newest snapshot.
func pendingDeltas(t *testing.T, g *Graph) int {
	t.Helper()
	n := 0
	err := g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, c := range counters.Names {
			groups, err := counters.Pending(r, c)
			if err != nil {
				return err
			}
			n += len(groups)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCountersStayExact(t *testing.T) {
	ctx := context.Background()
	g := openGraph(t, memStore(t))
	countersOf(g).FoldEvery, countersOf(g).FoldBatch = 40, 7
	w := newCounterWorld(1)
	var versions []uint64
	for i := range 24 {
		b := w.batch(1 + i%5)
		var stats WriteStats
		var err error
		if i%4 == 1 {
			stats, err = g.Import(ctx, b)
		} else {
			stats, err = g.Apply(ctx, b)
		}
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		versions = append(versions, stats.Version)
		checkExact(t, g, stats.Version)
	}
	if pendingDeltas(t, g) == 0 {
		t.Fatal("no pending deltas left to sum: the test no longer covers reading them")
	}
	if err := countersOf(g).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if n := pendingDeltas(t, g); n != 0 {
		t.Fatalf("%d deltas left after compaction", n)
	}
	// Compaction rewrote bases and deleted deltas: every earlier snapshot still reads
	// the counts it had.
	for _, v := range versions {
		checkExact(t, g, v)
	}
	checkExact(t, g, kv.Latest)
}

// countingStore counts Update attempts, so a test can see transactions retried after
// conflicts.
type countingStore struct {
	kv.Store
	calls, attempts atomic.Int64
}

func (s *countingStore) Update(fn func(kv.ReadWriter) error) (uint64, error) {
	s.calls.Add(1)
	return s.Store.Update(func(rw kv.ReadWriter) error {
		s.attempts.Add(1)
		return fn(rw)
	})
}

// TestConcurrentWritersDoNotConflict has writers add relations to the same hub and
// events of the same kind at once: the counts they share must not make them conflict.
// On TiKV, which checks write-write conflicts where Badger and memkv check what a
// transaction read, writers at once conflict on the change record every commit writes
// and run again (docs/tikv.md); there every write must still land and every count be
// exact.
func TestConcurrentWritersDoNotConflict(t *testing.T) {
	ctx := context.Background()
	s := &countingStore{Store: memStore(t)}
	g := openGraph(t, s)
	countersOf(g).FoldEvery, countersOf(g).FoldBatch = 30, 5
	hub := &domain.Actor{EntityBase: domain.EntityBase{ID: "hub", Name: "Hub"}, Kind: domain.ActorState}
	if _, err := g.Apply(ctx, &Batch{Nodes: []domain.Node{hub}}); err != nil {
		t.Fatal(err)
	}
	const writers, writes = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*writes)
	for wr := range writers {
		wg.Go(func() {
			for i := range writes {
				id := fmt.Sprintf("w%d-%d", wr, i)
				start, end := 0, 3
				rel := domain.Relation{Type: domain.RelAlliedWith, From: "hub", To: "ally-" + id, ValidFrom: year(2000 + i%5)}
				_, err := g.Apply(ctx, &Batch{
					Nodes: []domain.Node{
						&domain.Actor{EntityBase: domain.EntityBase{ID: "ally-" + id, Name: "Ally " + id}, Kind: domain.ActorState},
						&domain.Event{EntityBase: domain.EntityBase{ID: "event-" + id, Name: "Event " + id}, Kind: domain.EventProtest, Start: year(2024)},
						&domain.Source{ID: "source-" + id, Title: "Report", Text: "Yes.", Publisher: "hub"},
					},
					Relations: []domain.Relation{rel},
					Evidence: []domain.Evidence{{Subject: domain.RelationID(rel.Type, rel.From, rel.To, ""), Source: "source-" + id,
						Quote: "Yes", Start: &start, End: &end, Confidence: 1, Method: "test"}},
				})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	retries := s.attempts.Load() - s.calls.Load()
	t.Logf("%d commits, %d runs again after conflicts", s.calls.Load(), retries)
	if retries != 0 && testkv.Backend(t) != testkv.TiKV {
		t.Errorf("%d transactions were retried after conflicts", retries)
	}
	checkExact(t, g, kv.Latest)
	ranked, err := g.Central(ctx, []domain.Kind{domain.KindActor}, nil, nil, 1)
	if err != nil || len(ranked) != 1 || ranked[0].Entity.NodeID() != "hub" || ranked[0].Degree != writers*writes {
		t.Fatalf("Central = %+v, %v; want the hub with degree %d", ranked, err, writers*writes)
	}
	a, err := g.Aggregate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint([]analytics.Count{{Key: "PROTEST", Count: writers * writes}}); fmt.Sprint(a.EventsByKind) != want {
		t.Errorf("events by kind = %v, want %v", a.EventsByKind, want)
	}
}

func TestOldSnapshotsReadTheirCounts(t *testing.T) {
	ctx := context.Background()
	g := openGraph(t, memStore(t))
	w := newCounterWorld(2)
	before, err := g.Apply(ctx, w.batch(5))
	if err != nil {
		t.Fatal(err)
	}
	old, err := g.Aggregate(g.Pin(ctx, before.Version))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := g.Apply(ctx, w.batch(5)); err != nil {
			t.Fatal(err)
		}
	}
	if err := countersOf(g).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Import(ctx, w.batch(5)); err != nil {
		t.Fatal(err)
	}
	now, err := g.Aggregate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := g.Aggregate(g.Pin(ctx, before.Version))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != fmt.Sprint(old) || fmt.Sprint(now) == fmt.Sprint(old) {
		t.Fatalf("at the old version %v, then %v; newest %v", old, again, now)
	}
	checkExact(t, g, before.Version)
}

// dropCounters deletes the counters index and its marker, as a data directory written
// before the index existed lacks them.
func dropCounters(t *testing.T, s kv.Store) {
	t.Helper()
	ix := countersOf(New(s))
	kvtest.MustDeletePrefixes(t, s, append(ix.Owns(), layout.MarkerKey(ix.Name()))...)
}

func TestOpenRebuildsTheCounters(t *testing.T) {
	ctx := context.Background()
	s := memStore(t)
	g := openGraph(t, s)
	w := newCounterWorld(3)
	for range 4 {
		if _, err := g.Apply(ctx, w.batch(6)); err != nil {
			t.Fatal(err)
		}
	}
	want, err := g.Aggregate(ctx)
	if err != nil {
		t.Fatal(err)
	}

	dropCounters(t, s)
	g = New(s)
	got, err := g.Aggregate(ctx) // computed from the records, the index being absent
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("without the index: %v, %v; want %v", got, err, want)
	}
	g = openGraph(t, s)
	checkExact(t, g, kv.Latest)
	if got, _ := g.Aggregate(ctx); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rebuilt: %v; want %v", got, want)
	}
	marker := layout.MarkerKey(countersOf(g).Name())
	written := kvtest.MustVersions(t, s, marker)
	openGraph(t, s)
	if again := kvtest.MustVersions(t, s, marker); !slices.Equal(again, written) {
		t.Errorf("a second Open rebuilt an index already current: its marker written at %v, then %v", written, again)
	}

	// A rebuild of another version, or one cut short, leaves wrong keys and no current
	// marker: the next Open replaces them.
	_, err = s.Update(func(rw kv.ReadWriter) error {
		if err := rw.Set(layout.MarkerKey(countersOf(g).Name()), []byte("0")); err != nil {
			return err
		}
		if err := rw.Set(layout.BaseKey(counters.RelationType, "BOGUS"), []byte{40}); err != nil {
			return err
		}
		return rw.Set(layout.RankKey(domain.KindTopic, 1000, "topic-0"), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	g = openGraph(t, s)
	checkExact(t, g, kv.Latest)
	if _, err := g.Apply(ctx, w.batch(3)); err != nil {
		t.Fatal(err)
	}
	checkExact(t, g, kv.Latest)
}

func TestFirstWriteStampsAnEmptyStore(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"Apply", "Import"} {
		t.Run(name, func(t *testing.T) {
			s := memStore(t)
			g := openGraph(t, s)
			if keys := kvtest.MustKeys(t, s, kv.Latest, kv.IterOptions{}); len(keys) != 0 {
				t.Fatalf("Open wrote to an empty store: %q", keys)
			}
			write := g.Apply
			if name == "Import" {
				write = g.Import
			}
			if _, err := write(ctx, newCounterWorld(4).batch(4)); err != nil {
				t.Fatal(err)
			}
			checkExact(t, g, kv.Latest)
		})
	}
}

// TestCompactionWaitsForWritesInFlight holds a write open across other writes and a
// compaction, then commits it: compaction must not have raised the low mark past the
// sequence number its deltas carry.
func TestCompactionWaitsForWritesInFlight(t *testing.T) {
	g := openGraph(t, memStore(t))
	holdAWriteAcrossCompaction(t, g, g)
	if err := countersOf(g).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if n := pendingDeltas(t, g); n != 0 {
		t.Fatalf("%d deltas left after compaction", n)
	}
	checkExact(t, g, kv.Latest)
}

// holdAWriteAcrossCompaction reserves a write's sequence number in held, writes and
// compacts through compacting, then commits the held write: every count must be exact
// in both.
func holdAWriteAcrossCompaction(t *testing.T, held, compacting *Graph) {
	t.Helper()
	ctx := context.Background()
	w := newCounterWorld(5)
	if _, err := compacting.Apply(ctx, w.batch(3)); err != nil {
		t.Fatal(err)
	}
	seq := held.inFlight.Reserve(held.kv)
	for range 3 {
		if _, err := compacting.Apply(ctx, w.batch(3)); err != nil {
			t.Fatal(err)
		}
	}
	late := w.batch(3)
	if err := countersOf(compacting).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if err := commitReserved(ctx, held, late, seq); err != nil {
		t.Fatal(err)
	}
	checkExact(t, held, kv.Latest)
	checkExact(t, compacting, kv.Latest)
}

// commitReserved commits b as a write that reserved seq (g.inFlight.Reserve) earlier,
// and ends the reservation.
func commitReserved(ctx context.Context, g *Graph, b *Batch, seq uint64) error {
	defer g.inFlight.Release(seq)
	_, err := g.kv.Update(func(rw kv.ReadWriter) error {
		p := g.newPlan(ctx)
		if err := g.check(ctx, rw, b, p); err != nil {
			return err
		}
		if _, err := p.finish(index.Commit{Seq: seq}); err != nil {
			return err
		}
		return p.write(rw)
	})
	return err
}

// hookedStore runs hook once, inside the next transaction, after its snapshot is taken
// and before its work: what a concurrent writer committing at that moment does.
type hookedStore struct {
	kv.Store
	hook func()
}

func (s *hookedStore) Update(fn func(kv.ReadWriter) error) (uint64, error) {
	return s.Store.Update(func(rw kv.ReadWriter) error {
		if h := s.hook; h != nil {
			s.hook = nil
			h()
		}
		return fn(rw)
	})
}

// TestCompactionLosesNoWriteCommittingDuringIt reserves a write's sequence number, lets
// another write commit, and commits the first just after a compaction's transaction
// has taken its snapshot: the compaction must neither fold the write's deltas (its
// snapshot does not hold them) nor raise the low mark past them.
func TestCompactionLosesNoWriteCommittingDuringIt(t *testing.T) {
	ctx := context.Background()
	s := &hookedStore{Store: memStore(t)}
	g := openGraph(t, s)
	w := newCounterWorld(5)
	for range 2 {
		if _, err := g.Apply(ctx, w.batch(3)); err != nil {
			t.Fatal(err)
		}
	}
	seq := g.inFlight.Reserve(g.kv)
	if _, err := g.Apply(ctx, w.batch(3)); err != nil {
		t.Fatal(err)
	}
	late := w.batch(3)
	s.hook = func() {
		if err := commitReserved(ctx, g, late, seq); err != nil {
			t.Error(err)
		}
	}
	if err := countersOf(g).Upkeep(); err != nil {
		t.Fatal(err)
	}
	if s.hook != nil {
		t.Fatal("no compaction ran")
	}
	checkExact(t, g, kv.Latest)
}
