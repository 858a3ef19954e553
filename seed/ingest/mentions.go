package ingest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"eventgraph/store/domain"
)

// mention is a place the text names an entity: code points [start, end).
type mention struct {
	entity     domain.Entity
	start, end int
}

// knownName is an entity name split into its folded words, with the entities it names.
type knownName struct {
	words    []string
	entities []domain.Entity
	// derived: the name is a topic's without its anchor ("human rights"), which gives
	// way to any longer name around it ("human rights groups").
	derived bool
}

// word is one of the text's words, folded as domain.EachWord folds them, at code
// points [start, end).
type word struct {
	w          string
	start, end int
}

// mentions finds, in text order, every place outside the boilerplate where the text
// names a known entity:
//   - a run of words that is an entity's name or alias: "Donald Trump's administration"
//     names the administration and Donald Trump; an abbreviation with full stops is
//     its letters ("U.S." is the alias "US");
//   - any of these spelt as another transliteration of the name ("Araqchi" for
//     "Araghchi", "Bousaidi" for "Albusaidi"): respell;
//   - a person's surname where the article names them in full ("Witkoff" and "Mr.
//     Witkoff" after "Steve Witkoff"), unless another given name stands before it;
//   - a role phrase anchored in a state or person the text names, where the graph
//     resolves it: rolePhrases;
//
// and then gives each span one entity: where a name is both a state and its country
// ("Iran"), the place after a preposition of place ("in Iran"), else the state ("Iran
// said"). Only a shorter name of an entity inside a longer one of the same entity
// ("Araghchi" in "Abbas Araghchi") is left out. Every name the text's words can begin is
// read from the store at once; the words are then matched in memory.
func mentions(ctx context.Context, g Graph, text string, runes []rune, skip []domain.TextRange) ([]mention, error) {
	words := textWords(text, runes)
	if err := respell(ctx, g, words, runes); err != nil {
		return nil, err
	}
	distinct := map[string]bool{}
	for _, w := range words {
		distinct[w.w] = true
	}
	// The states whose capitals or peoples the text names, to read a capital standing
	// for one and a role phrase anchored in one ("the Iranian foreign minister").
	for i, w := range words {
		if state, _ := capitalAt(words, i); state != "" {
			distinct[firstWord(state)] = true
		}
		if state := demonyms[w.w]; state != "" {
			distinct[firstWord(state)] = true
		}
	}
	names, err := g.NamesStarting(ctx, slices.Collect(maps.Keys(distinct)), entityKinds)
	if err != nil {
		return nil, err
	}
	// The names each word begins, longest first: a shorter name inside a longer one
	// of the same entity is then seen after it.
	byFirst := map[string][]knownName{}
	for name, nodes := range names {
		n := knownName{words: strings.Split(name, " ")}
		for _, node := range nodes {
			n.entities = append(n.entities, node.(domain.Entity))
		}
		byFirst[n.words[0]] = append(byFirst[n.words[0]], n)
	}
	// A topic's name anchored in a state ("Human rights in Iran", "Iran's nuclear
	// programme") is also found without its anchor ("human rights"), and a programme by
	// the words diplomacy uses for it ("the nuclear file"), where no other topic's is.
	// A head several topics share ("water rights" of "Water rights in X" and "in Y")
	// names none of them.
	heads := map[string][]domain.Entity{}
	for name, nodes := range names {
		for _, head := range topicHeads(name) {
			for _, node := range nodes {
				if node.NodeKind() == domain.KindTopic && !slices.ContainsFunc(heads[head], func(e domain.Entity) bool { return e.NodeID() == node.NodeID() }) {
					heads[head] = append(heads[head], node.(domain.Entity))
				}
			}
		}
	}
	for head, topics := range heads {
		if n := (knownName{words: strings.Split(head, " "), entities: topics, derived: true}); len(topics) == 1 && len(n.words) >= 2 {
			byFirst[n.words[0]] = append(byFirst[n.words[0]], n)
		}
	}
	for _, ns := range byFirst {
		// A total order, so that the same text always gives the same mentions: a name
		// as written before one derived from a topic's, then by entity.
		slices.SortFunc(ns, func(a, b knownName) int {
			return cmp.Or(cmp.Compare(len(b.words), len(a.words)), slices.Compare(a.words, b.words),
				compareBool(a.derived, b.derived), strings.Compare(a.entities[0].NodeID(), b.entities[0].NodeID()))
		})
	}
	var found []mention
	reach := map[string]int{} // entity id → the end of its furthest mention so far
	next := 0                 // the first boilerplate range not wholly before the word
	read := make([]bool, len(words))
	for i, w := range words {
		if i%cancelCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for next < len(skip) && skip[next].End <= w.start {
			next++
		}
		if next < len(skip) && skip[next].Start <= w.start {
			continue
		}
		read[i] = true
		for _, name := range byFirst[w.w] {
			n := len(name.words)
			if i+n > len(words) || !slices.EqualFunc(words[i:i+n], name.words, func(w word, s string) bool { return w.w == s }) {
				continue
			}
			start, end := w.start, words[i+n-1].end
			if name.derived && slices.ContainsFunc(found, func(m mention) bool { return m.start <= start && end <= m.end }) {
				continue
			}
			surface := string(runes[start:end])
			for _, e := range name.entities {
				if shortName(surface) && !writtenAs(e, surface) {
					continue // "us" the pronoun is not "US" the state
				}
				// Mentions come in order of start, so one of e starting at or before
				// this one that reaches its end contains it.
				if r, ok := reach[e.NodeID()]; ok && r >= end {
					continue
				}
				reach[e.NodeID()] = end
				found = append(found, mention{e, start, end})
			}
		}
	}
	people, err := surnamesKnown(ctx, g, words, runes, found)
	if err != nil {
		return nil, err
	}
	found = append(found, surnames(words, read, runes, found, people)...)
	found = governments(words, read, runes, found, names)
	slices.SortStableFunc(found, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	found = oneEntityPerSpan(found, runes)
	roles, err := rolePhrases(ctx, g, words, read, runes, found, names)
	if err != nil {
		return nil, err
	}
	found = append(found, roles...)
	slices.SortStableFunc(found, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	return withoutNested(found, runes), nil
}

// withoutNested drops the mentions that are part of a longer name rather than names of
// their own: one inside a longer mention of an entity it shares a name with ("Oman" in
// "Sultanate of Oman", the state's alias, is not the country too), and one after
// "<Name> of" ("Gulf of Oman", "Atomic Energy Organization of Iran"), a title's "of"
// aside ("President of Iran").
func withoutNested(found []mention, runes []rune) []mention {
	namesake := func(inner, outer domain.Entity) bool {
		name := folded(inner.Base().Name)
		return slices.ContainsFunc(domain.Names(outer), func(n string) bool { return folded(n) == name })
	}
	return slices.DeleteFunc(found, func(m mention) bool {
		if slices.ContainsFunc(found, func(o mention) bool {
			return o.start <= m.start && m.end <= o.end && o.end-o.start > m.end-m.start && o.entity.NodeID() != m.entity.NodeID() && namesake(m.entity, o.entity)
		}) {
			return true
		}
		at := trimSpaceBefore(runes, m.start)
		if !strings.EqualFold(wordBefore(runes, at), "of") {
			return false
		}
		owner := wordBefore(runes, trimSpaceBefore(runes, at-2))
		return owner != "" && unicode.IsUpper([]rune(owner)[0]) && !titles[strings.ToLower(owner)] && !offices[strings.ToLower(owner)] &&
			!slices.ContainsFunc(found, func(o mention) bool { return o.start < m.start && m.end <= o.end })
	})
}

// capitalAt returns the state whose capital words[i:] begin with ("United States" for
// "washington"), and how many words the capital's name has; "" when none.
func capitalAt(words []word, i int) (string, int) {
	if i+1 < len(words) {
		if state, ok := capitals[words[i].w+" "+words[i+1].w]; ok {
			return state, 2
		}
	}
	if state, ok := capitals[words[i].w]; ok {
		return state, 1
	}
	return "", 0
}

// firstWord is the first of s's words, folded.
func firstWord(s string) string {
	var first string
	domain.EachWord(s, func(w string, _, _ int) {
		if first == "" {
			first = w
		}
	})
	return first
}

// folded is s's words, folded, joined by single spaces: a name as the graph keys it.
func folded(s string) string {
	var words []string
	domain.EachWord(s, func(w string, _, _ int) { words = append(words, w) })
	return strings.Join(words, " ")
}

// governments reads a capital standing for its state's government ("Tehran said",
// "Washington's demands") as a mention of the state, where the graph holds the state:
// not after a preposition of place or movement ("in Tehran", "back to Tehran"), and not
// as part of a longer name ("Washington Post", "George Washington"). A mention of the
// city at that span gives way to it.
func governments(words []word, read []bool, runes []rune, found []mention, names map[string][]domain.Node) []mention {
	for i := range words {
		stateName, n := capitalAt(words, i)
		if stateName == "" || !read[i] || !unicode.IsUpper(runes[words[i].start]) || allCapitals(runes[words[i].start:words[i+n-1].end]) {
			continue // a dateline's city ("MUSCAT, Oman —") is the place
		}
		var state domain.Entity
		for _, node := range names[folded(stateName)] {
			if a, ok := node.(*domain.Actor); ok && a.Kind == domain.ActorState {
				state = a
			}
		}
		if state == nil {
			continue
		}
		start, end := words[i].start, words[i+n-1].end
		if placeContext(runes, start, end, movementPrepositions) ||
			i > 0 && words[i-1].end+1 >= start && unicode.IsUpper(runes[words[i-1].start]) && !titles[words[i-1].w] ||
			i+n < len(words) && words[i+n].start <= end+1 && unicode.IsUpper(runes[words[i+n].start]) {
			continue
		}
		found = slices.DeleteFunc(found, func(m mention) bool {
			return m.start == start && m.end == end && m.entity.NodeKind() == domain.KindPlace
		})
		if !slices.ContainsFunc(found, func(m mention) bool { return m.start <= start && end <= m.end && m.entity.NodeID() == state.NodeID() }) {
			found = append(found, mention{state, start, end})
		}
	}
	return found
}

// allCapitals reports whether every letter of s is a capital.
func allCapitals(s []rune) bool {
	return !slices.ContainsFunc(s, unicode.IsLower)
}

// movementPrepositions stand before a city as a place rather than as its government:
// "in Tehran", "districts of Tehran", "a Tehran market", "visited Tehran"; "to" and
// "from" after a verb of motion ("flew to Tehran").
var movementPrepositions = setOf("in", "inside", "into", "across", "throughout", "within", "near", "around", "at", "via", "outside", "over", "above", "toward", "towards",
	"of", "a", "an", "visit", "visited", "visiting", "toured")

// textWords are the text's words as domain.EachWord gives them, except that the
// letters of an abbreviation with full stops are one word ("U.S." is "us", spanning
// "U.S").
func textWords(text string, runes []rune) []word {
	words := make([]word, 0, len(text)/6) // English averages some six bytes a word
	domain.EachWord(text, func(w string, start, end int) {
		if n := len(words); n > 0 && end-start == 1 && dottedAfter(runes, words[n-1]) && words[n-1].end+1 == start {
			words[n-1] = word{words[n-1].w + w, words[n-1].start, end}
			return
		}
		words = append(words, word{w, start, end})
	})
	return words
}

// dottedAfter reports whether w is a letter or letters joined by full stops ("U", "U.S")
// with a full stop after it.
func dottedAfter(runes []rune, w word) bool {
	if w.end >= len(runes) || runes[w.end] != '.' {
		return false
	}
	for i := w.start; i < w.end; i++ {
		if (i-w.start)%2 == 1 && runes[i] != '.' || (i-w.start)%2 == 0 && !unicode.IsLetter(runes[i]) {
			return false
		}
	}
	return true
}

// shortName reports a name of three letters or fewer: "US", "UN". Folded, they are
// ordinary words ("us", "un"), so they count only written as the graph writes them.
func shortName(s string) bool { return utf8.RuneCountInString(strings.ReplaceAll(s, ".", "")) <= 3 }

// writtenAs reports whether e's name or an alias is exactly surface, or its letters
// with full stops between them ("U.S" for "US").
func writtenAs(e domain.Entity, surface string) bool {
	letters := strings.ReplaceAll(surface, ".", "")
	return e.Base().Name == surface || slices.Contains(e.Base().Aliases, surface) ||
		letters != surface && (e.Base().Name == letters || slices.Contains(e.Base().Aliases, letters))
}

// surnamesKnown are the surnames of the people the graph holds that the text's
// capitalised words, outside the names found, may be: a word that ends the name of one
// person and of no other ("Trump" is Donald Trump, the Trump administration aside).
func surnamesKnown(ctx context.Context, g Graph, words []word, runes []rune, found []mention) (map[string]domain.Entity, error) {
	var capitalised []string
	for _, w := range words {
		if unicode.IsUpper(runes[w.start]) && !allCapitals(runes[w.start:w.end]) && utf8.RuneCountInString(w.w) >= 3 {
			capitalised = append(capitalised, w.w)
		}
	}
	named, err := g.NamesWithWord(ctx, capitalised, []domain.Kind{domain.KindActor}, maxSurnameNames)
	if err != nil {
		return nil, err
	}
	people := map[string]domain.Entity{}
	for w, nodes := range named {
		var person domain.Entity
		unique := true
		for _, n := range nodes {
			a, ok := n.(*domain.Actor)
			if !ok || a.Kind != domain.ActorPerson || !slices.ContainsFunc(domain.Names(a), func(name string) bool {
				ws := strings.Fields(folded(name))
				return len(ws) >= 2 && ws[len(ws)-1] == w
			}) {
				continue
			}
			unique = unique && person == nil
			person = a
		}
		if person != nil && unique {
			people[w] = person
		}
	}
	return people, nil
}

// maxSurnameNames bounds the names a word may be in and still be read as a surname: a
// word more names hold is too common to name one person, and is not read further.
const maxSurnameNames = 8

// surnames finds the mentions of people by surname: each capitalised word that is the
// last word of a person's full name found in the text ("Witkoff" after "Steve
// Witkoff"), or of one person's alone in the graph (known), standing alone or after a
// title ("Mr. Witkoff", "President Trump"), but not after another capitalised word that
// is not a title ("Ivanka Trump" is somebody else), nor before one ("Trump Tower").
// Words inside a name already found are left alone.
func surnames(words []word, read []bool, runes []rune, found []mention, known map[string]domain.Entity) []mention {
	people := maps.Clone(known) // surname → the person
	ambiguous := map[string]bool{}
	for _, m := range found {
		a, ok := m.entity.(*domain.Actor)
		if !ok || a.Kind != domain.ActorPerson {
			continue
		}
		full := strings.Fields(string(runes[m.start:m.end]))
		if len(full) < 2 {
			continue
		}
		last := strings.ToLower(strings.Trim(full[len(full)-1], ".,"))
		if p, ok := people[last]; ok && p.NodeID() != a.ID && known[last] == nil {
			ambiguous[last] = true
		}
		people[last] = a
	}
	inside := func(w word) bool {
		return slices.ContainsFunc(found, func(m mention) bool { return m.start <= w.start && w.end <= m.end })
	}
	var out []mention
	for i, w := range words {
		p, ok := people[w.w]
		if !ok || ambiguous[w.w] || !read[i] || !unicode.IsUpper(runes[w.start]) || inside(w) {
			continue
		}
		if i > 0 && words[i-1].end+1 == w.start && unicode.IsUpper(runes[words[i-1].start]) && !titles[words[i-1].w] && !calendar[words[i-1].w] && !inside(words[i-1]) {
			continue
		}
		if known[w.w] != nil && i+1 < len(words) && words[i+1].start == w.end+1 && unicode.IsUpper(runes[words[i+1].start]) {
			continue // "Trump Tower": the surname of a name the graph does not hold
		}
		out = append(out, mention{p, w.start, w.end})
	}
	return out
}

// calendar are the capitalised words of dates, which stand before a name without being
// part of it ("On Monday Witkoff said").
var calendar = setOf("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")

// titles are the words that stand before a person's surname without being a name.
var titles = setOf(
	"mr", "mrs", "ms", "miss", "dr", "prof", "president", "minister", "envoy", "secretary", "ambassador",
	"adm", "admiral", "gen", "general", "col", "colonel", "lt", "capt", "captain", "sen", "senator", "rep",
	"gov", "governor", "king", "sultan", "sheikh", "sayyid", "seyyed", "ayatollah", "spokesman", "spokeswoman",
	"director", "chief", "commander", "deputy", "premier", "chancellor", "vice", "former", "then",
)

// oneEntityPerSpan keeps one entity for a span that names several: where they are a
// state or other actor and a place of the same name ("Iran", "Oman"), the place when a
// preposition of place stands before it ("in Iran", "across Oman"), else the actor.
func oneEntityPerSpan(found []mention, runes []rune) []mention {
	out := found[:0]
	for i := 0; i < len(found); {
		j := i + 1
		for j < len(found) && found[j].start == found[i].start && found[j].end == found[i].end {
			j++
		}
		group := found[i:j]
		i = j
		actor := slices.IndexFunc(group, func(m mention) bool { return m.entity.NodeKind() == domain.KindActor })
		place := slices.IndexFunc(group, func(m mention) bool { return m.entity.NodeKind() == domain.KindPlace })
		if actor < 0 || place < 0 {
			out = append(out, group...)
			continue
		}
		if placeContext(runes, group[0].start, group[0].end, placePrepositions) {
			out = append(out, group[place])
		} else {
			out = append(out, group[actor])
		}
	}
	return out
}

// trimSpaceBefore is the position after the last non-space before i.
func trimSpaceBefore(runes []rune, i int) int {
	for i > 0 && unicode.IsSpace(runes[i-1]) {
		i--
	}
	return i
}

// placeContext reports whether the name at [start, end) stands for a place rather than
// for a state or its government: after one of the prepositions, possibly with a
// direction between ("in central Iran", "districts of Tehran" where "of" is one), after
// "out of", or after another place and a comma ("Muscat, Oman"); and possessive only
// of a place's parts ("off Iran's southern coast", not "Iran's nuclear program").
func placeContext(runes []rune, start, end int, prepositions map[string]bool) bool {
	if after := string(runes[end:min(len(runes), end+2)]); after == "'s" || after == "’s" {
		if next := wordAt(runes, end+2); next != "" && unicode.IsUpper([]rune(next)[0]) && !offices[strings.ToLower(next)] {
			return true // a named part of it: "Tehran's Grand Bazaar", not "Iran's Foreign Minister"
		}
		return geographicParts[strings.ToLower(wordAt(runes, end+2))] || directions[strings.ToLower(wordAt(runes, end+2))] && geographicParts[strings.ToLower(wordAt(runes, end+3+len([]rune(wordAt(runes, end+2)))))]
	}
	at := trimSpaceBefore(runes, start)
	if at > 0 && runes[at-1] == ',' {
		before := wordBefore(runes, trimSpaceBefore(runes, at-1))
		return before != "" && unicode.IsUpper([]rune(before)[0])
	}
	w := wordBefore(runes, at)
	for directions[strings.ToLower(w)] || strings.EqualFold(w, "the") {
		at = trimSpaceBefore(runes, at-len([]rune(w)))
		w = wordBefore(runes, at)
	}
	if strings.EqualFold(w, "of") {
		return prepositions["of"] || strings.EqualFold(wordBefore(runes, trimSpaceBefore(runes, at-2)), "out")
	}
	if lw := strings.ToLower(w); lw == "to" || lw == "from" || lw == "for" {
		// A movement's end: "return to Oman", "flew in from Tehran", "left for Oman"; not
		// "a letter to Iran", "signals from Washington".
		at = trimSpaceBefore(runes, at-len([]rune(w)))
		verb := strings.ToLower(wordBefore(runes, at))
		if particles[verb] {
			verb = strings.ToLower(wordBefore(runes, trimSpaceBefore(runes, at-len([]rune(verb)))))
		}
		return motionVerbs[verb]
	}
	return prepositions[strings.ToLower(w)]
}

// particles stand between a verb of motion and its "to" or "from": "flew in from".
var particles = setOf("in", "out", "back", "home", "over", "down", "up", "on")

// motionVerbs move someone to or from a place: after them "to" and "from" stand before
// the place.
var motionVerbs = setOf("return", "returned", "returning", "returns", "back", "fly", "flew", "flying", "flies",
	"travel", "travelled", "traveled", "travelling", "traveling", "go", "went", "going", "come", "came", "coming",
	"head", "headed", "heading", "move", "moved", "fled", "flee", "sail", "sailed", "drive", "drove", "arrived", "arrive",
	"deployed", "sent", "bound", "trip", "journey", "visit", "way", "route", "flight", "flights", "left", "leave", "leaving", "departed")

// offices are the first words of a state's offices and institutions, which its
// possessive names ("Iran's Foreign Minister", "Iran's Revolutionary Guards").
var offices = setOf("foreign", "supreme", "prime", "president", "minister", "ministry", "leader", "ambassador", "envoy",
	"defense", "defence", "interior", "atomic", "national", "revolutionary", "parliament", "security", "state", "central",
	"deputy", "chief", "top", "army", "navy", "air", "government", "cabinet", "embassy", "mission", "permanent", "special")

// directions are the words that may stand between a preposition and a place.
var directions = setOf("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
	"northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest", "southeast", "southwest", "downtown", "greater")

// geographicParts are the parts of a country or city a possessive names: "Iran's coast".
var geographicParts = setOf("coast", "coastline", "border", "borders", "territory", "soil", "airspace", "waters", "shores",
	"north", "south", "east", "west", "outskirts", "streets", "suburbs", "capital", "provinces", "province", "cities", "desert", "mountains")

// placePrepositions stand before a place rather than an actor: "in Iran", "across Oman".
var placePrepositions = setOf("in", "inside", "into", "across", "throughout", "within", "near", "around", "at", "visit", "visited", "visiting")

// respell reads each capitalised word that no name holds (acronyms aside: "IRNA" is not
// "Iran") as the name word it is most
// likely another spelling of: one sharing its consonant skeleton (domain.Skeleton) and
// close letter by letter (domain.Soundalike). The word's span is unchanged; only what it
// is matched as.
func respell(ctx context.Context, g Graph, words []word, runes []rune) error {
	capitalised := map[string]bool{}
	for _, w := range words {
		if utf8.RuneCountInString(w.w) >= 4 && unicode.IsUpper(runes[w.start]) && !allCapitals(runes[w.start:w.end]) {
			capitalised[w.w] = true
		}
	}
	like, err := g.NameWordsLike(ctx, slices.Sorted(maps.Keys(capitalised)))
	if err != nil {
		return err
	}
	as := map[string]string{}
	for w, names := range like {
		if slices.Contains(names, w) {
			continue // a name has the word as it is spelt
		}
		best, score := "", 0.0
		for _, n := range names {
			if s := domain.JaroWinkler(w, n); s > score && domain.Soundalike(w, n) {
				best, score = n, s
			}
		}
		if best != "" {
			as[w] = best
		}
	}
	for i, w := range words {
		if n, ok := as[w.w]; ok && unicode.IsUpper(runes[w.start]) && !allCapitals(runes[w.start:w.end]) {
			words[i].w = n
		}
	}
	return nil
}

// roleTypes are the relations by which an entity holds a role towards another: a
// minister REPRESENTS a state, a leader LEADS it, a member is a MEMBER_OF it, a capital
// is LOCATED_IN its country or PART_OF it.
var roleTypes = []domain.RelationType{domain.RelRepresents, domain.RelLeads, domain.RelMemberOf, domain.RelLocatedIn, domain.RelPartOf}

// maxRoleWords is the most words a role phrase's role has ("deputy foreign minister").
const maxRoleWords = 3

// rolePhrase is a phrase naming an entity by its role towards anchors: the entities of
// one name ("Oman": the state and the country), with the role's folded words.
type rolePhrase struct {
	start   int
	ends    []int // where the role ends after each of its words
	anchors []string
	role    []string
}

// rolePhrases finds the phrases that name an entity by its role towards another the
// text names or a people's adjective stands for: "Iran's foreign minister", "the
// Iranian foreign minister", "the foreign minister of Iran", "the Omani capital". The
// graph resolves the role: the one actor or place with a relation of roleTypes to the
// anchor (or another entity of the anchor's name) whose description states the role
// towards it ("Iran's Foreign Minister" in Abbas Araghchi's, "Capital of Oman" in
// Muscat's). A phrase it does not
// resolve to exactly one entity is no mention; nor is a title before the name it
// stands for ("Iran's Foreign Minister Abbas Araghchi" is one mention, of the name).
func rolePhrases(ctx context.Context, g Graph, words []word, read []bool, runes []rune, found []mention, names map[string][]domain.Node) ([]mention, error) {
	namesakes := func(e domain.Entity) []string {
		ids := []string{e.NodeID()}
		for _, n := range names[folded(e.Base().Name)] {
			if !slices.Contains(ids, n.NodeID()) {
				ids = append(ids, n.NodeID())
			}
		}
		return ids
	}
	startsAt := map[int]mention{}
	for _, m := range found {
		startsAt[m.start] = m
	}
	wordAtStart := map[int]int{}
	for i, w := range words {
		wordAtStart[w.start] = i
	}
	var phrases []rolePhrase
	for _, m := range found {
		i, ok := wordAtStart[m.start]
		if !ok {
			continue
		}
		j := i
		for j < len(words) && words[j].end <= m.end {
			j++
		}
		// "Iran's foreign minister": the possessive is its own word, "s".
		if j < len(words) && words[j].w == "s" && words[j].start == m.end+1 {
			if p, ok := roleAfter(words, read, j+1, m.start, namesakes(m.entity)); ok {
				phrases = append(phrases, p)
			}
		}
		// "the foreign minister of Iran".
		if i >= 2 && words[i-1].w == "of" {
			for n := min(maxRoleWords, i-1); n >= 1; n-- {
				k := i - 1 - n
				if k >= 1 && words[k-1].w == "the" && allRead(read, k, i-1) && lowerRun(runes, words[k:i-1]) {
					phrases = append(phrases, rolePhrase{words[k-1].start, []int{m.end}, namesakes(m.entity), wordsOf(words[k : i-1])})
					break
				}
			}
		}
	}
	for i, w := range words {
		state := demonyms[w.w]
		if state == "" || !read[i] || !unicode.IsUpper(runes[w.start]) {
			continue
		}
		var anchors []string
		for _, n := range names[folded(state)] {
			anchors = append(anchors, n.NodeID())
		}
		start := w.start
		if i > 0 && words[i-1].w == "the" {
			start = words[i-1].start
		}
		if p, ok := roleAfter(words, read, i+1, start, anchors); ok && len(anchors) > 0 {
			phrases = append(phrases, p)
		}
	}
	if len(phrases) == 0 {
		return nil, nil
	}
	var anchorIDs []string
	for _, p := range phrases {
		for _, a := range p.anchors {
			if !slices.Contains(anchorIDs, a) {
				anchorIDs = append(anchorIDs, a)
			}
		}
	}
	rels, err := g.RelationsOf(ctx, anchorIDs, domain.RelationFilter{Types: roleTypes, Direction: domain.DirectionIn})
	if err != nil {
		return nil, err
	}
	holders := map[string][]string{} // anchor → the entities with a role towards it
	var holderIDs []string
	for k, rs := range rels {
		for _, r := range rs {
			holders[anchorIDs[k]] = append(holders[anchorIDs[k]], r.From)
			if !slices.Contains(holderIDs, r.From) {
				holderIDs = append(holderIDs, r.From)
			}
		}
	}
	nodes, err := g.Nodes(ctx, holderIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]domain.Entity{}
	for _, n := range nodes {
		if e, ok := n.(domain.Entity); ok {
			byID[e.NodeID()] = e
		}
	}
	anchorNames := map[string][]string{} // anchor → its folded names
	anchorNodes, err := g.Nodes(ctx, anchorIDs)
	if err != nil {
		return nil, err
	}
	for _, n := range anchorNodes {
		if e, ok := n.(domain.Entity); ok {
			for _, name := range domain.Names(e) {
				anchorNames[e.NodeID()] = append(anchorNames[e.NodeID()], folded(name))
			}
		}
	}
	var out []mention
	for _, p := range phrases {
		// The longest role the graph resolves: "the Omani capital" in "the Omani
		// capital while …". A role before "of" is taken whole (its one end).
		for n := len(p.role); n >= 1 && n >= len(p.role)-len(p.ends)+1; n-- {
			if e := resolveRole(p.role[:n], p.anchors, holders, byID, anchorNames); e != nil {
				end := p.ends[min(n, len(p.ends))-1]
				if next, ok := startsAt[end+1]; !ok || runes[end] != ' ' || next.entity.NodeID() != e.NodeID() {
					out = append(out, mention{e, p.start, end})
				} // else a title before the name: the name is the mention
				break
			}
		}
	}
	return out, nil
}

// resolveRole is the one entity holding role towards one of anchors, or nil.
func resolveRole(role []string, anchors []string, holders map[string][]string, byID map[string]domain.Entity, anchorNames map[string][]string) domain.Entity {
	var match domain.Entity
	for _, a := range anchors {
		for _, h := range holders[a] {
			e, ok := byID[h]
			if !ok || !holdsRole(e, role, anchorNames[a]) || match != nil && match.NodeID() == e.NodeID() {
				continue
			}
			if match != nil {
				return nil // two entities hold it: the phrase names neither
			}
			match = e
		}
	}
	return match
}

// roleAfter reads the role words from words[i]: the longest run of up to maxRoleWords
// read, uncapitalised or title-case words that is not followed by "of" (that is the
// other form); ok is false when there is none.
func roleAfter(words []word, read []bool, i, start int, anchors []string) (rolePhrase, bool) {
	n := 0
	for n < maxRoleWords && i+n < len(words) && read[i+n] && !stopWords[words[i+n].w] && !(n > 0 && words[i+n].start > words[i+n-1].end+1) {
		n++
	}
	if n == 0 {
		return rolePhrase{}, false
	}
	ends := make([]int, n)
	for k := range n {
		ends[k] = words[i+k].end
	}
	return rolePhrase{start, ends, anchors, wordsOf(words[i : i+n])}, true
}

// stopWords end a role: "Iran's foreign minister said", "the Omani capital on Sunday".
var stopWords = setOf("and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by", "as", "said", "says",
	"told", "was", "is", "has", "had", "will", "would", "who", "which", "that", "the", "a", "an", "s")

// holdsRole reports whether e's description states the role towards the anchor, by one
// of its names: "Iran's Foreign Minister", "Capital of Oman", "the Iranian foreign
// minister". A role the description only mentions ("aircraft" in "aircraft carrier
// group") is not one e holds towards the anchor.
func holdsRole(e domain.Entity, role []string, anchorNames []string) bool {
	if e.NodeKind() != domain.KindActor && e.NodeKind() != domain.KindPlace {
		return false
	}
	description := " " + phrases(e.Base().Description) + " "
	r := strings.Join(role, " ")
	for _, a := range anchorNames {
		forms := []string{a + " s " + r, r + " of " + a}
		for d, state := range demonyms {
			if folded(state) == a {
				forms = append(forms, d+" "+r)
			}
		}
		for _, f := range forms {
			// The whole of a noun phrase there: "Iranian nuclear" is not a role in
			// "the three main Iranian nuclear facilities".
			for at := 0; ; {
				i := strings.Index(description[at:], " "+f+" ")
				if i < 0 {
					break
				}
				at += i + len(f) + 1
				if next := strings.Fields(description[at:]); len(next) == 0 || next[0] == "|" || stopWords[next[0]] {
					return true
				}
			}
		}
	}
	return false
}

// phrases is s folded as folded folds it, with "|" where punctuation other than an
// apostrophe parts two words.
func phrases(s string) string {
	var out []string
	last := -1
	runes := []rune(s)
	domain.EachWord(s, func(w string, start, end int) {
		if last >= 0 && strings.Trim(string(runes[last:start]), " \t\n'’") != "" {
			out = append(out, "|")
		}
		out = append(out, w)
		last = end
	})
	return strings.Join(out, " ")
}

func wordsOf(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.w
	}
	return out
}

func allRead(read []bool, from, to int) bool { return !slices.Contains(read[from:to], false) }

// lowerRun reports whether the words are written in lower case: a role, not a name.
func lowerRun(runes []rune, ws []word) bool {
	return !slices.ContainsFunc(ws, func(w word) bool { return unicode.IsUpper(runes[w.start]) })
}

// topicHeads are a folded name without the anchor that places it ("human rights in
// iran" is "human rights", "iran s nuclear programme" is "nuclear programme"), and for a
// programme the other words diplomacy calls one ("nuclear program", "nuclear file",
// "nuclear issue", "nuclear dossier"); none for a name with no such anchor.
func topicHeads(name string) []string {
	ws := strings.Split(name, " ")
	var head []string
	switch {
	case len(ws) >= 4 && ws[len(ws)-2] == "in":
		head = ws[:len(ws)-2]
	case len(ws) >= 4 && ws[1] == "s":
		head = ws[2:]
	default:
		return nil
	}
	heads := []string{strings.Join(head, " ")}
	if last := head[len(head)-1]; last == "programme" || last == "program" {
		for _, synonym := range []string{"programme", "program", "file", "issue", "dossier"} {
			if synonym != last {
				heads = append(heads, strings.Join(append(slices.Clone(head[:len(head)-1]), synonym), " "))
			}
		}
	}
	return heads
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
