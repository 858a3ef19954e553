package store

import (
	"fmt"
	"slices"
)

// FindQuote locates quote in text and returns its code point offsets [start, end).
// occurrence picks the n-th match (1-based); 0 requires exactly one. When the quote
// cannot be placed, msg says why (not found verbatim, ambiguous, occurrence too large).
func FindQuote(text []rune, quote string, occurrence int) (start, end int, msg string) {
	q := []rune(quote)
	if len(q) == 0 {
		return 0, 0, "is empty"
	}
	var at []int
	for i := 0; i+len(q) <= len(text); i++ {
		if text[i] == q[0] && slices.Equal(text[i:i+len(q)], q) {
			at = append(at, i)
		}
	}
	switch {
	case len(at) == 0:
		return 0, 0, "is not found verbatim in the source text"
	case occurrence < 0:
		return 0, 0, fmt.Sprintf("occurrence %d must be positive", occurrence)
	case occurrence == 0 && len(at) > 1:
		return 0, 0, fmt.Sprintf("occurs %d times in the source text; say which with occurrence", len(at))
	case occurrence > len(at):
		return 0, 0, fmt.Sprintf("occurrence %d asked for, but the quote occurs %d times", occurrence, len(at))
	}
	i := at[max(occurrence, 1)-1]
	return i, i + len(q), ""
}
