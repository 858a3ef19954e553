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

// SoundalikeSimilarity is how alike, by Jaro-Winkler, a word and a name word of the same
// skeleton must be to be read as one: "araqchi" and "araghchi" are 0.87, "baqaei" and
// "baghaei" 0.88, "back" and "baghaei" 0.68.
const SoundalikeSimilarity = 0.8

// Soundalike reports whether word (folded) may be name, a word of a name, spelt another
// way: the same skeleton, alike letter by letter (SoundalikeSimilarity), and not a word
// made from the name ("omani" is not "oman", "iranian" not "iran").
func Soundalike(word, name string) bool { return SoundalikeOf(word, Skeleton(word), name) }

// SoundalikeOf is Soundalike with word's Skeleton given, for one word compared with many
// names.
func SoundalikeOf(word, skeleton, name string) bool {
	return word != name && !strings.HasPrefix(word, name) && skeleton == Skeleton(name) && JaroWinkler(word, name) >= SoundalikeSimilarity
}

// JaroWinkler is the Jaro-Winkler similarity of a and b, from 0 (nothing alike) to 1.
func JaroWinkler(a, b string) float64 {
	s, t := []rune(a), []rune(b)
	if len(s) == 0 || len(t) == 0 {
		return 0
	}
	window := max(len(s), len(t))/2 - 1
	matchedS, matchedT := make([]bool, len(s)), make([]bool, len(t))
	matches := 0
	for i := range s {
		for j := max(0, i-window); j < min(len(t), i+window+1); j++ {
			if !matchedT[j] && s[i] == t[j] {
				matchedS[i], matchedT[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range s {
		if !matchedS[i] {
			continue
		}
		for !matchedT[j] {
			j++
		}
		if s[i] != t[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(s)) + m/float64(len(t)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(s), len(t)) && s[prefix] == t[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
