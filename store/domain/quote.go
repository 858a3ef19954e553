package domain

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// SourceText is a source's text prepared for anchoring evidence quotes. Quotes are
// found with strings.Index on the text as it is, and byte offsets are turned into code
// point offsets (and back) through a table of code point counts every 256 bytes, so a
// text is never converted to []rune: that would cost four bytes a code point for every
// source an import quotes. An ASCII text needs no table, its byte and code point
// offsets being the same.
//
// The text must be valid UTF-8 (CheckNode refuses other source texts), so a valid
// quote found in it starts and ends at code point boundaries.
type SourceText struct {
	s      string
	ascii  bool
	marks  []int32 // marks[i] = code points in s[:i*256]; nil when ascii
	folded *string // Normalize(s), made when a quote is first not found
}

// NewSourceText prepares s, valid UTF-8, for anchoring quotes.
func NewSourceText(s string) *SourceText {
	t := &SourceText{s: s, ascii: true}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			t.ascii = false
			break
		}
	}
	if !t.ascii {
		t.marks = make([]int32, len(s)/256+1)
		n := int32(0)
		for i := 0; i < len(s); i++ {
			if i&255 == 0 {
				t.marks[i>>8] = n
			}
			if startsRune(s[i]) {
				n++
			}
		}
	}
	return t
}

// startsRune reports whether b begins a code point (is not a continuation byte).
func startsRune(b byte) bool { return b&0xC0 != 0x80 }

// codePoint converts a byte offset at a code point boundary to a code point offset.
func (t *SourceText) codePoint(b int) int {
	if t.ascii {
		return b
	}
	n := int(t.marks[b>>8])
	for i := b &^ 255; i < b; i++ {
		if startsRune(t.s[i]) {
			n++
		}
	}
	return n
}

// byteOffset converts a code point offset in [0, code points] to a byte offset; ok is
// false when the text is shorter.
func (t *SourceText) byteOffset(n int) (b int, ok bool) {
	if n < 0 || n > len(t.s) { // a text has no more code points than bytes
		return 0, false
	}
	if t.ascii {
		return n, true
	}
	// The last block starting at or before code point n; it is scanned from its start.
	i := sort.Search(len(t.marks), func(i int) bool { return int(t.marks[i]) > n }) - 1
	c := int(t.marks[i])
	for b = i << 8; b < len(t.s); b++ {
		if startsRune(t.s[b]) {
			if c == n {
				return b, true
			}
			c++
		}
	}
	return len(t.s), c == n
}

// Anchor sets the code point offsets, prefix and suffix of ev's quote (non-empty,
// valid UTF-8) in the text: it finds the quote when the offsets are not given, using
// ev.Occurrence, and checks them when they are. It returns an ErrInvalid *Error naming
// the evidence field at fault when the quote is not where it should be, nil otherwise.
func (t *SourceText) Anchor(ev *Evidence) *Error {
	var at int // byte offset of the quote
	if ev.Start == nil || ev.End == nil {
		var field, msg string
		if at, field, msg = t.locate(ev.Quote, ev.Occurrence); msg != "" {
			return Invalid(field, "%s", msg)
		}
		span := new([2]int) // one allocation for both offsets
		span[0] = t.codePoint(at)
		span[1] = span[0] + utf8.RuneCountInString(ev.Quote)
		ev.Start, ev.End = &span[0], &span[1]
	} else {
		var ok bool
		if at, ok = t.quoteAt(*ev.Start, *ev.End, ev.Quote); !ok {
			return Invalid("quote", "is not the source text at [%d, %d)", *ev.Start, *ev.End)
		}
	}
	ev.Prefix, ev.Suffix = t.around(at, at+len(ev.Quote))
	return nil
}

// MaxSpan is the most code points a quote taken from a span of a source's text (an
// evidence record given by its offsets alone, a reviewer's edited span) may have:
// evidence is a passage, and a longer span is most likely a selection gone wrong.
const MaxSpan = 2000

// Span returns the text at code points [start, end), a non-empty span of at most
// MaxSpan code points within the text; otherwise an ErrInvalid *Error naming the start
// or end field.
func (t *SourceText) Span(start, end int) (string, *Error) {
	switch {
	case start < 0:
		return "", Invalid("start", "%d is negative", start)
	case end <= start:
		return "", Invalid("end", "%d is not after start %d: the span is empty", end, start)
	case end-start > MaxSpan:
		return "", Invalid("end", "the span [%d, %d) is %d code points, more than %d", start, end, end-start, MaxSpan)
	}
	e, ok := t.byteOffset(end)
	if !ok {
		return "", Invalid("end", "%d is beyond the source text, of %d code points", end, t.codePoint(len(t.s)))
	}
	b, _ := t.byteOffset(start) // before end, so within the text
	return t.s[b:e], nil
}

// HoldsAt reports whether the code points [start, end) of the text are quote (valid
// UTF-8).
func (t *SourceText) HoldsAt(start, end int, quote string) bool {
	_, ok := t.quoteAt(start, end, quote)
	return ok
}

// locate finds quote (non-empty, valid UTF-8) and returns its byte offset: the
// occurrence-th match (1-based, overlapping matches counted), or with occurrence 0 the
// only one. Otherwise it returns the evidence field at fault and why.
func (t *SourceText) locate(quote string, occurrence int) (at int, field, msg string) {
	at = strings.Index(t.s, quote)
	if at < 0 {
		msg = "not found verbatim in the source text"
		if t.hasFolded(quote) {
			msg += " (it is there with different case, spacing, punctuation or accents)"
		}
		return 0, "quote", msg
	}
	if occurrence == 0 {
		if n := 1 + CountQuote(t.s[at+1:], quote); n > 1 {
			return 0, "quote", fmt.Sprintf("occurs %d times in the source text; give occurrence (1 to %d) to say which is meant", n, n)
		}
		return at, "", ""
	}
	for found := 1; found < occurrence; found++ {
		next := strings.Index(t.s[at+1:], quote)
		if next < 0 {
			return 0, "occurrence", fmt.Sprintf("occurrence %d asked for, but the quote occurs only %d time%s in the source text", occurrence, found, plural(found))
		}
		at += 1 + next
	}
	return at, "", ""
}

// hasFolded reports whether quote is in the text once both are normalized, to tell
// a writer that the quote is nearly right.
func (t *SourceText) hasFolded(quote string) bool {
	nq := Normalize(quote)
	if nq == "" {
		return false
	}
	if t.folded == nil {
		f := Normalize(t.s)
		t.folded = &f
	}
	return strings.Contains(*t.folded, nq)
}

// quoteAt returns the byte offset of the code points [start, end) of the text if they are
// quote (valid UTF-8).
func (t *SourceText) quoteAt(start, end int, quote string) (int, bool) {
	b, ok := t.byteOffset(start)
	if !ok || end-start != utf8.RuneCountInString(quote) || !strings.HasPrefix(t.s[b:], quote) {
		return 0, false
	}
	return b, true
}

// around returns up to 32 code points of the text before byte offset start and after
// byte offset end (TextQuoteSelector prefix and suffix).
func (t *SourceText) around(start, end int) (prefix, suffix string) {
	const n = 32
	p := start
	for k := 0; k < n && p > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(t.s[:p])
		p -= size
	}
	s := end
	for k := 0; k < n && s < len(t.s); k++ {
		_, size := utf8.DecodeRuneInString(t.s[s:])
		s += size
	}
	return t.s[p:start], t.s[end:s]
}

// CountQuote counts the occurrences of quote in text as Evidence.Occurrence numbers
// them: overlapping ones included. Writers of evidence (the seed generator) use it to
// give the occurrence the store will find.
func CountQuote(text, quote string) int {
	if quote == "" {
		return 0
	}
	n := 0
	for {
		i := strings.Index(text, quote)
		if i < 0 {
			return n
		}
		n++
		text = text[i+1:]
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
