package store

import (
	"bytes"
	"context"
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

// Timeline pages through events in timeline order: by the span their start stands for,
// coarser first (a month-precision event sorts as that month, ahead of the days in it),
// events of unknown time last. Without Entity, Place or Topic it is List(KindEvent).
//
// Errors: ErrNotFound when a filter names no node; ErrInvalid for a malformed cursor.
func (g *Graph) Timeline(ctx context.Context, f TimelineFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	if f.Entity == "" && f.Place == "" && f.Topic == "" {
		return g.List(ctx, domain.KindEvent, f.NodeFilter, args)
	}
	var page domain.Page[domain.Node]
	err := g.view(ctx, func(r *layout.Snapshot) error {
		var events map[string]bool
		narrow := func(found map[string]bool) {
			if events == nil {
				events = found
				return
			}
			for id := range events {
				if !found[id] {
					delete(events, id)
				}
			}
		}
		if f.Entity != "" {
			found, err := linkedEvents(r, f.Entity, domain.RelationFilter{})
			if err != nil {
				return err
			}
			narrow(found)
		}
		if f.Place != "" {
			found, err := eventsWithin(r, f.Place)
			if err != nil {
				return err
			}
			narrow(found)
		}
		if f.Topic != "" {
			found, err := linkedEvents(r, f.Topic, domain.RelationFilter{Types: []domain.RelationType{domain.RelAboutTopic}, Direction: domain.DirectionIn})
			if err != nil {
				return err
			}
			narrow(found)
		}
		var keys [][]byte
		for id := range events {
			n, err := layout.ReadNode(r, id)
			if err != nil {
				return err
			}
			if e := n.(*domain.Event); f.Matches(e) {
				keys = append(keys, layout.EventAtKey(e))
			}
		}
		slices.SortFunc(keys, bytes.Compare)
		p, err := layout.NewPager(args, [][]byte{layout.Timeline()})
		if err != nil {
			return err
		}
		for _, k := range keys {
			p.Offer(0, k)
		}
		keys, hasNext, total := p.Page()
		page = domain.Page[domain.Node]{Cursors: layout.Cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			n, err := layout.ReadNode(r, layout.ID(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, n)
		}
		return nil
	})
	return page, err
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
