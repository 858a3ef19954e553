package ingest

// Chronology: what an article tells of its events' order across its sentences.

import (
	"cmp"
	"slices"

	"eventgraph/store/domain"
)

// implied is a relation an article states across its sentences rather than in one: it
// is proposed quoting the sentence that holds the code point at.
type implied struct {
	from, to domain.Entity
	typ      domain.RelationType
	at       int
}

// chronology are the relations the order of an article's proposed events implies
// (events[i] is proposed as proposals[i]): a round of talks dated within the window of a
// known series of rounds ("Earlier rounds of US-Iran talks") is PART_OF it, and of two
// rounds the article numbers, the one before PRECEDED the next (meetings it only dates
// are of too many kinds to chain). Each is quoted where the later (or the part) is
// first reported.
func chronology(events []*newEvent, proposals []domain.Entity) []implied {
	var out []implied
	var rounds []int
	for i, e := range events {
		if len(e.partOf) == 1 {
			out = append(out, implied{proposals[i], e.partOf[0], domain.RelPartOf, e.spans[0].Start})
		}
		if e.kind == domain.EventNegotiation && e.ordinal > 0 {
			rounds = append(rounds, i)
		}
	}
	slices.SortStableFunc(rounds, func(a, b int) int { return cmp.Compare(events[a].ordinal, events[b].ordinal) })
	for k := 1; k < len(rounds); k++ {
		if a, b := events[rounds[k-1]], events[rounds[k]]; a.ordinal < b.ordinal {
			out = append(out, implied{proposals[rounds[k-1]], proposals[rounds[k]], domain.RelPreceded, b.spans[0].Start})
		}
	}
	return out
}
