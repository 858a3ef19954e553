package ingest

import (
	"strings"
	"unicode"

	"eventgraph/store/domain"
)

// sentences splits text into sentences, without the white space around them; a
// candidate's evidence is one of them, so a quote is never cut inside a sentence.
//
// A line end always ends one: headlines, list items, captions and table rows are lines
// of their own. Inside a line a sentence ends at ".", "!", "?" or "…" (with any closing
// quotes or brackets after it) followed by white space and the start of a sentence: a
// capital, a digit or an opening quote. Not before a bracket that closes the line (a
// caption's credit); not where the word before the full stop is a title or a month
// ("Adm. Cooper", "Mr. Witkoff", "Feb. 6", "St. Petersburg"), an initial ("J. D.
// Vance"), or an abbreviation in capitals with full stops ("U.S.", "U.N.") followed by a
// word that is not one a sentence starts with ("the U.S. Navy" goes on; "talks with the
// U.S. The envoy" ends); and not inside a quotation, so that a quote of several sentences
// stays with the words that attribute it ("No. Never," he said), unless the quotation
// runs past quoteSpan code points without closing (a quote left open to the next
// paragraph, as reporting does).
//
// Compared with Punkt (github.com/neurosnap/sentences) on the gold set and the hard cases
// of sentences_test.go: docs/ingestion.md.
func sentences(text []rune) []domain.TextRange {
	var out []domain.TextRange
	add := func(start, end int) {
		for start < end && unicode.IsSpace(text[start]) {
			start++
		}
		for end > start && unicode.IsSpace(text[end-1]) {
			end--
		}
		if start < end {
			out = append(out, domain.TextRange{Start: start, End: end})
		}
	}
	start := 0
	quoteFrom := -1 // where the open quotation began; -1 when none is open
	for i := 0; i < len(text); i++ {
		r := text[i]
		switch {
		case r == '\n':
			add(start, i)
			start, quoteFrom = i, -1
		case r == '“' || r == '"' && quoteFrom < 0 && opensQuote(text, i):
			quoteFrom = i
		case r == '”' || r == '"' && quoteFrom >= 0:
			quoteFrom = -1
		case r == '.' || r == '!' || r == '?' || r == '…':
			end := i + 1
			for end < len(text) && closer(text[end]) {
				if text[end] == '"' || text[end] == '”' {
					quoteFrom = -1
				}
				end++
			}
			if quoteFrom >= 0 && i-quoteFrom < quoteSpan {
				continue
			}
			if endsSentence(text, i, end) {
				add(start, end)
				start, quoteFrom = end, -1
				i = end - 1
			}
		}
	}
	add(start, len(text))
	return out
}

// quoteSpan is how long a quotation left open still holds its sentences together.
const quoteSpan = 400

// opensQuote reports whether the straight quote at i opens a quotation: at the start or
// after white space or an opening bracket.
func opensQuote(text []rune, i int) bool {
	return i == 0 || unicode.IsSpace(text[i-1]) || strings.ContainsRune("([{—–-", text[i-1])
}

// closer is what may follow a sentence's last punctuation before the space: closing
// quotes and brackets.
func closer(r rune) bool { return strings.ContainsRune(`"”’')]`, r) }

// endsSentence reports whether the punctuation at i, whose closers run to end, ends a
// sentence.
func endsSentence(text []rune, i, end int) bool {
	if end == len(text) {
		return true
	}
	if !unicode.IsSpace(text[end]) {
		return false
	}
	next := end
	for next < len(text) && unicode.IsSpace(text[next]) {
		if text[next] == '\n' {
			return true
		}
		next++
	}
	if next == len(text) {
		return true
	}
	if c := text[next]; !unicode.IsUpper(c) && !unicode.IsDigit(c) && !strings.ContainsRune(`"“‘'([`, c) {
		return false
	}
	if text[next] == '(' && closesLine(text, next) {
		return false // a caption's credit: "… April 19, 2025. (Gulf Wire)"
	}
	if text[i] != '.' {
		return true
	}
	word := wordBefore(text, i)
	switch {
	case neverFinal[strings.ToLower(word)]:
		return false
	case dottedCapitals(text, i):
		return sentenceStarter[strings.ToLower(wordAt(text, next))]
	case len([]rune(word)) == 1 && unicode.IsUpper([]rune(word)[0]):
		return false // an initial
	}
	return true
}

// closesLine reports whether the bracket opened at i closes at the end of its line.
func closesLine(text []rune, i int) bool {
	for j := i + 1; j < len(text) && text[j] != '\n'; j++ {
		if text[j] == ')' {
			for j++; j < len(text) && text[j] != '\n'; j++ {
				if !unicode.IsSpace(text[j]) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// wordBefore is the run of letters just before position i.
func wordBefore(text []rune, i int) string {
	j := i
	for j > 0 && unicode.IsLetter(text[j-1]) {
		j--
	}
	return string(text[j:i])
}

// wordAt is the run of letters from position i.
func wordAt(text []rune, i int) string {
	for i < len(text) && !unicode.IsLetter(text[i]) {
		i++
	}
	j := i
	for j < len(text) && (unicode.IsLetter(text[j]) || text[j] == '\'' || text[j] == '’') {
		j++
	}
	w := strings.TrimSuffix(strings.TrimSuffix(string(text[i:j]), "'s"), "’s")
	return w
}

// dottedCapitals reports whether the full stop at i ends an abbreviation of single
// letters each with its full stop: "U.S.", "U.N.", "D.C.", "a.m.".
func dottedCapitals(text []rune, i int) bool {
	n := 0
	for j := i; j >= 1 && text[j] == '.' && unicode.IsLetter(text[j-1]) && (j < 2 || !unicode.IsLetter(text[j-2])); j -= 2 {
		n++
	}
	return n >= 2
}

// neverFinal are the words that, with a full stop, stand before a name or a number and
// do not end a sentence: titles, and months and days as datelines abbreviate them.
var neverFinal = setOf(
	"mr", "mrs", "ms", "dr", "prof", "gen", "adm", "lt", "col", "maj", "capt", "cmdr", "cdr", "sgt", "cpl", "brig",
	"rep", "sen", "gov", "pres", "amb", "rev", "hon", "st", "mt", "ft", "vol",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
	"vs", "approx", "al",
)

// sentenceStarter are words that begin sentences far more often than they follow an
// abbreviation inside one: after "U.S." they mean the sentence ended.
var sentenceStarter = setOf(
	"a", "an", "the", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "there",
	"his", "her", "its", "their", "our", "but", "and", "or", "so", "yet", "in", "on", "at", "as", "after",
	"before", "while", "when", "if", "since", "although", "though", "however", "meanwhile", "instead", "still",
	"one", "two", "three", "some", "many", "most", "both", "neither", "no", "not", "what", "why", "how", "who",
	"officials", "asked", "earlier", "later", "last", "next", "for", "with", "without", "during", "under",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
