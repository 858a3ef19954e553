package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"sort"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// The full-text index is a derived index (derived.go) in the store beside what it
// indexes, written in the same transaction (or the same bulk import) as the text, so no
// crash and no reader can ever see the two disagree, and a snapshot read "as of" a past version searches the
// texts of that version. A separate engine (bleve) would be a second store to keep in
// step, recover after crashes and version for time travel; this index needs none of
// that. What it gives up against one: phrase queries and language stemming.
//
// Its keys are in the layout (package layout): postings under x␀, the vocabulary
// under g␀.
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
	panic("store: no full-text field " + f)
}

// postings returns the full-text index entries of a text: key → posting.
func postings(field domain.Field, text string, doc string) map[string][]byte {
	if text == "" {
		return nil
	}
	counts := map[string]int{}
	length := 0
	domain.EachWord(text, func(w string, _, _ int) {
		length++
		if indexable(w) {
			counts[w]++
		}
	})
	out := make(map[string][]byte, len(counts))
	for w, n := range counts {
		v := binary.AppendUvarint([]byte{fieldCode(field)}, uint64(n))
		out[string(layout.PostingKey(w, doc))] = binary.AppendUvarint(v, uint64(length))
	}
	return out
}

// nodePostings returns the full-text index entries of a node; nil for none.
func nodePostings(n domain.Node) map[string][]byte {
	if n == nil {
		return nil
	}
	field, text := domain.TextOf(n)
	return postings(field, text, n.NodeID())
}

// evidencePostings returns the full-text index entries of an evidence record: its
// quote when it is not anchored in a held source text.
func evidencePostings(ev *domain.Evidence) map[string][]byte {
	if ev.Start != nil {
		return nil
	}
	return postings(domain.FieldQuote, ev.Quote, layout.QuoteDoc(ev.Source, ev.Subject, ev.ID))
}

// putPostings plans the change of the full-text index from old to cur entries.
func (p *plan) putPostings(old, cur map[string][]byte) {
	for k, v := range cur {
		if ov, ok := old[k]; ok && bytes.Equal(ov, v) {
			continue
		}
		p.set([]byte(k), v)
		word, _ := layout.PostingParts([]byte(k))
		p.addWord(string(word))
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			p.del([]byte(k))
		}
	}
}

// addWord plans adding word to the vocabulary.
func (p *plan) addWord(word string) {
	if p.vocab == nil {
		p.vocab = map[string]bool{}
	}
	p.vocab[word] = true
}

// posting is one document's entry for a word.
type posting struct {
	field         domain.Field
	count, length int
	weight        float64 // 1 for the word itself, less for a prefix or typo match
}

func decodePosting(v []byte) (posting, error) {
	bad := fmt.Errorf("store: malformed full-text posting %x", v)
	if len(v) < 3 || int(v[0]) >= len(textFields) || textFields[v[0]].field == "" {
		return posting{}, bad
	}
	count, n := binary.Uvarint(v[1:])
	length, m := binary.Uvarint(v[1+max(n, 0):])
	if n <= 0 || m <= 0 {
		return posting{}, bad
	}
	return posting{field: textFields[v[0]].field, count: int(count), length: int(length)}, nil
}

// Weights of a word matched other than whole, and the shortest searched word that
// matches as a prefix (shorter ones would match half the vocabulary).
const (
	prefixWeight = 0.5
	typoWeight   = 0.3
	minPrefix    = 3
)

// wordPostings are the documents a searched word matched, each with its best posting.
type wordPostings struct {
	docs map[string]posting
	// complete says every matching posting was read, within the limit asked for.
	complete bool
}

// readPostings finds the documents holding q whole or, from minPrefix code points, as
// a prefix; failing both, those holding a word a typo or two from it.
func readPostings(r kv.Reader, t *typos, q string, limit int) (wordPostings, error) {
	wp := wordPostings{docs: map[string]posting{}, complete: true}
	scan := func(prefix []byte, weight func(word []byte) float64) error {
		return r.Iterate(kv.IterOptions{Prefix: prefix}, func(k, v []byte) error {
			word, doc := layout.PostingParts(k)
			p, err := decodePosting(v)
			if err != nil {
				return err
			}
			p.weight = weight(word)
			if old, ok := wp.docs[string(doc)]; !ok || p.weight > old.weight {
				wp.docs[string(doc)] = p
			}
			if len(wp.docs) > limit {
				wp.complete = false
				return kv.ErrStop
			}
			return nil
		})
	}
	runes := utf8.RuneCountInString(q)
	prefix := layout.Postings(q)
	if runes >= minPrefix {
		prefix = layout.PostingsFrom(q) // the word itself sorts first, then longer words
	}
	err := scan(prefix, func(word []byte) float64 {
		if string(word) == q {
			return 1
		}
		return prefixWeight
	})
	if err != nil || len(wp.docs) > 0 {
		return wp, err
	}
	near, err := t.of(q)
	for _, word := range near {
		if err == nil && wp.complete {
			err = scan(layout.Postings(word), func([]byte) float64 { return typoWeight })
		}
	}
	return wp, err
}

// BM25 parameters; corpusSize stands in for the number of texts, which the index does
// not count: it scales every word's rarity alike, so it shifts scores, not the order.
const (
	bm25K1     = 1.2
	bm25B      = 0.75
	corpusSize = 1e6
)

// bm25 scores one document for one word that df documents hold.
func bm25(p posting, df int) float64 {
	idf := math.Log(1 + (corpusSize-float64(df)+0.5)/(float64(df)+0.5))
	tf := float64(p.count)
	norm := 1 - bm25B + bm25B*float64(p.length)/textFields[fieldCode(p.field)].length
	return p.weight * idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
}

// textScore maps a BM25 sum over n words into (0, 0.3): below every name match.
func textScore(sum float64, n int) float64 {
	x := sum / float64(n)
	return 0.29 * x / (x + 5)
}

// textHit is a node matched through the full-text index.
type textHit struct {
	id     string
	score  float64
	field  domain.Field
	quotes []*domain.Evidence // on a source whose text is not held: the matching quotes
	node   domain.Node        // loaded when a filter or the page needs it
}

// textHits are the nodes a full-text search matched, best first.
type textHits struct {
	hits []*textHit
	// capped says the rarest word was held by more documents than were ranked, so
	// more may match than matching counts.
	capped   bool
	matching int
}

// searchTexts finds the documents holding every searched word but stopwords, ranked
// by BM25. The rarest word's postings are the candidates, the first selectivityCap
// of them in document order when it is common; the other words' postings confirm them, read whole or, for a word too common
// for that, for the candidates only (confirmPostings).
func searchTexts(r kv.Reader, t *typos, words []string) (textHits, error) {
	var out textHits
	var qs []string
	for _, w := range words {
		if indexable(w) {
			qs = append(qs, w)
		}
	}
	if len(qs) == 0 {
		return out, nil
	}
	lists := make([]wordPostings, len(qs))
	rarest := 0
	for i, q := range qs {
		var err error
		if lists[i], err = readPostings(r, t, q, selectivityCap); err != nil {
			return out, err
		}
		if len(lists[i].docs) < len(lists[rarest].docs) {
			rarest = i
		}
	}
	df := func(l wordPostings) int {
		if l.complete {
			return len(l.docs)
		}
		return countCap // a common word: its rarity hardly matters
	}
	for j, l := range lists {
		if j != rarest && !l.complete {
			var err error
			if lists[j], err = confirmPostings(r, qs[j], lists[rarest].docs); err != nil {
				return out, err
			}
		}
	}
	type scored struct {
		doc   string
		score float64
	}
	var docs []scored
	for doc, p := range lists[rarest].docs {
		sum := bm25(p, df(lists[rarest]))
		for j, l := range lists {
			if j == rarest {
				continue
			}
			pj, ok := l.docs[doc]
			if !ok {
				sum = -1
				break
			}
			sum += bm25(pj, df(l))
		}
		if sum > 0 {
			docs = append(docs, scored{doc, textScore(sum, len(qs))})
		}
	}
	sort.Slice(docs, func(i, j int) bool {
		return docs[i].score > docs[j].score || docs[i].score == docs[j].score && docs[i].doc < docs[j].doc
	})
	byID := map[string]*textHit{}
	for _, d := range docs {
		id, quote := layout.ParseDoc([]byte(d.doc))
		h := byID[id]
		if h == nil {
			h = &textHit{id: id, score: d.score, field: lists[rarest].docs[d.doc].field}
			byID[h.id] = h
			out.hits = append(out.hits, h)
		}
		if quote != nil {
			ev, err := layout.ReadEvidenceAt(r, quote)
			if err != nil {
				return out, err
			}
			h.quotes = append(h.quotes, ev)
		}
	}
	out.matching = len(out.hits)
	out.capped = !lists[rarest].complete
	return out, nil
}

// confirmPostings reads the postings of q, a word too common to read whole, for the
// candidate documents only, marked incomplete (it stands for a common word). Postings
// are in document order under a word, so it walks q's postings from the first
// candidate to the last, which costs about as many steps as there are candidates when
// q is common; a walk that runs too long stops, and point lookups settle the rest.
// Only q itself is looked for, not longer words it begins.
func confirmPostings(r kv.Reader, q string, candidates map[string]posting) (wordPostings, error) {
	out := wordPostings{docs: make(map[string]posting, len(candidates))}
	docs := make([]string, 0, len(candidates))
	for doc := range candidates {
		docs = append(docs, doc)
	}
	sort.Strings(docs)
	if len(docs) == 0 {
		return out, nil
	}
	prefix := layout.Postings(q)
	found := func(doc string, v []byte) error {
		p, err := decodePosting(v)
		p.weight = 1
		out.docs[doc] = p
		return err
	}
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
		return out, err
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
			return out, err
		}
	}
	return out, nil
}

// kind returns the kind of the node a full-text hit is on. Only a description leaves
// it open, and a point lookup in the kind index settles it without loading the node.
func (h *textHit) kind(r kv.Reader, among []domain.Kind) (domain.Kind, error) {
	switch h.field {
	case domain.FieldText, domain.FieldQuote:
		return domain.KindSource, nil
	case domain.FieldStatement:
		return domain.KindPosition, nil
	}
	for _, k := range among {
		if !k.IsEntity() {
			continue
		}
		_, err := r.Get(layout.KindKey(k, h.id))
		if err == nil {
			return k, nil
		}
		if !errors.Is(err, kv.ErrNotFound) {
			return "", err
		}
	}
	return "", nil
}

// maxQuotesScanned bounds how much of a source's evidence a search hit reads to list
// the quotes that hold the searched words.
const maxQuotesScanned = 1000

// quotesMatching returns the evidence citing source whose quotes hold every searched
// word but stopwords, by subject.
func quotesMatching(r kv.Reader, source string, words []string) ([]*domain.Evidence, error) {
	var out []*domain.Evidence
	n := 0
	err := r.Iterate(kv.IterOptions{Prefix: layout.BySource(source), KeysOnly: true}, func(k, _ []byte) error {
		if n++; n > maxQuotesScanned {
			return kv.ErrStop
		}
		ev, err := layout.ReadEvidenceAt(r, layout.BySourceEvidence(k))
		if err == nil && holdsAll(ev.Quote, words) {
			out = append(out, ev)
		}
		return err
	})
	return out, err
}

func init() {
	registerDerived(derivedIndex{name: "fulltext", version: 3, owns: [][]byte{layout.AllPostings(), layout.Vocabulary()}, rebuild: rebuildTextIndex})
}

// rebuildTextIndex writes the full-text postings and the vocabulary from the records.
func rebuildTextIndex(r kv.Reader, w writer) error {
	vocab := map[string]bool{}
	put := func(entries map[string][]byte) error {
		for k, v := range entries {
			if err := w.Set([]byte(k), v); err != nil {
				return err
			}
			word, _ := layout.PostingParts([]byte(k))
			vocab[string(word)] = true
		}
		return nil
	}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Nodes()}, func(_, v []byte) error {
		n, err := layout.DecodeNode(v)
		if err != nil {
			return err
		}
		maps.Copy(vocab, nameWords(n))
		return put(nodePostings(n))
	})
	if err != nil {
		return err
	}
	err = r.Iterate(kv.IterOptions{Prefix: layout.AllEvidence()}, func(_, v []byte) error {
		ev, err := layout.DecodeEvidence(v)
		if err != nil {
			return err
		}
		return put(evidencePostings(ev))
	})
	for word := range vocab {
		if err == nil {
			err = w.Set(layout.VocabularyKey(word), nil)
		}
	}
	return err
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

// indexable reports whether the full-text index keeps word.
func indexable(word string) bool { return !stopwords[word] && len(word) <= maxIndexedWord }

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
