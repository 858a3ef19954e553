package ingest

// Held relations: a claim the graph already holds, restated in a sentence, is proposed
// again so that one accept adds the sentence to its evidence and corroboration grows.

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"eventgraph/store/domain"
)

// heldReads are the relations read of each kind of node, in the direction that keeps
// the read small: a person's titles are few, while a state takes part in many events,
// which are read from the event's side.
var heldReads = []struct {
	kind  domain.Kind
	types []domain.RelationType
	dir   domain.Direction
}{
	{domain.KindActor, []domain.RelationType{domain.RelRepresents, domain.RelLeads, domain.RelMemberOf}, domain.DirectionOut},
	{domain.KindEvent, []domain.RelationType{domain.RelParticipatedIn, domain.RelLocatedIn, domain.RelPreceded, domain.RelDisrupted, domain.RelPartOf,
		domain.RelAboutTopic, domain.RelReportedBy, domain.RelCites}, domain.DirectionBoth},
	{domain.KindPlace, []domain.RelationType{domain.RelLocatedIn}, domain.DirectionOut},
}

// held are the relations the graph holds between the known entities an article names,
// by their ends, and a person's titles (REPRESENTS, LEADS, MEMBER_OF) by the person,
// with the entities they reach.
type held struct {
	between map[[2]string][]*domain.Relation
	titles  map[string][]*domain.Relation
	ends    map[string]domain.Entity
	located map[string]bool // the known events the graph has LOCATED_IN a place already
}

// heldRelations reads what the graph holds of the known entities named.
func heldRelations(ctx context.Context, g Graph, named []mention) (*held, error) {
	in := map[string]bool{}
	for _, m := range named {
		if id := m.entity.NodeID(); !domain.IsProposalID(id) {
			in[id] = true
		}
	}
	out := &held{between: map[[2]string][]*domain.Relation{}, titles: map[string][]*domain.Relation{}, ends: map[string]domain.Entity{},
		located: map[string]bool{}}
	seen := map[string]bool{}
	var ends []string
	for _, read := range heldReads {
		var ids []string
		for _, m := range named {
			if id := m.entity.NodeID(); in[id] && m.entity.NodeKind() == read.kind {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		rels, err := g.RelationsOf(ctx, ids, domain.RelationFilter{Types: read.types, Direction: read.dir})
		if err != nil {
			return nil, err
		}
		for _, rs := range rels {
			for _, r := range rs {
				if seen[r.ID] {
					continue
				}
				seen[r.ID] = true
				if in[r.From] && in[r.To] {
					out.between[[2]string{r.From, r.To}] = append(out.between[[2]string{r.From, r.To}], r)
				}
				if read.kind == domain.KindEvent && r.Type == domain.RelLocatedIn && in[r.From] {
					out.located[r.From] = true
				}
				if read.kind == domain.KindActor {
					out.titles[r.From] = append(out.titles[r.From], r)
					ends = append(ends, r.To)
				}
			}
		}
	}
	nodes, err := g.Nodes(ctx, ends)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		if e, ok := n.(domain.Entity); ok {
			out.ends[e.NodeID()] = e
		}
	}
	return out, nil
}

// restated proposes each relation held between two of the sentence's mentions that its
// words restate, and a person's held title towards a state the sentence gives beside
// the person's name without naming the state ("Foreign Minister Abbas Araghchi" restates that
// he REPRESENTS Iran): a title beside the person for REPRESENTS, LEADS and MEMBER_OF; a word
// of taking part near both, the actor right before the event's word ("U.S.
// strikes"), "its" before it for the actor named last, the actor after "of" or before
// a passive ("The carrier was sent"), or inside the event's own name, for
// PARTICIPATED_IN; the place inside the event's own name, for LOCATED_IN too; "in" or "at" before the place, or a preposition right
// after the event's word ("the deployment to the Arabian Sea"), for LOCATED_IN; a word
// of time or cause for PRECEDED and DISRUPTED; "during", "part of" or "which includes"
// or "when" for PART_OF; "on" or "about" before the topic for ABOUT_TOPIC; the reporter's
// attribution or saying verb for REPORTED_BY; "cited" or "linked" for CITES.
func restated(runes []rune, in []mention, words []sentenceWord, h *held, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	has := func(sets ...map[string]bool) bool { return len(cuesAt(words, sets...)) > 0 }
	for _, a := range in {
		if titledNear(runes, a) {
			for _, r := range h.titles[a.entity.NodeID()] {
				if to, ok := h.ends[r.To].(*domain.Actor); ok && to.Kind == domain.ActorState {
					add(a.entity, to, r.Type, r.Role) // a title is of a state unless the sentence names the body
				}
			}
		}
		for _, b := range in {
			for _, r := range h.between[[2]string{a.entity.NodeID(), b.entity.NodeID()}] {
				var says bool
				switch r.Type {
				case domain.RelRepresents, domain.RelLeads, domain.RelMemberOf:
					says = titledNear(runes, a)
				case domain.RelParticipatedIn:
					says = has(partakingWords, attackWords, mediationWords, hostingWords) || agentOf(runes, a, b.start) || itsOwn(runes, in, a, b) || partyPhrase.MatchString(between(runes, a, b)) || nested(a, b)
					says = says && near(runes, a, b) && !attributed(runes, a) && !timeReference(runes, b)
				case domain.RelLocatedIn:
					says = nested(a, b) || b.start > a.end && (placeContext(runes, b.start, b.end, inOrAt) || b.start-a.end <= 30 && eventToPlace.MatchString(string(runes[a.end:b.start])))
				case domain.RelPreceded, domain.RelDisrupted:
					says = has(sequenceWords)
				case domain.RelPartOf:
					says = has(partWords)
				case domain.RelAboutTopic:
					says = b.start > a.end && b.start-a.end <= 40 && has(topicWords)
				case domain.RelReportedBy:
					says = attributed(runes, b) || near(runes, a, b) && has(sayVerbs)
				case domain.RelCites:
					says = a.end <= b.start && has(citingWords)
				}
				if says {
					add(a.entity, b.entity, r.Type, r.Role)
				}
			}
		}
	}
}

// partyPhrase stands between an event's word and an actor it names a party of ("the
// deployment of the USS Abraham Lincoln carrier group"), or between an actor and the
// event it underwent ("The carrier was sent").
var partyPhrase = regexp.MustCompile(`^(\s+of\s+(the\s+)?|\s+(was|were|has been|had been)\s+)$`)

// nested reports whether one of a and b stands inside the other: the event's own name
// holds its party or place ("the deployment of the USS Abraham Lincoln carrier group to
// the Arabian Sea").
func nested(a, b mention) bool {
	return a.start >= b.start && a.end <= b.end || b.start >= a.start && b.end <= a.end
}

// between is the text between two mentions, in the order they stand.
func between(runes []rune, a, b mention) string {
	if b.start < a.start {
		a, b = b, a
	}
	if a.end > b.start {
		return ""
	}
	return string(runes[a.end:b.start])
}

// itsOwn reports whether the event's mention e is owned by "its" or "their" right
// before it, maybe past one modifier, and a is the last actor named before it, whom
// the pronoun stands for: "Washington has cited the crackdown to justify its military
// buildup", "the U.S. keeps up its military presence".
func itsOwn(runes []rune, in []mention, a, e mention) bool {
	if a.end > e.start || slices.ContainsFunc(in, func(o mention) bool {
		return o.entity.NodeKind() == domain.KindActor && o.start >= a.end && o.end <= e.start
	}) {
		return false
	}
	before := strings.Fields(strings.ToLower(string(runes[max(a.end, e.start-24):e.start])))
	n := len(before)
	return n >= 1 && (before[n-1] == "its" || before[n-1] == "their") || n >= 2 && (before[n-2] == "its" || before[n-2] == "their") && !stopWords[before[n-1]]
}

// eventToPlace stands between an event's word and the place it is in: "the build-up
// across the Middle East", "the deployment to the Arabian Sea last week".
var eventToPlace = regexp.MustCompile(`^\s+(in|at|across|throughout|within|into|near|off|over|to)\s+(the\s+)?$`)

// topicWords state what an event is about: "talks on Iran's nuclear program".
var topicWords = setOf("on", "over", "about", "cover", "covering", "limited", "confined", "discuss", "discussed")

// citingWords state that an actor gave an event as its reason: "Washington has cited
// the repression", "a build-up that Washington linked to Iran's crackdown".
var citingWords = setOf("cited", "cites", "citing", "linked", "justified", "justify", "pointing", "pointed")

// partWords state that one event was part of another.
var partWords = setOf("during", "part", "amid", "includes", "including", "included", "which", "when")

// sequenceWords state that one event came before, or broke off, another.
var sequenceWords = setOf("since", "after", "before", "following", "derailed", "disrupted", "interrupted", "halted", "ended",
	"preceded", "until", "earlier", "cut", "upended", "scuttled", "collapsed")

// titledNear reports whether a title stands in the mention m ("Iran's foreign minister")
// or within a few words of it ("Foreign Minister Abbas Araghchi", "Steve Witkoff,
// President Donald Trump's special envoy").
func titledNear(runes []rune, m mention) bool {
	from, to := max(0, m.start-30), min(len(runes), m.end+45)
	found := false
	domain.EachWord(strings.ToLower(string(runes[from:to])), func(w string, _, _ int) {
		found = found || agentTitles[w] || headTitles[w] || bodyHeadTitles[w] || w == "envoys" || w == "ministers"
	})
	return found
}
