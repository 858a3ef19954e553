package explore

import (
	"bytes"
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// TimelineFilter narrows a timeline to the events linked to an entity, located in a
// place (or in any place within it), or about a topic; every one given must hold.
type TimelineFilter struct {
	Entity, Place, Topic string
	domain.NodeFilter
}

// withinDepth bounds how many levels of LOCATED_IN a place filter descends (a facility
// in a city in a country in a region).
const withinDepth = 6

// List pages through the nodes of one kind that f keeps: events in time order (unknown
// times last), everything else in id order.
//
// Errors: domain.ErrInvalid for a malformed cursor.
func List(r kv.Reader, kind domain.Kind, f domain.NodeFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	prefix := layout.KindPrefix(kind)
	if kind == domain.KindEvent {
		prefix = layout.Timeline()
	}
	plain := len(f.Subtypes) == 0 && f.From == nil && f.To == nil
	accept := func(_, k []byte) (bool, error) {
		if plain {
			return true, nil
		}
		n, err := layout.ReadNode(r, layout.ID(k))
		if err != nil {
			return false, err
		}
		return f.Matches(n), nil
	}
	keys, hasNext, total, err := layout.PageKeys(r, [][]byte{prefix}, args, accept)
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	return layout.NodePage(r, keys, hasNext, total)
}

// Timeline pages through events in timeline order: by the span their start stands for,
// coarser first (a month-precision event sorts as that month, ahead of the days in it),
// events of unknown time last. Without Entity, Place or Topic it is List(KindEvent).
//
// Errors: domain.ErrNotFound when a filter names no node; domain.ErrInvalid for a
// malformed cursor.
func Timeline(r kv.Reader, f TimelineFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	if f.Entity == "" && f.Place == "" && f.Topic == "" {
		return List(r, domain.KindEvent, f.NodeFilter, args)
	}
	var events map[string]bool
	narrow := func(found map[string]bool, err error) error {
		if err != nil || events == nil {
			events = found
			return err
		}
		for id := range events {
			if !found[id] {
				delete(events, id)
			}
		}
		return nil
	}
	var err error
	if f.Entity != "" {
		err = narrow(linkedEvents(r, f.Entity, domain.RelationFilter{}))
	}
	if err == nil && f.Place != "" {
		err = narrow(eventsWithin(r, f.Place))
	}
	if err == nil && f.Topic != "" {
		err = narrow(linkedEvents(r, f.Topic, domain.RelationFilter{Types: []domain.RelationType{domain.RelAboutTopic}, Direction: domain.DirectionIn}))
	}
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	var keys [][]byte
	for id := range events {
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return domain.Page[domain.Node]{}, err
		}
		if e := n.(*domain.Event); f.Matches(e) {
			keys = append(keys, layout.EventAtKey(e))
		}
	}
	slices.SortFunc(keys, bytes.Compare)
	p, err := layout.NewPager(args, [][]byte{layout.Timeline()})
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	for _, k := range keys {
		p.Offer(0, k)
	}
	keys, hasNext, total := p.Page()
	return layout.NodePage(r, keys, hasNext, total)
}

// linkedEvents returns the events at the other end of id's relations that pass f.
func linkedEvents(r kv.Reader, id string, f domain.RelationFilter) (map[string]bool, error) {
	if _, err := layout.ReadNode(r, id); err != nil {
		return nil, err
	}
	steps, err := layout.Steps(r, f, id)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, s := range steps {
		n, err := layout.ReadNode(r, s.Other)
		if err != nil {
			return nil, err
		}
		if n.NodeKind() == domain.KindEvent {
			out[s.Other] = true
		}
	}
	return out, nil
}

// eventsWithin returns the events located in place or in any place within it.
func eventsWithin(r kv.Reader, place string) (map[string]bool, error) {
	located := domain.RelationFilter{Types: []domain.RelationType{domain.RelLocatedIn}, Direction: domain.DirectionIn}
	if _, err := layout.ReadNode(r, place); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	seen := map[string]bool{place: true}
	frontier := []string{place}
	for d := 0; d < withinDepth && len(frontier) > 0; d++ {
		var next []string
		for _, p := range frontier {
			steps, err := layout.Steps(r, located, p)
			if err != nil {
				return nil, err
			}
			for _, s := range steps {
				n, err := layout.ReadNode(r, s.Other)
				if err != nil {
					return nil, err
				}
				switch n.NodeKind() {
				case domain.KindEvent:
					out[s.Other] = true
				case domain.KindPlace:
					if !seen[s.Other] {
						seen[s.Other] = true
						next = append(next, s.Other)
					}
				}
			}
		}
		frontier = next
	}
	return out, nil
}
