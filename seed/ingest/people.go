package ingest

// People: a name spelt another way, and a person named by surname.

import (
	"context"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"eventgraph/store/domain"
)

// surnamesKnown are the surnames of the people the graph holds that the text's
// capitalised words may be: a word that ends the name of one person and of no other
// ("Trump" is Donald Trump, the Trump administration aside). surnames leaves out the
// words inside names found.
func surnamesKnown(ctx context.Context, g Graph, words []word, runes []rune) (map[string]domain.Entity, error) {
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
				ws := strings.Fields(domain.Normalize(name))
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
		// The name's last word as matched, respelled: "Vitkoff" in "Steve Vitkoff" is
		// "witkoff", as every later "Vitkoff" is.
		var in []string
		for _, w := range words {
			if w.start >= m.start && w.end <= m.end {
				in = append(in, w.w)
			}
		}
		if len(in) < 2 {
			continue
		}
		last := in[len(in)-1]
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

// givenName reports whether a state's name stands as a person's given name: after a
// person's title and before a capitalised name ("Defense Minister Israel Katz"). The
// words are then a new person's name, not a mention of the state.
func givenName(runes []rune, m mention) bool {
	if a, ok := m.entity.(*domain.Actor); !ok || a.Kind != domain.ActorState {
		return false
	}
	next := wordAt(runes, m.end)
	title := strings.ToLower(wordBefore(runes, trimSpaceBefore(runes, m.start)))
	return personTitles[title] && m.end+1 < len(runes) && runes[m.end] == ' ' && next != "" &&
		unicode.IsUpper([]rune(next)[0]) && strings.HasPrefix(string(runes[m.end+1:]), next)
}
