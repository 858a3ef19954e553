// Package fulltext is the full-text index: a derived index (package index) in the store
// beside what it indexes, written in the same transaction (or the same bulk import) as
// the text, so no crash and no reader can ever see the two disagree, and a snapshot
// read "as of" a past version searches the texts of that version. A separate engine
// (bleve) would be a second store to keep in step, recover after crashes and version
// for time travel; this index needs none of that. What it gives up against one: phrase
// queries (the words of a quoted phrase need not be adjacent).
//
// It holds postings (layout.PostingKey): for each word of an entity's description, a
// position's statement, a source's text or the quote of evidence whose source text is
// not held (quotes anchored in a held text are found through that text), the field,
// the word's count and the text's length, for BM25; the vocabulary
// (layout.VocabularyKey) of the words of this index and of the name index, for typo
// matching; and the words of this index by their English stem (layout.StemKey, Stem),
// so that "enrichment" finds "enriched". Vocabulary and stem keys are never deleted: a
// stale word only costs a lookup that finds nothing.
//
// Postings hold words as written and stems are a map from a stem to those words,
// rather than postings of their own, for three reasons: a stem key costs one key per
// distinct word where stem postings would cost one per word of every text, doubling
// the largest part of the index; a match on the word as written, which ranks above a
// match through the stem alone, needs no second read of the text; and a quoted word,
// which matches as written only, reads what it always read.
package fulltext

import (
	"bytes"
	"encoding/binary"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Index is the full-text index.
type Index struct{}

// Name, Version and Owns make Index an index.Index.
func (Index) Name() string { return "fulltext" }
func (Index) Version() int { return 4 }
func (Index) Owns() [][]byte {
	return [][]byte{layout.AllPostings(), layout.Vocabulary(), layout.AllStems()}
}

// Plan plans the postings of the texts a write changes and adds their words, and the
// words of the names it writes, to the vocabulary, and the texts' words to the stems.
func (Index) Plan(keys index.Keys) index.Plan { return &plan{keys: keys} }

type plan struct {
	keys  index.Keys
	vocab map[string]bool // words new keys hold, for the vocabulary: true for a text's
}

func (p *plan) Node(old, cur domain.Node) {
	had := nameWords(old)
	for w := range nameWords(cur) {
		if !had[w] {
			p.addWord(w, false)
		}
	}
	p.putPostings(nodePostings(old), nodePostings(cur))
}

func (p *plan) Relation(_, _ *domain.Relation, _ index.KindOf) error { return nil }

func (p *plan) Evidence(old, cur *domain.Evidence) {
	p.putPostings(evidencePostings(old), evidencePostings(cur))
}

// Finish adds the words of the write to the vocabulary, and its texts' words to the
// stems.
func (p *plan) Finish(index.Commit) (func(), error) {
	return nil, p.vocabularyKeys(func(k []byte) error {
		p.keys.Set(k, nil)
		return nil
	})
}

// vocabularyKeys calls set with the key of each word planned in the vocabulary and,
// for a text's word, its stem's.
func (p *plan) vocabularyKeys(set func(k []byte) error) error {
	for word, text := range p.vocab {
		if err := set(layout.VocabularyKey(word)); err != nil {
			return err
		}
		if !text {
			continue
		}
		if k := stemKey(word); k != nil {
			if err := set(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// textFields are the fields of the full-text index, by their code in postings, with
// the typical length in words that BM25 compares a text's length against.
var textFields = []struct {
	field  domain.Field
	length float64
}{1: {domain.FieldDescription, 40}, 2: {domain.FieldStatement, 30}, 3: {domain.FieldText, 800}, 4: {domain.FieldQuote, 25}}

func fieldCode(f domain.Field) byte {
	for i, tf := range textFields {
		if tf.field == f {
			return byte(i)
		}
	}
	panic("fulltext: no field " + f)
}

// posting is a full-text index entry of a text: the word it is for, its key and value.
type posting struct {
	word       string
	key, value []byte
}

// postings returns the full-text index entries of a text.
func postings(field domain.Field, text string, doc string) []posting {
	if text == "" {
		return nil
	}
	counts := map[string]int{}
	length := 0
	domain.EachWord(text, func(w string, _, _ int) {
		length++
		if Indexable(w) {
			counts[w]++
		}
	})
	out := make([]posting, 0, len(counts))
	for w, n := range counts {
		v := binary.AppendUvarint([]byte{fieldCode(field)}, uint64(n))
		out = append(out, posting{word: w, key: layout.PostingKey(w, doc), value: binary.AppendUvarint(v, uint64(length))})
	}
	return out
}

// nodePostings returns the full-text index entries of a node; none for nil.
func nodePostings(n domain.Node) []posting {
	if n == nil {
		return nil
	}
	field, text := domain.TextOf(n)
	return postings(field, text, n.NodeID())
}

// evidencePostings returns the full-text index entries of an evidence record: its
// quote when it is not anchored in a held source text; none for nil.
func evidencePostings(ev *domain.Evidence) []posting {
	if ev == nil || ev.Start != nil {
		return nil
	}
	return postings(domain.FieldQuote, ev.Quote, layout.QuoteDoc(ev.Source, ev.Subject, ev.ID))
}

// putPostings plans the change of the full-text index from old to cur entries. An
// import's records are new (old is nil), so it needs no map for them.
func (p *plan) putPostings(old, cur []posting) {
	var was map[string][]byte
	if len(old) > 0 {
		was = make(map[string][]byte, len(old))
		for _, o := range old {
			was[string(o.key)] = o.value
		}
	}
	for _, c := range cur {
		if v, ok := was[string(c.key)]; ok {
			delete(was, string(c.key))
			if bytes.Equal(v, c.value) {
				continue
			}
		}
		p.keys.Set(c.key, c.value)
		p.addWord(c.word, true)
	}
	for k := range was {
		p.keys.Delete([]byte(k))
	}
}

// addWord plans adding word to the vocabulary and, for a word of a text, to the stems.
// A word already planned, the common case, is looked up once and not stored again.
func (p *plan) addWord(word string, text bool) {
	if p.vocab == nil {
		p.vocab = map[string]bool{}
	}
	if had, ok := p.vocab[word]; !ok || text && !had {
		p.vocab[word] = text
	}
}

// Rebuild writes the full-text postings, the vocabulary and the stems from the records.
func (Index) Rebuild(r kv.Reader, w index.Writer) error {
	var p plan // for its vocabulary
	put := func(entries []posting) error {
		for _, e := range entries {
			if err := w.Set(e.key, e.value); err != nil {
				return err
			}
			p.addWord(e.word, true)
		}
		return nil
	}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Nodes()}, func(_, v []byte) error {
		n, err := layout.DecodeNode(v)
		if err != nil {
			return err
		}
		for word := range nameWords(n) {
			p.addWord(word, false)
		}
		return put(nodePostings(n))
	})
	if err == nil {
		err = r.Iterate(kv.IterOptions{Prefix: layout.AllEvidence()}, func(_, v []byte) error {
			ev, err := layout.DecodeEvidence(v)
			if err != nil {
				return err
			}
			return put(evidencePostings(ev))
		})
	}
	if err != nil {
		return err
	}
	return p.vocabularyKeys(func(k []byte) error { return w.Set(k, nil) })
}

// stopwords are left out of the full-text index and of the words a full-text match
// needs: they are in nearly every text, so they neither find nor rank anything, and
// indexing them would cost a key per text. Names keep them ("Republic of …").
var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true,
	"by": true, "for": true, "from": true, "had": true, "has": true, "have": true, "he": true, "her": true,
	"his": true, "in": true, "is": true, "it": true, "its": true, "not": true, "of": true, "on": true,
	"or": true, "she": true, "that": true, "the": true, "their": true, "they": true, "this": true,
	"to": true, "was": true, "were": true, "which": true, "will": true, "with": true,
}

// maxIndexedWord bounds the words the full-text index keeps, in bytes: longer "words"
// are tokens, hashes or run-together garbage nobody searches for.
const maxIndexedWord = 64

// Indexable reports whether the full-text index keeps word.
func Indexable(word string) bool { return !stopwords[word] && len(word) <= maxIndexedWord }

// IsStopword reports whether word is one the full-text index leaves out for being in
// nearly every text.
func IsStopword(word string) bool { return stopwords[word] }

// nameWords are the words of n's names (normalized), which the vocabulary holds
// beside the full text's; none for nil.
func nameWords(n domain.Node) map[string]bool {
	words := map[string]bool{}
	if n != nil {
		for _, name := range domain.Names(n) {
			for _, t := range domain.Tokens(name) {
				words[t] = true
			}
		}
	}
	return words
}
