package ingest

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"eventgraph/store/domain"
)

// candidates proposes, sentence by sentence, the relations the sentence's words state
// between the entities it names, typed and directed, with its role for a participation,
// quoting the sentence. Two names merely in one sentence are no candidate. What is read:
//
//   - a relation the graph holds that the sentence restates (restated);
//   - a title between a state and a person ("Iran's foreign minister Abbas Araghchi",
//     "U.S. envoy Steve Witkoff", "U.S. President Donald Trump", and a role phrase that
//     names the person, "Iran's foreign minister"): the person REPRESENTS the state, or
//     LEADS it for a head's title (president, king, prime minister …); a body a state
//     anchors ("Iran's foreign ministry"): MEMBER_OF the state;
//   - an actor and the event nearest it with a verb or noun of taking part ("met",
//     "talks", "attended"): the actor PARTICIPATED_IN the event, as MEDIATOR nearest a
//     word of mediation ("mediated", "go-between"), as HOST nearest one of hosting, as
//     INITIATOR before the word of attack nearest the event ("struck") and TARGET after
//     it, else as PARTICIPANT; the actor right before an event's word ("U.S.
//     strikes"); a statement's speaker, as INITIATOR; in the article's first sentences,
//     actors taking part in something with no event named, in the event it leads with;
//   - an event before a place it is in ("talks in Muscat"), a place before a larger one
//     ("MUSCAT, Oman", "the Natanz site in central Iran"), a named part of a place
//     ("Tehran's Grand Bazaar"): LOCATED_IN;
//   - two events with dates that tell them apart: the earlier PRECEDED the
//     later; and what the article's order of events implies across sentences (across,
//     chronology);
//   - an event a sentence attributes to an outlet or a body ("according to CENTCOM",
//     "the Oman News Agency said", "told IRNA"): REPORTED_BY it (reportedBy);
//   - an actor, a stance's phrase and a topic ("Iran rules out talks on its missile
//     program"): a position (stances);
//   - what the region's gazetteer knows and the sentence does not say: an office one
//     state holds (titledByOffice), a state's bodies by their own names
//     (bodiesOfStates), groups' members (knownMemberships), sites in their country
//     (sitesIn);
//   - a war's strikes and ceasefire (warParts), what derailed talks (disruptions), a
//     force saying it acted (selfReported), parties to a deal (partiesTo), who greets
//     whom before talks (greetedBefore), an event "held there" (heldThere);
//
// an event that only dates the sentence ("since the June war") takes part in neither.
//
// A claim the graph already holds, found again, is proposed all the same: accepted, it
// adds the sentence as evidence to the relation, so corroboration grows.
func candidates(ctx context.Context, runes []rune, sents []domain.TextRange, found []mention, h *held, across []implied, source string) ([]domain.Candidate, error) {
	var out []domain.Candidate
	lead := leadEvent(runes, found)
	datelined := slices.IndexFunc(sents, func(s domain.TextRange) bool {
		return datelineOpening.MatchString(string(runes[s.Start:min(s.End, s.Start+80)]))
	})
	statesByName := map[string]domain.Entity{} // the states the article names, by their names, folded
	for _, m := range found {
		if isState(m.entity) {
			for _, n := range domain.Names(m.entity) {
				statesByName[domain.Normalize(n)] = m.entity
			}
		}
	}
	var bodies []domain.Entity // the bodies the article names, once each
	for _, m := range found {
		if isBody(m.entity) && !slices.ContainsFunc(bodies, func(b domain.Entity) bool { return b.NodeID() == m.entity.NodeID() }) {
			bodies = append(bodies, m.entity)
		}
	}
	var there domain.Entity // the place the text named last, which "held there" names
	wars := listedUnder(runes, sents, found)
	quoted := quotedRanges(runes)
	first := 0 // the first mention not starting before the sentence
	for k, s := range sents {
		if k%cancelCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for first < len(found) && found[first].start < s.Start {
			first++
		}
		var in, pronounsIn []mention // a pronoun stands for a statement's speaker, not in other claims
		for _, m := range found[first:] {
			if m.start >= s.End {
				break
			}
			switch {
			case m.end > s.End:
			case isPronoun(runes, m):
				pronounsIn = append(pronounsIn, m)
			default:
				in = append(in, m)
			}
		}
		if len(in) < 1 || len(in) > maxPairedEntities {
			continue
		}
		seen := map[[3]string]bool{}
		// at is how a rule proposes a relation, at the rule's confidence.
		at := func(confidence float64) func(from, to domain.Entity, t domain.RelationType, role domain.Role) {
			return func(from, to domain.Entity, t domain.RelationType, role domain.Role) {
				key := [3]string{from.NodeID(), to.NodeID(), string(t)}
				if from.NodeID() == to.NodeID() || seen[key] || seen[[3]string{to.NodeID(), from.NodeID(), string(t)}] {
					return
				}
				seen[key] = true
				out = append(out, domain.Candidate{Source: source, From: from.NodeID(), To: to.NodeID(), Type: t, Role: role, Confidence: confidence,
					Quote: string(runes[s.Start:s.End]), Start: s.Start, End: s.End})
			}
		}
		sentence := wordsIn(runes, s)
		// Each rule proposes at its confidence: the share of its candidates right on the
		// gold set, smoothed towards 0.7 as if by five more candidates and rounded to a
		// twentieth (docs/ingestion.md, "Confidence"), so a reviewer can take the likely
		// ones first; TestQualityOnGoldSet holds them to what they measure.
		for _, r := range across {
			if s.Start <= r.at && r.at < s.End {
				at(0.6)(r.from, r.to, r.typ, "")
			}
		}
		restated(runes, in, sentence, h, at(0.85))
		titled(runes, in, at(0.85))
		titledWhere(runes, s, in, statesByName, at(0.85))
		titledByOffice(runes, s, in, statesByName, bodies, at(0.75))
		titledAlone(runes, s, in, h, at(0.6))
		representedBy(runes, in, at(0.8))
		workingAt(runes, in, at(0.8))
		anchoredIn(runes, in, at(0.7))
		bodiesOfStates(in, statesByName, at(0.75))
		groupedAs(runes, in, at(0.85))
		phrasedParticipations(runes, in, at(0.75))
		partiesTo(runes, in, at(0.75))
		greetedBefore(runes, in, at(0.6))
		participations(runes, in, pronounsIn, sentence, at(0.55))
		if k < leadSentences && lead != nil && !slices.ContainsFunc(in, func(m mention) bool { return m.entity.NodeKind() == domain.KindEvent }) {
			leadParticipations(runes, in, sentence, lead, at(0.7))
		}
		if war := wars[k]; war != nil {
			for _, e := range in {
				if ev, ok := e.entity.(*domain.Event); ok && (ev.Kind == domain.EventMilitaryStrike || ev.Kind == domain.EventShootdown) && !timeReference(runes, e) {
					at(0.8)(ev, war, domain.RelPartOf, "")
				}
			}
		}
		warParts(runes, in, at(0.7))
		crackdowns(runes, in, at(0.55))
		disruptions(runes, in, at(0.6))
		selfReported(runes, in, h, at(0.65))
		reportedBy(runes, s, in, at(0.6))
		locations(runes, in, h, at(0.75))
		placedWhere(runes, s, k == datelined, in, at(0.7))
		sitesIn(in, at(0.65))
		heldThere(runes, in, there, at(0.6))
		for _, m := range in {
			if p, ok := m.entity.(*domain.Place); ok && p.Kind != domain.PlaceCountry {
				there = p // the place "there" names next
			}
		}
		sequences(in, at(0.5))
		timeOrder(runes, in, at(0.45))
		stances(runes, quoted, in, sentence, headOf(runes, s, found), func(holder, topic domain.Entity, stance domain.Stance) {
			key := [3]string{holder.NodeID(), topic.NodeID(), string(stance)}
			if !seen[key] {
				seen[key] = true
				out = append(out, domain.Candidate{Source: source, From: holder.NodeID(), To: topic.NodeID(), Stance: stance, Confidence: 0.9,
					Quote: string(runes[s.Start:s.End]), Start: s.Start, End: s.End})
			}
		})
	}
	heldRoles(h, out)
	mediators(found, h, out)
	out = append(out, ministryStaff(runes, found, out)...)
	out = append(out, knownMemberships(runes, sents, found, out, source)...)
	return append(out, statesOfParties(found, h, out)...), nil
}

// heldRoles gives a participation in a known event whose parties the graph holds all
// as PARTICIPANT (a disputed incident, whose sides tell it apart) that role instead of
// the INITIATOR's or the TARGET's the sentence's words suggest: the graph's convention
// for the event, which one accept then corroborates.
func heldRoles(h *held, out []domain.Candidate) {
	all := map[string]bool{} // a known event's id → its held parties are all PARTICIPANT
	for ends, rels := range h.between {
		for _, r := range rels {
			if r.Type == domain.RelParticipatedIn && r.To == ends[1] {
				_, seen := all[r.To]
				all[r.To] = (!seen || all[r.To]) && r.Role == domain.RoleParticipant
			}
		}
	}
	for i, c := range out {
		if c.Type == domain.RelParticipatedIn && all[c.To] && (c.Role == domain.RoleInitiator || c.Role == domain.RoleTarget) {
			out[i].Role = domain.RoleParticipant
		}
	}
}

// mediators gives an actor the article, or the graph, has mediating a negotiation the
// MEDIATOR's role in the article's other negotiations too, where the words suggest only
// a participant's: Oman and its foreign minister carry messages between the sides at
// every round they are named at. An actor the graph has as a side of one stays a side.
func mediators(found []mention, h *held, out []domain.Candidate) {
	negotiation := map[string]bool{}
	for _, m := range found {
		if ev, ok := m.entity.(*domain.Event); ok && ev.Kind == domain.EventNegotiation {
			negotiation[ev.ID] = true
		}
	}
	mediating := map[string]bool{}
	for _, c := range out {
		if c.Type == domain.RelParticipatedIn && c.Role == domain.RoleMediator && negotiation[c.To] {
			mediating[c.From] = true
		}
	}
	sided := map[string]bool{} // the actors the graph has at a negotiation as a side: no mediators
	for ends, rels := range h.between {
		for _, r := range rels {
			if r.Type == domain.RelParticipatedIn && negotiation[ends[1]] {
				mediating[ends[0]] = mediating[ends[0]] || r.Role == domain.RoleMediator
				sided[ends[0]] = sided[ends[0]] || r.Role == domain.RoleParticipant
			}
		}
	}
	for i, c := range out {
		if c.Type == domain.RelParticipatedIn && c.Role == domain.RoleParticipant && negotiation[c.To] && mediating[c.From] && !sided[c.From] {
			out[i].Role = domain.RoleMediator
		}
	}
}

// statesOfParties proposes, across an article, that a state is a party to the talks a
// person representing it is a party to, quoting where the person's part is told
// ("Witkoff and Kushner meet Araghchi in Muscat" has the United States and Iran at the
// table): the graph's REPRESENTS of a known person, or the article's of a new one. A
// state the article already has taking part in them, in any role, is left as it is.
func statesOfParties(found []mention, h *held, out []domain.Candidate) []domain.Candidate {
	entities := map[string]domain.Entity{}
	for _, m := range found {
		entities[m.entity.NodeID()] = m.entity
	}
	states := map[string]string{} // a person's id → the state it represents
	for person, rels := range h.titles {
		for _, r := range rels {
			if r.Type == domain.RelRepresents && isState(h.ends[r.To]) {
				states[person] = r.To
			}
		}
	}
	taking := map[[2]string]bool{} // an actor and an event it takes part in
	for _, c := range out {
		if c.Type == domain.RelRepresents && isState(entities[c.To]) {
			states[c.From] = c.To
		}
		if c.Type == domain.RelParticipatedIn {
			taking[[2]string{c.From, c.To}] = true
		}
	}
	var more []domain.Candidate
	for _, c := range out {
		ev, ok := entities[c.To].(*domain.Event)
		state := states[c.From]
		if c.Type != domain.RelParticipatedIn || !ok || ev.Kind != domain.EventNegotiation || state == "" ||
			c.Role != domain.RoleParticipant || taking[[2]string{state, c.To}] {
			continue
		}
		taking[[2]string{state, c.To}] = true
		c.ID, c.From, c.Confidence = "", state, 0.55
		more = append(more, c)
	}
	return more
}

// warParts proposes that a strike, a shootdown or a ceasefire the sentence ties to a
// war it names is PART_OF the war: told during it ("During the 12-day war, Iran fired
// missiles"), starting it ("Israel strikes Iranian nuclear sites, starting a 12-day
// war"), or ending it ("the war ended in a U.S.-brokered ceasefire", "the ceasefire
// that ended the war").
func warParts(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, w := range in {
		if !warOf(w) || timeReference(runes, w) {
			continue
		}
		during := duringBefore.MatchString(strings.ToLower(string(runes[max(0, w.start-40):w.start])))
		for _, e := range in {
			ev, ok := e.entity.(*domain.Event)
			if !ok || timeReference(runes, e) {
				continue
			}
			ceasefire := ceasefireWord.MatchString(strings.ToLower(string(runes[e.start:e.end])))
			if ev.Kind != domain.EventMilitaryStrike && ev.Kind != domain.EventShootdown && !ceasefire {
				continue
			}
			var between string
			if e.end <= w.start {
				between = strings.ToLower(string(runes[e.end:w.start]))
			} else if w.end <= e.start {
				between = strings.ToLower(string(runes[w.end:e.start]))
			}
			switch {
			case during && w.end <= e.start && !strings.ContainsAny(between, ".;"),
				e.end <= w.start && warStarted.MatchString(between),
				ceasefire && (e.end <= w.start && ceasefireEnded.MatchString(between) || w.end <= e.start && warEndedIn.MatchString(between)):
				add(ev, w.entity, domain.RelPartOf, "")
			}
		}
	}
}

var (
	// duringBefore is "during" right before a war's name: "During the 12-day war".
	duringBefore = regexp.MustCompile(`\bduring\s+(?:the\s+|a\s+|last\s+year's\s+)?(?:[\w-]+\s+){0,2}$`)
	// ceasefireWord names a ceasefire.
	ceasefireWord = regexp.MustCompile(`\b(?:ceasefire|cease-fire|truce)\b`)
	// warStarted is what stands between a strike and the war it starts: ", starting a".
	warStarted = regexp.MustCompile(`^[^;]{0,60},\s+(?:starting|opening|beginning|sparking|triggering|launching)\s+(?:a|the)\s+(?:[\w-]+\s+){0,2}$`)
	// ceasefireEnded stands between a ceasefire and the war it ends: "that ended the".
	ceasefireEnded = regexp.MustCompile(`^\s+(?:that|which)\s+(?:ended|ends|halted|halts)\s+(?:the|a)\s+$`)
	// warEndedIn stands between a war and the ceasefire that ends it: " ended in a
	// U.S.-brokered".
	warEndedIn = regexp.MustCompile(`^[^;]{0,40}\s+(?:ended|ends|halted|halts)\s+(?:in|with)\s+(?:a|an|the)\s+[^;]{0,20}$`)
)

// disruptions proposes that a war or a strike a sentence says ended, cut short or
// derailed talks DISRUPTED them: "That war cut short the talks of last spring", "the
// June war, which ended the five rounds of talks", "a 12-day war that ends the 2025
// negotiations".
func disruptions(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for i, w := range in {
		war, ok := w.entity.(*domain.Event)
		if !ok || war.Kind != domain.EventWar && war.Kind != domain.EventMilitaryStrike {
			continue
		}
		for _, e := range in[i+1:] {
			talks, ok := e.entity.(*domain.Event)
			if !ok || talks.Kind != domain.EventNegotiation || e.start < w.end {
				continue
			}
			if disrupting.MatchString(strings.ToLower(string(runes[w.end:e.start]))) {
				add(war, talks, domain.RelDisrupted, "")
			}
			break
		}
	}
}

// disrupting runs from a war or a strike to the talks it ends: ", which ended the five
// ", " that ends the 2025 ", " cut short the ", " on Iranian nuclear sites on June 13
// derailed the sixth ".
var disrupting = regexp.MustCompile(`^(?:,?\s+(?:which|that))?(?:\s[^,;:.]{0,50}?)?\s+(?:ended|ends|cut short|cuts short|derailed|derails|halted|halts|interrupted|upended|scuttled|wrecked)\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){0,3}$`)

// crackdowns proposes that the protests a crackdown is "on", or "answers", PRECEDED it:
// "a crackdown on nationwide protests", "Protests begin in Tehran's bazaar …; security
// forces answer with a crackdown".
func crackdowns(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, c := range in {
		crackdown, ok := c.entity.(*domain.Event)
		if !ok || crackdown.Kind != domain.EventCrackdown {
			continue
		}
		for _, p := range in {
			protests, ok := p.entity.(*domain.Event)
			if !ok || protests.Kind != domain.EventProtest {
				continue
			}
			if p.start >= c.end && crackdownOn.MatchString(strings.ToLower(string(runes[c.end:p.start]))) ||
				p.end <= c.start && answeredWith.MatchString(strings.ToLower(string(runes[p.end:c.start]))) {
				add(protests, crackdown, domain.RelPreceded, "")
			}
		}
	}
}

var (
	// crackdownOn runs from a crackdown to the protests it is on: " on nationwide ".
	crackdownOn = regexp.MustCompile(`^\s+(?:on|against)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}$`)
	// answeredWith runs from protests to the crackdown that answers them.
	answeredWith = regexp.MustCompile(`^[^.]{0,120}\b(?:answer|answered|answers|met|responded|respond)\s+(?:them\s+)?with\s+(?:a|the)\s+(?:[a-z-]+\s+){0,2}$`)
)

// selfReported proposes that a force or a body saying it did an act took part in it,
// as its INITIATOR: "the U.S. Navy said that it had shot down an Iranian drone", "The
// U.S. military says a fighter jet from the Lincoln shot down".
func selfReported(runes []rune, in []mention, h *held, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, a := range in {
		actor, ok := a.entity.(*domain.Actor)
		if !ok || actor.Kind == domain.ActorPerson || actor.Kind == domain.ActorMedia {
			continue
		}
		for _, e := range in {
			ev, ok := e.entity.(*domain.Event)
			if !ok || e.start < a.end || e.start-a.end > 90 || ev.Kind != domain.EventShootdown && ev.Kind != domain.EventMilitaryStrike {
				continue
			}
			m := selfReport.FindStringSubmatch(strings.ToLower(string(runes[a.end:e.start])))
			if m == nil || m[1] == "" && actor.Kind != domain.ActorArmedForce {
				continue // "the Pentagon said Iran fired": what it tells of another
			}
			add(actor, ev, domain.RelParticipatedIn, domain.RoleInitiator)
		}
	}
}

// selfReport runs from a speaker to the act it says it did: " said on tuesday that it
// had ", " says one of its fighter jets ", " says a fighter jet from the lincoln "; the
// pronoun, when there is one, is its first group.
var selfReport = regexp.MustCompile(`^\s+(?:said|says|announced|confirmed|reported)\b[^,;:.]{0,30}?\s(?:that\s+)?(?:(it|its|they|their|one of its)\b[^,;:.]{0,40}|a [a-z -]{0,60})$`)

// listedUnder is, for each sentence of a list item ("- June 22: U.S. bombers hit
// Fordow"), the war the heading over the list names ("How the war unfolded:"), whose
// strikes the items tell; nil for other sentences.
func listedUnder(runes []rune, sents []domain.TextRange, found []mention) []domain.Entity {
	out := make([]domain.Entity, len(sents))
	var war domain.Entity
	for k, s := range sents {
		line := strings.TrimLeft(string(runes[lineStart(runes, s.Start):s.End]), " \t")
		switch {
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "• ") || strings.HasPrefix(line, "* "):
			out[k] = war
		case strings.HasSuffix(strings.TrimSpace(string(runes[s.Start:s.End])), ":"):
			war = nil
			for _, m := range found {
				if ev, ok := m.entity.(*domain.Event); ok && ev.Kind == domain.EventWar && m.start >= s.Start && m.end <= s.End {
					war = ev
				}
			}
		default:
			war = nil
		}
	}
	return out
}

// lineStart is where the line holding the code point at starts.
func lineStart(runes []rune, at int) int {
	for at > 0 && runes[at-1] != '\n' {
		at--
	}
	return at
}

// ministryStaff proposes, across an article, that a person it titles towards a state
// as a deputy foreign minister or the foreign ministry's spokesman ("Iran's deputy
// foreign minister, Majid Takht-Ravanchi", "foreign ministry spokesman Esmaeil
// Baqaei") is MEMBER_OF that state's foreign ministry when the article names the
// ministry ("Iran's foreign ministry said"). Each is quoted where the title is.
func ministryStaff(runes []rune, found []mention, proposed []domain.Candidate) []domain.Candidate {
	names := map[string]string{} // entity id → its name, folded
	for _, m := range found {
		names[m.entity.NodeID()] = domain.Normalize(m.entity.Base().Name)
	}
	ministries := map[string]string{} // state id → the foreign ministry the article names anchored in it
	for _, c := range proposed {
		if c.Type == domain.RelMemberOf && strings.Contains(names[c.From], "foreign ministry") {
			ministries[c.To] = c.From
		}
	}
	seen := map[[3]string]bool{}
	for _, c := range proposed {
		seen[[3]string{c.From, string(c.Type), c.To}] = true
	}
	var out []domain.Candidate
	for _, c := range proposed {
		ministry := ministries[c.To]
		if c.Type != domain.RelRepresents || ministry == "" || !slices.ContainsFunc(found, func(m mention) bool {
			return m.entity.NodeID() == c.From && m.start >= c.Start && m.end <= c.End && ministryTitle.MatchString(strings.ToLower(
				string(runes[max(c.Start, m.start-45):m.start])+" | "+string(runes[m.end:min(c.End, m.end+45)])))
		}) {
			continue
		}
		if key := [3]string{c.From, string(domain.RelMemberOf), ministry}; !seen[key] {
			seen[key] = true
			out = append(out, domain.Candidate{Source: c.Source, From: c.From, To: ministry, Type: domain.RelMemberOf, Confidence: 0.75, Quote: c.Quote, Start: c.Start, End: c.End})
		}
	}
	return out
}

// knownMemberships proposes, across an article, that an actor the gazetteer's
// memberships has in a body or group the article names is MEMBER_OF it, though no
// sentence says so ("envoys from Britain, France and Germany", "the E3"): quoted where
// a sentence names both, else where the body or group is first named. One the
// sentences proposed already stays as it is.
func knownMemberships(runes []rune, sents []domain.TextRange, found []mention, proposed []domain.Candidate, source string) []domain.Candidate {
	seen := map[[2]string]bool{}
	for _, c := range proposed {
		if c.Type == domain.RelMemberOf {
			seen[[2]string{c.From, c.To}] = true
		}
	}
	byName := map[string][]mention{} // the actors' mentions, by each of their names, folded
	for _, m := range found {
		if m.entity.NodeKind() == domain.KindActor {
			for _, n := range domain.Names(m.entity) {
				byName[domain.Normalize(n)] = append(byName[domain.Normalize(n)], m)
			}
		}
	}
	sentenceOf := func(at int) domain.TextRange {
		i, _ := slices.BinarySearchFunc(sents, at, func(s domain.TextRange, at int) int { return cmp.Compare(s.End, at+1) })
		return sents[min(i, len(sents)-1)]
	}
	var out []domain.Candidate
	for _, m := range found {
		for _, group := range memberships[domain.Normalize(m.entity.Base().Name)] {
			groups := byName[group]
			if len(groups) == 0 || m.entity.NodeKind() != domain.KindActor || seen[[2]string{m.entity.NodeID(), groups[0].entity.NodeID()}] {
				continue
			}
			seen[[2]string{m.entity.NodeID(), groups[0].entity.NodeID()}] = true
			s := sentenceOf(groups[0].start)
			for _, g := range groups {
				if gs := sentenceOf(g.start); gs.Start <= m.start && m.end <= gs.End {
					s = gs
					break
				}
			}
			out = append(out, domain.Candidate{Source: source, From: m.entity.NodeID(), To: groups[0].entity.NodeID(), Type: domain.RelMemberOf,
				Confidence: 0.75, Quote: string(runes[s.Start:s.End]), Start: s.Start, End: s.End})
		}
	}
	return out
}

// ministryTitle is a title in a foreign ministry below its minister, beside a name.
var ministryTitle = regexp.MustCompile(`deputy foreign minister|foreign ministry spokes(man|woman|person)`)

// sentenceWord is a word of a sentence, folded, at code points [start, end).
type sentenceWord struct {
	w          string
	start, end int
}

func wordsIn(runes []rune, s domain.TextRange) []sentenceWord {
	var out []sentenceWord
	domain.EachWord(string(runes[s.Start:s.End]), func(w string, start, end int) {
		out = append(out, sentenceWord{w, s.Start + start, s.Start + end})
	})
	return out
}

// Titles that make their holder the head of a state rather than its representative.
var headTitles = setOf("president", "king", "sultan", "emir", "leader", "premier", "chancellor", "prime", "head", "ayatollah")

// headsState reports whether a title's words make its holder lead the state: a head's
// title, but a prime minister's only where no monarch reigns (Qatar's prime minister
// represents Qatar, whose emir leads it; Israel's leads Israel).
func headsState(words []string, state domain.Entity) bool {
	return slices.ContainsFunc(words, func(w string) bool {
		return headTitles[w] && !(governmentHeads[w] && monarchies[domain.Normalize(state.Base().Name)])
	})
}

// governmentHeads are the head titles of a government rather than of a state.
var governmentHeads = setOf("prime", "premier", "chancellor")

// monarchies are the states, folded, a monarch leads: their prime ministers serve the
// monarch.
var monarchies = setOf("qatar", "oman", "saudi arabia", "united arab emirates", "kuwait", "bahrain", "jordan", "morocco")

// Titles that make their holder the head of a body (an agency, a force), though not of
// a state ("IAEA chief", "commander of the Revolutionary Guards", but "U.S. chief
// negotiator").
var bodyHeadTitles = setOf("chief", "director", "commander", "chairman", "chairwoman", "chair", "secretary-general", "secretary")

// Titles that make their holder act for a state.
var agentTitles = setOf("minister", "envoy", "ambassador", "spokesman", "spokeswoman", "spokesperson", "negotiator",
	"diplomat", "official", "delegate", "secretary", "representative", "commander", "chief", "general", "admiral", "adm", "gen", "director")

// titled finds a person with a title towards a state (or a body: LEADS for a head's
// title, MEMBER_OF for another): the state's mention, then up to
// four words holding a title, then the person's ("Iran's foreign minister Abbas
// Araghchi", "U.S. special envoy Steve Witkoff"); the title set after the name, of the
// state or body ("Rafael Grossi, the director general of the IAEA"); or a role phrase
// naming the person with the state's mention inside it ("Iran's foreign minister").
func titled(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, p := range in {
		person, ok := p.entity.(*domain.Actor)
		if !ok || person.Kind != domain.ActorPerson {
			continue
		}
		for _, st := range in {
			state, ok := st.entity.(*domain.Actor)
			if !ok || state.Kind == domain.ActorPerson {
				continue
			}
			if anchors(runes, st, in) {
				continue // "the commander of U.S. Central Command": the title is of the body
			}
			var between string
			switch {
			case st.start >= p.start && st.end <= p.end: // inside the role phrase
				between = string(runes[st.end:p.end])
			case st.end <= p.start && p.start-st.end <= 60:
				between = string(runes[st.end:p.start])
			case st.start >= p.end && st.start-p.end <= 60 && appositionOf.MatchString(string(runes[p.end:anchorStart(runes, st, in)])):
				between = string(runes[p.end:st.start]) // "Rafael Grossi, the director general of the IAEA"
			case st.start >= p.end && st.start-p.end <= 3 && strings.TrimSpace(string(runes[p.end:st.start])) == "," && possessor(runes, st):
				// "Badr Albusaidi, Oman's foreign minister,": the title the state's
				// possessive gives, up to the apposition's end
				between = possessedTitle.FindString(string(runes[st.end+2 : min(len(runes), st.end+60)]))
			default:
				continue
			}
			var words []string
			domain.EachWord(between, func(w string, _, _ int) { words = append(words, w) })
			if len(words) > 5 || slices.ContainsFunc(words, func(w string) bool { return w == "and" || w == "with" || w == "met" || sayVerbs[w] }) {
				continue
			}
			if st.end <= p.start && strings.HasPrefix(between, ",") {
				words = append(titleOf(runes, anchorStart(runes, st, in)), words...) // "the commander of CENTCOM, Adm. Brad Cooper"
			}
			switch {
			case headsState(words, state) || state.Kind != domain.ActorState && headsBody(words):
				add(person, state, domain.RelLeads, "")
			case slices.ContainsFunc(words, func(w string) bool { return agentTitles[w] }) && state.Kind == domain.ActorState:
				add(person, state, domain.RelRepresents, "")
			case slices.ContainsFunc(words, func(w string) bool { return agentTitles[w] }):
				add(person, state, domain.RelMemberOf, "")
			}
		}
	}
}

// anchors reports whether the state's mention st stands right before a body's the
// sentence names, as its anchor: "U.S." in "U.S. Central Command".
func anchors(runes []rune, st mention, in []mention) bool {
	return slices.ContainsFunc(in, func(b mention) bool { return isBody(b.entity) && b.start >= st.end && anchoredBefore(runes, st, b) })
}

// anchorStart is where the mention b starts, or the state anchoring it before it ("U.S.
// Central Command" starts at "U.S.").
func anchorStart(runes []rune, b mention, in []mention) int {
	for _, st := range in {
		if isState(st.entity) && st.end <= b.start && anchoredBefore(runes, st, b) {
			return st.start
		}
	}
	return b.start
}

// anchoredBefore reports whether the state's mention st stands right before the body's
// b, maybe as its possessor: "Iranian Revolutionary Guards", "U.S. Central Command",
// "Iran's Revolutionary Guards".
func anchoredBefore(runes []rune, st, b mention) bool {
	if st.end > b.start || b.start-st.end > 3 {
		return false
	}
	between := strings.TrimPrefix(strings.TrimPrefix(textAfter(runes, st, b.start), "'s"), "’s")
	return strings.TrimSpace(between) == ""
}

// isBody reports whether e is an organisation, an armed force or a group.
func isBody(e domain.Entity) bool {
	a, ok := e.(*domain.Actor)
	return ok && (a.Kind == domain.ActorOrganisation || a.Kind == domain.ActorArmedForce || a.Kind == domain.ActorGroup)
}

// isState reports whether e is a state.
func isState(e domain.Entity) bool {
	a, ok := e.(*domain.Actor)
	return ok && a.Kind == domain.ActorState
}

// titleOf are the words of a title set before "of" and the name at start: "commander"
// in "The commander of CENTCOM".
func titleOf(runes []rune, start int) []string {
	m := titleBeforeOf.FindStringSubmatch(strings.ToLower(string(runes[max(0, start-40):start])))
	if m == nil {
		return nil
	}
	return strings.Fields(m[1])
}

// titleBeforeOf is a title and "of" before a name: "the commander of ", "head of the ".
var titleBeforeOf = regexp.MustCompile(`(?:^|\W)(?:the\s+)?((?:[a-z-]+\s+){1,3})of\s+(?:the\s+)?$`)

// titledWhere proposes, for a sentence opening with the capital where it happens ("In
// Washington, Secretary of State Marco Rubio told U.S. senators"), that a person titled
// there and given no state before the name or right after it ("of Iran") REPRESENTS the
// capital's state, or LEADS it for a head's title: the capital stands for the state.
func titledWhere(runes []rune, s domain.TextRange, in []mention, states map[string]domain.Entity, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	m := openingCapital.FindStringSubmatch(string(runes[s.Start:min(s.End, s.Start+40)]))
	if m == nil {
		return
	}
	state := states[domain.Normalize(capitals[domain.Normalize(m[1])])]
	if state == nil {
		return
	}
	for _, p := range in {
		if a, ok := p.entity.(*domain.Actor); !ok || a.Kind != domain.ActorPerson {
			continue
		}
		if slices.ContainsFunc(in, func(o mention) bool {
			return isState(o.entity) && o.start > s.Start+len([]rune(m[0])) && o.start <= p.end+5
		}) {
			continue // "In Washington, Iran's envoy …", "… Araghchi of Iran": the sentence names the person's state
		}
		var title []string
		domain.EachWord(strings.ToLower(string(runes[max(s.Start, p.start-30):p.start])), func(w string, _, _ int) { title = append(title, w) })
		switch {
		case headsState(title, state):
			add(p.entity, state, domain.RelLeads, "")
		case slices.ContainsFunc(title, func(w string) bool { return agentTitles[w] }):
			add(p.entity, state, domain.RelRepresents, "")
		}
	}
}

// titledByOffice proposes that a person an office titles, where the office is one
// state's own ("Secretary of State Marco Rubio", "Supreme Leader Ayatollah Ali
// Khamenei", "Marco Rubio, the secretary of state,"), REPRESENTS that state, or LEADS it
// for its head, when the article names the state: the title says whose it is though the
// sentence does not.
func titledByOffice(runes []rune, s domain.TextRange, in []mention, states map[string]domain.Entity, bodies []domain.Entity, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, p := range in {
		if a, ok := p.entity.(*domain.Actor); !ok || a.Kind != domain.ActorPerson {
			continue
		}
		m := officeBefore.FindStringSubmatch(strings.ToLower(string(runes[max(s.Start, p.start-45):p.start])))
		if m == nil {
			m = officeAfter.FindStringSubmatch(strings.ToLower(string(runes[p.end:min(s.End, p.end+45)])))
		}
		if m == nil {
			continue
		}
		office := strings.Join(strings.Fields(m[1]), " ")
		o := stateOffices[office]
		if state := states[domain.Normalize(o.state)]; state != nil {
			add(p.entity, state, o.rel, "")
		}
		if head := officeHeads[office]; head != "" {
			for _, b := range bodies { // "Treasury Secretary Scott Bessent" LEADS the Treasury the article names
				if slices.ContainsFunc(officeBodies[head], func(n string) bool { return domain.Normalize(n) == domain.Normalize(b.Base().Name) }) {
					add(p.entity, b, domain.RelLeads, "")
				}
			}
		}
	}
}

// officeHeads are the offices of stateOffices whose holder heads a body, by the body:
// the Treasury Secretary heads the Treasury.
var officeHeads = map[string]string{
	"secretary of state": "state", "treasury secretary": "treasury", "secretary of the treasury": "treasury",
	"defense secretary": "defense", "secretary of defense": "defense", "secretary of war": "defense",
}

// officeBodies are the names the bodies officeHeads names go by.
var officeBodies = map[string][]string{
	"state":    {"State Department", "Department of State", "U.S. State Department"},
	"treasury": {"Treasury", "U.S. Treasury", "Treasury Department", "Department of the Treasury"},
	"defense":  {"Pentagon", "Defense Department", "Department of Defense", "Department of War", "War Department"},
}

// titledAlone proposes that a person a government's title names with no state
// ("Foreign Minister Sayyid Badr Albusaidi", "foreign ministry spokesman Esmaeil
// Baghaei", "President Masoud Pezeshkian") REPRESENTS the one state the sentence names,
// or LEADS it for a head's title: "Oman's foreign ministry said Foreign Minister Sayyid
// Badr Albusaidi had …". A person the graph holds a state's title of, and a sentence
// naming two states or none, say nothing.
func titledAlone(runes []rune, s domain.TextRange, in []mention, h *held, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	var state domain.Entity
	for _, m := range in {
		if w := domain.Normalize(string(runes[m.start:m.end])); !isState(m.entity) || demonyms[w] != "" || capitals[w] != "" {
			continue // "the American account", "Washington was": a state spoken of, not one the sentence sets anyone in
		}
		if state != nil && state.NodeID() != m.entity.NodeID() {
			return
		}
		state = m.entity
	}
	if state == nil {
		return
	}
	for _, p := range in {
		if a, ok := p.entity.(*domain.Actor); !ok || a.Kind != domain.ActorPerson || slices.ContainsFunc(h.titles[a.ID], func(r *domain.Relation) bool { return isState(h.ends[r.To]) }) {
			continue
		}
		before := strings.ToLower(string(runes[max(s.Start, p.start-60):p.start]))
		m := governmentTitle.FindStringSubmatchIndex(before)
		if m == nil {
			continue
		}
		if w := lastWord(before[:m[2]]); demonyms[w] != "" || stateNamed(w) != "" || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") || w == "u.s." {
			continue // "Omani Foreign Minister": the title's state is given
		}
		rel := domain.RelRepresents
		if headsState(strings.Fields(before[m[2]:m[3]]), state) {
			rel = domain.RelLeads
		}
		add(p.entity, state, rel, "")
	}
}

// lastWord is the last whitespace-separated word of s, "" for none.
func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// governmentTitle is a government's title right before a name, whose state the title
// does not say: "Foreign Minister ", "foreign ministry spokesman ", "President ".
var governmentTitle = regexp.MustCompile(`(?:^|[^a-z.'’])((?:deputy )?foreign minister|foreign ministry spokes(?:man|woman|person)|(?:vice )?president|prime minister|defen[cs]e minister|interior minister|oil minister)\s+(?:(?:sayyid|sheikh|dr\.?)\s+)?$`)

// stateOffices are the titles only one state's officials hold, with the state and the
// relation its holder has to it.
var stateOffices = map[string]struct {
	state string
	rel   domain.RelationType
}{
	"secretary of state":           {"United States", domain.RelRepresents},
	"deputy secretary of state":    {"United States", domain.RelRepresents},
	"assistant secretary of state": {"United States", domain.RelRepresents},
	"under secretary of state":     {"United States", domain.RelRepresents},
	"treasury secretary":           {"United States", domain.RelRepresents},
	"secretary of the treasury":    {"United States", domain.RelRepresents},
	"defense secretary":            {"United States", domain.RelRepresents},
	"secretary of defense":         {"United States", domain.RelRepresents},
	"secretary of war":             {"United States", domain.RelRepresents},
	"supreme leader":               {"Iran", domain.RelLeads},
	"sultan":                       {"Oman", domain.RelLeads},
}

// officeBefore and officeAfter are an office of stateOffices right before a name ("Deputy
// Assistant Secretary of State Karen Whitlow", "Supreme Leader Ayatollah Ali Khamenei")
// and in an apposition right after it (", the secretary of state").
var (
	officeBefore = regexp.MustCompile(`(?:^|[^a-z.])(?:deputy\s+)?((?:deputy |assistant |under )?secretary of state|treasury secretary|secretary of the treasury|defense secretary|secretary of defense|secretary of war|supreme leader|sultan),?\s+(?:ayatollah\s+|grand ayatollah\s+)?$`)
	officeAfter  = regexp.MustCompile(`^,\s+(?:the\s+)?(?:u\.s\.\s+)?((?:deputy |assistant |under )?secretary of state|treasury secretary|secretary of the treasury|defense secretary|secretary of defense|supreme leader)\b`)
)

// heldThere proposes that an event "held there" is LOCATED_IN the place named last
// before it: "The talks began in Muscat on April 12. The fourth round was held there on
// May 11".
func heldThere(runes []rune, in []mention, there domain.Entity, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, m := range in {
		if p, ok := m.entity.(*domain.Place); ok && p.Kind != domain.PlaceCountry {
			there = p
			continue
		}
		if m.entity.NodeKind() == domain.KindEvent && there != nil && heldThereAfter.MatchString(string(runes[m.end:min(len(runes), m.end+30)])) {
			add(m.entity, there, domain.RelLocatedIn, "")
		}
	}
}

// heldThereAfter follows an event held where the text named last: " was held there".
var heldThereAfter = regexp.MustCompile(`^\s+(?:was|were|is|are|will be|had been|has been)\s+(?:held|staged)\s+there\b|^\s+took place there\b`)

// sitesIn proposes that a place the graph does not hold is LOCATED_IN its country when
// the gazetteer knows it (a capital, or one of sites: "Natanz", "Al Udeid Air Base")
// and the sentence names the country too, however it puts them ("inspections in Iran
// since the autumn, none of them at Fordow, Natanz or Isfahan"): the sentence is then
// evidence a reader can check. A place the graph holds has its country there already.
func sitesIn(in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	countries := map[string]domain.Entity{}
	for _, m := range in {
		if pl, ok := m.entity.(*domain.Place); ok && pl.Kind == domain.PlaceCountry {
			countries[domain.Normalize(pl.Name)] = pl
		}
	}
	if len(countries) == 0 {
		return
	}
	for _, m := range in {
		if p, ok := m.entity.(*domain.Place); ok && p.Kind != domain.PlaceCountry && domain.IsProposalID(p.ID) {
			name := domain.Normalize(p.Name)
			if country := countries[domain.Normalize(cmp.Or(sites[name], capitals[name]))]; country != nil {
				add(p, country, domain.RelLocatedIn, "")
			}
		}
	}
}

// openingCapital is a sentence's opening "In Washington,".
var openingCapital = regexp.MustCompile(`^In ([A-Z][a-z]+(?: [A-Z][a-z]+)?),`)

// workingAt proposes that a person an apposition or a relative clause places at a body
// is MEMBER_OF it: "Leila Haddad, a researcher at the Gulf Policy Forum", "Hana
// Mansour, who directs the Gulf program at the Beirut-based Levant Policy Forum".
func workingAt(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for i, p := range in {
		if a, ok := p.entity.(*domain.Actor); !ok || a.Kind != domain.ActorPerson {
			continue
		}
		for _, b := range in[i+1:] {
			if b.start < p.end || b.start-p.end > 90 || string(runes[b.end:min(len(runes), b.end+6)]) == "-based" || adjective(runes, b) {
				continue // "the Beirut-based Levant Policy Forum", "a former Omani diplomat": where the body is, whose the person was
			}
			if !isBody(b.entity) && slices.ContainsFunc(in, func(o mention) bool { return o.start == b.start && isBody(o.entity) }) {
				continue // "Qatar" opening "Qatar's foreign ministry": the body is the name there
			}
			if between := string(runes[p.end:b.start]); isBody(b.entity) && atBody.MatchString(between) && !strings.HasSuffix(strings.Fields(between)[1], "ing") {
				add(p.entity, b.entity, domain.RelMemberOf, "") // not ", addressing worshippers at": where one acts
			}
			break // the first name after the person's is the one the phrase places it at, or none
		}
	}
}

// atBody stands between a person and the body an apposition or a relative clause places
// the person at, or speaking for: ", a researcher at the ", ", who teaches international
// relations at ", ", director of policy planning at the ", ", the spokesman for ".
var atBody = regexp.MustCompile(`^,\s+(an?\s+|the\s+|who\s+)?([\w-]+\s+){1,8}(at|for)\s+(the\s+)?([A-Z][\w-]*-based\s+)?$`)

// representedBy proposes that the people a sentence says represent a state do: "Iran
// was represented by Majid Takht-Ravanchi … and Kazem Gharibabadi", "Gharibabadi
// previously represented Iran".
func representedBy(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, st := range in {
		if !isState(st.entity) {
			continue
		}
		after := strings.ToLower(string(runes[st.end:min(len(runes), st.end+24)]))
		by := strings.HasPrefix(after, " was represented by ") || strings.HasPrefix(after, " is represented by ") || strings.HasPrefix(after, " were represented by ")
		for _, p := range in {
			if a, ok := p.entity.(*domain.Actor); !ok || a.Kind != domain.ActorPerson {
				continue
			}
			switch {
			case by && p.start > st.end && !strings.ContainsAny(string(runes[st.end:p.start]), ";."):
				add(p.entity, st.entity, domain.RelRepresents, "")
			case p.end < st.start && st.start-p.end <= 40 && representsVerb.MatchString(string(runes[p.end:st.start])):
				add(p.entity, st.entity, domain.RelRepresents, "")
			}
		}
	}
}

// representsVerb stands between a person and the state the person represents: ",
// who represented", " previously represented".
var representsVerb = regexp.MustCompile(`^(,\s+who)?(\s+(has|had|previously|also|once|formerly))*\s+represent(s|ed)\s+$`)

// headsBody reports whether a title's words make their holder the head of a body: a
// head's title not qualified by a word before it ("IAEA chief", "the commander of
// CENTCOM"; not "EU foreign policy chief" nor "deputy director").
func headsBody(words []string) bool {
	for i, w := range words {
		if bodyHeadTitles[w] {
			return i == 0 || words[i-1] == "s" || words[i-1] == "the"
		}
	}
	return false
}

// possessedTitle is the title after a possessive, up to the next mark: " foreign
// minister" in "Oman's foreign minister, said".
var possessedTitle = regexp.MustCompile(`^[^,.;:()"“”]*`)

// appositionOf is what stands between a person and the body or state a title set
// after the name is of: ", the director general of the", ", head of".
var appositionOf = regexp.MustCompile(`^,\s+(the\s+)?([A-Za-z-]+\s+){1,4}of\s+(the\s+)?$`)

// anchoredIn proposes that a body a state's name anchors is MEMBER_OF the state: the
// state's mention inside the body's ("Iran's foreign ministry") or right before it
// ("Iranian Revolutionary Guards", "U.S. Central Command"); and that a body another
// body owns is MEMBER_OF it ("the IAEA's Board of Governors", "the Treasury's Office of
// Foreign Assets Control").
func anchoredIn(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, b := range in {
		if !isBody(b.entity) {
			continue
		}
		for _, s := range in {
			switch {
			case isState(s.entity):
				inside := s.start >= b.start && s.end <= b.end && s.start == b.start
				if inside || anchoredBefore(runes, s, b) {
					add(b.entity, s.entity, domain.RelMemberOf, "")
				}
			case isBody(s.entity) && s.end < b.start && possessor(runes, s) && b.start-s.end <= 3:
				add(b.entity, s.entity, domain.RelMemberOf, "")
			}
		}
	}
}

// bodiesOfStates proposes that a body reporting names without its state ("the State
// Department") is MEMBER_OF the state it is known to belong to (stateBodies), when the
// article names the state (states, by their folded names).
func bodiesOfStates(in []mention, states map[string]domain.Entity, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, b := range in {
		if state := states[domain.Normalize(stateBodies[domain.Normalize(b.entity.Base().Name)])]; isBody(b.entity) && state != nil {
			add(b.entity, state, domain.RelMemberOf, "")
		}
	}
}

// groupedAs proposes that the states a list names are each MEMBER_OF the group the
// list is then called: "Britain, France and Germany, the so-called E3", "…, known as
// the E3".
func groupedAs(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for i, g := range in {
		if !isBody(g.entity) || i < 2 {
			continue
		}
		var members []mention
		for k := i - 1; k >= 0; k-- {
			if !isState(in[k].entity) || in[k].end > g.start {
				break
			}
			members = append(members, in[k])
		}
		if len(members) < 2 || !calledAs.MatchString(string(runes[members[0].end:g.start])) { // members[0] is the list's last
			continue
		}
		slices.Reverse(members)
		if listed := actorList(runes, members); len(listed) == len(members) {
			for _, m := range listed {
				add(m.entity, g.entity, domain.RelMemberOf, "")
			}
		}
	}
}

// calledAs stands between a list and the name of the group it makes.
var calledAs = regexp.MustCompile(`^,\s+(?:the\s+so-called|known\s+as(?:\s+the)?|together\s+known\s+as(?:\s+the)?|collectively\s+the|the)\s+$`)

// Words of taking part in an event, by the role they give.
var (
	mediationWords = setOf("mediated", "mediating", "mediation", "mediator", "mediators", "mediate", "mediates", "broker", "brokers", "brokering", "brokered", "shuttled", "shuttling", "shuttle",
		"messages", "intermediary", "intermediaries", "facilitated", "facilitating", "carrying", "carried", "relaying", "relayed", "conveying", "conveyed",
		"arrange", "arranging", "arranged")
	hostingWords = setOf("hosted", "hosting", "host", "hosts", "hosted")
	attackWords  = setOf("attacked", "attack", "attacks", "struck", "strike", "strikes", "bombed", "bombing", "launched", "fired", "hit", "targeted", "downed", "shot")
	// actWords do something to another: who does it initiates it, what it is done to is
	// its target ("The Treasury imposed sanctions on …", "Iran suspended its cooperation
	// with the IAEA").
	actWords = setOf("imposed", "reimposed", "triggered", "suspended", "passed", "seized", "seizes", "intercepted", "boarded", "ordered", "introduced", "adopted", "approved", "voted",
		"imposes", "reimposes", "trigger", "triggers", "suspends", "orders", "confront", "confronts")
	// callWords tell of a call: who spoke and whom they spoke with take part in it.
	callWords      = setOf("spoke", "speaking", "speaks", "phone", "called", "call")
	partakingWords = setOf("met", "meet", "meeting", "talks", "talked", "attended", "attend", "joined", "participated", "negotiated", "negotiating", "negotiations", "held", "sat", "delegation", "delegations", "round", "took")
)

// participations proposes PARTICIPATED_IN for each actor and event the sentence names
// when it has a word of taking part, with the role the words nearest the actor give,
// and for a statement its speaker as INITIATOR, who may be a pronoun's person.
func participations(runes []rune, in, pronouns []mention, words []sentenceWord, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	speakers := in
	if len(pronouns) > 0 {
		speakers = slices.SortedStableFunc(slices.Values(append(slices.Clone(in), pronouns...)), func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	}
	for _, e := range in {
		if statement(e) && !timeReference(runes, e) {
			if a, ok := speaker(runes, speakers, e); ok {
				add(a.entity, e.entity, domain.RelParticipatedIn, domain.RoleInitiator)
			}
			for _, a := range in { // whom it was told to, a body or a group: "told U.S. senators", "told the Senate Foreign Relations Committee"
				if isBody(a.entity) && !isMedia(a.entity) && a.start >= e.end && a.start-e.end <= 6 && audience(runes, a) {
					add(a.entity, e.entity, domain.RelParticipatedIn, domain.RoleParticipant)
				}
			}
		}
		if ev, ok := e.entity.(*domain.Event); ok {
			for _, a := range in {
				if a.entity.NodeKind() == domain.KindActor && !isMedia(a.entity) && a.end <= e.start && agentOf(runes, a, e.start) {
					add(a.entity, e.entity, domain.RelParticipatedIn, cmp.Or(hyphenedRole(runes, a, e.start), subjectRole(runes, a, e), agentRole(runes, e, ev.Kind)))
				}
			}
		}
	}
	mediation, hosting, attack, partaking := cuesAt(words, mediationWords), cuesAt(words, hostingWords), cuesAt(words, attackWords, actWords), cuesAt(words, partakingWords, callWords)
	if len(mediation)+len(hosting)+len(attack)+len(partaking) == 0 {
		return
	}
	var events []mention
	for _, e := range in {
		if e.entity.NodeKind() == domain.KindEvent && !statement(e) && !timeReference(runes, e) {
			events = append(events, e)
		}
	}
	gap := func(a, e mention) int { return max(0, e.start-a.end, a.start-e.end) }
	for _, e := range events {
		var actors []mention
		for _, a := range in {
			if a.entity.NodeKind() == domain.KindActor && (a.end <= e.start || a.start >= e.end) && near(runes, a, e) && !attributed(runes, a) &&
				!isMedia(a.entity) && !commentator(runes, words, a, e) && !slices.ContainsFunc(events, func(o mention) bool {
				return o.entity.NodeID() != e.entity.NodeID() && (o.end <= a.start || o.start >= a.end) && gap(a, o) < gap(a, e)
			}) { // an actor takes part in the event nearest it
				actors = append(actors, a)
			}
		}
		struck := -1 // the word of attack nearest the event, of those no other event stands nearer
		for _, at := range attack {
			nearer := slices.ContainsFunc(in, func(o mention) bool { // any event's word, dating or vague ones too
				return o.entity.NodeKind() == domain.KindEvent && o.entity.NodeID() != e.entity.NodeID() && abs(at-o.start) < abs(at-e.start)
			})
			if !nearer && (struck < 0 || abs(at-e.start) < abs(struck-e.start)) {
				struck = at
			}
		}
		for _, a := range actors {
			if p, ok := a.entity.(*domain.Actor); ok && p.Kind == domain.ActorPerson && warOf(e) {
				continue // states and their forces fight a war; the envoys a sentence names beside it do not
			}
			role := domain.RoleParticipant
			switch {
			case nearestIs(runes, a, mediation, actors, hosting, attack):
				role = domain.RoleMediator
			case nearestIs(runes, a, hosting, actors, mediation, attack):
				role = domain.RoleHost
			case struck >= 0 && a.end <= struck:
				role = domain.RoleInitiator
			case struck >= 0 && a.start > struck:
				role = domain.RoleTarget
			case len(partaking) == 0:
				continue
			}
			if role != domain.RoleMediator && vague(e.entity) && !(a.end <= e.start && takingPart.MatchString(strings.ToLower(textAfter(runes, a, e.start)))) {
				continue // who arranges the talks to come is told; who will sit at them is a guess, unless it "would take part"
			}
			add(a.entity, e.entity, domain.RelParticipatedIn, role)
		}
	}
}

// takingPart runs from an actor to the talks to come it is said to take part in: "
// would nonetheless take part in a ".
var takingPart = regexp.MustCompile(`^\s+(?:would|will|is to|are to|plans to|agreed to)\s+(?:\w+\s+)?(?:take part in|attend|join)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}$`)

// commentator reports whether the actor a speaks of the event e rather than takes part
// in it: a person whose title another holds ("Trump's special envoy Steve Witkoff"), or
// the subject of a saying verb before the event ("The State Department on Saturday
// called Friday's talks a serious first step").
func commentator(runes []rune, words []sentenceWord, a, e mention) bool {
	if p, ok := a.entity.(*domain.Actor); ok && p.Kind == domain.ActorPerson && possessor(runes, a) {
		return true
	}
	return slices.ContainsFunc(words, func(w sentenceWord) bool {
		return commentVerbs[w.w] && w.start >= a.end && w.end <= e.start && w.start-a.end <= 40 && runes[w.start-1] != '-' // not "so-called"
	})
}

// commentVerbs are what someone does speaking of an event: "called the talks useful".
var commentVerbs = setOf("said", "says", "called", "calls", "described", "describes", "welcomed", "welcomes", "hailed", "praised", "criticized", "dismissed")

// warOf reports whether e names a war.
func warOf(e mention) bool {
	ev, ok := e.entity.(*domain.Event)
	return ok && ev.Kind == domain.EventWar
}

// leadSentences are the sentences at an article's head that tell its lead event: the
// actors they have taking part in something, with no other event named, take part in it
// ("Steve Witkoff and Abbas Araghchi spent about two hours at a residence outside
// Muscat", after "the first round of talks" in the sentence before).
const leadSentences = 6

// leadEvent is the event an article leads with: the first it names, of a kind actors
// take part in, and not only to date something else; nil for none.
func leadEvent(runes []rune, found []mention) domain.Entity {
	for _, m := range found {
		if ev, ok := m.entity.(*domain.Event); ok && !timeReference(runes, m) && !vague(ev) &&
			(ev.Kind == domain.EventNegotiation || ev.Kind == domain.EventMilitaryStrike || ev.Kind == domain.EventShootdown) {
			return ev
		}
	}
	return nil
}

// backAndForth is how the head of an article tells mediation besides mediationWords:
// "moved back and forth between the two delegations".
var backAndForth = setOf("forth")

// cuesAt are where the words of any of sets stand in words.
func cuesAt(words []sentenceWord, sets ...map[string]bool) []int {
	var at []int
	for _, w := range words {
		if slices.ContainsFunc(sets, func(set map[string]bool) bool { return set[w.w] }) {
			at = append(at, w.start)
		}
	}
	return at
}

// leadWords tell, with no event named, that actors take part in the lead event.
var leadWords = setOf("spent", "arrived", "led", "sat", "attended", "met", "held", "delegation", "delegations", "mediated", "mediating",
	"hosted", "hosting", "shuttled", "carried", "struck", "launched", "fired")

// leadParticipations proposes that the sentence's actors took part in lead when its
// words say they took part in something, with the role the words nearest give.
func leadParticipations(runes []rune, in []mention, words []sentenceWord, lead domain.Entity, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	cues, mediation, hosting := cuesAt(words, leadWords), cuesAt(words, mediationWords, backAndForth), cuesAt(words, hostingWords)
	if len(cues)+len(mediation)+len(hosting) == 0 {
		return
	}
	within := func(a mention, at []int) bool {
		return slices.ContainsFunc(at, func(p int) bool { return abs(p-a.end) <= 60 || abs(a.start-p) <= 60 })
	}
	for _, a := range in {
		if actor, ok := a.entity.(*domain.Actor); !ok || actor.Kind == domain.ActorMedia || attributed(runes, a) || possessor(runes, a) {
			continue
		}
		role := domain.RoleParticipant
		switch {
		case within(a, mediation):
			role = domain.RoleMediator
		case within(a, hosting):
			role = domain.RoleHost
		}
		add(a.entity, lead, domain.RelParticipatedIn, role)
	}
}

// possessor reports whether m stands as another's possessor: "Trump's special envoy".
func possessor(runes []rune, m mention) bool {
	after := string(runes[m.end:min(len(runes), m.end+2)])
	return after == "'s" || after == "’s"
}

// agentOf reports whether the actor's mention a stands right before the event word at:
// its modifier ("U.S. strikes", "U.S.-Iran talks") or its possessor, with at most one
// word between ("Iran's crackdown", "Iran's missile attack").
func agentOf(runes []rune, a mention, at int) bool {
	if at < a.end {
		return false
	}
	between := textAfter(runes, a, at)
	words := 0
	switch {
	case possessor(runes, a) && at >= a.end+2:
		words, between = 1, string(runes[a.end+2:at])
	case strings.HasPrefix(between, "-"): // "U.S.-Iran talks": the pair before the noun
		between = ""
	}
	fields := strings.Fields(between)
	if len(fields) == words+1 && unicode.IsLower([]rune(fields[words])[0]) && !stopWords[fields[words]] {
		words++ // one modifier of the noun: "U.S. military build-up", "Iran's deadly crackdown"
	}
	return len(fields) <= words && !strings.ContainsAny(between, ",;:.()\"“”-")
}

// textAfter is the text from the mention m's end to at, without the point that ends an
// abbreviation the mention leaves out ("U.S" of "U.S. Central Command").
func textAfter(runes []rune, m mention, at int) string {
	between := string(runes[m.end:at])
	if strings.HasPrefix(between, ".") && strings.Contains(string(runes[m.start:m.end]), ".") {
		between = between[1:]
	}
	return between
}

// hyphenedRole is the role a participle joined to the actor's name gives it ("the
// U.S.-brokered ceasefire", "Oman-mediated talks"), "" for none.
func hyphenedRole(runes []rune, a mention, at int) domain.Role {
	between := textAfter(runes, a, at)
	if !strings.HasPrefix(between, "-") {
		return ""
	}
	return byRoles[strings.ToLower(strings.TrimSpace(between[1:]))]
}

// subjectRole is the role of the actor a right before an event's verb, its subject:
// INITIATOR of an act ("the Treasury imposed", "the Treasury imposed sanctions") or of
// a call it made ("Sheikh Mohammed called"), "" for another word.
func subjectRole(runes []rune, a, e mention) domain.Role {
	act := false
	domain.EachWord(string(runes[a.end:e.end]), func(w string, _, _ int) { act = act || actWords[w] || attackWords[w] || w == "called" })
	if act {
		return domain.RoleInitiator
	}
	return ""
}

// agentRole is the role of the actor named before the event e of kind: the initiator of
// an act ("U.S. strikes", "Iran's crackdown", "U.N. sanctions"), a participant in what
// takes two ("U.S.-Iran talks", "the Israel-Iran war").
func agentRole(runes []rune, e mention, kind domain.EventKind) domain.Role {
	switch {
	case kind == domain.EventOther && imposedWords[strings.ToLower(wordBefore(runes, e.end))]:
		return domain.RoleInitiator // "U.N. sanctions": who imposes them
	case kind == domain.EventNegotiation, kind == domain.EventWar, kind == domain.EventProtest, kind == domain.EventOther:
		return domain.RoleParticipant
	}
	return domain.RoleInitiator
}

// imposedWords name what one side does to another, which the side named before them
// initiates: "U.N. sanctions", "the U.S. seizure".
var imposedWords = setOf("sanctions", "seizure", "reimposition", "snapback", "suspension", "blockade", "designations", "embargo")

// statement reports whether m names a statement: its speaker is its initiator.
func statement(m mention) bool {
	ev, ok := m.entity.(*domain.Event)
	return ok && ev.Kind == domain.EventStatement
}

// speaker is the actor who made the statement e: the last the sentence names before it
// ("Oman said in a statement"), else the first after it ("In a statement, Oman said").
func speaker(runes []rune, in []mention, e mention) (mention, bool) {
	var before, after []mention
	for _, a := range in {
		switch {
		case !mayspeak(runes, a, in):
		case a.end <= e.start:
			before = append(before, a)
		case a.start >= e.end:
			after = append(after, a)
		}
	}
	if len(before) > 0 {
		return slices.MaxFunc(before, func(a, b mention) int { return cmp.Compare(a.end, b.end) }), true
	}
	if len(after) > 0 {
		return after[0], true
	}
	return mention{}, false
}

// mayspeak reports whether the mention a of the sentence's mentions in may be who made
// a statement: an actor, not a media outlet, not a name inside another ("Omani" in "the
// Omani foreign ministry"), not a state's adjective on a thing ("Gideon Saar, the
// Israeli foreign minister, said"), not the body of a title set after the speaker's name
// ("Rafael Grossi, director general of the IAEA, said"), not whom it was told to nor
// what it was against ("threatened military action against Iran").
func mayspeak(runes []rune, a mention, in []mention) bool {
	if a.entity.NodeKind() != domain.KindActor || isMedia(a.entity) || audience(runes, a) || describesThing(runes, a) ||
		objectWords[strings.ToLower(wordBefore(runes, trimSpaceBefore(runes, a.start)))] {
		return false
	}
	return !slices.ContainsFunc(in, func(o mention) bool {
		if o.entity.NodeKind() != domain.KindActor {
			return false
		}
		if o.start <= a.start && a.end <= o.end && o.end-o.start > a.end-a.start {
			return true
		}
		at := anchorStart(runes, a, in)
		return o.end <= at && a.start-o.end <= 60 && appositionOf.MatchString(string(runes[o.end:at]))
	})
}

// objectWords stand before what an act is done to or about, not who does it: "threatened
// military action against Iran".
var objectWords = setOf("against", "on", "at", "with", "about", "over", "toward", "towards")

// audience reports whether a is whom something is said to: the object of "told" or
// "warned", past a title or a kind of outlet ("told state broadcaster IRIB", "warned
// the United States").
func audience(runes []rune, a mention) bool {
	before := strings.Fields(strings.ToLower(string(runes[max(0, a.start-40):a.start])))
	for k := len(before) - 1; k >= 0 && k >= len(before)-4; k-- {
		if w := strings.Trim(before[k], ",.\"“”"); addressedWords[w] {
			return true
		} else if w != "state" && w != "the" && !outlets[w] && !strings.HasSuffix(before[k], "'s") {
			return false
		}
	}
	return false
}

// addressedWords are the verbs of saying whose object is whom it is said to.
var addressedWords = setOf("told", "warned", "urged", "assured", "reminded", "tells", "warns", "urges")

// vague reports whether e is a proposed event the text does not date to the day: one
// whose participants would be guessed twice over.
func vague(e domain.Entity) bool {
	ev, ok := e.(*domain.Event)
	return ok && domain.IsProposalID(ev.ID) && ev.Precision != domain.PrecisionDay
}

// maxParticipantDistance bounds, in code points, how far from an event's mention an
// actor's stands and still takes part in it: a clause, not the whole sentence.
const maxParticipantDistance = 90

// near reports whether a and e stand within maxParticipantDistance of each other with
// no clause of speech between them ("…, officials said", "…, according to").
func near(runes []rune, a, e mention) bool {
	from, to := min(a.end, e.end), max(a.start, e.start)
	if to <= from {
		return true // one inside the other
	}
	if to-from > maxParticipantDistance {
		return false
	}
	between := strings.ToLower(string(runes[from:to]))
	return !strings.Contains(between, " said") && !strings.Contains(between, "according to") && !strings.Contains(between, " told ") &&
		!strings.Contains(between, ";")
}

// attributed reports whether a stands as a claim's source ("according to Iran's
// foreign ministry", "…, IRNA reported") rather than as an actor of what is claimed.
func attributed(runes []rune, a mention) bool {
	before := strings.ToLower(string(runes[max(0, a.start-25):a.start]))
	after := strings.ToLower(string(runes[a.end:min(len(runes), a.end+12)]))
	return strings.HasSuffix(strings.TrimSpace(before), "according to") || strings.HasPrefix(strings.TrimSpace(after), "reported") ||
		strings.HasSuffix(strings.TrimSpace(before), "told") || endsAttribution.MatchString(after)
}

// endsAttribution is a source's verb ending the sentence it is the source of: ", the
// Amiri Diwan said."
var endsAttribution = regexp.MustCompile(`^ (said|says|added|reported)[.”"]`)

// reportedBy proposes that the events a sentence tells are REPORTED_BY the outlet or
// body it attributes them to: "according to CENTCOM", "the Oman News Agency said",
// "Iran's foreign ministry said the talks …", "in a statement carried by the Tasnim news
// agency", and an outlet told or interviewed ("told IRNA", "in an interview with state
// broadcaster IRIB"). An attribution closing the sentence covers what comes before it,
// any other what follows its verb up to the clause's end ("…, as rights groups said the
// toll had passed 6,000 and Washington signaled …" covers the toll, not what
// Washington did). A person or a state is a speaker, not a source of record; talks are
// known from their parties, not from who announced them, but an agreement is reported
// ("signed an agreement …, Egypt's foreign ministry said"); an event that only dates
// the sentence ("since the June war") is not what it reports, nor is the statement the
// body makes ("the ministry said in a statement").
func reportedBy(runes []rune, s domain.TextRange, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, r := range in {
		if !isBody(r.entity) && !isMedia(r.entity) {
			continue
		}
		after := string(runes[r.end:min(s.End, r.end+30)])
		verb := attributionAfter.FindStringIndex(after)
		before := attributionBefore.FindStringSubmatch(string(runes[max(s.Start, r.start-50):r.start]))
		var from, to int // the part of the sentence the attribution covers
		carried := false // only the remarks an outlet carried, not what they were about
		switch {
		case verb != nil:
			from, to = r.end+utf8.RuneCountInString(after[:verb[1]]), s.End
		case before != nil && strings.EqualFold(before[1][:3], "acc"):
			from, to = r.end, s.End
		case before != nil && (isMedia(r.entity) || !toOutlet[strings.ToLower(strings.Join(strings.Fields(before[1]), " "))]):
			// what a speaker told an outlet, or said in remarks it carried: the saying and
			// what was said
			from, to, carried = s.Start, s.End, true
		default:
			continue
		}
		if from != s.Start {
			covered := string(runes[from:to])
			if rest := strings.Fields(string(runes[r.end:s.End])); len(rest) <= 6 && !slices.Contains(rest, "that") {
				from, to = s.Start, r.start // "…, the Pentagon said on Sunday.", "…, according to CENTCOM."
			} else if k := clauseEnd.FindStringIndex(covered); k != nil {
				to = from + utf8.RuneCountInString(covered[:k[0]])
			}
		}
		for _, e := range in {
			ev, ok := e.entity.(*domain.Event)
			if !ok || ev.Kind == domain.EventNegotiation && !dealNouns[firstWord(runes, e)] || carried && ev.Kind != domain.EventStatement || e.start < from || e.end > to || timeReference(runes, e) || verb != nil && statement(e) && e.start >= r.end && e.start-r.end <= 25 {
				continue
			}
			add(e.entity, r.entity, domain.RelReportedBy, "")
		}
	}
}

// attributionAfter follows a source that says what a sentence reports: " said", "'s
// account", " reported".
var attributionAfter = regexp.MustCompile(`(?i)^(['’]s\s+(account|readout)|\s+(said|says|say|reported|reports|described|announced))\b`)

// attributionBefore precedes a source a sentence's report is attributed to, up to three
// words describing it: "according to the semi-official", "carried by the state news
// agency", "told Iranian state television", "in an interview with".
var attributionBefore = regexp.MustCompile(`(?i)\b(according\s+to|carried\s+by|reported\s+by|quoted\s+by|told|interview\s+with|remarks\s+to)\s+((the|an?)\s+)?([\w-]+\s+){0,3}$`)

// toOutlet are the attributions that name an outlet only: a body told something ("told
// U.S. senators") is an audience, not a source.
var toOutlet = setOf("told", "interview with", "remarks to")

// clauseEnd ends the clause an attribution covers: another clause joined by "and",
// "while" or "as" after a comma, or a semicolon.
var clauseEnd = regexp.MustCompile(`(,\s+(and|while|as|but)\s|;)`)

// isMedia reports whether e is a media outlet: it reports events rather than takes part.
func isMedia(e domain.Entity) bool {
	a, ok := e.(*domain.Actor)
	return ok && a.Kind == domain.ActorMedia
}

// nearestIs reports whether a is, of actors, the one nearest a word at one of at, and
// no word of the other kinds is nearer to it.
func nearestIs(runes []rune, a mention, at []int, actors []mention, others ...[]int) bool {
	if len(at) == 0 {
		return false
	}
	distance := func(m mention, positions []int) int {
		best := -1
		for _, p := range positions {
			d := min(abs(p-m.start), abs(p-m.end))
			if best < 0 || d < best {
				best = d
			}
		}
		return best
	}
	listed := listWith(runes, a, actors) // "Qatar and Oman step up shuttle diplomacy": the list's members alike
	mine := -1
	for _, m := range listed {
		if d := distance(m, at); mine < 0 || d < mine {
			mine = d
		}
	}
	for _, b := range actors {
		if !slices.ContainsFunc(listed, func(m mention) bool { return m.entity.NodeID() == b.entity.NodeID() }) && distance(b, at) < mine {
			return false
		}
	}
	for _, o := range others {
		if d := distance(a, o); d >= 0 && d < mine {
			return false
		}
	}
	return mine <= 60
}

func abs(n int) int { return max(n, -n) }

// locations proposes LOCATED_IN for an event before a place it is in ("the talks in
// Muscat"), a city before its country ("MUSCAT, Oman", "Muscat, Oman"), a place before
// a larger one it is in ("the Natanz enrichment site in central Iran") and a named part
// of a place ("Tehran's Grand Bazaar").
func locations(runes []rune, in []mention, h *held, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	listHead := make([]int, len(in)) // where the list of places in context a place closes starts, -1 for none
	for i, p := range in {
		place, ok := p.entity.(*domain.Place)
		listHead[i] = -1
		if !ok {
			continue
		}
		switch {
		case i > 0 && listHead[i-1] >= 0 && in[i-1].end <= p.start && placeListGaps[string(runes[in[i-1].end:p.start])]:
			listHead[i] = listHead[i-1] // "held in Muscat and Rome", "at Fordow, Natanz and Isfahan"
		case placeContext(runes, p.start, p.end, inOrAt):
			listHead[i] = p.start
		case i > 0 && in[i-1].entity.NodeKind() == domain.KindEvent && in[i-1].end <= p.start && strikeObject.MatchString(string(runes[in[i-1].end:p.start])) &&
			attackWords[firstWord(runes, in[i-1])]:
			listHead[i] = p.start // "U.S. bombers hit Fordow, Natanz and Isfahan"
		}
		if i > 0 && in[i-1].entity.NodeKind() == domain.KindEvent && in[i-1].end <= p.start && setFor.MatchString(string(runes[in[i-1].end:p.start])) {
			add(in[i-1].entity, place, domain.RelLocatedIn, "") // "The third round is set for Muscat"
		}
		if heldIn.MatchString(string(runes[max(0, p.start-25):p.start])) {
			// "A first round of indirect talks between Witkoff and Araghchi is held in
			// Muscat": the event the verb's subject names, however far
			for k := i - 1; k >= 0; k-- {
				if e := in[k]; e.entity.NodeKind() == domain.KindEvent && !timeReference(runes, e) {
					if !strings.ContainsAny(string(runes[e.end:p.start]), ";:") {
						add(e.entity, place, domain.RelLocatedIn, "")
					}
					break
				}
			}
		}
		if strings.HasPrefix(string(runes[p.end:min(len(runes), p.end+8)]), ", where ") {
			// "remains in the Arabian Sea, where the U.S. Navy said it had shot down an
			// Iranian drone": what the clause tells happened there
			for _, e := range in[i+1:] {
				if strings.ContainsAny(string(runes[p.end+1:e.start]), ",;:") {
					break
				}
				if e.entity.NodeKind() == domain.KindEvent && !statement(e) && !timeReference(runes, e) {
					add(e.entity, place, domain.RelLocatedIn, "")
				}
			}
		}
		if i+1 < len(in) && in[i+1].entity.NodeKind() == domain.KindEvent && in[i+1].start >= p.end && sitesStruck.MatchString(string(runes[p.end:in[i+1].start])) &&
			attackWords[firstWord(runes, in[i+1])] {
			// "Fordow, Natanz and Isfahan, the sites hit by U.S. bombers": each place the
			// list names, back to its first
			for k := i; k >= 0 && in[k].entity.NodeKind() == domain.KindPlace; k-- {
				add(in[i+1].entity, in[k].entity, domain.RelLocatedIn, "")
				if k == 0 || in[k-1].end > in[k].start || !placeListGaps[string(runes[in[k-1].end:in[k].start])] {
					break
				}
			}
		}
		for _, e := range in[:i] {
			// A known event the graph places already is not placed in a country or a
			// region again: that is where its place lies ("the talks in Oman" of the talks
			// in Muscat), or a claim to review against the graph's, not a new one.
			coarse := place.Kind == domain.PlaceCountry || place.Kind == domain.PlaceRegion
			// An event that only dates the sentence is still where the words right after
			// it say: "since the first round in Muscat".
			dating := timeReference(runes, e) && !(listHead[i] >= 0 && listHead[i]-e.end <= 4)
			if e.entity.NodeKind() == domain.KindEvent && !(coarse && h.located[e.entity.NodeID()]) && !dating &&
				listHead[i] >= 0 && (listHead[i]-e.end <= 40 || place.Kind == domain.PlaceSea && !statement(e) && listHead[i]-e.end <= 90 && !strings.ContainsAny(string(runes[e.end:listHead[i]]), ",;")) {
				// "shot down an Iranian drone that approached the carrier in the Arabian Sea":
				// at sea, the clause that goes on about the act still tells where it was
				add(e.entity, place, domain.RelLocatedIn, "")
			}
		}
		for k := i - 1; k >= 0; k-- {
			if before, ok := in[k].entity.(*domain.Place); ok {
				if in[k].end <= p.start && placeRank[before.Kind] <= placeRank[place.Kind] && placeInPlaceAfter.MatchString(string(runes[in[k].end:p.start])) {
					add(before, place, domain.RelLocatedIn, "") // "Al Udeid Air Base, the largest U.S. military installation in the Middle East"
				}
				break
			}
		}
		prev := -1 // the mention right before p; of several ending there, a place ("Omani" in "the Omani embassy in Rome" is the embassy's)
		for k := range in[:i] {
			if in[k].end <= p.start && (prev < 0 || in[k].end > in[prev].end || in[k].end == in[prev].end && in[k].entity.NodeKind() == domain.KindPlace) {
				prev = k
			}
		}
		if prev < 0 {
			continue
		}
		before, ok := in[prev].entity.(*domain.Place)
		if !ok {
			continue
		}
		between := strings.ToLower(string(runes[in[prev].end:p.start]))
		switch {
		case (between == "'s " || between == "’s ") && placeRank[place.Kind] <= placeRank[before.Kind]: // "Tehran's Grand Bazaar"
			add(place, before, domain.RelLocatedIn, "")
		case placeRank[before.Kind] > placeRank[place.Kind], before.Kind == domain.PlaceCountry && place.Kind == domain.PlaceCountry:
		case strings.TrimSpace(between) == "," && before.Kind == domain.PlaceCity && place.Kind == domain.PlaceCountry: // "MUSCAT, Oman"
			add(before, place, domain.RelLocatedIn, "")
		case placeInPlace.MatchString(between): // "the Natanz enrichment site in central Iran", "Al Udeid Air Base in Qatar"
			add(before, place, domain.RelLocatedIn, "")
		}
	}
}

// placedWhere proposes the place a sentence opens with as where its events happened:
// "In Tehran, Baqaei told his weekly news conference" puts the news conference in
// Tehran; the dateline's city ("MUSCAT, Oman (Gulf Wire) — Envoys held their first
// round of talks …"), the talks the story leads with. An event the sentence places
// elsewhere, only dates by, or reports as said ("In Washington, Trump said … the
// strikes") is not placed; nor, by the dateline, an event other than a meeting, which
// the reporter's city tells nothing of.
func placedWhere(runes []rune, s domain.TextRange, isDateline bool, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	if len(in) == 0 {
		return
	}
	place, ok := in[0].entity.(*domain.Place)
	opening := strings.HasPrefix(string(runes[s.Start:in[0].start]), "In ") && in[0].start-s.Start == 3 &&
		in[0].end < len(runes) && runes[in[0].end] == ','
	if !ok || !opening && !(isDateline && in[0].start == s.Start) {
		return
	}
	said := s.End // where the sentence reports what was said: what is said happened elsewhere
	domain.EachWord(string(runes[s.Start:s.End]), func(w string, start, _ int) {
		if sayVerbs[w] && s.Start+start < said {
			said = s.Start + start
		}
	})
	// Another place the sentence names places its events there; not "Tehran's nuclear
	// program", nor the opening city named again ("the Omani capital"), nor one in what
	// was said ("In Tehran, Baqaei said … the framework set in Muscat").
	elsewhere := slices.ContainsFunc(in[1:], func(o mention) bool {
		_, ok := o.entity.(*domain.Place)
		return ok && o.start > in[0].end+3 && (isDateline || o.start < said) && !possessor(runes, o) && o.entity.NodeID() != place.NodeID()
	})
	for _, e := range in {
		ev, ok := e.entity.(*domain.Event)
		if !ok || elsewhere || timeReference(runes, e) || isDateline && ev.Kind != domain.EventNegotiation || ev.Kind != domain.EventStatement && e.start > said {
			continue
		}
		add(ev, place, domain.RelLocatedIn, "")
		if isDateline {
			return // the story's lead, its first meeting
		}
	}
}

// datelineOpening is how a wire story's first paragraph opens: "MUSCAT, Oman (Gulf Wire) —",
// "ROME (Meridian News Service) —".
var datelineOpening = regexp.MustCompile(`^[A-Z][A-Z .'-]+(?:, [A-Z][A-Za-z .]+)? (?:\([^)]{1,60}\) )?[—–-]`)

// strikeObject stands between a word of attack and the place it names as its object:
// "hit Fordow", "struck the Natanz site".
var strikeObject = regexp.MustCompile(`^\s+(the\s+)?$`)

// heldIn ends right before the place an event is said to be held in: " is held in ",
// " took place in ".
var heldIn = regexp.MustCompile(`\b(?:is|was|are|were|be|been)\s+held\s+(?:in|at)\s+(?:the\s+)?$|\btook\s+place\s+(?:in|at)\s+(?:the\s+)?$`)

// setFor stands between an event and the place it is to be held in: " is set for ",
// " was scheduled for ".
var setFor = regexp.MustCompile(`^\s+(?:is|was|are|were|has been|have been|had been|now)?\s*(?:set|scheduled|planned|due)\s+(?:for|in)\s+$`)

// placeListGaps part the places of one list: "in Muscat and Rome".
var placeListGaps = setOf(" and ", ", ", ", and ", " or ")

// placeInPlace is what stands between a place and the larger place it lies in: up to
// two words naming what it is, then "in", maybe a direction.
var placeInPlace = regexp.MustCompile(`^(\s+[a-z-]+){0,2}\s+(in|near|outside)\s+(the\s+)?((central|northern|southern|eastern|western|north|south|east|west|northeastern|northwestern|southeastern|southwestern)\s+)?$`)

// placeInPlaceAfter is an apposition saying what a place is and the larger place it
// lies in: ", the ministry's guest house in central", ", the busiest container port in".
var placeInPlaceAfter = regexp.MustCompile(`^,\s+the\s+([\w'’.-]+\s+){1,6}(in|near)\s+(the\s+)?((central|northern|southern|eastern|western)\s+)?$`)

// sitesStruck stands between a list of places and the strike an apposition says hit
// them: ", the sites", ", the three sites", ", which was".
var sitesStruck = regexp.MustCompile(`^,\s+(the\s+([a-z]+\s+){0,2}sites?|which\s+(was|were))\s+$`)

// placeRank orders the kinds of place by size: a place lies in one of a rank at least
// its own.
var placeRank = map[domain.PlaceKind]int{domain.PlaceFacility: 0, domain.PlaceCity: 1, domain.PlaceSea: 2, domain.PlaceCountry: 3, domain.PlaceRegion: 4}

// sequences proposes, for two events the sentence names with days or months that tell
// them apart ("the second round, a week after the first in Muscat"; "On Monday, Sheikh
// Mohammed called Witkoff, and on Tuesday he received Albusaidi"), that the earlier
// PRECEDED the later; a statement is ordered only among statements, as what is said of
// an event is not its sequel.
func sequences(in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, a := range in {
		for _, b := range in {
			ea, ok1 := a.entity.(*domain.Event)
			eb, ok2 := b.entity.(*domain.Event)
			if !ok1 || !ok2 || (ea.Kind == domain.EventStatement) != (eb.Kind == domain.EventStatement) || ea.Start == nil || eb.Start == nil ||
				ea.Precision == domain.PrecisionYear || eb.Precision == domain.PrecisionYear || ea.Precision == domain.PrecisionUnknown || eb.Precision == domain.PrecisionUnknown {
				continue
			}
			_, aEnds := ea.Precision.Span(*ea.Start)
			if bStarts, _ := eb.Precision.Span(*eb.Start); !aEnds.After(bStarts) {
				add(ea, eb, domain.RelPreceded, "")
			}
		}
	}
}

// timeReference reports whether an event's mention only dates something else: "eight
// months after the June war", "the first talks since the June war".
func timeReference(runes []rune, e mention) bool {
	return temporalPrepositions[timePreposition(runes, e)]
}

// timePreposition is the word before an event's mention, past "the", "last" and
// "this", folded: "after" in "after the June war".
func timePreposition(runes []rune, e mention) string {
	at := trimSpaceBefore(runes, e.start)
	w := wordBefore(runes, at)
	for strings.EqualFold(w, "the") || strings.EqualFold(w, "last") || strings.EqualFold(w, "this") {
		at = trimSpaceBefore(runes, at-len([]rune(w)))
		w = wordBefore(runes, at)
	}
	if first := firstWord(runes, e); temporalPrepositions[strings.ToLower(w)] || eventVerbs[first] == "" && !attackWords[first] && !actWords[first] {
		return strings.ToLower(w)
	}
	// A verb's clause: "five weeks after a drone was shot down".
	for k := 0; k < 4 && w != "" && !strings.ContainsAny(string(runes[at:e.start]), ",;:"); k++ {
		at = trimSpaceBefore(runes, at-len([]rune(w)))
		if w = wordBefore(runes, at); temporalPrepositions[strings.ToLower(w)] {
			return strings.ToLower(w)
		}
	}
	return ""
}

// firstWord is the first word of m's text.
func firstWord(runes []rune, m mention) string {
	first := ""
	domain.EachWord(string(runes[m.start:m.end]), func(w string, _, _ int) {
		if first == "" {
			first = w
		}
	})
	return first
}

// orderWords are the time references that order two events, each with whether the
// event it dates came later ("before the round") rather than earlier ("since the war").
var orderWords = map[string]bool{"after": false, "since": false, "following": false, "before": true, "ahead": true, "preceding": true}

// timeOrder proposes the order a time reference states between an event it dates and
// the event the sentence reports: "the first talks since the June war" (the war
// PRECEDED the talks), "a week before the sixth round" (the event reported PRECEDED
// the round). The event reported is the nearest before the reference, else after it.
func timeOrder(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, r := range in {
		if r.entity.NodeKind() != domain.KindEvent {
			continue
		}
		earlier, ok := orderWords[timePreposition(runes, r)]
		if !ok {
			continue
		}
		var main *mention
		for i, m := range in {
			if m.entity.NodeKind() != domain.KindEvent || m.entity.NodeID() == r.entity.NodeID() || timeReference(runes, m) || statement(m) {
				continue
			}
			if m.end <= r.start && (main == nil || main.start < m.start || main.start > r.start) || main == nil {
				main = &in[i]
			}
		}
		switch {
		case main == nil:
		case earlier:
			add(main.entity, r.entity, domain.RelPreceded, "")
		default:
			add(r.entity, main.entity, domain.RelPreceded, "")
		}
	}
}

// temporalPrepositions date a clause by an event: "after the June war".
var temporalPrepositions = setOf("after", "since", "before", "until", "following", "amid", "ahead", "preceding")

// byRoles are the participles whose agent, after "by", takes part in the event before
// them with a role: "the snapback process launched by Britain, France and Germany",
// "talks hosted by Egypt's foreign minister", "a ceasefire brokered by Qatar".
var byRoles = map[string]domain.Role{
	"hosted": domain.RoleHost, "mediated": domain.RoleMediator, "brokered": domain.RoleMediator, "facilitated": domain.RoleMediator,
	"launched": domain.RoleInitiator, "triggered": domain.RoleInitiator, "imposed": domain.RoleInitiator, "reimposed": domain.RoleInitiator,
	"ordered": domain.RoleInitiator, "carried": domain.RoleInitiator, "conducted": domain.RoleInitiator, "led": domain.RoleInitiator,
	"bombed": domain.RoleInitiator, "struck": domain.RoleInitiator, "attacked": domain.RoleInitiator, "fired": domain.RoleInitiator,
	"called": domain.RoleInitiator, "announced": domain.RoleInitiator, "organised": domain.RoleInitiator, "organized": domain.RoleInitiator,
}

// phrasedParticipations proposes the participations a phrase right after an event's
// mention states, before the sentence's looser cues are read: the agents after a
// participle and "by" ("launched by Britain, France and Germany") with the
// participle's role; the parties after "between" ("the war between Israel and Iran",
// "talks between Iran and the United States") as PARTICIPANT; and what sanctions or
// strikes fall "on" or "against" as TARGET ("sanctions reimposed on Iran"). The phrase
// names them even of an event the sentence only dates by ("since the Feb. 6 talks
// between Iran and the United States").
func phrasedParticipations(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for i, e := range in {
		ev, ok := e.entity.(*domain.Event)
		if !ok || ev.Kind == domain.EventStatement {
			continue
		}
		var actors []mention // the actors after the event, up to the next event
		for _, a := range in[i+1:] {
			if a.entity.NodeKind() == domain.KindEvent {
				break
			}
			if a.entity.NodeKind() == domain.KindActor && a.start >= e.end {
				actors = append(actors, a)
			}
		}
		if len(actors) == 0 {
			continue
		}
		lead := strings.ToLower(string(runes[e.end:actors[0].start]))
		listed := actorList(runes, actors)
		switch m := phraseBefore.FindStringSubmatch(lead); {
		case m == nil:
		case m[2] == "by" && byRoles[m[1]] != "":
			for _, a := range listed {
				add(a.entity, ev, domain.RelParticipatedIn, byRoles[m[1]])
			}
		case m[2] == "between" && m[1] == "" && ev.Kind != domain.EventMilitaryStrike && len(listed) >= 2:
			for _, a := range listed {
				add(a.entity, ev, domain.RelParticipatedIn, domain.RoleParticipant)
			}
		case (m[2] == "on" || m[2] == "against") && (ev.Kind == domain.EventMilitaryStrike || ev.Kind == domain.EventOther):
			for _, a := range listed {
				add(a.entity, ev, domain.RelParticipatedIn, domain.RoleTarget)
			}
		}
	}
}

// phraseBefore is what stands between an event's mention and the first actor of a
// phrase about it: maybe a participle (or a noun: "process"), then "by", "between",
// "on" or "against", maybe "the".
var phraseBefore = regexp.MustCompile(`^(?:\s+(?:process|mechanism|talks|negotiations))?(?:\s+([a-z]+))??\s+(by|between|on|against)\s+(?:the\s+)?$`)

// listWith is the list of actors a stands in, a alone for none: "Qatar and Oman",
// "Britain, France and Germany".
func listWith(runes []rune, a mention, actors []mention) []mention {
	i := slices.IndexFunc(actors, func(m mention) bool { return m.start == a.start && m.end == a.end })
	if i < 0 {
		return []mention{a}
	}
	first := i
	for first > 0 && len(actorList(runes, actors[first-1:first+1])) == 2 {
		first--
	}
	return actorList(runes, actors[first:])
}

// partiesTo proposes that the actors an apposition calls parties to an event took part
// in it: "Russia and China, both parties to the 2015 deal".
func partiesTo(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	var actors []mention
	for _, e := range in {
		if e.entity.NodeKind() == domain.KindActor {
			actors = append(actors, e)
			continue
		}
		ev, ok := e.entity.(*domain.Event)
		if !ok || len(actors) == 0 {
			continue
		}
		last := actors[len(actors)-1]
		if last.end <= e.start && partyTo.MatchString(strings.ToLower(string(runes[last.end:e.start]))) {
			for _, a := range actorList(runes, actors) {
				add(a.entity, ev, domain.RelParticipatedIn, domain.RoleParticipant)
			}
		}
	}
}

// greetedBefore proposes that who greets or meets whom "before" talks, as a caption
// tells ("Omani Foreign Minister Badr Albusaidi, right, greets Iranian Foreign Minister
// Abbas Araghchi before talks in Muscat"), take part in the talks, which only date the
// greeting.
func greetedBefore(runes []rune, in []mention, add func(from, to domain.Entity, t domain.RelationType, role domain.Role)) {
	for _, e := range in {
		ev, ok := e.entity.(*domain.Event)
		if !ok || ev.Kind != domain.EventNegotiation {
			continue
		}
		if p := timePreposition(runes, e); p != "before" && p != "ahead" {
			continue
		}
		var actors []mention
		greeted := false
		for _, a := range in {
			if a.end > e.start {
				break
			}
			if a.entity.NodeKind() == domain.KindActor && !isState(a.entity) {
				actors = append(actors, a)
			}
			if len(actors) == 1 && a.entity.NodeKind() == domain.KindActor {
				greeted = greetings.MatchString(strings.ToLower(string(runes[a.end:e.start])))
			}
		}
		if !greeted || len(actors) < 2 {
			continue
		}
		for _, a := range actors {
			add(a.entity, ev, domain.RelParticipatedIn, domain.RoleParticipant)
		}
	}
}

// greetings run from who greets to the talks the greeting comes before: ", right,
// greets … before ".
var greetings = regexp.MustCompile(`^(?:,[^,]{1,12},)?\s+(?:greets|greeted|welcomes|welcomed|meets|shakes hands with)\s`)

// partyTo stands between the actors and the event an apposition makes them parties to:
// ", both parties to the 2015 ".
var partyTo = regexp.MustCompile(`^,\s+(?:both\s+|all\s+|each\s+)?(?:parties|party|signatories|signatory)\s+to\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$`)

// actorList are the actors of actors that stand in one list from the first: "Britain,
// France and Germany", "Israel and Iran".
func actorList(runes []rune, actors []mention) []mention {
	out := actors[:1]
	for k := 1; k < len(actors) && actors[k].start >= actors[k-1].end; k++ { // one inside another ends it
		between := strings.TrimSpace(string(runes[actors[k-1].end:actors[k].start]))
		if between != "," && between != "and" && between != ", and" && between != "the" && between != "and the" && between != ", the" {
			break
		}
		out = append(out, actors[k])
	}
	return out
}
