package domain

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

// TextRange is a span of code points [Start, End) in a text.
type TextRange struct{ Start, End int }
