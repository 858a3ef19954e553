package ingest

// Events: the meetings, strikes and statements an article reports, linked to the events
// the graph holds or proposed as new ones with their dates.

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"eventgraph/store/domain"
)

// eventNouns name an event of their kind.
var eventNouns = map[string]domain.EventKind{
	"talks": domain.EventNegotiation, "meeting": domain.EventNegotiation, "session": domain.EventNegotiation,
	"negotiations": domain.EventNegotiation, "summit": domain.EventNegotiation,
	"interview": domain.EventStatement, "statement": domain.EventStatement, "speech": domain.EventStatement,
	"remarks": domain.EventStatement, "briefing": domain.EventStatement, "letter": domain.EventStatement, "sermon": domain.EventStatement,
	"strike": domain.EventMilitaryStrike, "strikes": domain.EventMilitaryStrike, "airstrike": domain.EventMilitaryStrike,
	"airstrikes": domain.EventMilitaryStrike, "attack": domain.EventMilitaryStrike, "attacks": domain.EventMilitaryStrike,
	"bombing": domain.EventMilitaryStrike, "raid": domain.EventMilitaryStrike,
	"explosion": domain.EventOther, "blast": domain.EventOther, "visit": domain.EventOther,
	"protests": domain.EventProtest, "protest": domain.EventProtest, "demonstrations": domain.EventProtest,
	"crackdown": domain.EventCrackdown, "war": domain.EventWar, "deployment": domain.EventDeployment,
	"repression": domain.EventCrackdown, "unrest": domain.EventProtest, "uprising": domain.EventProtest,
	"round": domain.EventNegotiation, "rounds": domain.EventNegotiation, "deal": domain.EventNegotiation, "agreement": domain.EventNegotiation,
	"accord": domain.EventNegotiation, "arrangement": domain.EventNegotiation,
	"post": domain.EventStatement, "editorial": domain.EventStatement, "threats": domain.EventStatement,
	"warning": domain.EventStatement, "warnings": domain.EventStatement, "report": domain.EventStatement,
	"testimony": domain.EventStatement, "declaration": domain.EventStatement,
	"ceasefire": domain.EventOther, "truce": domain.EventOther, "seizure": domain.EventOther, "sanctions": domain.EventOther,
	"blackout": domain.EventOther, "snapback": domain.EventOther, "resolution": domain.EventOther, "law": domain.EventOther,
	"vote": domain.EventOther, "call": domain.EventOther, "trip": domain.EventOther, "withdrawal": domain.EventOther, "hearing": domain.EventOther,
	"encounter": domain.EventOther, "arrival": domain.EventOther,
	"barrage": domain.EventMilitaryStrike, "barrages": domain.EventMilitaryStrike, "salvo": domain.EventMilitaryStrike,
	"bombardment": domain.EventMilitaryStrike,
	"buildup":     domain.EventDeployment, "reinforcements": domain.EventDeployment,
}

// datedNouns name an event only with a date beside them: "the 2015 nuclear deal" and "a
// phone call on Friday", but not "if no deal is reached" or "calls for restraint".
var datedNouns = setOf("deal", "agreement", "accord", "arrangement", "report", "resolution", "law", "vote", "call", "round", "warning", "warnings",
	"sanctions")

// eventVerbs report an event of their kind; a statement's only with its date right
// after it ("wrote on Tuesday", "said on Sunday"): most sentences of an article report
// something said, and only a day makes the saying an event.
var eventVerbs = map[string]domain.EventKind{
	"met": domain.EventNegotiation, "meets": domain.EventNegotiation, "meet": domain.EventNegotiation,
	"struck": domain.EventMilitaryStrike, "bombed": domain.EventMilitaryStrike, "attacked": domain.EventMilitaryStrike,
	"downed": domain.EventShootdown,
	"wrote":  domain.EventStatement, "posted": domain.EventStatement,
	"replied": domain.EventStatement, "announced": domain.EventStatement, "visited": domain.EventOther,
	"said": domain.EventStatement, "told": domain.EventStatement, "says": domain.EventStatement,
	"threatened": domain.EventStatement, "warned": domain.EventStatement,
	"briefed": domain.EventOther, "arrived": domain.EventOther, "left": domain.EventOther, "spoke": domain.EventOther, "speaking": domain.EventOther, "called": domain.EventOther,
	"received": domain.EventOther, "suspended": domain.EventOther, "reimposed": domain.EventOther,
	"signed": domain.EventNegotiation, "triggered": domain.EventOther, "imposed": domain.EventOther, "withdrew": domain.EventOther,
	"declined": domain.EventOther, "passed": domain.EventOther, "restored": domain.EventOther, "voted": domain.EventOther,
	"seized": domain.EventOther, "seizes": domain.EventOther, "fired": domain.EventMilitaryStrike, "hit": domain.EventMilitaryStrike,
	// The present of timelines and headlines: "- Aug. 28: Britain, France and Germany
	// trigger the snapback", "Guards boats confront a U.S. destroyer".
	"trigger": domain.EventOther, "triggers": domain.EventOther, "imposes": domain.EventOther,
	"reimposes": domain.EventOther, "suspends": domain.EventOther, "confront": domain.EventOther, "confronts": domain.EventOther,
	"arrives": domain.EventOther,
	// and of captions: "Scott Bessent speaks to reporters"
	"speaks": domain.EventOther,
}

// speakingWords tell of speaking: to reporters a statement, by phone or with someone a call.
var speakingWords = setOf("spoke", "speaking", "speaks")

// synonyms groups the words that name one kind of event alike: "struck" reports
// "Israeli attacks", "met" the "talks in Muscat", "shot down" a "drone downing".
var synonyms = func() map[string]string {
	out := map[string]string{}
	for g, words := range synonymGroups {
		for _, w := range words {
			out[w] = g
		}
	}
	return out
}()

// synonymGroups are the groups of synonyms, by name.
var synonymGroups = map[string][]string{
	"strike":     {"strike", "strikes", "struck", "airstrike", "airstrikes", "attack", "attacks", "attacked", "bombing", "bombed", "raid", "hit"},
	"meeting":    {"talks", "meeting", "meetings", "session", "negotiations", "met", "meet", "meets", "round", "rounds"},
	"downing":    {"shot", "downed", "downing", "shootdown"},
	"buildup":    {"buildup", "build-up", "reinforcements", "presence"},
	"deployment": {"deployment", "deployed", "sent"},
	"threat":     {"threat", "threats", "threatened", "threatening", "warned", "warning", "warnings"},
	"truce":      {"ceasefire", "truce"},
	"blast":      {"explosion", "blast"},
	"crackdown":  {"crackdown", "repression", "crack", "cracked", "crushed"},
	"protests":   {"protests", "protest", "demonstrations", "unrest", "uprising"},
	"seizure":    {"seizure", "seized", "seizes"},
}

// dealNouns name an agreement: dated only by a date right before or shortly after
// them.
var dealNouns = setOf("deal", "agreement", "accord", "arrangement")

// sayVerbs report a statement only with its day right after them, to whom it was said,
// or a titled speaker right before them ("Russia's envoy, Mikhail Ulyanov, said"): most
// sentences of an article report something said.
var sayVerbs = setOf("said", "says", "told", "wrote", "posted", "replied", "announced")

// itemDate is the date a timeline's item opens with ("- Aug. 28: …", "September: …"),
// which dates every event the item tells but one it dates by ("after the war").
func itemDate(runes []rune, s domain.TextRange, dates []dateRef) (dateRef, bool) {
	if len(dates) == 0 || dates[0].end >= s.End || runes[dates[0].end] != ':' {
		return dateRef{}, false
	}
	lead := strings.TrimSpace(strings.TrimLeft(string(runes[s.Start:dates[0].start]), "-–•* "))
	return dates[0], lead == "" || lead == "Early" || lead == "Late" || lead == "Mid"
}

// reported is where what a statement's word words[i] reports begins: at the first
// "that" or saying verb after it ("In a post on X, Al-Busaidi said the Sultanate …"),
// past a date right after a verb ("said on Tuesday"); the sentence's end for none.
func reported(words []sentenceWord, i int) int {
	for k := i + 1; k < len(words); k++ {
		if words[k].w == "that" || sayVerbs[words[k].w] {
			return words[k].start
		}
	}
	return math.MaxInt
}

// insideQuote reports whether the code point at stands inside a quotation opened after
// from: "chanted \"Death to Israel\" as the sermon ended" names no speaker.
func insideQuote(runes []rune, from, at int) bool {
	straight, curly := 0, 0
	for _, r := range runes[from:at] {
		switch r {
		case '"':
			straight++
		case '“':
			curly++
		case '”':
			curly = max(0, curly-1)
		}
	}
	return straight%2 == 1 || curly > 0
}

// titledSpeaker reports whether the speaker before the saying verb at is a person named
// with a title ("Adm. Brad Cooper said", "Russia's envoy to the international
// organizations in Vienna, Mikhail Ulyanov, said") or a body's spokesperson ("A State
// Department spokesperson in Washington said"); not an official left unnamed.
func titledSpeaker(runes []rune, named []mention, s domain.TextRange, at int) bool {
	for _, m := range named {
		if m.start < s.Start || m.end > at || at-m.end > 40 || m.entity.NodeKind() != domain.KindActor || strings.ContainsAny(string(runes[m.end:at]), ".\"“”;") {
			continue
		}
		lead := strings.ToLower(string(runes[s.Start:m.start]))
		appositive := strings.HasSuffix(strings.TrimSpace(lead), ",") && slices.ContainsFunc(strings.FieldsFunc(lead, func(r rune) bool { return !unicode.IsLetter(r) }), func(w string) bool {
			return agentTitles[w] || headTitles[w] || bodyHeadTitles[w]
		})
		a, _ := m.entity.(*domain.Actor)
		spokesman := isBody(m.entity) && slices.ContainsFunc(strings.Fields(strings.ToLower(string(runes[m.end:min(at, m.end+16)]))), func(w string) bool { return spokesWords[w] })
		if a != nil && a.Kind == domain.ActorPerson && (titledNear(runes, m) || appositive) || spokesman {
			return true
		}
	}
	return false
}

// spokesWords name who speaks for a body: "a State Department spokesperson".
var spokesWords = setOf("spokesman", "spokeswoman", "spokesperson")

// toAudience reports whether the verb words[i] is said to an audience or in a medium,
// which makes it a statement of its own: "told reporters", "speaking to journalists",
// "told a news conference", "wrote on X", "posted on social media".
func toAudience(words []sentenceWord, i int) bool {
	next := func(k int) string {
		if i+k < len(words) {
			return words[i+k].w
		}
		return ""
	}
	switch words[i].w {
	case "told":
		return audiences[next(1)] || next(1) == "a" && next(2) == "news" || outlets[next(1)] || outlets[next(2)] || outlets[next(3)]
	case "spoke", "speaking", "speaks":
		return next(1) == "to" && audiences[next(2)]
	case "wrote", "posted":
		return next(1) == "on"
	}
	return false
}

// audiences are whom a statement is made to.
var audiences = setOf("reporters", "journalists", "lawmakers", "parliament")

// outlets are the words naming a medium a statement is made to: "told Iranian state
// television", "told state broadcaster IRIB".
var outlets = setOf("television", "tv", "broadcaster", "radio", "newspaper", "interviewer", "channel", "agency")

// determiners before a verb's participle make it an adjective: "the bombed sites",
// "Iran's bombed facilities", "three bombed sites".
var determiners = setOf("the", "a", "an", "its", "their", "his", "her", "our", "s", "these", "those", "two", "three", "four")

// possessive reports whether the "s" at at is the possessive's, after an apostrophe.
func possessive(runes []rune, at int) bool {
	return at > 0 && (runes[at-1] == '\'' || runes[at-1] == '’')
}

// verbNames name the event a verb reports where its kind's noun (verbNouns) does not.
var verbNames = map[string]string{"seized": "seizure", "seizes": "seizure", "visited": "visit", "arrived": "arrival", "spoke": "call",
	"signs": "agreement", "trigger": "trigger", "triggers": "trigger", "imposes": "sanctions", "reimposes": "reimposition",
	"suspends": "suspension", "confront": "confrontation", "confronts": "confrontation", "visits": "visit", "arrives": "arrival",
	"crack": "crackdown", "cracked": "crackdown", "cracks": "crackdown",
	"sent": "deployment", "deployed": "deployment", "dispatched": "deployment", "sends": "deployment", "deploys": "deployment", "built": "buildup", "building": "buildup",
	"speaking": "call", "called": "call", "briefed": "call", "received": "meeting", "suspended": "suspension", "reimposed": "reimposition", "signed": "agreement", "triggered": "trigger", "imposed": "sanctions", "voted": "vote",
	"withdrew": "withdrawal", "declined": "refusal", "passed": "law", "restored": "restoration", "left": "departure"}

// verbNouns name the event a verb reports, for its proposed name.
var verbNouns = map[domain.EventKind]string{
	domain.EventNegotiation: "meeting", domain.EventMilitaryStrike: "strike", domain.EventShootdown: "shootdown",
	domain.EventStatement: "statement", domain.EventOther: "event", domain.EventDeployment: "deployment",
}

// sameDay is the negotiation of events on e's day, nil for none: talks and a round
// reported on one day are one meeting, unless both are numbered and differently.
func sameDay(events []*newEvent, e *newEvent) *newEvent {
	for _, o := range events {
		if o.kind == e.kind && o.precision == e.precision && o.at.Equal(e.at) && (o.ordinal == 0 || e.ordinal == 0 || o.ordinal == e.ordinal) &&
			o.technical() == e.technical() {
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
	agents    []string // the known actors named right before a word of it: "U.S. strikes", "Iran's missile attack"
	sameAs    []string // the known events it may be (linkEvents)
	noun      string   // what the text calls it first: "interview", "explosion"
	words     []string // the folded words of what the text calls it, all its spans'
	spans     []domain.TextRange
	verbs     map[domain.TextRange]bool // the spans that are verbs ("met", "struck"), not nouns
	context   []string                  // the other words of its phrase: "military" in "military buildup", "action" in "threats of military action"
	partOf    []domain.Entity           // the known series of such events its date falls in (linkEvents)
	// linkOnly marks a report too vague to propose ("Israel struck", "the talks" with
	// nothing to date them): it only links to a known event its words tell.
	linkOnly bool
	next     bool // the talks to come, undated: "agreed to meet again", "a new round"
	// during is the event its paragraph opened with "During … ," ("During the 12-day
	// war, Iran fired missiles"), whose time is its own when the text gives it none;
	// linked is the known event linkEvents links it to.
	during *frame
	linked *domain.Event
}

// technical reports whether e is talks of experts ("the expert-level talks", "technical
// talks"), held beside the day's round and part of it rather than it.
func (e *newEvent) technical() bool {
	return slices.ContainsFunc(slices.Concat(e.context, e.words), func(w string) bool { return technicalWords[w] })
}

// technicalWords qualify talks as their experts'.
var technicalWords = setOf("expert", "experts", "expert-level", "technical", "working-level")

// frame is the event a paragraph opens "During … ," with: a known event its words name,
// or a report linkEvents may link to one.
type frame struct {
	known *domain.Event
	event *newEvent
}

// time is the frame's date, when the graph dates the known event it is or is linked to;
// false for none, and for no frame (a nil f).
func (f *frame) time() (time.Time, domain.Precision, bool) {
	if f == nil {
		return time.Time{}, "", false
	}
	ev := f.known
	if ev == nil {
		ev = f.event.linked
	}
	if ev == nil || ev.Start == nil || ev.Precision == domain.PrecisionUnknown {
		return time.Time{}, "", false
	}
	return *ev.Start, ev.Precision, true
}

// key is what two reports of one event share.
func (e *newEvent) key() string {
	if e.next {
		return "next round"
	}
	if e.ordinal > 0 {
		return fmt.Sprintf("round %d", e.ordinal)
	}
	key := fmt.Sprintf("%s %s %s %s", e.kind, e.precision, e.at.Format("2006-01-02"), e.speaker)
	if e.kind == domain.EventMilitaryStrike {
		key += " " + strings.Join(e.agents, " ") // Israel's strikes in June are not the U.S.'s
	}
	if e.kind == domain.EventOther || e.kind == domain.EventDeployment {
		key += " " + cmp.Or(synonyms[e.noun], e.noun) // an arrival and a call on one day are two events
	}
	if e.linkOnly {
		key += " link"
	}
	if slices.Contains(e.words, "rounds") {
		key += " series" // "the five rounds" are not this round
	}
	return key
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
// it ("the third round"): reports of one kind and day (and, for a statement, speaker;
// for a strike, who struck; for OTHER, its noun) are one event. An undated noun refers
// back: to the article's main event of its kind (the first reported, not after
// publication), or to the known event of that kind the article names; otherwise, for a
// noun that names one by itself ("interview", "explosion"), a new event of unknown date.
// An undated verb ("Israel struck"), "talks" with nothing to date them, and "the five
// rounds" are linkOnly: linkEvents links them to a known event or drops them. It returns
// the new events, and the mentions of known events the words referring back make.
func articleEvents(runes []rune, sents []domain.TextRange, named []mention, skip []domain.TextRange, published time.Time) ([]*newEvent, []mention) {
	var out []*newEvent
	byKey := map[string]*newEvent{}
	var links []mention
	var known []*domain.Event // the known events the article names, first named first
	for _, m := range named {
		if ev, ok := m.entity.(*domain.Event); ok && !domain.IsProposalID(ev.ID) && !slices.Contains(known, ev) {
			known = append(known, ev)
		}
	}
	covered := func(start, end int) bool {
		return slices.ContainsFunc(named, func(m mention) bool { return m.start < end && start < m.end }) ||
			slices.ContainsFunc(skip, func(r domain.TextRange) bool { return r.Start <= start && start < r.End })
	}
	quoted := quotedRanges(runes)
	var storyDay, paragraphDay *dateRef // the day the article's head tells of, the last day its paragraph gave
	var lastDay *dateRef                // the last day the text gave
	var written *dateRef                // the last day the text wrote with its year, or one carried from it
	type framed struct {
		from, to int // the paragraph after the frame's phrase
		during   *frame
	}
	var frames []framed
	for k, s := range sents {
		words := wordsIn(runes, s)
		dates := datesIn(runes, words, published)
		if lastDay != nil {
			dates = append(dates, daysAfter(words, *lastDay)...)
		}
		if k > 0 && strings.Contains(string(runes[sents[k-1].End:s.Start]), "\n") {
			paragraphDay = nil
		}
		if k > 0 && blankLine.MatchString(string(runes[sents[k-1].End:s.Start])) {
			written = nil // a list's years run on, a paragraph's end
		}
		written = yearsCarried(dates, written)
		for i := 0; i < len(words); i++ {
			w, at := words[i], i
			if w.w == "called" && i > 0 && words[i-1].w == "so" && words[i-1].end == w.start-1 && runes[w.start-1] == '-' {
				continue // "the so-called E3" names, nobody calls
			}
			if w.w == "left" && !leftPlace(runes, words, i, named) {
				continue // "before the delegations left", "little time left": a departure only from a place
			}
			if (w.w == "strike" || w.w == "attack") && i+1 < len(words) && (words[i+1].w == "group" || words[i+1].w == "groups" || words[i+1].w == "aircraft") {
				continue // "the USS Abraham Lincoln strike group", "attack aircraft": forces, not acts
			}
			if n := inForce(words, i); n > 0 {
				// "the U.N. sanctions came back into force": the phrase reports the event its
				// subject, just before it, names
				if k := slices.IndexFunc(out, func(e *newEvent) bool {
					last := e.spans[len(e.spans)-1]
					return last.End <= w.start && last.Start >= s.Start && w.start-last.End <= 2
				}); k >= 0 {
					out[k].spans = append(out[k].spans, domain.TextRange{Start: w.start, End: words[i+n-1].end})
				}
				i += n - 1
				continue
			}
			if w.w == "incident" && i > 0 && (words[i-1].w == "the" || words[i-1].w == "that" || words[i-1].w == "this") {
				if last := lastAct(runes, out, w.start); last != nil {
					// "the incident": the act reported last; not "the drone incident", which
					// may be another
					last.spans = append(last.spans, domain.TextRange{Start: w.start, End: w.end})
					last.words = append(last.words, w.w)
				}
				continue
			}
			kind, noun := eventNouns[w.w], true
			if kind != "" && i >= 2 && words[i-2].w == "that" && slices.ContainsFunc(named, func(m mention) bool {
				return m.start == words[i-1].start && m.end == words[i-1].end && m.entity.NodeKind() == domain.KindActor
			}) {
				continue // "demanding that Iran report on the stockpile": a verb, its subject before it
			}
			start, end := w.start, w.end
			ordinal := 0
			if n, ok := ordinals[w.w]; ok && i+1 < len(words) && (words[i+1].w == "round" || words[i+1].w == "rounds") {
				kind, ordinal, end = domain.EventNegotiation, n, words[i+1].end
				i++
				if i+2 < len(words) && words[i+1].w == "of" && eventNouns[words[i+2].w] == domain.EventNegotiation {
					end = words[i+2].end // "first round of talks" is one report
					i += 2
				}
			} else if n, ok := ordinals[w.w]; ok && i+2 < len(words) && words[i+1].w == "of" && words[i+2].w == "them" && k > 0 &&
				slices.ContainsFunc(wordsIn(runes, sents[k-1]), func(p sentenceWord) bool { return p.w == "rounds" }) {
				kind, ordinal, end = domain.EventNegotiation, n, words[i+2].end // "the earlier rounds of talks … The first of them took place in Muscat"
				i += 2
			} else if (w.w == "news" || w.w == "press") && i+1 < len(words) && words[i+1].w == "conference" {
				kind, end = domain.EventStatement, words[i+1].end
				i++
			} else if (w.w == "crack" || w.w == "cracked" || w.w == "cracks") && i+1 < len(words) && words[i+1].w == "down" {
				kind, noun, end = domain.EventCrackdown, false, words[i+1].end // "security forces crack down"
				i++
			} else if w.w == "shot" && i+1 < len(words) && words[i+1].w == "down" {
				kind, noun, end = domain.EventShootdown, false, words[i+1].end
				i++
			} else if w.w == "build" && i+1 < len(words) && words[i+1].w == "up" {
				kind, end = domain.EventDeployment, words[i+1].end // "military build-up"; not "a stockpile built up"
				i++
			} else if (w.w == "built" || w.w == "building") && i+1 < len(words) && words[i+1].w == "up" && militaryNear(words, i+1) {
				kind, noun, end = domain.EventDeployment, false, words[i+1].end // "built up its forces"
				i++
			} else if w.w == "presence" && i > 0 && (words[i-1].w == "military" || words[i-1].w == "naval") {
				kind = domain.EventDeployment // "its military presence in the region"
			} else if deployVerbs[w.w] && militaryNear(words, i) {
				kind, noun = domain.EventDeployment, false // "the carrier was sent to the region"; not "sent a letter"
			} else if kind == "" && !(i > 0 && determiners[words[i-1].w] && (words[i-1].w != "s" || possessive(runes, words[i-1].start))) { // "the bombed sites" is no bombing
				kind, noun = eventVerbs[w.w], false
				switch {
				case speakingWords[w.w] && toAudience(words, i):
					kind = domain.EventStatement // "speaking to reporters"
				case speakingWords[w.w] && !slices.ContainsFunc(words[i+1:min(len(words), i+7)], func(n sentenceWord) bool { return n.w == "phone" || n.w == "with" }):
					kind = "" // "spoke by phone", "spoke with", but not "spoke to reporters" nor "on condition of anonymity"
				case w.w == "briefed" && !slices.ContainsFunc(words[i+1:min(len(words), i+12)], func(n sentenceWord) bool { return n.w == "phone" }):
					kind = "" // "briefed Oman's foreign minister by phone" is a call; a briefing otherwise is not one
				case (w.w == "called" || w.w == "received") && !actorNext(words, i+1, named):
					kind = "" // "called Araghchi", "received Larijani", "called Sheikh Mohammed", but not "called for restraint" nor "received a letter"
				}
			}
			if kind == "" || covered(start, end) || w.w == "post" && !(i+1 < len(words) && words[i+1].w == "on") {
				continue // a post is a statement "on X", not "the security post"
			}
			if threatWords[w.w] && slices.ContainsFunc(quoted, func(r domain.TextRange) bool { return r.Start <= start && start < r.End }) {
				continue // "under the shadow of threats," a speaker's words, not threats the article reports
			}
			if kind == domain.EventOther && speakingWords[w.w] && i+2 < len(words) && words[i+1].w == "by" && words[i+2].w == "phone" {
				end = words[i+2].end // "spoke by phone": the call's one report
			}
			if kind == domain.EventNegotiation && noun && slices.ContainsFunc(words[max(0, i-3):i], func(b sentenceWord) bool { return sittingBodies[b.w] }) {
				kind = domain.EventOther // "the board meeting", "the Board of Governors, meeting in Vienna": a body sits, no one negotiates
			}
			object := "" // "triggered the snapback": the act and its object are one event, the object's
			if k := slices.IndexFunc(words[i+1:min(len(words), i+4)], func(n sentenceWord) bool { return eventNouns[n.w] == kind }); !noun && kind == domain.EventOther && k >= 0 {
				object = words[i+1+k].w
			}
			date, dated := nearestDate(runes, eligible(runes, dates, kind, start, end, s, words, named), start, end)
			if head, ok := itemDate(runes, s, dates); ok && !timeReference(runes, mention{start: start, end: end}) &&
				!(dated && date.precision == domain.PrecisionDay && date.start >= end && date.start-end <= 25 && !date.at.Equal(head.at)) { // "- June 13: …; a sixth round set for June 15"
				date, dated = head, true // "- Aug. 28: Britain, France and Germany triggered the snapback"
			}
			if day := cmp.Or(paragraphDay, storyDay); !dated && day != nil && hoursFrom(words, at) {
				date, dated = *day, true // "The round opened hours after a huge explosion": the day the paragraph tells of
			}
			switch {
			case sayVerbs[w.w] && (!dated || date.start-end > 20 || date.start < end && !openingDate(runes, date, start)) && !toAudience(words, i) && !titledSpeaker(runes, named, s, start):
				continue // "said" without "on Tuesday" right after it, nor to whom ("told reporters", "wrote on X")
			case !dated && ordinal == 0 && datedNouns[w.w]:
				continue
			case dealNouns[w.w] && (aboutEvent(words, i) || !(date.end <= start && start-date.end <= 16 || date.start >= end && date.start-end <= 40) && !signedAfter(words, i)):
				continue // "the 2015 nuclear deal", "an agreement in Cairo on Tuesday", not "a deal" in a sentence dated otherwise
			}
			e := &newEvent{kind: kind, ordinal: ordinal, noun: strings.ToLower(string(runes[start:end])), precision: domain.PrecisionUnknown}
			if !noun {
				e.noun = cmp.Or(object, verbNames[w.w], verbNouns[kind])
				if kind == domain.EventStatement && speakingWords[w.w] {
					e.noun = verbNouns[kind] // "speaking to reporters" is a statement, not the call speaking by phone is
				}
			}
			if dated {
				e.at, e.precision = date.at, date.precision
			}
			if kind == domain.EventStatement && dated && date.start > reported(words, i) {
				dated = false // "said the Sultanate remained committed to the dialogue it hosted last month": what was said is dated, not the saying
			}
			if kind == domain.EventStatement {
				e.speaker = speakerOf(runes, named, s, start)
				switch {
				case !dated && threatWords[w.w] && (e.speaker == "" || noun):
					// "The President has repeatedly threatened military action", "under
					// the shadow of threats": threats made again and again, a campaign the
					// graph may hold rather than one statement, and not the speaker's.
					e.linkOnly = true
				case e.speaker == "" && (!dated || !noun):
					continue // "said in a statement", "said on Tuesday": by whom, the text must say
				}
				if !dated && !published.IsZero() && !e.linkOnly {
					// "Oman said in a statement": what an article reports its speaker saying
					// without a day, the speaker said the day the paragraph is telling of
					// ("Baqaei went further on Monday. … Baqaei told his weekly news
					// conference"), else the day its head tells of, else the day it was
					// published.
					e.at, e.precision, dated = published.UTC().Truncate(24*time.Hour), domain.PrecisionDay, true
					if day := cmp.Or(paragraphDay, storyDay); day != nil {
						e.at = day.at
					}
					for _, d := range dates {
						// "said in a statement that its forces had intercepted the tanker early
						// on Thursday": no one reports what has not yet happened
						if d.precision == domain.PrecisionDay && d.start > reported(words, i) && d.at.After(e.at) && !d.at.After(published) {
							e.at = d.at
						}
					}
				}
			}
			if e.linkOnly {
			} else if !dated && kind == domain.EventNegotiation && (upcoming(words, i, noun) || ordinal == 2 && at > 0 && words[at-1].w == "a") {
				e.next, e.noun, e.ordinal = true, "next round of talks", 0 // "agreed to meet again", "a date for a new round": the next, whichever it is
			} else if !dated && ordinal == 0 && another(words, i) {
				continue // "a second meeting": a meeting, but which one the text does not say
			}
			e.agents = agentsOf(runes, named, s, start)
			if e.next || e.linkOnly {
			} else if !dated && ordinal == 0 && !noun && object == "" || ordinal == 0 && w.w == "rounds" {
				// "Israel struck", "threatened military action", "the five rounds": a known
				// event (a series for rounds), or nothing to propose; but an act with its
				// object ("passed a law") names an event of its own.
				e.linkOnly = true
			} else if !dated && ordinal == 0 {
				place := cmp.Or(placeOf(runes, named, s, end, kind), placeBefore(runes, named, start))
				if main := mainEvent(out, kind, e.noun, published, start); main != nil && !(kind == domain.EventStatement && e.speaker != "" && e.speaker != main.speaker) &&
					!(place != "" && main.place != "" && place != main.place) && // "talks" in Vienna are not the agreement signed in Cairo
					!(kind == domain.EventMilitaryStrike && len(e.agents) > 0 && len(main.agents) > 0 && !slices.ContainsFunc(e.agents, func(a string) bool { return slices.Contains(main.agents, a) })) {
					main.spans = append(main.spans, domain.TextRange{Start: start, End: end})
					domain.EachWord(string(runes[start:end]), func(w string, _, _ int) { main.words = append(main.words, w) })
					continue
				}
				if k := knownOf(known, kind, e.noun); k != nil {
					links = append(links, mention{k, start, end})
					continue
				}
				// "Talks" alone, with nothing to date or number them: the talks the graph
				// holds that the words tell, or nothing.
				e.linkOnly = kind == domain.EventNegotiation || kind == domain.EventWar
			}
			within := s // where a place after the event's word is its place
			if kind == domain.EventStatement {
				// where it was said, not a place of what was said: "told his weekly news
				// conference in Tehran", not "said the network, run through front companies
				// in Hong Kong"
				within.End = min(s.End, reported(words, i))
				if k := slices.IndexFunc(runes[end:within.End], func(r rune) bool { return r == ',' || r == ';' }); k >= 0 {
					within.End = end + k
				}
			}
			e.place = cmp.Or(placeOf(runes, named, within, end, kind), placeBefore(runes, named, start))
			e.actors = actorsIn(named, s)
			domain.EachWord(string(runes[start:end]), func(w string, _, _ int) { e.words = append(e.words, w) })
			e.context = phraseContext(words, i-len(e.words)+1, i, !noun)
			if kind == domain.EventDeployment && len(e.words) == 2 {
				e.words = append(e.words, "buildup") // "build-up" is a buildup
			}
			old := byKey[e.key()]
			if old != nil && old.technical() != e.technical() {
				old = nil // the experts' talks beside the round, or the round beside them
			}
			if old != nil || kind == domain.EventNegotiation && dated && e.precision == domain.PrecisionDay && sameDay(out, e) != nil {
				if old == nil {
					old = sameDay(out, e)
				}
				if old.ordinal == 0 && !old.next {
					old.ordinal = ordinal // "last met in Rome a week ago, … the second round": the day's meeting is the round
					byKey[old.key()] = old
				}
				old.words = append(old.words, e.words...)
				old.spans = append(old.spans, domain.TextRange{Start: start, End: end})
				if !noun {
					old.verbs[domain.TextRange{Start: start, End: end}] = true
				}
				old.actors = append(old.actors, e.actors...)
				old.agents = append(old.agents, e.agents...)
				old.context = append(old.context, e.context...)
				if old.precision == domain.PrecisionUnknown && dated {
					old.at, old.precision = e.at, e.precision
				}
				continue
			}
			e.spans = []domain.TextRange{{Start: start, End: end}}
			e.verbs = map[domain.TextRange]bool{}
			if !noun {
				e.verbs[e.spans[0]] = true
			}
			byKey[e.key()] = e
			out = append(out, e)
		}
		for _, d := range dates {
			if d.precision == domain.PrecisionDay && !d.at.After(published) {
				paragraphDay, lastDay = &d, &d
				if storyDay == nil && k < leadSentences {
					storyDay = &d
				}
			}
		}
		if f, at, ok := openingDuring(runes, s, out, links); ok {
			to := slices.Index(runes[s.End:], '\n')
			if to < 0 {
				to = len(runes) - s.End
			}
			frames = append(frames, framed{at, s.End + to, f})
		}
	}
	for _, e := range out {
		returnOf(runes, e)
		for _, f := range frames {
			if e.precision == domain.PrecisionUnknown && e.spans[0].Start >= f.from && e.spans[0].Start < f.to && e != f.during.event {
				e.during = f.during
			}
		}
	}
	return foldNextRound(out, published), links
}

// returnOf adds to e's spans the noun right before one of them that names its coming
// back: "the return of U.N. sanctions", "the reinstatement of the sanctions".
func returnOf(runes []rune, e *newEvent) {
	for _, sp := range e.spans {
		from := max(0, sp.Start-40)
		before := string(runes[from:sp.Start])
		if m := returnBefore.FindStringSubmatchIndex(before); m != nil {
			start := from + utf8.RuneCountInString(before[:m[2]]) // m holds byte offsets into before
			e.spans = append(e.spans, domain.TextRange{Start: start, End: start + utf8.RuneCountInString(before[m[2]:m[3]])})
		}
	}
	slices.SortFunc(e.spans, func(a, b domain.TextRange) int { return cmp.Compare(a.Start, b.Start) })
}

// returnBefore is what stands before an event's word naming its coming back.
var returnBefore = regexp.MustCompile(`\b(return|reinstatement|restoration|reimposition)\s+of\s+(?:the\s+)?(?:[A-Z][A-Za-z.]*\s+)?$`)

// openingDuring is the frame a sentence opening "During … ," names before its comma,
// and where that comma is: a known event linked there, or a report of one.
func openingDuring(runes []rune, s domain.TextRange, out []*newEvent, links []mention) (*frame, int, bool) {
	comma := slices.Index(runes[s.Start:s.End], ',')
	if !strings.HasPrefix(string(runes[s.Start:s.End]), "During ") || comma < 0 {
		return nil, 0, false
	}
	comma += s.Start
	for _, l := range links {
		if ev, ok := l.entity.(*domain.Event); ok && l.start > s.Start && l.end <= comma {
			return &frame{known: ev}, comma, true
		}
	}
	for _, e := range out {
		if slices.ContainsFunc(e.spans, func(r domain.TextRange) bool { return r.Start > s.Start && r.End <= comma }) {
			return &frame{event: e}, comma, true
		}
	}
	return nil, 0, false
}

// foldUndated folds a new event reported undated (a head's "Trump announces
// Israel-Iran ceasefire"), and not linked to a known one, into the one new event of its
// kind and noun the article dates ("A ceasefire between Israel and Iran took hold on
// Tuesday"): told before its day was, it is that event. Talks and statements, which an
// article reports many of, are left as they are.
func foldUndated(events []*newEvent) []*newEvent {
	group := func(e *newEvent) string { return cmp.Or(synonyms[e.noun], e.noun) }
	return slices.DeleteFunc(events, func(e *newEvent) bool {
		if e.precision != domain.PrecisionUnknown || e.next || e.linkOnly || e.ordinal > 0 || e.kind == domain.EventNegotiation || e.kind == domain.EventStatement {
			return false
		}
		var dated []*newEvent
		for _, o := range events {
			if o.kind == e.kind && o.precision != domain.PrecisionUnknown && group(o) == group(e) {
				dated = append(dated, o)
			}
		}
		if len(dated) != 1 {
			return false
		}
		dated[0].absorb(e)
		return true
	})
}

// signedAfter reports whether the deal named by words[i] is the object of a signing
// its relative clause reports, which dates it: "An arrangement on renewed inspections
// that Araghchi and Grossi signed in Cairo in September".
func signedAfter(words []sentenceWord, i int) bool {
	for k := i + 1; k < min(len(words), i+6); k++ {
		if words[k].w == "that" || words[k].w == "which" {
			return slices.ContainsFunc(words[k+1:min(len(words), k+8)], func(w sentenceWord) bool { return signingVerbs[w.w] })
		}
	}
	return false
}

// signingVerbs conclude a deal.
var signingVerbs = setOf("signed", "reached", "concluded", "struck", "agreed")

// inForce is the number of words of a phrase at words[i] saying that something took
// effect ("came back into force", "took effect", "entered into force") or was done
// ("are reimposed"), 0 for none.
func inForce(words []sentenceWord, i int) int {
	at := func(k int) string {
		if i+k < len(words) {
			return words[i+k].w
		}
		return ""
	}
	switch at(0) {
	case "came", "come", "comes", "coming", "entered", "enter", "enters":
		n := 1
		if at(n) == "back" {
			n++
		}
		if at(n) == "into" && at(n+1) == "force" {
			return n + 2
		}
	case "took", "take", "takes", "taking":
		if at(1) == "effect" {
			return 2
		}
	case "is", "are", "was", "were":
		if eventVerbs[at(1)] == domain.EventOther && verbNames[at(1)] != "" {
			return 2 // "The sanctions are reimposed": what its subject names happens
		}
	}
	return 0
}

// leftPlace reports whether "left" at words[i] leaves a place: a place's name right
// after it ("left Tehran") or "the country", "the region".
func leftPlace(runes []rune, words []sentenceWord, i int, named []mention) bool {
	if inPicture(runes, words[i]) {
		return false
	}
	if i+2 < len(words) && words[i+1].w == "the" && (words[i+2].w == "country" || words[i+2].w == "region") {
		return true
	}
	return slices.ContainsFunc(named, func(m mention) bool {
		_, ok := m.entity.(*domain.Place)
		return ok && m.start > words[i].end && m.start-words[i].end <= 5
	})
}

// actorNext reports whether an actor's name begins at words[i], past up to three
// words of a title ("Sheikh Mohammed", "U.S. special envoy Steve Witkoff").
func actorNext(words []sentenceWord, i int, named []mention) bool {
	for k := i; k < min(len(words), i+4); k++ {
		if slices.ContainsFunc(named, func(m mention) bool { return m.start == words[k].start && m.entity.NodeKind() == domain.KindActor }) {
			return true
		}
		if !personTitles[words[k].w] {
			return false
		}
	}
	return false
}

// inPicture reports whether w, set off by commas or brackets, says where someone stands
// in a caption's picture: "Abbas Araqchi, left, and Rafael Grossi", "(left)".
func inPicture(runes []rune, w sentenceWord) bool {
	at := trimSpaceBefore(runes, w.start)
	return at > 0 && (runes[at-1] == ',' || runes[at-1] == '(') && w.end < len(runes) && (runes[w.end] == ',' || runes[w.end] == ')')
}

// hoursFrom reports whether the event's word words[i] is hours from another event: "hours
// after" or "minutes before" within the four words before it ("hours after a huge
// explosion"), or the sentence's own "hours earlier" or "hours later" ("In a separate
// encounter hours earlier, Guards speedboats approached …").
func hoursFrom(words []sentenceWord, i int) bool {
	short := func(k int) bool { return words[k].w == "hours" || words[k].w == "minutes" }
	for k := max(1, i-4); k < i; k++ {
		if (words[k].w == "after" || words[k].w == "before") && short(k-1) {
			return true
		}
	}
	for k := 1; k < len(words); k++ {
		if (words[k].w == "earlier" || words[k].w == "later") && short(k-1) {
			return true
		}
	}
	return false
}

// lastAct is the event of events, neither talks nor a statement, reported last before
// at, not only to date something by ("five weeks after a drone was shot down"); nil for
// none.
func lastAct(runes []rune, events []*newEvent, at int) *newEvent {
	var last *newEvent
	lastAt := -1
	for _, e := range events {
		if e.kind == domain.EventNegotiation || e.kind == domain.EventStatement {
			continue
		}
		for _, s := range e.spans {
			if s.Start < at && s.Start > lastAt && !timeReference(runes, mention{start: s.Start, end: s.End}) {
				last, lastAt = e, s.Start
			}
		}
	}
	return last
}

// foldNextRound folds the undated next round into the one meeting the article dates
// after its publication, which it is: "agree to meet again next week" in the head is
// "We agreed to meet again next Saturday" in the text.
func foldNextRound(events []*newEvent, published time.Time) []*newEvent {
	next := slices.IndexFunc(events, func(e *newEvent) bool { return e.next })
	if next < 0 || published.IsZero() {
		return events
	}
	var ahead []*newEvent
	for _, e := range events {
		if toCome(e, published) && !e.next {
			ahead = append(ahead, e)
		}
	}
	if len(ahead) != 1 {
		return events
	}
	ahead[0].absorb(events[next])
	return slices.Delete(events, next, next+1)
}

// absorb makes the reports of o reports of e: o's spans, in text order with e's, and
// the words, actors, agents and context they gave.
func (e *newEvent) absorb(o *newEvent) {
	e.spans = append(e.spans, o.spans...)
	slices.SortFunc(e.spans, func(a, b domain.TextRange) int { return cmp.Compare(a.Start, b.Start) })
	maps.Copy(e.verbs, o.verbs)
	e.words = append(e.words, o.words...)
	e.actors = append(e.actors, o.actors...)
	e.agents = append(e.agents, o.agents...)
	e.context = append(e.context, o.context...)
}

// toCome reports whether e is talks still to come when the article was published: the
// undated next round, or a meeting dated to a day after publication.
func toCome(e *newEvent, published time.Time) bool {
	return e.next || e.kind == domain.EventNegotiation && e.precision == domain.PrecisionDay && !published.IsZero() && e.at.After(published)
}

// phraseContext are the words of the phrase around the event's words [from, to] of
// words: up to two before it ("military buildup", "U.S. threats") and up to three after
// a verb ("threatened military action") or, after "of", "against" or "on", a noun
// ("threats of military action"); stop words and other events' words end it.
func phraseContext(words []sentenceWord, from, to int, verb bool) []string {
	var out []string
	content := func(w sentenceWord) bool {
		return !stopWords[w.w] && eventNouns[w.w] == "" && eventVerbs[w.w] == "" && len(w.w) > 2
	}
	for j := from - 1; j >= max(0, from-2) && content(words[j]) && words[j+1].start-words[j].end <= 2; j-- {
		out = append(out, words[j].w)
	}
	after := to + 1
	if !verb && after < len(words) && (words[after].w == "of" || words[after].w == "against" || words[after].w == "on") {
		after++
	} else if !verb {
		return out
	}
	for j := after; j < min(len(words), after+3) && content(words[j]); j++ {
		out = append(out, words[j].w)
	}
	return out
}

// anotherWords, before an event's noun, make it another event than the one the article
// reports: "the earlier rounds of talks", "a second meeting", "later talks".
var anotherWords = setOf("earlier", "previous", "past", "prior", "next", "further", "later", "future", "another", "new", "fresh", "more",
	"second", "third", "fourth", "fifth", "sixth", "last")

// blankLine is a paragraph's end: an empty line between two.
var blankLine = regexp.MustCompile(`\n\s*\n`)

// deployVerbs send forces somewhere, when forces are what they send (militaryNear).
var deployVerbs = setOf("sent", "deployed", "dispatched", "sends", "deploys")

// militaryForces name what a deployment moves, a warship's prefix among them.
var militaryForces = setOf("carrier", "forces", "troops", "warships", "ships", "destroyer", "destroyers", "bombers", "jets",
	"aircraft", "fleet", "strike", "squadron", "battalion", "marines", "submarine", "uss", "hms")

// militaryNear reports whether a word naming forces stands within four words of
// words[i]: "the carrier was sent", "sent two destroyers".
func militaryNear(words []sentenceWord, i int) bool {
	return slices.ContainsFunc(words[max(0, i-4):min(len(words), i+5)], func(w sentenceWord) bool { return militaryForces[w.w] })
}

// threatWords name threats, which are made again and again.
var threatWords = setOf("threatened", "threats", "threat", "warned", "warnings")

// sittingBodies are the bodies whose meetings are sittings rather than negotiations.
var sittingBodies = setOf("board", "governors", "council", "cabinet", "parliament", "assembly", "committee")

// upcoming reports whether the negotiation's word words[i] tells of the talks to come,
// with no date: "the next round", "further talks", "a new round", "a second meeting",
// "agreed to meet again" (but not "later met").
func upcoming(words []sentenceWord, i int, noun bool) bool {
	if !noun {
		return i+1 < len(words) && words[i+1].w == "again" && slices.ContainsFunc(words[max(0, i-3):i], func(w sentenceWord) bool { return futureWords[w.w] || w.w == "to" })
	}
	for j := max(0, i-2); j < i; j++ {
		if nextWords[words[j].w] || words[j].w == "new" && j == i-1 && (words[i].w == "round" || words[i].w == "rounds") {
			return true
		}
	}
	// "a second round", "a second meeting", with no date: the next one
	return i >= 2 && words[i-1].w == "second" && words[i-2].w == "a"
}

// nextWords before a negotiation's word make it the next one.
var nextWords = setOf("next", "further", "later", "future", "another")

// another reports whether one of the three words before words[i] is of anotherWords.
func another(words []sentenceWord, i int) bool {
	for j := max(0, i-3); j < i; j++ {
		if anotherWords[words[j].w] {
			return true
		}
	}
	return i+2 < len(words) && words[i+1].w == "of" && words[i+2].w == "last"
}

// eligible are the dates of the sentence s that may date the event word at [start,
// end) of kind: those with no word of another kind of event, nor a known event's
// mention, between them and it ("their first meeting since the war in June" dates the
// war, not the meeting), nor right before another kind's noun ("the seizure … since
// the Feb. 6 talks" dates the talks).
func eligible(runes []rune, dates []dateRef, kind domain.EventKind, start, end int, s domain.TextRange, words []sentenceWord, named []mention) []dateRef {
	var others, nouns []int // where another event's words stand; of them, its nouns
	for j, w := range words {
		if aboutEvent(words, j) && words[j-3].start == start {
			continue // "Grossi's report on the agreement on Wednesday": what the report is about, not another event between it and its day
		}
		if k := cmp.Or(eventNouns[w.w], eventVerbs[w.w]); k != "" && k != kind && (w.end <= start || w.start >= end) && !inPicture(runes, w) {
			others = append(others, w.start)
			if eventNouns[w.w] != "" {
				nouns = append(nouns, w.start)
			}
		}
	}
	for _, m := range named {
		if m.entity.NodeKind() == domain.KindEvent && m.start >= s.Start && m.end <= s.End && (m.end <= start || m.start >= end) {
			others = append(others, m.start)
		}
	}
	// "… on Wednesday, days after a fourth round of talks": an event after a word of
	// time is dated by what follows it, not by the clause it dates.
	after := -1 // where the word of time before the event ends: "nine months after Israeli and U.S. strikes"
	for _, w := range words {
		if w.end <= start && start-w.end <= 30 && temporalPrepositions[w.w] && !strings.ContainsAny(string(runes[w.end:start]), ",;:") {
			after = w.end
		}
	}
	superseded := func(d dateRef) bool { // "which had been scheduled for Wednesday, were held the same day"
		return formerPlan.MatchString(string(runes[max(s.Start, d.start-40):d.start])) && slices.ContainsFunc(dates, func(o dateRef) bool {
			return o.start >= s.Start && o.end <= s.End && o.start != d.start && !formerPlan.MatchString(string(runes[max(s.Start, o.start-40):o.start]))
		})
	}
	return slices.DeleteFunc(slices.Clone(dates), func(d dateRef) bool {
		lo, hi := min(d.start, start), max(d.end, end)
		counted := strings.HasSuffix(string(runes[d.start:d.end]), "after") || strings.HasSuffix(string(runes[d.start:d.end]), "before")
		return after >= 0 && d.end <= start && d.end != after || // "four days after" is the event's own date
			counted && start < d.end || // and not the date of what "came" four days after it
			superseded(d) || slices.ContainsFunc(others, func(at int) bool { return lo < at && at < hi }) ||
			slices.ContainsFunc(nouns, func(at int) bool { // "since the Feb. 6 talks", "last month's talks": the talks' date
				return at >= d.end && at-d.end <= 4 && strings.Trim(string(runes[d.end:at]), " '’s") == ""
			})
	})
}

// openingDate reports whether the date d opens the clause of the saying verb at start,
// its speaker alone between: "A day later, he wrote", "On Sunday, Albusaidi said".
func openingDate(runes []rune, d dateRef, start int) bool {
	return dateThenSpeaker.MatchString(string(runes[d.end:start]))
}

// dateThenSpeaker stands between a clause's opening date and its saying verb: a comma
// and the speaker, a pronoun or a name.
var dateThenSpeaker = regexp.MustCompile(`^, (he|she|they|[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3}) $`)

// formerPlan ends right before the day an event was once set for, which the sentence
// gives another day than: "which had been scheduled for ", "originally set for the ".
var formerPlan = regexp.MustCompile(`(?i)\b(?:had been|originally|initially|first)\s+(?:scheduled|set|planned|due)\s+(?:for|on)\s+(?:the\s+)?$`)

// daysAfter are the days a sentence counts from last, the day the text told of last:
// "the same day", "that evening", "the same evening" are it, "a day later", "two days
// later" the days after it.
func daysAfter(words []sentenceWord, last dateRef) []dateRef {
	var out []dateRef
	for i := 1; i < len(words); i++ {
		switch {
		case (words[i].w == "day" || words[i].w == "evening" || words[i].w == "night" || words[i].w == "morning") &&
			(words[i-1].w == "that" || words[i-1].w == "same" && i >= 2 && words[i-2].w == "the"):
			from := i - 1
			if words[i-1].w == "same" {
				from--
			}
			out = append(out, dateRef{words[from].start, words[i].end, last.at, domain.PrecisionDay, false, false})
		case (words[i].w == "after" || words[i].w == "before") && i >= 3 && (words[i-1].w == "day" || words[i-1].w == "days") && counts[words[i-2].w] > 0 &&
			cameWords[words[i-3].w]:
			// "The two steps came four days after Araghchi and Witkoff held their fourth
			// round": what follows is that many days from the day told of last
			n := counts[words[i-2].w]
			if words[i].w == "after" {
				n = -n
			}
			out = append(out, dateRef{words[i-2].start, words[i].end, last.at.AddDate(0, 0, n), domain.PrecisionDay, false, false})
		case words[i].w == "later" && i >= 2 && (words[i-1].w == "day" || words[i-1].w == "days") && counts[words[i-2].w] > 0:
			out = append(out, dateRef{words[i-2].start, words[i].end, last.at.AddDate(0, 0, counts[words[i-2].w]), domain.PrecisionDay, false, false})
		}
	}
	return out
}

// cameWords tell that what the sentence opens with happened some days from another
// event: "came four days after".
var cameWords = setOf("came", "comes", "come", "coming")

// aboutEvent reports whether words[i] is what the event noun before it is about: "the
// agreement" of "Grossi's report on the agreement".
func aboutEvent(words []sentenceWord, i int) bool {
	return i >= 3 && words[i-1].w == "the" && (words[i-2].w == "on" || words[i-2].w == "about") && eventNouns[words[i-3].w] != ""
}

// nearestDate is the date of dates nearest [start, end), or the first of two joined by
// "and" ("on the nights of Jan. 8 and Jan. 9").
func nearestDate(runes []rune, dates []dateRef, start, end int) (dateRef, bool) {
	best, found := dateRef{}, false
	distance := func(d dateRef) int { return min(abs(d.start-end), abs(start-d.end)) }
	for _, d := range dates {
		if !found || distance(d) < distance(best) {
			best, found = d, true
		}
	}
	for _, d := range dates {
		if d.end < best.start && strings.TrimSpace(string(runes[d.end:best.start])) == "and" {
			best = d // "on the nights of Jan. 8 and Jan. 9": it began on the first
		}
	}
	return best, found
}

// knownOf is the known event of kind among known that an undated noun refers back to:
// the first named; of the kinds OTHER and DEPLOYMENT, the first whose names hold the
// noun or its synonym ("its military buildup" is not the carrier's deployment named
// after it); nil for none.
func knownOf(known []*domain.Event, kind domain.EventKind, noun string) domain.Entity {
	for _, ev := range known {
		if ev.Kind != kind {
			continue
		}
		if kind != domain.EventOther && kind != domain.EventDeployment {
			return ev
		}
		for _, name := range domain.Names(ev) {
			for _, w := range strings.Fields(domain.Normalize(name)) {
				if cmp.Or(synonyms[w], w) == cmp.Or(synonyms[noun], noun) {
					return ev
				}
			}
		}
	}
	return nil
}

// mainEvent is the first of events of kind that is not after published, nil for none;
// of the kinds OTHER and DEPLOYMENT, the first called by noun or its synonym: a
// ceasefire is not a seizure, nor a carrier's deployment the buildup it is part of. Of
// strikes, which a story tells several of, it is the one reported last before at: "U.S.
// strikes and Iran's missile attack on Qatar base. … Iran gave advance notice of the
// attack".
func mainEvent(events []*newEvent, kind domain.EventKind, noun string, published time.Time, at int) *newEvent {
	var main *newEvent
	last := -1 // where main was last reported
	for _, e := range events {
		if e.kind == kind && (kind != domain.EventOther && kind != domain.EventDeployment || cmp.Or(synonyms[e.noun], e.noun) == cmp.Or(synonyms[noun], noun)) &&
			(e.precision == domain.PrecisionUnknown || published.IsZero() || !e.at.After(published)) {
			if kind != domain.EventMilitaryStrike {
				return e
			}
			for _, s := range e.spans {
				if s.Start < at && s.Start > last {
					main, last = e, s.Start
				}
			}
		}
	}
	return main
}

// speakerOf is the name of the actor the sentence names last before at that may speak
// (mayspeak), else of the first after it saying something ("In a statement, Oman
// said"); "" for none.
func speakerOf(runes []rune, named []mention, s domain.TextRange, at int) string {
	var in []mention // the sentence's mentions
	for _, m := range named {
		if m.start >= s.Start && m.end <= s.End {
			in = append(in, m)
		}
	}
	name := ""
	for _, m := range in {
		if m.end+3 == at && m.entity.NodeKind() == domain.KindActor && possessor(runes, m) {
			return m.entity.Base().Name // "Grossi's report"
		}
		if m.end <= at && m.entity.NodeKind() == domain.KindActor && mayspeak(runes, m, in) && !insideQuote(runes, s.Start, m.start) {
			name = m.entity.Base().Name
		}
	}
	if name != "" {
		return name
	}
	for _, m := range named { // "In a post on X, Al-Busaidi said"
		if m.start > at && m.end <= s.End && m.entity.NodeKind() == domain.KindActor && !isMedia(m.entity) {
			if next := strings.Fields(string(runes[m.end:min(s.End, m.end+12)])); len(next) > 0 && sayVerbs[strings.ToLower(strings.Trim(next[0], ".,"))] {
				return m.entity.Base().Name
			}
		}
	}
	return ""
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

// agentsOf are the ids of the known actors the sentence s names right before at, with
// at most two words between: "U.S. strikes", "Israeli attacks", "Iran's missile attack".
func agentsOf(runes []rune, named []mention, s domain.TextRange, at int) []string {
	var out []string
	for _, m := range named {
		if m.start < s.Start || m.end > at || m.entity.NodeKind() != domain.KindActor || domain.IsProposalID(m.entity.NodeID()) {
			continue
		}
		between := strings.TrimPrefix(strings.TrimPrefix(textAfter(runes, m, at), "'s"), "’s")
		if len(strings.Fields(between)) <= 2 && !strings.ContainsAny(between, ",;:.()\"“”") {
			out = append(out, m.entity.NodeID())
		}
	}
	return out
}

// inOrAt are the prepositions that put an event in a place: "talks in Muscat".
var inOrAt = setOf("in", "at")

// maxPlaceDistance bounds, in code points, how far after an event's word the place it
// happened in stands: "met envoys from Britain, France and Germany in Istanbul".
const maxPlaceDistance = 60

// placeOf is the name of the place the sentence names after from, after "in" or "at",
// with no word of another kind of event than kind between; "" for none.
func placeOf(runes []rune, named []mention, s domain.TextRange, from int, kind domain.EventKind) string {
	for _, m := range named {
		if m.start >= from && m.end <= s.End && m.entity.NodeKind() == domain.KindPlace && m.start-from <= maxPlaceDistance &&
			placeContext(runes, m.start, m.end, inOrAt) && !anotherEventWord(runes[from:m.start], kind) {
			return m.entity.Base().Name
		}
	}
	return ""
}

// placeBefore is the name of the place named right before an event's word at start,
// as its modifier ("the Muscat talks", "the Rome meeting"); "" for none.
func placeBefore(runes []rune, named []mention, start int) string {
	for _, m := range named {
		if m.entity.NodeKind() == domain.KindPlace && m.end == start-1 && runes[m.end] == ' ' {
			return m.entity.Base().Name
		}
	}
	return ""
}

// anotherEventWord reports whether text holds a word of an event of another kind than
// kind, not one a word of time dates by: the place after it is that event's ("During
// the 12-day war, Iran fired missiles at the Al Udeid air base").
func anotherEventWord(text []rune, kind domain.EventKind) bool {
	found := false
	var before []string // the words before, for a word of time: "since the June war in Oman" is no other event's place
	domain.EachWord(string(text), func(w string, start, end int) {
		k := cmp.Or(eventNouns[w], eventVerbs[w])
		found = found || k != "" && k != kind && !inPicture(text, sentenceWord{w: w, start: start, end: end}) &&
			!slices.ContainsFunc(before[max(0, len(before)-3):], func(b string) bool { return temporalPrepositions[b] })
		before = append(before, w)
	})
	return found
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
	words    map[string]bool        // the words of its names and aliases, normalized
	places   map[string]bool        // the places it is LOCATED_IN, and the places those are in
	parents  map[string][]string    // the places the article's and its places are LOCATED_IN, by place
	actors   map[string]domain.Role // the actors that PARTICIPATED_IN it, by their role
	reported time.Time              // when the first source giving evidence of it was published
	// For an undated event, the window its neighbours' dates leave it: after the end
	// of an event that PRECEDED it, before the end of one it PRECEDED or that
	// DISRUPTED it, within one it is PART_OF. Zero for no bound.
	after, before time.Time
}

// holds reports whether place is one of k's places or in one of them.
func (k *knownEvent) holds(place string) bool {
	return k.places[place] || slices.ContainsFunc(k.parents[place], func(p string) bool { return k.places[p] })
}

// agrees reports whether e's place is one of k's, or two of its parties are k's.
func (k *knownEvent) agrees(e *newEvent, mentions []mention) bool {
	return k.parties(e, "") >= 2 || k.placesReport(e, mentions)
}

// placesReport reports whether the place e's sentence puts it in is one of k's, or lies
// in one of them.
func (k *knownEvent) placesReport(e *newEvent, mentions []mention) bool {
	return e.place != "" && slices.ContainsFunc(mentions, func(m mention) bool { return m.entity.Base().Name == e.place && k.holds(m.entity.NodeID()) })
}

// series reports whether k's names name several events: "Earlier rounds of talks".
func (k *knownEvent) series() bool { return k.words["rounds"] || k.words["series"] }

// newKnownEvent is the known event ev, with the words of its names.
func newKnownEvent(ev *domain.Event) *knownEvent {
	k := &knownEvent{event: ev, words: map[string]bool{}, places: map[string]bool{}, actors: map[string]domain.Role{}}
	for _, n := range domain.Names(ev) {
		for _, w := range strings.Fields(domain.Normalize(n)) {
			k.words[w] = true
		}
	}
	return k
}

// windowed reports whether k is undated with a bound on either side.
func (k *knownEvent) windowed() bool {
	return (k.event.Start == nil || k.event.Precision == domain.PrecisionUnknown) && !(k.after.IsZero() && k.before.IsZero())
}

// within reports whether the span [from, to) may overlap k's window.
func (k *knownEvent) within(from, to time.Time) bool {
	return (k.after.IsZero() || to.After(k.after)) && (k.before.IsZero() || from.Before(k.before))
}

// bound narrows k's window by the dated event o, to which k stands by r.
func (k *knownEvent) bound(r *domain.Relation, o *domain.Event) {
	from, to := o.Precision.Span(*o.Start)
	later := func(t time.Time) {
		if k.after.IsZero() || t.After(k.after) {
			k.after = t
		}
	}
	earlier := func(t time.Time) {
		if k.before.IsZero() || t.Before(k.before) {
			k.before = t
		}
	}
	switch {
	case r.Type == domain.RelPreceded && r.To == k.event.ID:
		later(to) // what preceded it was over, as far as its date tells

	case r.Type == domain.RelPreceded, r.Type == domain.RelDisrupted:
		earlier(to)
	case r.Type == domain.RelPartOf:
		later(from)
		earlier(to)
	}
}

// linkEvents links the events the article reports to the events the graph holds where
// they match (knownEvent.match): of the same kind, the words the text calls it (or
// their synonyms) in the known event's names or its date the report's, and nothing
// against it: its date, or for an undated event the window its neighbours leave it or
// the publication of the first source reporting it (within undatedReach); its place;
// who struck. The best match wins, a tie links none. A linked report's nouns, and the
// verbs of acts, become mentions (links) of the known event; the verbs of meeting and
// saying, reports that only take part in candidates. The others stay new (stay), with
// the known events they may be as sameAs and the series they fall in as partOf; a
// linkOnly one that links to none is dropped.
func linkEvents(ctx context.Context, g Graph, runes []rune, events []*newEvent, named []mention, published time.Time) (stay []*newEvent, links, reports []mention, days map[string]time.Time, err error) {
	var nouns []string
	for _, e := range events {
		for _, w := range e.words {
			nouns = append(nouns, w)
			if g := synonyms[w]; g != "" {
				nouns = append(nouns, synonymGroups[g]...) // "struck" looks up "Israeli attacks"
			}
		}
	}
	slices.Sort(nouns)
	nouns = slices.Compact(nouns)
	holders, err := g.NamesWithWord(ctx, nouns, []domain.Kind{domain.KindEvent}, maxEventCandidates)
	if err != nil || len(holders) == 0 {
		return slices.DeleteFunc(events, func(e *newEvent) bool { return e.linkOnly }), nil, nil, nil, err
	}
	known := map[string]*knownEvent{}
	var ids []string
	for _, nodes := range holders {
		for _, n := range nodes {
			if ev, ok := n.(*domain.Event); ok && known[ev.ID] == nil {
				known[ev.ID] = newKnownEvent(ev)
				ids = append(ids, ev.ID)
			}
		}
	}
	slices.Sort(ids)
	rels, err := g.RelationsOf(ctx, ids, domain.RelationFilter{Types: []domain.RelationType{domain.RelLocatedIn, domain.RelParticipatedIn,
		domain.RelPreceded, domain.RelDisrupted, domain.RelPartOf}})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var relIDs, places, neighbours []string
	relOf := map[string]*knownEvent{}
	for i, id := range ids {
		k := known[id]
		for _, r := range rels[i] {
			switch {
			case r.Type == domain.RelLocatedIn && r.From == id:
				k.places[r.To] = true
				places = append(places, r.To)
			case r.Type == domain.RelParticipatedIn && r.To == id:
				k.actors[r.From] = r.Role
			case bounds(r, id):
				neighbours = append(neighbours, otherEnd(r, id))
			}
			relIDs = append(relIDs, r.ID)
			relOf[r.ID] = k
		}
	}
	if err := placesAround(ctx, g, known, ids, places, named); err != nil {
		return nil, nil, nil, nil, err
	}
	if err := windows(ctx, g, known, ids, rels, neighbours); err != nil {
		return nil, nil, nil, nil, err
	}
	evidence, err := g.Evidence(ctx, relIDs)
	if err != nil {
		return nil, nil, nil, nil, err
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
		return nil, nil, nil, nil, err
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
	for _, e := range events {
		if at, precision, ok := e.during.time(); ok && e.precision == domain.PrecisionUnknown && !e.next {
			// "During the 12-day war, Iran fired missiles": then, and an event of its own
			e.at, e.precision, e.linkOnly = at, precision, false
		}
		var best *knownEvent
		bestScore, tie := 0, false
		for _, id := range ids {
			if s := known[id].match(e, named, false, published); s > bestScore {
				best, bestScore, tie = known[id], s, false
			} else if s == bestScore && s > 0 {
				tie = true
			}
		}
		if (best == nil || tie || bestScore < 2 && recurring[e.kind]) && e.linkOnly {
			continue // too vague to propose
		}
		if best == nil || tie || bestScore < 2 && recurring[e.kind] {
			// Not linked, but suggested: the known events it may be, had they a date;
			// and the series it falls in.
			for _, id := range ids {
				k := known[id]
				if k.match(e, named, true, published) >= 2 {
					e.sameAs = append(e.sameAs, id)
				}
				if k.series() && k.event.Kind == e.kind && e.precision != domain.PrecisionUnknown && k.windowed() && k.within(e.precision.Span(e.at)) &&
					slices.ContainsFunc(e.words, func(w string) bool { return synonyms[w] == "meeting" }) && k.agrees(e, named) {
					e.partOf = append(e.partOf, k.event)
				}
			}
			stay = append(stay, e)
			continue
		}
		e.linked = best.event
		if e.precision == domain.PrecisionDay && (best.event.Start == nil || best.event.Precision == domain.PrecisionUnknown) && (published.IsZero() || !e.at.After(published)) && e.at.After(days[best.event.ID]) {
			if days == nil {
				days = map[string]time.Time{}
			}
			days[best.event.ID] = e.at // "- Feb. 6: Witkoff and Kushner meet Araghchi in Muscat": the day of talks the graph holds undated
		}
		for _, s := range e.spans {
			// A verb of an act ("struck", "shot down", "threatened") refers to the known
			// act it is linked to; one of meeting or saying ("met", "wrote") reports one of
			// many, and only takes part in candidates.
			if e.verbs[s] && (e.kind == domain.EventNegotiation || e.kind == domain.EventStatement && !threatWords[strings.ToLower(string(runes[s.Start:s.End]))]) {
				reports = append(reports, mention{best.event, s.Start, s.End})
			} else {
				links = append(links, mention{best.event, s.Start, s.End})
			}
		}
	}
	// The talks to come are none of the meetings the article reports held.
	reported := map[string]bool{}
	for _, m := range slices.Concat(named, links, reports) {
		reported[m.entity.NodeID()] = true
	}
	for _, e := range stay {
		if e.next {
			e.sameAs = slices.DeleteFunc(e.sameAs, func(id string) bool { return reported[id] })
		}
	}
	return stay, links, reports, days, nil
}

// bounds reports whether r, of the known event id, bounds when id took place by the
// date of its other end (knownEvent.bound).
func bounds(r *domain.Relation, id string) bool {
	return r.Type == domain.RelPreceded || r.Type == domain.RelDisrupted && r.To == id || r.Type == domain.RelPartOf && r.From == id
}

// otherEnd is the end of r that is not id.
func otherEnd(r *domain.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// placesAround adds to the known events' places the places those are LOCATED_IN (talks
// in Muscat are talks in Oman), and gives them the places the places the article names
// are in (rounds in Muscat are rounds in Oman).
func placesAround(ctx context.Context, g Graph, known map[string]*knownEvent, ids, places []string, named []mention) error {
	for _, m := range named {
		if m.entity.NodeKind() == domain.KindPlace && !domain.IsProposalID(m.entity.NodeID()) {
			places = append(places, m.entity.NodeID())
		}
	}
	slices.Sort(places)
	places = slices.Compact(places)
	rels, err := g.RelationsOf(ctx, places, domain.RelationFilter{Types: []domain.RelationType{domain.RelLocatedIn}})
	if err != nil {
		return err
	}
	parents := map[string][]string{}
	for i, place := range places {
		for _, r := range rels[i] {
			if r.From == place {
				parents[place] = append(parents[place], r.To)
			}
		}
	}
	for _, id := range ids {
		k := known[id]
		for place := range maps.Clone(k.places) {
			for _, p := range parents[place] {
				k.places[p] = true
			}
		}
		k.parents = parents
	}
	return nil
}

// windows bounds each undated known event by the dated events among neighbours that its
// relations rels (by ids) reach: what the graph knows of when it took place.
func windows(ctx context.Context, g Graph, known map[string]*knownEvent, ids []string, rels [][]*domain.Relation, neighbours []string) error {
	slices.Sort(neighbours)
	neighbours = slices.Compact(neighbours)
	nodes, err := g.Nodes(ctx, neighbours)
	if err != nil {
		return err
	}
	dated := map[string]*domain.Event{}
	for _, n := range nodes {
		if ev, ok := n.(*domain.Event); ok && ev.Start != nil && ev.Precision != domain.PrecisionUnknown {
			dated[ev.ID] = ev
		}
	}
	for i, id := range ids {
		k := known[id]
		if k.event.Start != nil && k.event.Precision != domain.PrecisionUnknown {
			continue
		}
		for _, r := range rels[i] {
			if o := dated[otherEnd(r, id)]; o != nil && bounds(r, id) {
				k.bound(r, o)
			}
		}
	}
	return nil
}

// recurring are the kinds of event that recur between the same parties in the same
// places: a report of one links to a known one only when their dates agree.
var recurring = map[domain.EventKind]bool{domain.EventNegotiation: true, domain.EventStatement: true, domain.EventMilitaryStrike: true}

// parties counts the actors e names that take part in k, each once: in the role role,
// or in any for "".
func (k *knownEvent) parties(e *newEvent, role domain.Role) int {
	n := 0
	for _, id := range slices.Compact(slices.Sorted(slices.Values(e.actors))) {
		if k.actors[id] != "" && (role == "" || k.actors[id] == role) {
			n++
		}
	}
	return n
}

// undatedReach is how far from its first report an undated known event may have taken
// place: a report of talks a year before the first source on a known round is of
// another round.
const undatedReach = 45 * 24 * time.Hour

// match scores how well the report e matches k: 0 for no match; 1 for the kind and a
// word of its names, more for its date, place and participants. Undated, a known event
// of a recurring kind matches only when undated is set (a suggestion, not a link).
func (k *knownEvent) match(e *newEvent, mentions []mention, undated bool, published time.Time) int {
	if k.event.Kind != e.kind || e.ordinal > 0 && !k.words[strings.ToLower(ordinalNames[e.ordinal])] && k.event.Precision != domain.PrecisionDay && !undated {
		return 0 // the fourth round is not a known event without that number, unless dated to its day; it may be one undated
	}
	if e.precision == domain.PrecisionDay && k.series() {
		return 0 // one day's meeting is not a series of them ("earlier rounds of talks"): it may be PART_OF it
	}
	if slices.Contains(e.words, "rounds") != k.series() {
		return 0 // "the five rounds" are a series, and a series is rounds
	}
	exact := slices.ContainsFunc(e.words, func(w string) bool { return k.words[w] })
	named := exact || slices.ContainsFunc(e.words, func(x string) bool {
		return synonyms[x] != "" && slices.ContainsFunc(synonymGroups[synonyms[x]], func(w string) bool { return k.words[w] })
	})
	dated := k.event.Start != nil && k.event.Precision != domain.PrecisionUnknown && e.precision != domain.PrecisionUnknown
	if !named && !dated {
		return 0 // neither a word of its names nor a date to tell it by
	}
	shared := 0 // the other words of the report's phrase its names hold: "military" of "military buildup"
	for _, w := range slices.Compact(slices.Sorted(slices.Values(e.context))) {
		if k.words[w] {
			shared++
		}
	}
	score := 1 + shared
	if exact {
		score++ // "buildup" is the buildup's own word, a synonym of the deployment's
	}
	dated = false
	if e.precision != domain.PrecisionUnknown {
		from, to := e.precision.Span(e.at)
		switch {
		case k.event.Start != nil && k.event.Precision != domain.PrecisionUnknown:
			kFrom, kTo := k.event.Precision.Span(*k.event.Start)
			if e.at.Before(kFrom) || !e.at.Before(kTo) {
				return 0
			}
			score, dated = score+2, true
		case k.windowed():
			if !k.within(from, to) {
				return 0
			}
			score++ // a window is no date: it tells this event from another only with place or parties
		case !k.reported.IsZero():
			if d := e.at.Sub(k.reported); d > undatedReach || d < -undatedReach {
				return 0
			}
			score, dated = score+1, true
		}
	} else if k.windowed() && !published.IsZero() && k.after.After(published) {
		return 0 // an undated report is not of what began after its article
	}
	place, actors := 0, 0
	agreed := false // an agent of e is k's initiator
	for _, id := range e.agents {
		switch {
		case k.actors[id] == domain.RoleInitiator:
			actors, agreed = actors+3, true
		case k.actors[id] == "" && len(k.actors) > 0 && e.kind == domain.EventMilitaryStrike:
			return 0 // "U.S. strikes" are not Israel's
		}
	}
	if e.place != "" {
		at := k.placesReport(e, mentions)
		if !at && len(k.places) > 0 && !(agreed && !slices.ContainsFunc(mentions, func(m mention) bool {
			return m.entity.Base().Name == e.place && !domain.IsProposalID(m.entity.NodeID())
		})) {
			return 0 // elsewhere than it was; but for its initiator's act, a place the graph does not know yet ("Fordow") tells nothing
		}
		if at {
			place = 2
		}
	}
	for _, id := range e.actors {
		switch k.actors[id] {
		case "":
		case domain.RoleInitiator: // who struck tells one strike from another
			actors += 2
		default:
			actors++
		}
	}
	if !undated && toCome(e, published) && (k.event.Start == nil || k.event.Precision == domain.PrecisionUnknown) && !(place > 0 && k.parties(e, domain.RoleParticipant) >= 2) {
		// "Saturday's round", still to come, is no undated meeting the graph knows of,
		// though it may be; but one where it is held, between two of its parties, is it
		return 0
	}
	// One round of talks in Muscat is not another without a date to tell; or, for a
	// report the article does not date, a window its day falls in and the place or two
	// parties agreeing; or who struck. A phrase sharing two words besides its own with
	// the event's names tells it by itself ("threats of military action"), and "the five
	// rounds" the series, which few events are.
	told := named && shared >= 2 || k.series()
	if recurring[e.kind] && !dated && !undated && !told && !agreed && !(k.windowed() && !published.IsZero() && (place > 0 || actors >= 2)) {
		return 0
	}
	if recurring[e.kind] && e.precision == domain.PrecisionUnknown && !undated && !told && place == 0 && !agreed {
		return 0 // "the strikes", with no date or place: whose, the agent must say
	}
	return score + place + actors
}
