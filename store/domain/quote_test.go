package domain

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLocate(t *testing.T) {
	tx := NewSourceText("ab “quoted” ab — ab aaa")
	for _, c := range []struct {
		quote      string
		occurrence int
		start      int    // code point offset when found
		field, msg string // when not
	}{
		{"“quoted”", 0, 3, "", ""},
		{"ab", 0, 0, "quote", "occurs 3 times in the source text; give occurrence (1 to 3) to say which is meant"},
		{"ab", 1, 0, "", ""},
		{"ab", 2, 12, "", ""},
		{"ab", 3, 17, "", ""},
		{"ab", 4, 0, "occurrence", "occurrence 4 asked for, but the quote occurs only 3 times in the source text"},
		{"— ab", 0, 15, "", ""},
		{"aa", 2, 21, "", ""}, // overlapping matches count
		{"absent", 0, 0, "quote", "not found verbatim in the source text"},
		{"QUOTED", 0, 0, "quote", "not found verbatim in the source text (it is there with different case, spacing, punctuation or accents)"},
	} {
		at, field, msg := tx.locate(c.quote, c.occurrence)
		if field != c.field || msg != c.msg || msg == "" && tx.codePoint(at) != c.start {
			t.Errorf("locate(%q, %d) = %d, %q, %q; want %d, %q, %q", c.quote, c.occurrence, tx.codePoint(at), field, msg, c.start, c.field, c.msg)
		}
	}
	// Offsets past the first 256 bytes go through the code point table.
	long := NewSourceText(strings.Repeat("x", 300) + "é" + strings.Repeat("x", 300) + "target")
	if at, _, msg := long.locate("target", 0); msg != "" || long.codePoint(at) != 601 {
		t.Errorf("locate in a long text = %d %q, want 601", long.codePoint(at), msg)
	}
}

// TestSourceTextAgreesWithRunes checks offsets, spans and context against the plain
// []rune arithmetic they replace, on texts mixing 1- to 4-byte code points.
func TestSourceTextAgreesWithRunes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', 'b', ' ', 'é', '“', '😀'}
	for round := range 200 {
		r := make([]rune, rng.IntN(1200))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if round%5 == 0 { // ASCII only
			for i := range r {
				r[i] = rune('a' + rng.IntN(2))
			}
		}
		tx := NewSourceText(string(r))
		for range 20 {
			if len(r) == 0 {
				break
			}
			s := rng.IntN(len(r))
			e := s + 1 + rng.IntN(min(6, len(r)-s))
			quote := string(r[s:e])
			var matches []int // code point offsets of every match, overlapping ones too
			for i := 0; i+e-s <= len(r); i++ {
				if slices.Equal(r[i:i+e-s], r[s:e]) {
					matches = append(matches, i)
				}
			}
			occ := 1 + slices.Index(matches, s)
			at, _, msg := tx.locate(quote, occ)
			if msg != "" || tx.codePoint(at) != s {
				t.Fatalf("locate(%q, %d) = %d %q, want %d", quote, occ, tx.codePoint(at), msg, s)
			}
			if _, _, msg := tx.locate(quote, 0); (msg == "") != (len(matches) == 1) {
				t.Fatalf("locate(%q, 0) with %d matches: %q", quote, len(matches), msg)
			}
			if got, ok := tx.quoteAt(s, e, quote); !ok || got != at {
				t.Fatalf("quoteAt(%d, %d) = %d %v, want %d", s, e, got, ok, at)
			}
			if _, ok := tx.quoteAt(s+1, e+1, quote); ok && !slices.Contains(matches, s+1) {
				t.Fatalf("quoteAt(%d, %d) took a span that is not the quote", s+1, e+1)
			}
			prefix, suffix := tx.around(at, at+len(quote))
			if want := string(r[max(0, s-32):s]); prefix != want {
				t.Fatalf("prefix %q, want %q", prefix, want)
			}
			if want := string(r[e:min(len(r), e+32)]); suffix != want {
				t.Fatalf("suffix %q, want %q", suffix, want)
			}
		}
		if _, ok := tx.byteOffset(len(r)); !ok {
			t.Fatalf("byteOffset(%d) of a text of %d code points fails", len(r), len(r))
		}
		if _, ok := tx.byteOffset(len(r) + 1); ok {
			t.Fatalf("byteOffset past the end of the text succeeds")
		}
	}
}

// FuzzAnchor anchors a quote in a text as a write anchors evidence: by searching for
// it (start < 0; occurrence as Evidence.Occurrence) or at the code point offsets
// [start, end) given. It must never panic; when it anchors, the text at the offsets it
// sets is the quote, and the prefix and suffix are the up to 32 code points before and
// after; a quote the text holds, asked for as its first occurrence, always anchors.
func FuzzAnchor(f *testing.F) {
	const text = "ab “quoted” ab — ab aaa"
	f.Add(text, "“quoted”", 0, -1, -1)
	f.Add(text, "ab", 2, -1, -1)
	f.Add(text, "ab", 4, -1, -1)
	f.Add(text, "aa", 2, -1, -1)
	f.Add(text, "QUOTED", 0, -1, -1)
	f.Add(text, "“quoted”", 0, 3, 11)
	f.Add(text, "“quoted”", 0, 4, 12)
	f.Add(strings.Repeat("x", 300)+"é"+strings.Repeat("x", 300)+"target", "target", 0, -1, -1)
	f.Add(strings.Repeat("é😀", 200)+"end", "😀end", 0, 399, 403)
	f.Add("", "a", 0, 0, 1)
	f.Add("abc", "c", -3, -1, -1)
	f.Fuzz(func(t *testing.T, text, quote string, occurrence, start, end int) {
		if !utf8.ValidString(text) || quote == "" || !utf8.ValidString(quote) {
			return // a write refuses these before it anchors anything
		}
		ev := &Evidence{Quote: quote, Occurrence: occurrence}
		if start >= 0 {
			ev.Start, ev.End = &start, &end
		}
		if err := NewSourceText(text).Anchor(ev); err != nil {
			if start < 0 && occurrence == 1 && strings.Contains(text, quote) {
				t.Fatalf("%q, found in the text, did not anchor as its first occurrence: %v", quote, err)
			}
			return
		}
		runes := []rune(text)
		s, e := *ev.Start, *ev.End
		if s < 0 || s > e || e > len(runes) || string(runes[s:e]) != quote {
			t.Fatalf("%q anchored at [%d, %d) of a text of %d code points", quote, s, e, len(runes))
		}
		if want := string(runes[max(0, s-32):s]); ev.Prefix != want {
			t.Fatalf("prefix %q, want %q", ev.Prefix, want)
		}
		if want := string(runes[e:min(len(runes), e+32)]); ev.Suffix != want {
			t.Fatalf("suffix %q, want %q", ev.Suffix, want)
		}
	})
}
