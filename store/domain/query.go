package domain

import (
	"slices"
	"time"
)

// PageArgs asks for First items after the opaque cursor After.
type PageArgs struct {
	First int
	After string
	// Uncounted says the caller will not read the page's Total, so a list may stop
	// at the page's end, and start at its cursor, rather than read every item to
	// count them: a hub's first ten relations then cost ten reads, not a quarter of a
	// million. Total is then not to be read.
	Uncounted bool
}

// DefaultPageSize is used when PageArgs.First is not positive.
const DefaultPageSize = 50

// Page is one page of a list, with each item's opaque, stable cursor.
type Page[T any] struct {
	Items   []T
	Cursors []string
	HasNext bool
	// Total counts the whole list, not just this page.
	Total int
}

// NodeFilter narrows List.
type NodeFilter struct {
	// Subtypes keeps actors, places or events of these kinds (ActorKind, PlaceKind or
	// EventKind values); empty keeps all.
	Subtypes []string
	// From and To keep events whose time span overlaps [From, To); events of unknown
	// time are dropped when either is set.
	From, To *time.Time
}

// Matches reports whether n passes the filter.
func (f NodeFilter) Matches(n Node) bool {
	var sub string
	switch n := n.(type) {
	case *Actor:
		sub = string(n.Kind)
	case *Place:
		sub = string(n.Kind)
	case *Event:
		sub = string(n.Kind)
		if f.From != nil || f.To != nil {
			if n.Start == nil {
				return false
			}
			from, _ := n.Precision.Span(*n.Start)
			end := n.Start
			if n.End != nil {
				end = n.End
			}
			_, to := n.Precision.Span(*end)
			if f.From != nil && !to.After(*f.From) || f.To != nil && !from.Before(*f.To) {
				return false
			}
		}
	}
	return len(f.Subtypes) == 0 || slices.Contains(f.Subtypes, sub)
}

// RelationFilter narrows the relations of a node.
type RelationFilter struct {
	Types     []RelationType // empty keeps all
	Direction Direction      // "" means BOTH
	// IncludeRetracted lists retracted relations too, after the others.
	IncludeRetracted bool
}

// Walk selects the relations an exploration may follow.
type Walk struct {
	Types     []RelationType // empty follows every type
	Direction Direction      // "" or BOTH follows relations either way
	// From and To keep relations whose valid time overlaps [From, To); a relation with
	// no valid time is always kept.
	From, To *time.Time
}

// Filter is the relation filter of the walk's types and direction.
func (w Walk) Filter() RelationFilter {
	return RelationFilter{Types: w.Types, Direction: w.Direction}
}

// ValidDuring reports whether rel's valid time overlaps w's window.
func (w Walk) ValidDuring(rel *Relation) bool {
	return overlaps(rel.ValidFrom, rel.ValidTo, w.From, w.To)
}

// overlaps reports whether the valid time [from, to) overlaps the window [wFrom, wTo);
// a nil end, of either, is open.
func overlaps(from, to, wFrom, wTo *time.Time) bool {
	if wTo != nil && from != nil && !from.Before(*wTo) {
		return false
	}
	return wFrom == nil || to == nil || to.After(*wFrom)
}
