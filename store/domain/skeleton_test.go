package domain_test

import (
	"testing"

	"eventgraph/store/domain"
)

// TestSkeleton: the spellings one name is transliterated with meet; other names do not.
func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"araghchi", "araqchi", "arakchi"},
		{"albusaidi", "busaidi", "bousaidi"},
		{"baghaei", "baqaei"},
		{"esmaeil", "ismail"},
		{"gharibabadi", "qaribabadi"},
		{"witkoff", "vitkoff"},
		{"takht", "takht"},
		{"qatar", "katar"},
	}
	for _, spellings := range same {
		for _, s := range spellings[1:] {
			if a, b := domain.Skeleton(spellings[0]), domain.Skeleton(s); a != b {
				t.Errorf("%s is %q and %s is %q: transliterations of one name should meet", spellings[0], a, s, b)
			}
		}
	}
	differ := [][2]string{{"baghaei", "bagheri"}, {"araghchi", "arak"}, {"witkoff", "kushner"}, {"muscat", "moscow"}}
	for _, d := range differ {
		if domain.Skeleton(d[0]) == domain.Skeleton(d[1]) {
			t.Errorf("%s and %s are both %q", d[0], d[1], domain.Skeleton(d[0]))
		}
	}
}
