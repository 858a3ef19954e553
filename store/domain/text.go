package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds s for matching: decomposed, without combining marks, lower case,
// with every run of non-letters and non-digits turned into one space. "Seyyed ʿAbbās
// ARAGHCHI" and "seyyed abbas araghchi" normalize alike.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Lm, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// Tokens returns the distinct normalized words of s.
func Tokens(s string) []string {
	words := strings.Fields(Normalize(s))
	seen := make(map[string]bool, len(words))
	out := words[:0]
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// MaxTypos is how many edits a query word of n code points may be from a name's word
// and still match it: none for short words, where one edit makes another word.
func MaxTypos(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// WithinEdits reports whether a and b are at most k edits apart, counting an insertion,
// a deletion, a substitution or a swap of neighbours as one edit (optimal string
// alignment distance).
func WithinEdits(a, b string, k int) bool {
	x, y := []rune(a), []rune(b)
	if d := len(x) - len(y); d > k || -d > k {
		return false
	}
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)] <= k
}
