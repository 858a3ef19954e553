package fulltext

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"

	"eventgraph/store/layout"
)

// minStem is the shortest stem, in letters, that other forms are matched through:
// shorter ones ("ads" → "ad") join words that have little to do with each other, as a
// prefix that short would.
const minStem = minPrefix

// Stem returns the English (Snowball, Porter2) stem of word, a word as domain.EachWord
// folds it, or "" when its other forms are not matched: a word of anything but the
// letters a–z (a number, a word of another script), or one whose stem is shorter than
// minStem. Folding has already turned accented Latin letters into plain ones, so a
// transliterated name stems like any other word; it rarely has forms to share.
func Stem(word string) string {
	for _, r := range word {
		if r >= utf8.RuneSelf || !unicode.IsLower(r) {
			return ""
		}
	}
	env := snowballstem.NewEnv(word)
	english.Stem(env)
	if stem := env.Current(); len(stem) >= minStem {
		return stem
	}
	return ""
}

// stemKey is the key that lists word, a word of a text, under its stem; nil when it
// has none.
func stemKey(word string) []byte {
	if stem := Stem(word); stem != "" {
		return layout.StemKey(stem, word)
	}
	return nil
}
