package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestEachWordSplitsAsNormalize(t *testing.T) {
	for _, s := range []string{
		"Seyyed ʿAbbās ARAGHCHI", "  US-Iran   talks! ", "Iran’s", "¼ of the ﬁnal", "Ｆｕｌｌ width", "Ōman's Āl Bū Saʿīd", "",
		"naïve café — déjà vu", "한국어 텍스트", "x²+y²",
	} {
		var words []string
		runes := []rune(s)
		EachWord(s, func(w string, start, end int) {
			words = append(words, w)
			if Normalize(string(runes[start:end])) == "" {
				t.Errorf("%q: word %q maps back to %q, which holds no word", s, w, string(runes[start:end]))
			}
		})
		if want := strings.Fields(Normalize(s)); !slices.Equal(words, want) && !(len(words) == 0 && len(want) == 0) {
			t.Errorf("EachWord(%q) = %q, Normalize splits %q", s, words, want)
		}
	}
}
