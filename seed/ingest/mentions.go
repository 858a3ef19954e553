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
	// The states whose capitals the text names, to read a capital standing for one.
	for i := range words {
		if state, _ := capitalAt(words, i); state != "" {
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
	for _, ns := range byFirst {
		slices.SortFunc(ns, func(a, b knownName) int {
			return cmp.Or(cmp.Compare(len(b.words), len(a.words)), slices.Compare(a.words, b.words))
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
	found = append(found, surnames(words, read, runes, found)...)
	found = governments(words, read, runes, found, names)
	slices.SortStableFunc(found, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	return oneEntityPerSpan(found, runes), nil
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
// "in Tehran", "flew to Tehran", "districts of Tehran", "a Tehran market", "visited Tehran".
var movementPrepositions = setOf("in", "inside", "into", "across", "throughout", "within", "near", "around", "at", "to", "from", "via", "outside", "over", "above", "toward", "towards",
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

// surnames finds the later mentions of the people an article names in full: each
// capitalised word that is the last word of a person's full name found in the text
// ("Witkoff" after "Steve Witkoff"), standing alone or after a title ("Mr. Witkoff",
// "President Trump"), but not after another capitalised word that is not a title
// ("Ivanka Trump" is somebody else). Words inside a name already found are left alone.
func surnames(words []word, read []bool, runes []rune, found []mention) []mention {
	people := map[string]domain.Entity{} // surname → the person named in full
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
		if p, ok := people[last]; ok && p.NodeID() != a.ID {
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
		if i > 0 && words[i-1].end+2 >= w.start && unicode.IsUpper(runes[words[i-1].start]) && !titles[words[i-1].w] && !inside(words[i-1]) {
			continue
		}
		out = append(out, mention{p, w.start, w.end})
	}
	return out
}

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
	return prepositions[strings.ToLower(w)]
}

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
// close letter by letter (Jaro-Winkler similarity at least minSimilarity). The word's
// span is unchanged; only what it is matched as.
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
		best, score := "", minSimilarity
		for _, n := range names {
			if strings.HasPrefix(w, n) {
				continue // a word made from the name ("Omani", "Iranian") is not the name
			}
			if s := jaroWinkler(w, n); s >= score {
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

// minSimilarity is how alike, by Jaro-Winkler, a word and a name word of the same
// skeleton must be to be read as one: "araqchi" and "araghchi" are 0.87, "baqaei" and
// "baghaei" 0.88, "back" and "baghaei" 0.68.
const minSimilarity = 0.8

// jaroWinkler is the Jaro-Winkler similarity of a and b, from 0 (nothing alike) to 1.
func jaroWinkler(a, b string) float64 {
	s, t := []rune(a), []rune(b)
	if len(s) == 0 || len(t) == 0 {
		return 0
	}
	window := max(len(s), len(t))/2 - 1
	matchedS, matchedT := make([]bool, len(s)), make([]bool, len(t))
	matches := 0
	for i := range s {
		for j := max(0, i-window); j < min(len(t), i+window+1); j++ {
			if !matchedT[j] && s[i] == t[j] {
				matchedS[i], matchedT[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range s {
		if !matchedS[i] {
			continue
		}
		for !matchedT[j] {
			j++
		}
		if s[i] != t[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(s)) + m/float64(len(t)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(s), len(t)) && s[prefix] == t[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
