package store

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// SearchHit is one ranked search result.
type SearchHit struct {
	Node  domain.Node
	Score float64
	// Field is where the match is: a name, alias or title, or a full text.
	Field domain.Field
	// Matched is the name, alias or title that matched, or an excerpt of the text
	// around the match; Highlights are the matching words' code point ranges in it.
	Matched    string
	Highlights []domain.TextRange
	// Evidence lists, on a source hit, the evidence records quoting it whose quotes
	// hold every searched word: the claims the match supports. A source matched in
	// its text gets them only when SearchOptions.Quotes asks.
	Evidence []*domain.Evidence
}

// SearchOptions narrows a search and says what to describe. Kinds empty accepts every
// kind. From and To keep the nodes whose own time overlaps [From, To): an event's
// span, a source's publication, a position's statement date; with either set, nodes
// that have no time of their own (actors, places, topics, undated events and sources)
// are left out. Quotes asks, for each source matched in its text, for the evidence
// whose quotes hold the words: it reads the source's evidence, so it is only done when
// asked.
type SearchOptions struct {
	Kinds    []domain.Kind
	From, To *time.Time
	Quotes   bool
}

// Search ranks the nodes matching every word of text, case- and accent-insensitively,
// in two tiers.
//
// Names: entities and sources whose names, aliases or titles hold every word, as a
// word, a word prefix or a word a typo or two away (one for words of 5–8 letters, two
// from 9; "Iraq" must not find "Iran"). Typos are forgiven as a "did you mean": a word
// nothing has as a word or prefix is matched through its typos. Scores: the whole text
// equal to the name (1.0) or an alias (0.95), a name or alias starting with it (0.8),
// every word matched whole (0.6), by prefix (0.4), with typos (0.3).
//
// Texts: descriptions, position statements, source texts and the quotes of evidence
// whose source text is not held, through the full-text index (fulltext.go), which
// needs every word but stopwords, ranked by BM25 and scored below 0.3, under every
// name match. A source matched in its text lists the evidence whose quotes hold the
// words.
//
// Ties go to the shorter match, then the id. Each node appears once, with its best
// match.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Search(ctx context.Context, text string, f SearchOptions, args domain.PageArgs) (domain.Page[SearchHit], error) {
	var page domain.Page[SearchHit]
	words := domain.Tokens(text)
	if len(words) == 0 {
		return page, nil
	}
	offset := 0
	if args.After != "" {
		c, err := layout.DecodeCursor(args.After)
		if err == nil {
			offset, err = strconv.Atoi(strings.TrimPrefix(string(c), "search:"))
		}
		if err != nil || !strings.HasPrefix(string(c), "search:") {
			return page, layout.ErrBadCursor
		}
	}
	first := args.First
	if first <= 0 {
		first = domain.DefaultPageSize
	}
	err := g.view(ctx, func(r *layout.Snapshot) error {
		named := map[string]bool{}
		var hits []SearchHit
		t := &typos{r: r}
		cands, err := searchCandidates(r, t, words)
		if err != nil {
			return err
		}
		for _, id := range cands.ids {
			n, err := layout.ReadNode(r, id)
			if err != nil {
				return err
			}
			if !f.accepts(n) {
				continue
			}
			if h, ok := score(n, words); ok {
				named[id] = true
				hits = append(hits, h)
			}
		}
		sort.Slice(hits, func(i, j int) bool {
			a, b := hits[i], hits[j]
			if a.Score != b.Score {
				return a.Score > b.Score
			}
			if len(a.Matched) != len(b.Matched) {
				return len(a.Matched) < len(b.Matched)
			}
			return a.Node.NodeID() < b.Node.NodeID()
		})
		// Every text match scores below every name match, so texts follow names; a
		// node matched by name is not listed again for its text.
		texts, err := searchTexts(r, t, words)
		if err != nil {
			return err
		}
		var more []*textHit
		for _, h := range texts.hits {
			if named[h.id] {
				continue
			}
			ok, err := f.acceptsText(r, h)
			if err != nil {
				return err
			}
			if ok {
				more = append(more, h)
			}
		}
		total := len(hits) + len(more)
		page.Total = total
		if cands.capped || texts.capped {
			page.Total = max(total, cands.matching+texts.matching)
		}
		for i := offset; i < total && i < offset+first; i++ {
			var h SearchHit
			if i < len(hits) {
				h = hits[i]
			} else {
				t := more[i-len(hits)]
				if t.node == nil {
					if t.node, err = layout.ReadNode(r, t.id); err != nil {
						return err
					}
				}
				h = SearchHit{Node: t.node, Score: t.score, Field: t.field, Evidence: t.quotes}
			}
			if err := describeHit(r, &h, words, f.Quotes); err != nil {
				return err
			}
			page.Items = append(page.Items, h)
			page.Cursors = append(page.Cursors, layout.EncodeCursor([]byte("search:"+strconv.Itoa(i+1))))
		}
		page.HasNext = offset+first < total
		return nil
	})
	return page, err
}

// acceptsText reports whether a full-text hit passes the filter and still stands,
// loading its node only when the time window or a position's retraction needs it.
func (f SearchOptions) acceptsText(r kv.Reader, h *textHit) (bool, error) {
	if len(f.Kinds) > 0 {
		k, err := h.kind(r, f.Kinds)
		if err != nil || !slices.Contains(f.Kinds, k) {
			return false, err
		}
	}
	// Retracted records keep their postings (a snapshot before the retraction still
	// finds them), so current answers leave them out here.
	h.quotes = slices.DeleteFunc(h.quotes, func(ev *domain.Evidence) bool { return ev.Retracted != nil })
	if h.field == domain.FieldQuote && len(h.quotes) == 0 {
		return false, nil
	}
	if f.From == nil && f.To == nil && h.field != domain.FieldStatement {
		return true, nil
	}
	n, err := layout.ReadNode(r, h.id)
	if err != nil {
		return false, err
	}
	h.node = n
	return !domain.IsRetracted(n) && f.accepts(n), nil
}

// accepts reports whether n passes the filter's kinds and time window.
func (f SearchOptions) accepts(n domain.Node) bool {
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, n.NodeKind()) {
		return false
	}
	if f.From == nil && f.To == nil {
		return true
	}
	from, to, ok := nodeTime(n)
	if !ok {
		return false
	}
	return (f.To == nil || from.Before(*f.To)) && (f.From == nil || to == nil || to.After(*f.From))
}

// nodeTime is the span of time a node is about: from its start to its end, nil when
// open-ended; ok is false when it has none.
func nodeTime(n domain.Node) (from time.Time, to *time.Time, ok bool) {
	instant := func(t *time.Time) (time.Time, *time.Time, bool) {
		if t == nil {
			return time.Time{}, nil, false
		}
		end := t.Add(time.Nanosecond)
		return *t, &end, true
	}
	switch n := n.(type) {
	case *domain.Event:
		if n.Start == nil {
			return time.Time{}, nil, false
		}
		from, end := n.Precision.Span(*n.Start)
		if n.End != nil && n.End.After(end) {
			end = *n.End
		}
		return from, &end, true
	case *domain.Source:
		return instant(n.PublishedAt)
	case *domain.Position:
		return instant(n.StatedAt)
	}
	return time.Time{}, nil, false
}

// describeHit fills in what a hit shows: for a name match the name with its matching
// words, for a text match an excerpt around the match and, on a source when quotes
// are asked for, the evidence whose quotes hold the words.
func describeHit(r kv.Reader, h *SearchHit, words []string, quotes bool) error {
	match := queryMatcher(words)
	if h.Field == "" {
		h.Field = nameField(h.Node, h.Matched)
		_, h.Highlights = excerpt(h.Matched, len(h.Matched)+1, match)
		return nil
	}
	field, text := domain.TextOf(h.Node)
	if h.Field == domain.FieldQuote {
		if len(h.Evidence) > 0 {
			text = h.Evidence[0].Quote
		}
	} else if field == domain.FieldText && quotes {
		var err error
		if h.Evidence, err = quotesMatching(r, h.Node.NodeID(), words); err != nil {
			return err
		}
	}
	h.Matched, h.Highlights = excerpt(text, snippetWindow, match)
	return nil
}

// snippetWindow is about how many code points of a text a search hit shows.
const snippetWindow = 160

// nameField says whether name is n's name, one of its aliases, or a source's title.
func nameField(n domain.Node, name string) domain.Field {
	switch n := n.(type) {
	case domain.Entity:
		if name != n.Base().Name {
			return domain.FieldAlias
		}
	case *domain.Source:
		return domain.FieldTitle
	}
	return domain.FieldName
}

// matchesWord reports whether w, a word of a text, matches q, a searched word, as
// full-text search does: whole, q as a prefix of it, or a typo or two away. Stopwords
// match nothing: they are not searched for, so they are not highlighted either.
func matchesWord(w, q string) bool {
	if stopwords[q] {
		return false
	}
	return w == q || strings.HasPrefix(w, q) || domain.WithinEdits(w, q, domain.MaxTypos(utf8.RuneCountInString(q)))
}

// queryMatcher reports whether a word of a text matches any of the searched words,
// remembering its answers: a text repeats its words, and typo checks cost.
func queryMatcher(words []string) func(string) bool {
	seen := map[string]bool{}
	return func(w string) bool {
		m, ok := seen[w]
		if !ok {
			m = slices.ContainsFunc(words, func(q string) bool { return matchesWord(w, q) })
			seen[w] = m
		}
		return m
	}
}

// holdsAll reports whether text has a match for every searched word but stopwords.
func holdsAll(text string, words []string) bool {
	need := map[string]bool{}
	for _, q := range words {
		if indexable(q) {
			need[q] = true
		}
	}
	domain.EachWord(text, func(w string, _, _ int) {
		for q := range need {
			if matchesWord(w, q) {
				delete(need, q)
			}
		}
	})
	return len(need) == 0
}

// selectivityCap bounds how many index keys are counted to judge how common a word is.
// maxCandidates bounds how many candidates one search loads and ranks, and countCap
// how many matches it counts when there are more.
const (
	selectivityCap = 1000
	maxCandidates  = 2000
	countCap       = 10_000
)

// candidates are the ids a search ranks, best tiers first.
type candidates struct {
	ids []string
	// capped says more ids matched than were kept; matching then counts them (at most
	// countCap) as an upper bound of the hits.
	capped   bool
	matching int
}

// searchCandidates returns the ids that may match every word, read from the index for
// one word only, the rarest: score checks the others against each candidate's names,
// so common words ("of", "republic") are never scanned. A word is matched through its
// typos only when nothing has it as a word or word prefix. The ids come in the order
// of the ranking tiers: the whole query as a name or alias, the word whole, the word as
// a prefix, so capping keeps the best.
func searchCandidates(r kv.Reader, t *typos, words []string) (candidates, error) {
	rarest, fewest := "", math.MaxInt
	for _, w := range words {
		n := 0
		err := r.Iterate(kv.IterOptions{Prefix: layout.WordsFrom(w), KeysOnly: true}, func(_, _ []byte) error {
			if n++; n > selectivityCap {
				return kv.ErrStop
			}
			return nil
		})
		if err != nil {
			return candidates{}, err
		}
		if n < fewest {
			rarest, fewest = w, n
		}
	}
	var c candidates
	seen := map[string]bool{}
	keep := func(k []byte) error {
		id := layout.ID(k)
		if seen[id] {
			return nil
		}
		seen[id] = true
		c.matching++
		if len(c.ids) < maxCandidates {
			c.ids = append(c.ids, id)
		} else {
			c.capped = true
		}
		if c.matching >= countCap {
			return kv.ErrStop
		}
		return nil
	}
	if fewest == 0 {
		return c, typoMatches(r, t, rarest, keep)
	}
	tiers := [][]byte{layout.Name(strings.Join(words, " ")), layout.Word(rarest), layout.WordsFrom(rarest)}
	for _, prefix := range tiers {
		if err := r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error { return keep(k) }); err != nil {
			return c, err
		}
	}
	return c, nil
}

// typoMatches calls keep for every name-index key whose word is within maxTypos
// edits of w.
func typoMatches(r kv.Reader, t *typos, w string, keep func(k []byte) error) error {
	near, err := t.of(w)
	for _, word := range near {
		if err == nil {
			err = r.Iterate(kv.IterOptions{Prefix: layout.Word(word), KeysOnly: true}, func(k, _ []byte) error { return keep(k) })
		}
	}
	return err
}

// typos finds, once per search, the vocabulary's words (pVocab) a typo or two from a
// searched word, for both the name and the full-text index.
type typos struct {
	r    kv.Reader
	near map[string][]string
}

// of returns the words within maxTypos edits of w. It compares only the words that
// share w's first two letters, or its first and third (a swapped or an extra second
// letter): typos are rarely made there, and comparing every word with w's first letter
// would cost milliseconds on a large vocabulary.
func (t *typos) of(w string) ([]string, error) {
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

func score(n domain.Node, words []string) (SearchHit, bool) {
	query := strings.Join(words, " ")
	best := SearchHit{Node: n}
	for i, name := range domain.Names(n) {
		norm := domain.Normalize(name)
		tokens := strings.Fields(norm)
		var s float64
		switch {
		case norm == query && i == 0:
			s = 1
		case norm == query:
			s = 0.95
		case strings.HasPrefix(norm, query):
			s = 0.8
		default:
			whole, prefixes, near := true, true, true
			for _, w := range words {
				exact := slices.Contains(tokens, w)
				prefix := exact || slices.ContainsFunc(tokens, func(t string) bool { return strings.HasPrefix(t, w) })
				typo := prefix || slices.ContainsFunc(tokens, func(t string) bool { return domain.WithinEdits(t, w, domain.MaxTypos(utf8.RuneCountInString(w))) })
				whole, prefixes, near = whole && exact, prefixes && prefix, near && typo
			}
			switch {
			case whole:
				s = 0.6
			case prefixes:
				s = 0.4
			case near:
				s = 0.3
			}
		}
		if s > best.Score || s == best.Score && s > 0 && len(name) < len(best.Matched) {
			best.Score, best.Matched = s, name
		}
	}
	return best, best.Score > 0
}

// excerpt cuts from text the passage around the first words match accepts, at most
// about window code points, on word boundaries, with "…" where it cuts, and returns it
// with the ranges of every accepted word within it. It returns the text's opening
// words and no ranges when nothing matches.
func excerpt(text string, window int, match func(word string) bool) (string, []domain.TextRange) {
	type span struct {
		start, end int
		hit        bool
	}
	var spans []span
	first := -1
	domain.EachWord(text, func(w string, start, end int) {
		hit := match(w)
		if hit && first < 0 {
			first = len(spans)
		}
		spans = append(spans, span{start, end, hit})
	})
	runes := []rune(text)
	if len(runes) <= window || len(spans) == 0 {
		var hl []domain.TextRange
		for _, s := range spans {
			if s.hit {
				hl = append(hl, domain.TextRange{Start: s.start, End: s.end})
			}
		}
		return text, hl
	}
	// Start a few words before the first match, so it is read in context.
	i := max(first, 0)
	for i > 0 && first >= 0 && spans[first].end-spans[i-1].start < window/3 {
		i--
	}
	from := spans[i].start
	j := i
	for j+1 < len(spans) && spans[j+1].end-from <= window {
		j++
	}
	to := spans[j].end
	var b strings.Builder
	shift := 0
	if from > 0 {
		b.WriteString("…")
		shift = 1
	}
	b.WriteString(string(runes[from:to]))
	if to < len(runes) {
		b.WriteString("…")
	}
	var hl []domain.TextRange
	for _, s := range spans[i : j+1] {
		if s.hit {
			hl = append(hl, domain.TextRange{Start: s.start - from + shift, End: s.end - from + shift})
		}
	}
	return b.String(), hl
}
