package seed

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"eventgraph/store"
)

// text is a source text prepared for locating quotes: byte offsets found by
// strings.Index are turned into code point offsets through a table of code point
// counts every 256 bytes (not needed when the text is ASCII).
type text struct {
	s     string
	ascii bool
	marks []int32 // marks[i] = code points in s[:i*256]
}

func newText(s string) *text {
	t := &text{s: s, ascii: true}
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
			if s[i]&0xC0 != 0x80 { // not a continuation byte: a code point starts here
				n++
			}
		}
	}
	return t
}

// runeOffset converts a byte offset at a code point boundary to a code point offset.
func (t *text) runeOffset(b int) int {
	if t.ascii {
		return b
	}
	n := int(t.marks[b>>8])
	for i := b &^ 255; i < b; i++ {
		if t.s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// locate finds the occurrence-th (1-based; 0 = the only one) occurrence of quote and
// returns its code point offsets, or an error message.
func (t *text) locate(quote string, occurrence int) (start, end int, msg string) {
	at := strings.Index(t.s, quote)
	if at < 0 {
		msg = "not found verbatim in the source text"
		if nq := store.Normalize(quote); nq != "" && strings.Contains(store.Normalize(t.s), nq) {
			msg += " (it is there with different case, spacing, punctuation or accents)"
		}
		return 0, 0, msg
	}
	if occurrence <= 1 {
		if occurrence == 0 {
			if next := strings.Index(t.s[at+1:], quote); next >= 0 {
				n := 1 + countOverlapping(t.s[at+1:], quote)
				return 0, 0, fmt.Sprintf("occurs %d times in the source text; give occurrence (1 to %d) to say which is meant", n, n)
			}
		}
	} else {
		found := 1
		for found < occurrence {
			next := strings.Index(t.s[at+1:], quote)
			if next < 0 {
				break
			}
			at += 1 + next
			found++
		}
		if found < occurrence {
			return 0, 0, fmt.Sprintf("occurrence %d asked for, but the quote occurs only %d time%s in the source text", occurrence, found, plural(found))
		}
	}
	start = t.runeOffset(at)
	return start, start + utf8.RuneCountInString(quote), ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// countOverlapping counts the occurrences of quote in s, overlapping ones included, as
// occurrence numbers count them.
func countOverlapping(s, quote string) int {
	n := 0
	for {
		i := strings.Index(s, quote)
		if i < 0 {
			return n
		}
		n++
		s = s[i+1:]
	}
}
