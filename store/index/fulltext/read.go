package fulltext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Posting is one document's entry for a word.
type Posting struct {
	Field         domain.Field
	Count, Length int     // of the word in the text, and of the text, in words
	Weight        float64 // 1 for the word itself, less for a prefix, stem or typo match
	// Stemmed says the document holds the word only in another form with its stem.
	Stemmed bool
}

// malformedPosting is decodePosting's error for v, made only when v is malformed:
// formatting it on every call was a measurable share of a search.
func malformedPosting(v []byte) error { return fmt.Errorf("store: malformed full-text posting %x", v) }

func decodePosting(v []byte) (Posting, error) {
	if len(v) < 3 || int(v[0]) >= len(textFields) || textFields[v[0]].field == "" {
		return Posting{}, malformedPosting(v)
	}
	count, n := binary.Uvarint(v[1:])
	length, m := binary.Uvarint(v[1+max(n, 0):])
	if n <= 0 || m <= 0 {
		return Posting{}, malformedPosting(v)
	}
	return Posting{Field: textFields[v[0]].field, Count: int(count), Length: int(length)}, nil
}

// better reports whether p is a better match of a searched word than old: a match of
// the word as written (whole, prefix, typo) beats one through its stem, then the
// heavier weight wins.
func (p Posting) better(old Posting) bool {
	if p.Stemmed != old.Stemmed {
		return !p.Stemmed
	}
	return p.Weight > old.Weight
}

// Weights of a word matched other than whole, and the shortest searched word that
// matches as a prefix (shorter ones would match half the vocabulary).
const (
	prefixWeight = 0.5
	stemWeight   = 0.5
	typoWeight   = 0.3
	minPrefix    = 3
)

// matchOf is how word, a word of the index, matches q, a searched word that it
// begins with or shares a stem with.
func matchOf(q string, word []byte) Posting {
	switch {
	case string(word) == q:
		return Posting{Weight: 1}
	case utf8.RuneCountInString(q) >= minPrefix && bytes.HasPrefix(word, []byte(q)):
		return Posting{Weight: prefixWeight}
	}
	return Posting{Weight: stemWeight, Stemmed: true}
}

// Postings are the documents a searched word matched, each with its best posting.
type Postings struct {
	Docs map[string]Posting
	// Complete says every matching posting was read, within the limit asked for.
	Complete bool
}

// keep records p for doc when it is doc's best match so far.
func (wp *Postings) keep(doc string, p Posting) {
	if old, ok := wp.Docs[doc]; !ok || p.better(old) {
		wp.Docs[doc] = p
	}
}

// ReadPostings finds the documents holding q whole or, from minPrefix code points, as
// a prefix, and, when stem is not "" (Stem of an unquoted word), those holding another
// word with that stem; failing all, those holding a word a typo or two from it (t). It
// reads at most limit+1 documents, and says whether it read them all.
func ReadPostings(r kv.Reader, t *Typos, q, stem string, limit int) (Postings, error) {
	wp := Postings{Docs: map[string]Posting{}, Complete: true}
	scan := func(prefix []byte, match func(word []byte) Posting) error {
		return r.Iterate(kv.IterOptions{Prefix: prefix}, func(k, v []byte) error {
			word, doc := layout.PostingParts(k)
			p, err := decodePosting(v)
			if err != nil {
				return err
			}
			m := match(word)
			p.Weight, p.Stemmed = m.Weight, m.Stemmed
			wp.keep(string(doc), p)
			if len(wp.Docs) > limit {
				wp.Complete = false
				return kv.ErrStop
			}
			return nil
		})
	}
	prefix := layout.Postings(q)
	if utf8.RuneCountInString(q) >= minPrefix {
		prefix = layout.PostingsFrom(q) // the word itself sorts first, then longer words
	}
	err := scan(prefix, func(word []byte) Posting { return matchOf(q, word) })
	forms, ferr := stemForms(r, q, stem)
	err = errors.Join(err, ferr)
	for _, form := range forms {
		if err == nil && wp.Complete {
			err = scan(layout.Postings(form), func([]byte) Posting { return Posting{Weight: stemWeight, Stemmed: true} })
		}
	}
	if err != nil || len(wp.Docs) > 0 {
		return wp, err
	}
	near, err := t.Of(q)
	for _, word := range near {
		if err == nil && wp.Complete {
			err = scan(layout.Postings(word), func([]byte) Posting { return Posting{Weight: typoWeight} })
		}
	}
	return wp, err
}

// stemForms returns the words of the index with stem, but for those that q's own
// prefix scan reads (q itself and, from minPrefix code points, the words it begins);
// none for stem "".
func stemForms(r kv.Reader, q, stem string) ([]string, error) {
	if stem == "" {
		return nil, nil
	}
	var forms []string
	err := r.Iterate(kv.IterOptions{Prefix: layout.StemWords(stem), KeysOnly: true}, func(k, _ []byte) error {
		if form := layout.StemWord(k); matchOf(q, []byte(form)).Stemmed {
			forms = append(forms, form)
		}
		return nil
	})
	return forms, err
}

// ConfirmPostings reads the postings of q, a word too common to read whole, for the
// candidate documents only, marked incomplete (it stands for a common word), and,
// when stem is not "", those of the other words with that stem. Postings are in
// document order under a word, so it walks each word's postings from the first
// candidate to the last, which costs about as many steps as there are candidates when
// the word is common; a walk that runs too long stops, and point lookups settle the
// rest. Longer words q begins are not looked for.
func ConfirmPostings(r kv.Reader, q, stem string, candidates map[string]Posting) (Postings, error) {
	out := Postings{Docs: make(map[string]Posting, len(candidates))}
	docs := make([]string, 0, len(candidates))
	for doc := range candidates {
		docs = append(docs, doc)
	}
	sort.Strings(docs)
	if len(docs) == 0 {
		return out, nil
	}
	forms, err := stemForms(r, q, stem)
	for _, word := range append([]string{q}, forms...) {
		if err == nil {
			err = confirmWord(r, word, docs, func(doc string, v []byte) error {
				p, err := decodePosting(v)
				m := matchOf(q, []byte(word))
				p.Weight, p.Stemmed = m.Weight, m.Stemmed
				out.keep(doc, p)
				return err
			})
		}
	}
	return out, err
}

// confirmWord calls found for each of docs, in order, that holds word.
func confirmWord(r kv.Reader, word string, docs []string, found func(doc string, v []byte) error) error {
	prefix := layout.Postings(word)
	steps, budget := 0, 8*len(docs)+64
	next := 0 // docs[:next] are settled
	err := r.Iterate(kv.IterOptions{Start: append(bytes.Clone(prefix), docs[0]...), End: append(append(bytes.Clone(prefix), docs[len(docs)-1]...), 0xFF)},
		func(k, v []byte) error {
			if steps++; steps > budget {
				return kv.ErrStop
			}
			doc := string(k[len(prefix):])
			for next < len(docs) && docs[next] < doc {
				next++
			}
			if next == len(docs) {
				return kv.ErrStop
			}
			if docs[next] != doc {
				return nil
			}
			next++
			return found(doc, v)
		})
	if err != nil || steps <= budget {
		return err
	}
	for _, doc := range docs[next:] {
		v, err := r.Get(append(bytes.Clone(prefix), doc...))
		if errors.Is(err, kv.ErrNotFound) {
			continue
		}
		if err == nil {
			err = found(doc, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// TypicalLength is the typical length in words of the texts of field f, which a
// ranking (BM25) compares a text's length against.
func TypicalLength(f domain.Field) float64 { return textFields[fieldCode(f)].length }

// Typos finds, once per search, the vocabulary's words a typo or two from a searched
// word, for both the name and the full-text index.
type Typos struct {
	r    kv.Reader
	near map[string][]string
}

// NewTypos finds typos in the vocabulary r reads.
func NewTypos(r kv.Reader) *Typos { return &Typos{r: r} }

// Of returns the words within domain.MaxTypos edits of w. It compares only the words that
// share w's first two letters, or its first and third (a swapped or an extra second
// letter): typos are rarely made there, and comparing every word with w's first letter
// would cost milliseconds on a large vocabulary.
func (t *Typos) Of(w string) ([]string, error) {
	if near, ok := t.near[w]; ok {
		return near, nil
	}
	runes := []rune(w)
	edits := domain.MaxTypos(len(runes))
	var near []string
	if edits > 0 {
		seen := map[string]bool{}
		for _, prefix := range []string{string(runes[:2]), string([]rune{runes[0], runes[2]})} {
			err := t.r.Iterate(kv.IterOptions{Prefix: layout.VocabularyFrom(prefix), KeysOnly: true}, func(k, _ []byte) error {
				if word := layout.VocabularyWord(k); !seen[word] && domain.WithinEdits(word, w, edits) {
					seen[word] = true
					near = append(near, word)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	if t.near == nil {
		t.near = map[string][]string{}
	}
	t.near[w] = near
	return near, nil
}
