package ingest

// Chronology: what an article tells of its events' order across its sentences.

import (
	"cmp"
	"slices"
	"time"

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
// known series of rounds ("Earlier rounds of US-Iran talks") is PART_OF it, experts'
// talks are PART_OF the round held the same day ("The expert-level talks … were held the
// same day"), and of two
// rounds the article numbers, the one before PRECEDED the next (meetings it only dates
// are of too many kinds to chain). The talks to come (the undated next round, one dated
// after publication, or the lowest-numbered round when it is undated) follow the last meeting the article
// reports held by its publication: a proposed one dated to the day, or else a known
// single meeting the article names (named holds the known events' mentions), which
// the graph may hold undated and the article date (days, by the known event's id).
// Each is quoted where the later (or the part) is first reported.
func chronology(events []*newEvent, proposals []domain.Entity, named []mention, days map[string]time.Time, published time.Time) []implied {
	var out []implied
	var last domain.Entity // the last meeting held
	var lastAt time.Time   // its day; zero for a known undated one the article does not date, held before any dated
	held := func(e domain.Entity, at time.Time) {
		if (published.IsZero() || !at.After(published)) && (last == nil || at.After(lastAt)) {
			last, lastAt = e, at
		}
	}
	for _, m := range named {
		if ev, ok := m.entity.(*domain.Event); ok && ev.Kind == domain.EventNegotiation && !domain.IsProposalID(ev.ID) && !newKnownEvent(ev).series() {
			if ev.Precision == domain.PrecisionDay && ev.Start != nil {
				held(ev, *ev.Start)
			} else {
				held(ev, days[ev.ID])
			}
		}
	}
	first := -1 // the lowest-numbered round
	for i, e := range events {
		if e.kind == domain.EventNegotiation && met(e) && !toCome(e, published) && e.precision == domain.PrecisionDay {
			held(proposals[i], e.at)
		}
		if e.ordinal > 0 && (first < 0 || e.ordinal < events[first].ordinal) {
			first = i
		}
	}
	for i, e := range events {
		if last != nil && (toCome(e, published) || i == first && e.precision == domain.PrecisionUnknown) {
			out = append(out, implied{last, proposals[i], domain.RelPreceded, e.spans[0].Start})
		}
	}
	for i, e := range events {
		if !e.technical() || e.precision != domain.PrecisionDay {
			continue
		}
		if j := slices.IndexFunc(events, func(o *newEvent) bool {
			return o.kind == domain.EventNegotiation && !o.technical() && o.precision == domain.PrecisionDay && o.at.Equal(e.at)
		}); j >= 0 {
			out = append(out, implied{proposals[i], proposals[j], domain.RelPartOf, e.spans[0].Start}) // the experts' talks of the day's round
		}
	}
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

// met reports whether e tells of a meeting, not only of a deal ("a deal", "the
// agreement"), which may be one talked of rather than one made.
func met(e *newEvent) bool {
	return slices.ContainsFunc(e.words, func(w string) bool { return !dealNouns[w] })
}
