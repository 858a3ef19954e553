package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// EachWord calls fn for every word of s as Normalize splits and folds it, with the
// code point offsets [start, end) of the original text the word came from, so a match
// found on folded words can be shown in the text as written. ASCII takes a fast path:
// full-text indexing folds every source text an import holds.
func EachWord(s string, fn func(word string, start, end int)) {
	var b strings.Builder
	start, pos := -1, 0
	flush := func(end int) {
		if b.Len() > 0 {
			fn(b.String(), start, end)
			b.Reset()
		}
		start = -1
	}
	add := func(r rune, at int) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Lm, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = at
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			if start == at { // a separator inside one code point's decomposition
				flush(at + 1)
			} else {
				flush(at)
			}
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if start < 0 {
					start = pos
				}
				b.WriteByte(c)
			case 'A' <= c && c <= 'Z':
				if start < 0 {
					start = pos
				}
				b.WriteByte(c + 'a' - 'A')
			default:
				flush(pos)
			}
		default:
			// A compatibility decomposition can hold several letters or even a
			// separator ("¼" is "1⁄4"); all of them map back to this one code point.
			for _, d := range norm.NFKD.String(string(r)) {
				add(d, pos)
			}
		}
		pos++
	}
	flush(pos)
}

// stopwords are left out of the full-text index and of the words a full-text match
// needs: they are in nearly every text, so they neither find nor rank anything, and
// indexing them would cost a key per text. Names keep them ("Republic of …").
var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true,
	"by": true, "for": true, "from": true, "had": true, "has": true, "have": true, "he": true, "her": true,
	"his": true, "in": true, "is": true, "it": true, "its": true, "not": true, "of": true, "on": true,
	"or": true, "she": true, "that": true, "the": true, "their": true, "they": true, "this": true,
	"to": true, "was": true, "were": true, "which": true, "will": true, "with": true,
}

// maxIndexedWord bounds the words the full-text index keeps, in bytes: longer "words"
// are tokens, hashes or run-together garbage nobody searches for.
const maxIndexedWord = 64

// indexable reports whether the full-text index keeps word.
func indexable(word string) bool { return !stopwords[word] && len(word) <= maxIndexedWord }

// TextRange is a span of code points [Start, End) in a text.
type TextRange struct{ Start, End int }

// excerpt cuts from text the passage around the first words match accepts, at most
// about window code points, on word boundaries, with "…" where it cuts, and returns it
// with the ranges of every accepted word within it. It returns the text's opening
// words and no ranges when nothing matches.
func excerpt(text string, window int, match func(word string) bool) (string, []TextRange) {
	type span struct {
		start, end int
		hit        bool
	}
	var spans []span
	first := -1
	EachWord(text, func(w string, start, end int) {
		hit := match(w)
		if hit && first < 0 {
			first = len(spans)
		}
		spans = append(spans, span{start, end, hit})
	})
	runes := []rune(text)
	if len(runes) <= window || len(spans) == 0 {
		var hl []TextRange
		for _, s := range spans {
			if s.hit {
				hl = append(hl, TextRange{s.start, s.end})
			}
		}
		return text, hl
	}
	// Start a few words before the first match, so it is read in context.
	i := max(first, 0)
	for i > 0 && first >= 0 && spans[first].end-spans[i-1].start < window/3 {
		i--
	}
	from := spans[i].start
	j := i
	for j+1 < len(spans) && spans[j+1].end-from <= window {
		j++
	}
	to := spans[j].end
	var b strings.Builder
	shift := 0
	if from > 0 {
		b.WriteString("…")
		shift = 1
	}
	b.WriteString(string(runes[from:to]))
	if to < len(runes) {
		b.WriteString("…")
	}
	var hl []TextRange
	for _, s := range spans[i : j+1] {
		if s.hit {
			hl = append(hl, TextRange{s.start - from + shift, s.end - from + shift})
		}
	}
	return b.String(), hl
}
