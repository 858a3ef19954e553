package search

import (
	"slices"
	"testing"

	"eventgraph/store/domain"
	"eventgraph/store/index/fulltext"
)

func TestParseQuery(t *testing.T) {
	type wordStem struct{ word, stem string }
	for text, want := range map[string][]wordStem{
		`Enrichment talks`:              {{"enrichment", "enrich"}, {"talks", "talk"}},
		`"enrichment" talks`:            {{"enrichment", ""}, {"talks", "talk"}},
		`talks "enrichment`:             {{"talks", "talk"}, {"enrichment", ""}},
		`“Enrichment” talks`:            {{"enrichment", ""}, {"talks", "talk"}},
		`talks "" enrichment`:           {{"talks", "talk"}, {"enrichment", "enrich"}},
		`talks "talks"`:                 {{"talks", ""}},
		`Araghchí's "1990s" ads Москва`: {{"araghchi", "araghchi"}, {"s", ""}, {"1990s", ""}, {"ads", ""}, {"москва", ""}},
		`" "`:                           nil,
	} {
		var got []wordStem
		for _, q := range parseQuery(text) {
			got = append(got, wordStem{q.word, q.stem})
			if q.skeleton != domain.Skeleton(q.word) {
				t.Errorf("parseQuery(%s): %q has skeleton %q", text, q.word, q.skeleton)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("parseQuery(%s) = %q, want %q", text, got, want)
		}
	}
}

// TestStemsKeepTheFirstLetter checks what matchesWord relies on to stem only the
// words that may match, on the stemmer's irregular forms too.
func TestStemsKeepTheFirstLetter(t *testing.T) {
	for word, other := range map[string]string{"dying": "die", "skies": "sky", "lying": "lie", "early": "earli",
		"yelled": "yelling", "enrichment": "enriched", "talks": "talk"} {
		q := newTerm(other)
		if !matchesWord(word, q) {
			t.Errorf("%q does not match %q (stems %q, %q)", word, other, fulltext.Stem(word), q.stem)
		}
	}
	unstemmed := newTerm("enrichment")
	unstemmed.stem = ""
	if matchesWord("enriched", unstemmed) {
		t.Error("a word without a stem matched another form")
	}
}
