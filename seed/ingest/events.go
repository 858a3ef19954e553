package ingest

// Events: the meetings, strikes and statements an article reports, linked to the events
// the graph holds or proposed as new ones with their dates.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"eventgraph/store/domain"
)

// eventNouns name an event of their kind.
var eventNouns = map[string]domain.EventKind{
	"talks": domain.EventNegotiation, "meeting": domain.EventNegotiation, "session": domain.EventNegotiation,
	"negotiations": domain.EventNegotiation, "summit": domain.EventNegotiation,
	"interview": domain.EventStatement, "statement": domain.EventStatement, "speech": domain.EventStatement,
	"remarks": domain.EventStatement, "briefing": domain.EventStatement, "letter": domain.EventStatement,
	"strike": domain.EventMilitaryStrike, "strikes": domain.EventMilitaryStrike, "airstrike": domain.EventMilitaryStrike,
	"airstrikes": domain.EventMilitaryStrike, "attack": domain.EventMilitaryStrike, "attacks": domain.EventMilitaryStrike,
	"bombing": domain.EventMilitaryStrike, "raid": domain.EventMilitaryStrike,
	"explosion": domain.EventOther, "blast": domain.EventOther, "visit": domain.EventOther,
	"protests": domain.EventProtest, "protest": domain.EventProtest, "demonstrations": domain.EventProtest,
	"crackdown": domain.EventCrackdown, "war": domain.EventWar, "deployment": domain.EventDeployment,
}

// eventVerbs report an event of their kind; a statement's only with its date beside it
// ("wrote on Tuesday"). "Said" and "told" are not among them: most sentences of an
// article report something said.
var eventVerbs = map[string]domain.EventKind{
	"met": domain.EventNegotiation, "meets": domain.EventNegotiation, "meet": domain.EventNegotiation,
	"struck": domain.EventMilitaryStrike, "bombed": domain.EventMilitaryStrike, "attacked": domain.EventMilitaryStrike,
	"downed": domain.EventShootdown,
	"wrote":  domain.EventStatement, "posted": domain.EventStatement,
	"replied": domain.EventStatement, "announced": domain.EventStatement, "visited": domain.EventOther,
}

// verbNouns name the event a verb reports, for its proposed name.
var verbNouns = map[domain.EventKind]string{
	domain.EventNegotiation: "meeting", domain.EventMilitaryStrike: "strike", domain.EventShootdown: "shootdown",
	domain.EventStatement: "statement", domain.EventOther: "visit",
}

// sameDay is the negotiation of events on e's day, nil for none: talks and a round
// reported on one day are one meeting.
func sameDay(events []*newEvent, e *newEvent) *newEvent {
	for _, o := range events {
		if o.kind == e.kind && o.precision == e.precision && o.at.Equal(e.at) {
			return o
		}
	}
	return nil
}

// ordinals number rounds of talks.
var ordinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}

// newEvent is an event an article reports that the graph does not hold.
type newEvent struct {
	kind      domain.EventKind
	at        time.Time
	precision domain.Precision
	ordinal   int      // a round's number, 0 for none
	speaker   string   // a statement's speaker's name
	place     string   // the name of the place it is in, when the sentence says
	actors    []string // the known actors the sentences reporting it name
	sameAs    []string // the known events it may be (linkEvents)
	noun      string   // what the text calls it first: "interview", "explosion"
	words     []string // the folded words of what the text calls it, all its spans'
	spans     []domain.TextRange
}

// key is what two reports of one event share.
func (e *newEvent) key() string {
	if e.ordinal > 0 {
		return fmt.Sprintf("round %d", e.ordinal)
	}
	return fmt.Sprintf("%s %s %s %s", e.kind, e.precision, e.at.Format("2006-01-02"), e.speaker)
}

// name is the event's name as proposed: what it is, who or where, and when.
func (e *newEvent) name() string {
	var b strings.Builder
	switch {
	case e.ordinal > 0:
		fmt.Fprintf(&b, "%s round of talks", ordinalNames[e.ordinal])
	case e.speaker != "":
		fmt.Fprintf(&b, "%s %s", e.speaker, e.noun)
	default:
		b.WriteString(strings.ToUpper(e.noun[:1]) + e.noun[1:])
	}
	if e.place != "" {
		fmt.Fprintf(&b, " in %s", e.place)
	}
	switch e.precision {
	case domain.PrecisionDay:
		fmt.Fprintf(&b, ", %s", e.at.Format("2 January 2006"))
	case domain.PrecisionMonth:
		fmt.Fprintf(&b, ", %s", e.at.Format("January 2006"))
	case domain.PrecisionYear:
		fmt.Fprintf(&b, ", %d", e.at.Year())
	}
	return b.String()
}

var ordinalNames = []string{"", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"}

// articleEvents reads, sentence by sentence, the events the text reports. A word of an
// event (eventNouns, eventVerbs, "second round") that a known event's mention covers is
// that event. Otherwise it is a new event when the sentence dates it ("talks on
// Saturday", "said on Tuesday", with relative dates read against published) or numbers
// it ("the third round"): reports of one kind and day (and, for a statement, speaker)
// are one event. An undated noun refers back: to the article's main event of its kind
// (the first reported, not after publication), or to the known event of that kind the
// article names; otherwise, for a noun that names one by itself ("interview",
// "explosion"), a new event of unknown date. It returns the new events, and the
// mentions of known events the words referring back make.
func articleEvents(runes []rune, sents []domain.TextRange, named []mention, skip []domain.TextRange, published time.Time) ([]*newEvent, []mention) {
	var out []*newEvent
	byKey := map[string]*newEvent{}
	var links []mention
	knownOf := map[domain.EventKind]domain.Entity{} // a known event of each kind the article names
	for _, m := range named {
		if ev, ok := m.entity.(*domain.Event); ok && !domain.IsProposalID(ev.ID) {
			if _, seen := knownOf[ev.Kind]; !seen {
				knownOf[ev.Kind] = ev
			}
		}
	}
	covered := func(start, end int) bool {
		return slices.ContainsFunc(named, func(m mention) bool { return m.start < end && start < m.end }) ||
			slices.ContainsFunc(skip, func(r domain.TextRange) bool { return r.Start <= start && start < r.End })
	}
	for _, s := range sents {
		words := wordsIn(runes, s)
		dates := datesIn(runes, words, published)
		for i := 0; i < len(words); i++ {
			w := words[i]
			kind, noun := eventNouns[w.w], true
			start, end := w.start, w.end
			ordinal := 0
			if n, ok := ordinals[w.w]; ok && i+1 < len(words) && (words[i+1].w == "round" || words[i+1].w == "rounds") {
				kind, ordinal, end = domain.EventNegotiation, n, words[i+1].end
				i++
				if i+2 < len(words) && words[i+1].w == "of" && eventNouns[words[i+2].w] == domain.EventNegotiation {
					end = words[i+2].end // "first round of talks" is one report
					i += 2
				}
			} else if (w.w == "news" || w.w == "press") && i+1 < len(words) && words[i+1].w == "conference" {
				kind, end = domain.EventStatement, words[i+1].end
				i++
			} else if w.w == "shot" && i+1 < len(words) && words[i+1].w == "down" {
				kind, noun, end = domain.EventShootdown, false, words[i+1].end
				i++
			} else if kind == "" {
				kind, noun = eventVerbs[w.w], false
			}
			if kind == "" || covered(start, end) {
				continue
			}
			date, dated := nearestDate(eligible(dates, kind, start, end, s, words, named), start, end)
			switch {
			case kind == domain.EventStatement && !noun && (!dated || date.start-end > 20 || date.start < end):
				continue // "said" without "on Tuesday" right after it
			case kind == domain.EventStatement && !dated:
				continue // "said in a statement": most of what an article reports is said
			}
			e := &newEvent{kind: kind, ordinal: ordinal, noun: strings.ToLower(string(runes[start:end])), precision: domain.PrecisionUnknown}
			if !noun {
				e.noun = verbNouns[kind]
			}
			if dated {
				e.at, e.precision = date.at, date.precision
			}
			if kind == domain.EventStatement {
				e.speaker = speakerOf(named, s, start)
			}
			if !dated && ordinal == 0 {
				if !noun {
					continue // "met" without a date: a meeting, but which one the text does not say
				}
				if main := mainEvent(out, kind, published); main != nil && !(kind == domain.EventStatement && e.speaker != "" && e.speaker != main.speaker) {
					main.spans = append(main.spans, domain.TextRange{Start: start, End: end})
					domain.EachWord(string(runes[start:end]), func(w string, _, _ int) { main.words = append(main.words, w) })
					continue
				}
				if known := knownOf[kind]; known != nil {
					links = append(links, mention{known, start, end})
					continue
				}
				if !noun || kind == domain.EventNegotiation || kind == domain.EventWar {
					continue // "talks" alone, with nothing to date or number them
				}
			}
			e.place = placeOf(runes, named, s, end)
			e.actors = actorsIn(named, s)
			domain.EachWord(string(runes[start:end]), func(w string, _, _ int) { e.words = append(e.words, w) })
			if old := byKey[e.key()]; old != nil || kind == domain.EventNegotiation && ordinal == 0 && dated && sameDay(out, e) != nil {
				if old == nil {
					old = sameDay(out, e)
				}
				old.words = append(old.words, e.words...)
				old.spans = append(old.spans, domain.TextRange{Start: start, End: end})
				old.actors = append(old.actors, e.actors...)
				if old.precision == domain.PrecisionUnknown && dated {
					old.at, old.precision = e.at, e.precision
				}
				continue
			}
			e.spans = []domain.TextRange{{Start: start, End: end}}
			byKey[e.key()] = e
			out = append(out, e)
		}
	}
	return out, links
}

// eligible are the dates of the sentence s that may date the event word at [start,
// end) of kind: those with no word of another kind of event, nor a known event's
// mention, between them and it ("their first meeting since the war in June" dates the
// war, not the meeting).
func eligible(dates []dateRef, kind domain.EventKind, start, end int, s domain.TextRange, words []sentenceWord, named []mention) []dateRef {
	var others []int
	for _, w := range words {
		if k := cmp.Or(eventNouns[w.w], eventVerbs[w.w]); k != "" && k != kind && (w.end <= start || w.start >= end) {
			others = append(others, w.start)
		}
	}
	for _, m := range named {
		if m.entity.NodeKind() == domain.KindEvent && m.start >= s.Start && m.end <= s.End && (m.end <= start || m.start >= end) {
			others = append(others, m.start)
		}
	}
	return slices.DeleteFunc(slices.Clone(dates), func(d dateRef) bool {
		lo, hi := min(d.start, start), max(d.end, end)
		return slices.ContainsFunc(others, func(at int) bool { return lo < at && at < hi })
	})
}

// nearestDate is the date of dates nearest [start, end).
func nearestDate(dates []dateRef, start, end int) (dateRef, bool) {
	best, found := dateRef{}, false
	distance := func(d dateRef) int { return min(abs(d.start-end), abs(start-d.end)) }
	for _, d := range dates {
		if !found || distance(d) < distance(best) {
			best, found = d, true
		}
	}
	return best, found
}

// mainEvent is the first of events of kind that is not after published, nil for none.
func mainEvent(events []*newEvent, kind domain.EventKind, published time.Time) *newEvent {
	for _, e := range events {
		if e.kind == kind && (e.precision == domain.PrecisionUnknown || published.IsZero() || !e.at.After(published)) {
			return e
		}
	}
	return nil
}

// speakerOf is the name of the actor the sentence names last before at, "" for none.
func speakerOf(named []mention, s domain.TextRange, at int) string {
	name := ""
	for _, m := range named {
		if m.start >= s.Start && m.end <= at && m.entity.NodeKind() == domain.KindActor {
			name = m.entity.Base().Name
		}
	}
	return name
}

// actorsIn are the ids of the known actors the sentence names.
func actorsIn(named []mention, s domain.TextRange) []string {
	var out []string
	for _, m := range named {
		if m.start >= s.Start && m.end <= s.End && m.entity.NodeKind() == domain.KindActor && !domain.IsProposalID(m.entity.NodeID()) {
			out = append(out, m.entity.NodeID())
		}
	}
	return out
}

// placeOf is the name of the place the sentence names after from, after "in" or "at",
// "" for none.
func placeOf(runes []rune, named []mention, s domain.TextRange, from int) string {
	for _, m := range named {
		if m.start >= from && m.end <= s.End && m.entity.NodeKind() == domain.KindPlace && m.start-from <= 40 &&
			placeContext(runes, m.start, m.end, setOf("in", "at")) {
			return m.entity.Base().Name
		}
	}
	return ""
}

// eventProposal is the proposal of e, from source.
func eventProposal(e *newEvent, runes []rune, source string) domain.Proposal {
	p := domain.Proposal{NodeKind: domain.KindEvent, Kind: string(e.kind), Name: e.name(), Precision: e.precision, SameAs: e.sameAs,
		Mentions: proposedMentions(e.spans, runes, source)}
	if e.precision != domain.PrecisionUnknown {
		at := e.at
		p.Start = &at
	}
	p.ID = domain.ProposalID(p.NodeKind, p.Name)
	return p
}

// maxEventCandidates bounds the known events one word of an event may link to and still
// be read: a word more events' names hold ("attack") links none by itself.
const maxEventCandidates = 32

// knownEvent is an event the graph holds, with what links an article's report to it.
type knownEvent struct {
	event    *domain.Event
	places   map[string]bool // the places it is LOCATED_IN
	actors   map[string]bool // the actors that PARTICIPATED_IN it
	reported time.Time       // when the first source giving evidence of it was published
}

// linkEvents links the events the article reports to the events the graph holds where
// they match: of the same kind, the words the text calls it in the known event's names
// ("talks" for "US-Iran talks in Muscat") or its date the report's, and nothing against
// it: its date (or, for an undated event, the publication of the first source reporting
// it, within undatedReach) near the report's, and its place the report's place. A report
// of a kind that recurs (talks, statements, strikes) needs place, date or participants
// to agree besides. The best match wins, a tie links none. A
// linked report's spans become mentions of the known event; the others stay new.
func linkEvents(ctx context.Context, g Graph, events []*newEvent, named []mention) ([]*newEvent, []mention, error) {
	var nouns []string
	for _, e := range events {
		nouns = append(nouns, e.words...)
	}
	holders, err := g.NamesWithWord(ctx, nouns, []domain.Kind{domain.KindEvent}, maxEventCandidates)
	if err != nil || len(holders) == 0 {
		return events, nil, err
	}
	known := map[string]*knownEvent{}
	var ids []string
	for _, nodes := range holders {
		for _, n := range nodes {
			if ev, ok := n.(*domain.Event); ok && known[ev.ID] == nil {
				known[ev.ID] = &knownEvent{event: ev, places: map[string]bool{}, actors: map[string]bool{}}
				ids = append(ids, ev.ID)
			}
		}
	}
	slices.Sort(ids)
	rels, err := g.RelationsOf(ctx, ids, domain.RelationFilter{Types: []domain.RelationType{domain.RelLocatedIn, domain.RelParticipatedIn}})
	if err != nil {
		return nil, nil, err
	}
	var relIDs []string
	relOf := map[string]*knownEvent{}
	for i, id := range ids {
		for _, r := range rels[i] {
			k := known[id]
			switch {
			case r.Type == domain.RelLocatedIn && r.From == id:
				k.places[r.To] = true
			case r.Type == domain.RelParticipatedIn && r.To == id:
				k.actors[r.From] = true
			}
			relIDs = append(relIDs, r.ID)
			relOf[r.ID] = k
		}
	}
	evidence, err := g.Evidence(ctx, relIDs)
	if err != nil {
		return nil, nil, err
	}
	var sources []string
	sourceOf := map[string][]*knownEvent{}
	for i, evs := range evidence {
		for _, ev := range evs {
			sources = append(sources, ev.Source)
			sourceOf[ev.Source] = append(sourceOf[ev.Source], relOf[relIDs[i]])
		}
	}
	nodes, err := g.Nodes(ctx, sources)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range nodes {
		if src, ok := n.(*domain.Source); ok && src.PublishedAt != nil {
			for _, k := range sourceOf[src.ID] {
				if k.reported.IsZero() || src.PublishedAt.Before(k.reported) {
					k.reported = *src.PublishedAt
				}
			}
		}
	}
	var stay []*newEvent
	var links []mention
	for _, e := range events {
		var best *knownEvent
		bestScore, tie := 0, false
		for _, id := range ids {
			if s := known[id].match(e, named, false); s > bestScore {
				best, bestScore, tie = known[id], s, false
			} else if s == bestScore && s > 0 {
				tie = true
			}
		}
		if best == nil || tie || bestScore < 2 && recurring[e.kind] {
			// Not linked, but suggested: the known events it may be, had they a date.
			for _, id := range ids {
				if known[id].match(e, named, true) >= 2 {
					e.sameAs = append(e.sameAs, id)
				}
			}
			stay = append(stay, e)
			continue
		}
		for _, s := range e.spans {
			links = append(links, mention{best.event, s.Start, s.End})
		}
	}
	return stay, links, nil
}

// recurring are the kinds of event that recur between the same parties in the same
// places: a report of one links to a known one only when their dates agree.
var recurring = map[domain.EventKind]bool{domain.EventNegotiation: true, domain.EventStatement: true, domain.EventMilitaryStrike: true}

// undatedReach is how far from its first report an undated known event may have taken
// place: a report of talks a year before the first source on a known round is of
// another round.
const undatedReach = 45 * 24 * time.Hour

// match scores how well the report e matches k: 0 for no match; 1 for the kind and a
// word of its names, more for its date, place and participants. Undated, a known event
// of a recurring kind matches only when undated is set (a suggestion, not a link).
func (k *knownEvent) match(e *newEvent, mentions []mention, undated bool) int {
	if k.event.Kind != e.kind {
		return 0
	}
	named := slices.ContainsFunc(domain.Names(k.event), func(n string) bool {
		return slices.ContainsFunc(strings.Fields(domain.Normalize(n)), func(w string) bool { return slices.Contains(e.words, w) })
	})
	dated := k.event.Start != nil && k.event.Precision != domain.PrecisionUnknown && e.precision != domain.PrecisionUnknown
	if !named && !dated {
		return 0 // neither a word of its names nor a date to tell it by
	}
	score := 1
	dated = false
	if e.precision != domain.PrecisionUnknown {
		switch {
		case k.event.Start != nil && k.event.Precision != domain.PrecisionUnknown:
			from, to := k.event.Precision.Span(*k.event.Start)
			if e.at.Before(from) || !e.at.Before(to) {
				return 0
			}
			score, dated = score+2, true
		case !k.reported.IsZero():
			if d := e.at.Sub(k.reported); d > undatedReach || d < -undatedReach {
				return 0
			}
			score, dated = score+1, true
		}
	}
	if recurring[e.kind] && !dated && !undated {
		return 0 // one round of talks in Muscat is not another without a date to tell
	}
	if e.place != "" {
		at := slices.ContainsFunc(mentions, func(m mention) bool { return m.entity.Base().Name == e.place && k.places[m.entity.NodeID()] })
		if !at && len(k.places) > 0 {
			return 0
		}
		if at {
			score += 2
		}
	}
	for _, id := range e.actors {
		if k.actors[id] {
			score++
		}
	}
	return score
}
