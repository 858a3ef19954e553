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
	// The states whose capitals, peoples or seats of government the text names, to read
	// a capital standing for one and a role phrase anchored in one ("the Iranian
	// foreign minister").
	stateWords := func(state string) {
		domain.EachWord(state, func(w string, _, _ int) { distinct[w] = true })
	}
	for i, w := range words {
		if state, _ := capitalAt(words, i); state != "" {
			stateWords(state)
		}
		if state := demonyms[w.w]; state != "" {
			stateWords(state)
		}
		if i+1 < len(words) && seatsOfGovernment[w.w+" "+words[i+1].w] != "" {
			stateWords(seatsOfGovernment[w.w+" "+words[i+1].w])
		}
		if state := seatsOfGovernment[w.w]; state != "" {
			stateWords(state)
		}
	}
	// Only names all of whose words the text holds can be found in it; topics also by a
	// head the text holds ("human rights" of "Human rights in Iran"), and states by a
	// form ("the Sultanate" of "Sultanate of Oman").
	holds := func(name string) bool {
		return !slices.ContainsFunc(strings.Split(name, " "), func(w string) bool { return !distinct[w] })
	}
	names, err := g.NamesStarting(ctx, slices.Collect(maps.Keys(distinct)), entityKinds, func(name string) bool {
		form, of, isForm := strings.Cut(name, " of ")
		return holds(name) || slices.ContainsFunc(topicHeads(name), holds) || isForm && holds(form) && holds(of)
	})
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
	heads := map[string][]domain.Entity{} // up to two topics by head: a second names none
	for name, nodes := range names {
		for _, head := range topicHeads(name) {
			for _, node := range nodes {
				if node.NodeKind() == domain.KindTopic && len(heads[head]) < 2 && !slices.ContainsFunc(heads[head], func(e domain.Entity) bool { return e.NodeID() == node.NodeID() }) {
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
	read := readable(words, skip)
	for i, w := range words {
		if i%cancelCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !read[i] {
			continue
		}
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
	people, err := surnamesKnown(ctx, g, words, runes)
	if err != nil {
		return nil, err
	}
	found = append(found, surnames(words, read, runes, found, people)...)
	found = governments(words, read, runes, found, names)
	found = append(found, statesByForm(words, read, runes, found, names)...)
	governing, err := seats(ctx, g, words, read, runes, names)
	if err != nil {
		return nil, err
	}
	found = append(found, governing...)
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
		name := domain.Normalize(inner.Base().Name)
		return slices.ContainsFunc(domain.Names(outer), func(n string) bool { return domain.Normalize(n) == name })
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

// allCapitals reports whether every letter of s is a capital.
func allCapitals(s []rune) bool {
	return !slices.ContainsFunc(s, unicode.IsLower)
}

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

// trimSpaceBefore is the position after the last non-space before i.
func trimSpaceBefore(runes []rune, i int) int {
	for i > 0 && unicode.IsSpace(runes[i-1]) {
		i--
	}
	return i
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
		if len(head) >= 3 { // "ballistic missile programme" is the "missile program" too
			for _, synonym := range []string{"programme", "program"} {
				heads = append(heads, strings.Join(append(slices.Clone(head[1:len(head)-1]), synonym), " "))
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
