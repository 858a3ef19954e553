package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// refusedRune finds the first character of s that no stored text may hold: NUL and the
// other C0 control characters but tab, newline and carriage return (invisible, and
// able to cut a string short in C programs and terminals), and the bidirectional
// embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069, which make
// a name display as another (the "Trojan Source" trick). It returns the character and
// its byte offset, or -1 when s holds none. The marks U+200E and U+200F, common in
// right-to-left names, are accepted.
func refusedRune(s string) (r rune, at int) {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r':
			return rune(b), i
		case b == 0xE2 && i+2 < len(s) && isBidiControl(s[i+1], s[i+2]):
			r, _ := utf8.DecodeRuneInString(s[i:])
			return r, i
		}
	}
	return 0, -1
}

// isBidiControl reports whether E2 b1 b2 encodes U+202A–U+202E or U+2066–U+2069.
func isBidiControl(b1, b2 byte) bool {
	return b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE || b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9
}

// CheckText returns an ErrInvalid *Error naming field when s holds a character no
// stored text may hold (control characters but tab and line breaks, bidirectional
// embeddings, overrides and isolates), nil otherwise.
func CheckText(field, s string) *Error {
	r, at := refusedRune(s)
	if at < 0 {
		return nil
	}
	return &Error{Kind: ErrInvalid, Index: -1, Field: field, Message: fmt.Sprintf(
		"holds %U at code point %d: control characters (but tab and line breaks) and bidirectional overrides are refused",
		r, utf8.RuneCountInString(s[:at]))}
}

// StripRefused returns s without the characters refusedRune finds: bidirectional
// controls are dropped and other control characters become spaces, so the words
// around them stay apart. Ingestion runs article texts through it, since real pages
// carry such characters; every other way in refuses them instead.
func StripRefused(s string) string {
	r, at := refusedRune(s)
	if at < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for ; at >= 0; r, at = refusedRune(s) {
		b.WriteString(s[:at])
		if r < 0x20 {
			b.WriteByte(' ')
		}
		s = s[at+utf8.RuneLen(r):]
	}
	b.WriteString(s)
	return b.String()
}
