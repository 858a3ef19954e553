package analytics

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/index/counters"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Count is how many items share a key.
type Count struct {
	Key   string
	Count int
}

// Aggregates are the graph's counts: events by kind and by month (YEAR-precision events
// count under their year, undated ones under "unknown"), relations by type, sources by
// publisher ("unknown" when none is recorded). Each list is largest first, then by key.
type Aggregates struct {
	EventsByKind, EventsByMonth, RelationsByType, SourcesByPublisher []Count
}

// Aggregate counts the whole graph in one snapshot. It reads the counters index: a
// base value and at most a few thousand pending deltas per counter, whatever the size
// of the graph. At snapshots from before the index was built it scans the records.
func Aggregate(r kv.Reader) (*Aggregates, error) {
	indexed, err := counters.Current(r)
	if err != nil || !indexed {
		return ScanAggregates(r)
	}
	a := &Aggregates{}
	for _, c := range []struct {
		counter string
		into    *[]Count
	}{
		{counters.EventKind, &a.EventsByKind}, {counters.EventMonth, &a.EventsByMonth},
		{counters.RelationType, &a.RelationsByType}, {counters.Publisher, &a.SourcesByPublisher},
	} {
		m, err := counters.Totals(r, c.counter)
		if err != nil {
			return nil, err
		}
		*c.into = counts(m)
	}
	return a, nil
}

// ScanAggregates is Aggregate computed from the records alone, in time proportional to
// the graph: what Aggregate answers at snapshots without the counters index, and what
// the index is checked against.
func ScanAggregates(r kv.Reader) (*Aggregates, error) {
	kinds, months := map[string]int{}, map[string]int{}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Timeline(), KeysOnly: true}, func(k, _ []byte) error {
		n, err := layout.ReadNode(r, layout.ID(k))
		if err != nil {
			return err
		}
		e := n.(*domain.Event)
		kinds[string(e.Kind)]++
		months[counters.MonthOf(e)]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	types := map[string]int{}
	err = r.Iterate(kv.IterOptions{Prefix: layout.Outgoing(), KeysOnly: true}, func(k, _ []byte) error {
		types[layout.OutgoingType(k)]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	publishers := map[string]int{}
	err = r.Iterate(kv.IterOptions{Prefix: layout.KindPrefix(domain.KindSource), KeysOnly: true}, func(k, _ []byte) error {
		n, err := layout.ReadNode(r, layout.ID(k))
		if err != nil {
			return err
		}
		publishers[counters.PublisherOf(n.(*domain.Source))]++
		return nil
	})
	return &Aggregates{EventsByKind: counts(kinds), EventsByMonth: counts(months),
		RelationsByType: counts(types), SourcesByPublisher: counts(publishers)}, err
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Key, b.Key))
	})
	return out
}

// Centrality is how connected an entity is.
type Centrality struct {
	Entity domain.Entity
	Degree int
}

// Central ranks entities of the given kinds (all entity kinds when empty) by degree:
// the relations they have whose valid time overlaps [from, to) (relations without a
// valid time always count), most connected first, ties by id.
//
// It walks each kind's entities from the highest total degree down, reading the few
// whose counts have pending deltas first. Without a window an entity's degree is its
// total and the walk stops after first entities. With one, an entity's degree is its
// total less the relations the window leaves out (read from the valid-time index under
// that entity), and the walk stops once the next total cannot beat the first-th best
// degree found: a window that leaves out most relations of the best connected entities
// walks further. At snapshots from before the index was built it scans the records.
func Central(r kv.Reader, kinds []domain.Kind, from, to *time.Time, first int) ([]Centrality, error) {
	w := domain.Walk{From: from, To: to}
	indexed, err := counters.Current(r)
	if err != nil {
		return nil, err
	}
	var ranked []Count
	if indexed {
		ranked, err = centralIndexed(r, kinds, w, first)
	} else {
		ranked, err = ScanDegrees(r, w)
	}
	if err != nil {
		return nil, err
	}
	var out []Centrality
	for _, c := range ranked {
		if len(out) == first {
			break
		}
		n, err := layout.ReadNode(r, c.Key)
		if errors.Is(err, domain.ErrNotFound) {
			continue // merged into another entity: its counts went with its relations
		}
		if err != nil {
			return nil, err
		}
		e, ok := n.(domain.Entity)
		if ok && (len(kinds) == 0 || slices.Contains(kinds, n.NodeKind())) {
			out = append(out, Centrality{Entity: e, Degree: c.Count})
		}
	}
	return out, nil
}

// ScanDegrees ranks every entity by its degree in w, highest first, from the records
// alone: what Central ranks by at snapshots without the counters index, and what the
// index is checked against.
func ScanDegrees(r kv.Reader, w domain.Walk) ([]Count, error) {
	degree := map[string]int{}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Relations()}, func(_, v []byte) error {
		rel, err := layout.DecodeRelation(v)
		if err != nil {
			return err
		}
		if w.ValidDuring(rel) {
			for _, end := range counters.RelationEnds(rel) {
				degree[end]++
			}
		}
		return nil
	})
	return counts(degree), err
}

// centralIndexed ranks the first entities of the kinds by degree in w, from the
// counters index.
func centralIndexed(r kv.Reader, kinds []domain.Kind, w domain.Walk, first int) ([]Count, error) {
	if first <= 0 {
		return nil, nil
	}
	var best []Count // the best first found so far, in ranking order
	before := func(a, b Count) bool { return a.Count > b.Count || a.Count == b.Count && a.Key < b.Key }
	offer := func(id string, total int64) error {
		d := total
		if w.From != nil || w.To != nil {
			out, err := counters.LeftOut(r, id, w)
			if err != nil {
				return err
			}
			d -= out
		}
		c := Count{Key: id, Count: int(d)}
		if d <= 0 || len(best) == first && !before(c, best[first-1]) {
			return nil
		}
		i, _ := slices.BinarySearchFunc(best, c, func(a, b Count) int {
			if before(a, b) {
				return -1
			}
			return 1
		})
		best = slices.Insert(best, i, c)
		if len(best) > first {
			best = best[:first]
		}
		return nil
	}
	for _, kind := range domain.EntityKinds {
		if len(kinds) > 0 && !slices.Contains(kinds, kind) {
			continue
		}
		counter := counters.Degree(kind)
		deltas, err := counters.Pending(r, counter)
		if err != nil {
			return nil, err
		}
		for id, d := range deltas {
			b, err := counters.Base(r, counter, id)
			if err != nil {
				return nil, err
			}
			if err := offer(id, b+d); err != nil {
				return nil, err
			}
		}
		err = r.Iterate(kv.IterOptions{Prefix: layout.Ranks(kind), KeysOnly: true}, func(k, _ []byte) error {
			total, id, err := layout.ParseRank(kind, k)
			if err != nil {
				return err
			}
			if len(best) == first && !before(Count{Key: id, Count: int(total)}, best[first-1]) {
				// Totals only fall from here, and a degree is at most its total.
				return kv.ErrStop
			}
			if _, ok := deltas[id]; ok {
				return nil // offered above with its pending deltas
			}
			return offer(id, total)
		})
		if err != nil {
			return nil, err
		}
	}
	return best, nil
}
