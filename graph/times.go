package graph

import (
	"time"

	"eventgraph/store/domain"
)

// A Time argument or input field arrives as the period it was written as (2025,
// 2025-06, 2025-06-13, or an instant); which instant it stands for depends on what it
// is for (docs/api.md, "Dates and instants"): asOf means the period's last instant
// (AtRootField), a window the whole period (window), a stored time its start (moment).

// window turns from and to arguments into the half-open window [start, end) the store
// filters by: from opens it at the start of its period, to closes it at the end of
// its own, so that "to: 2025" keeps all of 2025. A missing bound stays nil.
func window(from, to *domain.Period) (start, end *time.Time) {
	if from != nil {
		start = &from.Start
	}
	if to != nil {
		e := to.End()
		end = &e
	}
	return start, end
}

// moment is a time an input stores (an event's start or end, a publication, a valid
// time): the start of its period. Nil stays nil.
func moment(p *domain.Period) *time.Time {
	if p == nil {
		return nil
	}
	return &p.Start
}
