package domain

import "strings"

// Skeleton is the consonant skeleton of a name's word, folded as Tokens folds it: the
// key by which transliterations of one name meet ("araghchi", "araqchi" and "arakchi"
// are "arkc"; "albusaidi", "busaidi" and "bousaidi" are "bsd"; "baghaei" and "baqaei"
// are "bk"). A leading "al" or "el" article is dropped from a long word; the sounds that
// Latin spellings of Arabic and Persian trade for one another fold together (gh, kh, q,
// g, c and k; ch and tch; sh and s; w and v; ph and f; th and t; dh and d); vowels after
// the first letter go, a first vowel becomes "a", and doubled letters are one. Words of
// other languages share skeletons too ("back" is "bk"): it finds candidates, which a
// caller then compares letter by letter.
func Skeleton(word string) string {
	w := []rune(word)
	if len(w) >= 7 && (strings.HasPrefix(word, "al") || strings.HasPrefix(word, "el")) {
		w = w[2:]
	}
	var out []rune
	emit := func(r rune) {
		if len(out) == 0 || out[len(out)-1] != r {
			out = append(out, r)
		}
	}
	for i := 0; i < len(w); i++ {
		r := w[i]
		next := rune(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case next == 'h' && strings.ContainsRune("gkcstzpd", r):
			i++
			emit(map[rune]rune{'g': 'k', 'k': 'k', 'c': 'c', 's': 's', 't': 't', 'z': 'j', 'p': 'f', 'd': 'd'}[r])
		case r == 't' && next == 'c' && i+2 < len(w) && w[i+2] == 'h':
			// "tch" is "ch"
		case strings.ContainsRune("aeiouy", r):
			if len(out) == 0 {
				out = append(out, 'a')
			}
		case strings.ContainsRune("qgck", r):
			emit('k')
		case r == 'w':
			emit('v')
		default:
			emit(r)
		}
	}
	return string(out)
}
