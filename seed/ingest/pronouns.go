package ingest

// Pronouns: "he said" is the person the text last named.

import (
	"slices"
	"strings"

	"eventgraph/store/domain"
)

// pronounReach is how many sentences back a pronoun's person may have been named: "Last
// month he sent a letter" after "Trump … said" in the sentence before.
const pronounReach = 1

// pronouns are the mentions "he" and "she" make of the person named last before them,
// within pronounReach sentences of one paragraph or the paragraph before, outside
// quotations (where "he" is the speaker's, not the article's). They name the speakers
// of statements, not the article's mentions nor other claims' ends: a pronoun is no
// spelling of a name, and "he" after a quotation says who spoke, not who did what the
// quotation says.
func pronouns(runes []rune, sents []domain.TextRange, words []word, named []mention) []mention {
	var persons []mention
	for _, m := range named {
		if a, ok := m.entity.(*domain.Actor); ok && a.Kind == domain.ActorPerson {
			persons = append(persons, m)
		}
	}
	if len(persons) == 0 {
		return nil
	}
	quoted := quotedRanges(runes)
	var out []mention
	k := 0 // the sentence holding the word
	for _, w := range words {
		if w.w != "he" && w.w != "she" {
			continue
		}
		for k < len(sents) && sents[k].End <= w.start {
			k++
		}
		if k == len(sents) || slices.ContainsFunc(quoted, func(r domain.TextRange) bool { return r.Start <= w.start && w.start < r.End }) {
			continue
		}
		from := sents[max(0, k-pronounReach)].Start
		i, _ := slices.BinarySearchFunc(persons, w.start, func(m mention, at int) int { return m.start - at })
		if i == 0 || persons[i-1].start < from || persons[i-1].end > w.start {
			continue
		}
		out = append(out, mention{persons[i-1].entity, w.start, w.end})
	}
	return out
}

// quotedRanges are the spans of text inside quotation marks, curly or straight; a
// quotation left open ends with its paragraph.
func quotedRanges(runes []rune) []domain.TextRange {
	var out []domain.TextRange
	open := -1
	for i, r := range runes {
		switch {
		case r == '\n' && open >= 0:
			out, open = append(out, domain.TextRange{Start: open, End: i}), -1
		case r == '“' || r == '"' && open < 0 && opensQuote(runes, i):
			open = i
		case (r == '”' || r == '"') && open >= 0:
			out, open = append(out, domain.TextRange{Start: open, End: i + 1}), -1
		}
	}
	if open >= 0 {
		out = append(out, domain.TextRange{Start: open, End: len(runes)})
	}
	return out
}

// isPronoun reports whether m is a pronoun's mention.
func isPronoun(runes []rune, m mention) bool {
	w := strings.ToLower(string(runes[m.start:m.end]))
	return w == "he" || w == "she"
}
