package ingest

// Places and governments: a capital standing for its state, and the state or the
// country a name stands for by the words around it.

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"eventgraph/store/domain"
)

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
		for _, node := range names[domain.Normalize(stateName)] {
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

// movementPrepositions stand before a city as a place rather than as its government:
// "in Tehran", "districts of Tehran", "a Tehran market", "visited Tehran"; "to" and
// "from" after a verb of motion ("flew to Tehran").
var movementPrepositions = setOf("in", "inside", "into", "across", "throughout", "within", "near", "around", "at", "via", "outside", "over", "above", "toward", "towards",
	"of", "a", "an", "visit", "visited", "visiting", "toured")

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
		before := strings.ToLower(wordBefore(runes, trimSpaceBefore(runes, at-2)))
		return prepositions["of"] || before == "out" || geographicParts[before] || directions[before] // "off the coast of Oman", "southeast of Ras al Hadd"
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
// possessive names ("Iran's Foreign Minister", "Iran's Revolutionary Guards", "Oman's
// Sultan").
var offices = setOf("foreign", "supreme", "prime", "president", "minister", "ministry", "leader", "ambassador", "envoy",
	"defense", "defence", "interior", "atomic", "national", "revolutionary", "parliament", "security", "state", "central",
	"deputy", "chief", "top", "army", "navy", "air", "government", "cabinet", "embassy", "mission", "permanent", "special",
	"sultan", "emir", "amir", "king", "queen", "crown", "royal", "sheikh")

// directions are the words that may stand between a preposition and a place.
var directions = setOf("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
	"northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest", "southeast", "southwest", "downtown", "greater")

// geographicParts are the parts of a country or city a possessive names: "Iran's coast".
var geographicParts = setOf("coast", "coastline", "border", "borders", "territory", "soil", "airspace", "waters", "shores",
	"north", "south", "east", "west", "outskirts", "streets", "suburbs", "capital", "provinces", "province", "cities", "desert", "mountains")

// placePrepositions stand before a place rather than an actor: "in Iran", "across Oman".
var placePrepositions = setOf("in", "inside", "into", "across", "throughout", "within", "near", "around", "at", "visit", "visited", "visiting")

// statesByForm reads a state's form standing for it ("the Sultanate", "the Islamic
// Republic"), where one of its names is that form of another of its names ("Sultanate
// of Oman", "Islamic Republic of Iran") and the text names it otherwise too: after
// "the", capitalised, and not itself followed by "of".
func statesByForm(words []word, read []bool, runes []rune, found []mention, names map[string][]domain.Node) []mention {
	forms := map[string][]domain.Entity{} // a form, folded, with the states it is of
	for name, nodes := range names {
		form, of, ok := strings.Cut(name, " of ")
		if !ok {
			continue
		}
		for _, n := range nodes {
			if a, ok := n.(*domain.Actor); ok && a.Kind == domain.ActorState && slices.ContainsFunc(domain.Names(a), func(x string) bool { return domain.Normalize(x) == of }) &&
				!slices.ContainsFunc(forms[form], func(e domain.Entity) bool { return e.NodeID() == a.ID }) {
				forms[form] = append(forms[form], a)
			}
		}
	}
	var out []mention
	for i := 1; i < len(words); i++ {
		if words[i-1].w != "the" || !read[i] || !unicode.IsUpper(runes[words[i].start]) {
			continue
		}
		for n := 2; n >= 1; n-- {
			if i+n > len(words) || i+n < len(words) && words[i+n].w == "of" {
				continue
			}
			var form []string
			for _, w := range words[i : i+n] {
				form = append(form, w.w)
			}
			states := forms[strings.Join(form, " ")]
			if len(states) == 1 && slices.ContainsFunc(found, func(m mention) bool { return m.entity.NodeID() == states[0].NodeID() }) {
				out = append(out, mention{states[0], words[i].start, words[i+n-1].end})
				break
			}
		}
	}
	return out
}

// seatsOfGovernment are the buildings reporting names for a state's government ("the
// White House said"), folded, with the state's name.
var seatsOfGovernment = map[string]string{"white house": "United States", "kremlin": "Russia", "elysee": "France",
	"downing street": "United Kingdom", "chancellery": "Germany", "quirinale": "Italy"}

// seatPrepositions stand before a seat of government as the building: "at the White
// House", "an address from the White House"; not "a White House spokesperson".
var seatPrepositions = setOf("in", "inside", "into", "at", "from", "outside", "near", "to", "visit", "visited", "visiting", "toured", "lawn")

// seats reads a seat of government standing for it ("the White House said") as a
// mention of the government the graph holds: the one actor that REPRESENTS the state
// and whose name calls it an administration or a government. Not after a preposition of
// place (seatPrepositions).
func seats(ctx context.Context, g Graph, words []word, read []bool, runes []rune, names map[string][]domain.Node) ([]mention, error) {
	type seat struct {
		state      string
		start, end int
	}
	var at []seat
	for i := range words {
		for n := 2; n >= 1; n-- {
			if i+n > len(words) || !read[i] || !unicode.IsUpper(runes[words[i].start]) {
				continue
			}
			var name []string
			for _, w := range words[i : i+n] {
				name = append(name, w.w)
			}
			if state := seatsOfGovernment[strings.Join(name, " ")]; state != "" && !placeContext(runes, words[i].start, words[i+n-1].end, seatPrepositions) {
				for _, node := range names[domain.Normalize(state)] {
					if a, ok := node.(*domain.Actor); ok && a.Kind == domain.ActorState {
						at = append(at, seat{a.ID, words[i].start, words[i+n-1].end})
					}
				}
				break
			}
		}
	}
	if len(at) == 0 {
		return nil, nil
	}
	var states []string
	for _, s := range at {
		states = append(states, s.state)
	}
	slices.Sort(states)
	states = slices.Compact(states)
	rels, err := g.RelationsOf(ctx, states, domain.RelationFilter{Types: []domain.RelationType{domain.RelRepresents}, Direction: domain.DirectionIn})
	if err != nil {
		return nil, err
	}
	var ids []string
	stateOf := map[string]string{}
	for i, rs := range rels {
		for _, r := range rs {
			ids = append(ids, r.From)
			stateOf[r.From] = states[i]
		}
	}
	nodes, err := g.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	government := map[string][]domain.Entity{}
	for _, n := range nodes {
		a, ok := n.(*domain.Actor)
		if !ok || a.Kind == domain.ActorPerson {
			continue
		}
		words := strings.Fields(domain.Normalize(a.Name))
		if slices.Contains(words, "administration") || slices.Contains(words, "government") {
			government[stateOf[a.ID]] = append(government[stateOf[a.ID]], a)
		}
	}
	var out []mention
	for _, s := range at {
		if gov := government[s.state]; len(gov) == 1 {
			out = append(out, mention{gov[0], s.start, s.end})
		}
	}
	return out, nil
}
