package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"eventgraph/store/kv"
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

// Aggregate counts the whole graph in one snapshot. It scans the event, relation and
// source indexes, so it costs time in proportion to the graph.
func (g *Graph) Aggregate(ctx context.Context) (*Aggregates, error) {
	a := &Aggregates{}
	err := g.view(ctx, func(r kv.Reader) error {
		kinds, months := map[string]int{}, map[string]int{}
		err := r.Iterate(kv.IterOptions{Prefix: []byte{pEventAt, sep}, KeysOnly: true}, func(k, _ []byte) error {
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return err
			}
			e := n.(*Event)
			kinds[string(e.Kind)]++
			months[monthOf(e)]++
			return nil
		})
		if err != nil {
			return err
		}
		types := map[string]int{}
		err = r.Iterate(kv.IterOptions{Prefix: []byte{pOut, sep}, KeysOnly: true}, func(k, _ []byte) error {
			types[splitKey(k)[1]]++
			return nil
		})
		if err != nil {
			return err
		}
		publishers := map[string]int{}
		err = r.Iterate(kv.IterOptions{Prefix: prefixKey(pKind, string(KindSource)), KeysOnly: true}, func(k, _ []byte) error {
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return err
			}
			p := n.(*Source).Publisher
			if p == "" {
				p = "unknown"
			}
			publishers[p]++
			return nil
		})
		a.EventsByKind, a.EventsByMonth = counts(kinds), counts(months)
		a.RelationsByType, a.SourcesByPublisher = counts(types), counts(publishers)
		return err
	})
	return a, err
}

func monthOf(e *Event) string {
	switch {
	case e.Start == nil:
		return "unknown"
	case e.Precision == PrecisionYear:
		return e.Start.UTC().Format("2006")
	}
	return e.Start.UTC().Format("2006-01")
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
	Entity Entity
	Degree int
}

// Central ranks entities of the given kinds (all entity kinds when empty) by degree:
// the relations they have whose valid time overlaps [from, to) (relations without a
// valid time always count), most connected first, ties by id. It reads every relation,
// so it costs time in proportion to the graph.
func (g *Graph) Central(ctx context.Context, kinds []Kind, from, to *time.Time, first int) ([]Centrality, error) {
	var out []Centrality
	w := Walk{From: from, To: to}
	err := g.view(ctx, func(r kv.Reader) error {
		degree := map[string]int{}
		err := r.Iterate(kv.IterOptions{Prefix: []byte{pRelation, sep}}, func(_, v []byte) error {
			rel, err := decodeRelation(v)
			if err != nil {
				return err
			}
			if w.validDuring(rel) {
				degree[rel.From]++
				if rel.To != rel.From {
					degree[rel.To]++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		ranked := counts(degree)
		for _, c := range ranked {
			if len(out) == first {
				break
			}
			n, err := getNode(r, c.Key)
			if err != nil {
				return err
			}
			e, ok := n.(Entity)
			if ok && (len(kinds) == 0 || slices.Contains(kinds, n.NodeKind())) {
				out = append(out, Centrality{Entity: e, Degree: c.Count})
			}
		}
		return nil
	})
	return out, err
}
