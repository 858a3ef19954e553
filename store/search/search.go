package search

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/index/fulltext"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Hit is one ranked search result.
type Hit struct {
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
	// its text gets them only when Options.Quotes asks.
	Evidence []*domain.Evidence
}

// Options narrows a search and says what to describe. Kinds empty accepts every
// kind. From and To keep the nodes whose own time overlaps [From, To): an event's
// span, a source's publication, a position's statement date; with either set, nodes
// that have no time of their own (actors, places, topics, undated events and sources)
// are left out. Quotes asks, for each source matched in its text, for the evidence
// whose quotes hold the words: it reads the source's evidence, so it is only done when
// asked.
type Options struct {
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
// whose source text is not held, through the full-text index (package fulltext), which
// needs every word but stopwords, ranked by BM25 and scored below 0.3, under every
// name match. There a word also matches the other words of its English stem
// ("enrichment" finds "enriched", "talks" finds "talk"), unless it is quoted: the words
// between double quotes match as written only. Texts holding every word as written
// score in [0.15, 0.3), above those that hold one only in another form, in (0, 0.15).
// A source matched in its text lists the evidence whose quotes hold the words.
//
// Ties go to the shorter match, then the id. A single word more than 250 names hold
// (maxScored) is ordered without loading them: names called the word as above, then
// names starting with it by their normalized length and id, then names holding it
// whole by id, then names holding a word it begins by that word and id. Each node
// appears once, with its best match.
//
// With args.Uncounted it counts no further than it ranks, and reads text matches
// only for a page past the names: the page is the same, its Total means nothing.
//
// Errors: domain.ErrInvalid for a malformed cursor.
func Search(r kv.Reader, text string, f Options, args domain.PageArgs) (domain.Page[Hit], error) {
	var page domain.Page[Hit]
	terms := parseQuery(text)
	words := make([]string, len(terms))
	for i, q := range terms {
		words[i] = q.word
	}
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
	t := fulltext.NewTypos(r)
	counted := countCap
	if args.Uncounted {
		counted = maxCandidates
	}
	cands, err := searchCandidates(r, t, words, counted)
	if err != nil {
		return page, err
	}
	names, err := rankNames(r, cands, words, f)
	if err != nil {
		return page, err
	}
	named := make(map[string]bool, len(names))
	for _, h := range names {
		named[h.id] = true
	}
	// Every text match scores below every name match, so texts follow names; a
	// node matched by name is not listed again for its text. They matter to a page
	// that reaches past the names and to the count; which of them stand (filters,
	// retractions) only to such a page and to an exact count, as a capped count adds
	// up what matched.
	pastNames := offset+first >= len(names)
	var texts textHits
	if pastNames || !args.Uncounted {
		if texts, err = searchTexts(r, t, terms); err != nil {
			return page, err
		}
	}
	capped := cands.capped || texts.capped
	var more []*textHit
	if pastNames || !capped && !args.Uncounted {
		for _, h := range texts.hits {
			if named[h.id] {
				continue
			}
			ok, err := f.acceptsText(r, h)
			if err != nil {
				return page, err
			}
			if ok {
				more = append(more, h)
			}
		}
	}
	total := len(names) + len(more)
	page.Total = total
	if capped {
		page.Total = max(total, cands.matching+texts.matching)
	}
	match := queryMatcher(terms) // one for the page: its hits' texts share most words
	for i := offset; i < total && i < offset+first; i++ {
		var h Hit
		if i < len(names) {
			if h, err = names[i].load(r, words); err != nil {
				return page, err
			}
		} else {
			t := more[i-len(names)]
			if t.node == nil {
				if t.node, err = layout.ReadNode(r, t.id); err != nil {
					return page, err
				}
			}
			h = Hit{Node: t.node, Score: t.score, Field: t.field, Evidence: t.quotes}
		}
		if err := describeHit(r, &h, terms, match, f.Quotes); err != nil {
			return page, err
		}
		page.Items = append(page.Items, h)
		page.Cursors = append(page.Cursors, layout.EncodeCursor([]byte("search:"+strconv.Itoa(i+1))))
	}
	page.HasNext = offset+first < total
	return page, nil
}

// acceptsText reports whether a full-text hit passes the filter and still stands,
// loading its node only when the time window or a position's retraction needs it.
func (f Options) acceptsText(r kv.Reader, h *textHit) (bool, error) {
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
func (f Options) accepts(n domain.Node) bool {
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
// are asked for, the evidence whose quotes hold the words. match is queryMatcher's of
// terms.
func describeHit(r kv.Reader, h *Hit, terms []term, match func(string) bool, quotes bool) error {
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
		if h.Evidence, err = quotesMatching(r, h.Node.NodeID(), terms); err != nil {
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

// term is a searched word: normalized, with its stem (fulltext.Stem), or "" when it
// matches as written only: quoted, or with no stem to share; and its domain.Skeleton,
// which matching it against each word of a text would otherwise compute again.
type term struct{ word, stem, skeleton string }

// newTerm is the term of w, a normalized word, with its stem.
func newTerm(w string) term {
	return term{word: w, stem: fulltext.Stem(w), skeleton: domain.Skeleton(w)}
}

// quoteMarks open and close a quoted phrase.
const quoteMarks = "\"“”"

// parseQuery returns the distinct words of text, in order, as domain.Tokens does. A
// word between double quotes (straight or curly; an unclosed quote runs to the end)
// keeps no stem, and neither does one quoted anywhere in text.
func parseQuery(text string) []term {
	var terms []term
	at := map[string]int{}
	quoted := false
	for text != "" {
		part, rest := text, ""
		if i := strings.IndexAny(text, quoteMarks); i >= 0 {
			_, size := utf8.DecodeRuneInString(text[i:])
			part, rest = text[:i], text[i+size:]
		}
		for _, w := range domain.Tokens(part) {
			i, seen := at[w]
			if !seen {
				i = len(terms)
				at[w] = i
				terms = append(terms, newTerm(w))
			}
			if quoted {
				terms[i].stem = ""
			}
		}
		text, quoted = rest, !quoted
	}
	return terms
}

// matchesWord reports whether w, a word of a text, matches q, a searched word, as
// full-text search does: whole, q as a prefix of it, a typo or two away, or through
// q's stem. Stopwords match nothing: they are not searched for, so they are not
// highlighted either. A stem keeps its word's first letter, so only words that share
// it with q's stem are stemmed: stemming every word of every text shown costs
// milliseconds a page.
func matchesWord(w string, q term) bool {
	if fulltext.IsStopword(q.word) {
		return false
	}
	return w == q.word || strings.HasPrefix(w, q.word) || domain.WithinEdits(w, q.word, domain.MaxTypos(utf8.RuneCountInString(q.word))) ||
		domain.SoundalikeOf(q.word, q.skeleton, w) || q.stem != "" && w[0] == q.stem[0] && fulltext.Stem(w) == q.stem
}

// queryMatcher reports whether a word of a text matches any of the searched words,
// remembering its answers: a text repeats its words, and typo checks and stems cost.
func queryMatcher(terms []term) func(string) bool {
	seen := map[string]bool{}
	return func(w string) bool {
		m, ok := seen[w]
		if !ok {
			m = slices.ContainsFunc(terms, func(q term) bool { return matchesWord(w, q) })
			seen[w] = m
		}
		return m
	}
}

// holdsAll reports whether text has a match for every searched word but stopwords.
func holdsAll(text string, terms []term) bool {
	need := map[term]bool{}
	for _, q := range terms {
		if fulltext.Indexable(q.word) {
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
// maxCandidates bounds how many candidates one search ranks, and countCap how many
// matches it counts when there are more. maxScored bounds how many candidates a
// one-word search loads to order those of a score by the length of their matching
// names; past it, it orders them as the name index lists them (rankNames).
const (
	selectivityCap = 1000
	maxCandidates  = 2000
	countCap       = 10_000
	maxScored      = 250
)

// candidates are the ids a search ranks, in the order of the ranking tiers, so
// capping keeps the best: ids[:exact] are called the whole query (a name or alias),
// ids[exact:starting] have a name starting with it, and the rest hold the rarest
// word whole in a name, then a word that it begins, or, when typos, a word a typo or
// two away from it.
type candidates struct {
	ids             []string
	exact, starting int
	// lengths are, for ids[exact:starting], the length of the shortest of their
	// normalized names that start with the query.
	lengths []int
	typos   bool
	// capped says more ids matched than were kept; matching then counts them (at most
	// countCap) as an upper bound of the hits. Neither is known when not counted.
	capped   bool
	matching int
}

// searchCandidates returns the ids that may match every word, read from the name
// index: names equal to the query or starting with it, then those holding the rarest
// word. score checks the other words against each candidate's names, so common words
// ("of", "republic") are never scanned beside a rarer one. A word is matched through
// its typos only when nothing has it as a word or word prefix. It counts up to
// counted ids, at least maxCandidates.
func searchCandidates(r kv.Reader, t *fulltext.Typos, words []string, counted int) (candidates, error) {
	rarest, fewest := words[0], 1
	if len(words) > 1 {
		fewest = math.MaxInt
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
	}
	var c candidates
	at := map[string]int{} // id → its index in c.ids, -1 when counted only
	keep := func(id string) int {
		i, seen := at[id]
		if seen {
			return i
		}
		c.matching++
		i = -1
		if len(c.ids) < maxCandidates {
			i = len(c.ids)
			c.ids = append(c.ids, id)
		} else {
			c.capped = true
		}
		at[id] = i
		return i
	}
	// scan calls found for the keys under prefix until counted ids are.
	scan := func(prefix []byte, found func(k []byte)) error {
		if c.matching >= counted {
			return nil
		}
		return r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
			if found(k); c.matching >= counted {
				return kv.ErrStop
			}
			return nil
		})
	}
	keepKey := func(k []byte) { keep(layout.ID(k)) }
	if fewest == 0 {
		c.typos = true
		return c, typoMatches(r, t, rarest, func(word string) error { return scan(layout.Word(word), keepKey) })
	}
	query := strings.Join(words, " ")
	err := scan(layout.Name(query), keepKey)
	c.exact = len(c.ids)
	if err == nil {
		err = scan(layout.NamesStarting(query), func(k []byte) {
			i := keep(layout.ID(k)) - c.exact
			if i < 0 {
				return
			}
			n := len(layout.NameOf(k))
			if i == len(c.lengths) {
				c.lengths = append(c.lengths, n)
			} else {
				c.lengths[i] = min(c.lengths[i], n)
			}
		})
	}
	c.starting = len(c.ids)
	// One scan reads the word whole, then the longer words it begins: the keys of the
	// word itself sort first.
	if err == nil {
		err = scan(layout.WordsFrom(rarest), keepKey)
	}
	if err == nil && len(words) == 1 && c.matching == 0 {
		c.typos = true
		err = typoMatches(r, t, rarest, func(word string) error { return scan(layout.Word(word), keepKey) })
	}
	return c, err
}

// typoMatches calls scan with every name word within maxTypos edits of w, or that w
// may be spelt another way (domain.Soundalike).
func typoMatches(r kv.Reader, t *fulltext.Typos, w string, scan func(word string) error) error {
	near, err := t.Of(w)
	if err == nil {
		var sound []string
		sound, err = layout.SoundalikeWords(r, w)
		near = slices.Clone(near)
		for _, s := range sound {
			if !slices.Contains(near, s) {
				near = append(near, s)
			}
		}
	}
	for _, word := range near {
		if err == nil {
			err = scan(word)
		}
	}
	return err
}

// nameHit is a node matched by name; hit is empty until the page shows it.
type nameHit struct {
	id  string
	hit Hit
}

// load returns the hit, reading its node and matching name when not yet read.
func (h nameHit) load(r kv.Reader, words []string) (Hit, error) {
	if h.hit.Node != nil {
		return h.hit, nil
	}
	n, err := layout.ReadNode(r, h.id)
	if err != nil {
		return Hit{}, err
	}
	hit, _ := score(n, words)
	return hit, nil
}

// rankNames ranks the candidates matched by name: by score, then the shorter matching
// name, then the id, each candidate loaded to be scored. A one-word search with more
// candidates than maxScored and no filter reads none but those called the word: the
// tiers score alike (a name starting with the word, holding it whole, holding a word
// it begins), so it orders the names starting with the word by their normalized
// lengths, which the index holds, then the id, and the others by the index's order.
func rankNames(r kv.Reader, c candidates, words []string, f Options) ([]nameHit, error) {
	var hits []nameHit
	ranked := c.ids
	tiered := len(words) == 1 && !c.typos && c.matching > maxScored && len(f.Kinds) == 0 && f.From == nil && f.To == nil
	if tiered {
		ranked = c.ids[:c.exact]
	}
	for _, id := range ranked {
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return nil, err
		}
		if !f.accepts(n) {
			continue
		}
		if h, ok := score(n, words); ok {
			hits = append(hits, nameHit{id, h})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i].hit, hits[j].hit
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if len(a.Matched) != len(b.Matched) {
			return len(a.Matched) < len(b.Matched)
		}
		return hits[i].id < hits[j].id
	})
	if !tiered {
		return hits, nil
	}
	starting := make([]int, c.starting-c.exact)
	for i := range starting {
		starting[i] = c.exact + i
	}
	sort.Slice(starting, func(i, j int) bool {
		a, b := starting[i], starting[j]
		if la, lb := c.lengths[a-c.exact], c.lengths[b-c.exact]; la != lb {
			return la < lb
		}
		return c.ids[a] < c.ids[b]
	})
	for _, i := range starting {
		hits = append(hits, nameHit{id: c.ids[i]})
	}
	for _, id := range c.ids[c.starting:] {
		hits = append(hits, nameHit{id: id})
	}
	return hits, nil
}

func score(n domain.Node, words []string) (Hit, bool) {
	query := strings.Join(words, " ")
	best := Hit{Node: n}
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
				typo := prefix || slices.ContainsFunc(tokens, func(t string) bool {
					return domain.WithinEdits(t, w, domain.MaxTypos(utf8.RuneCountInString(w))) || domain.Soundalike(w, t)
				})
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
		// A word a window past the first match is cut off whatever it is: matching
		// every word of a long text was most of a search's time.
		hit := (first < 0 || start-spans[first].start <= window) && match(w)
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

// BM25 parameters; corpusSize stands in for the number of texts, which the index does
// not count: it scales every word's rarity alike, so it shifts scores, not the order.
const (
	bm25K1     = 1.2
	bm25B      = 0.75
	corpusSize = 1e6
)

// bm25 scores one document for one word that df documents hold.
func bm25(p fulltext.Posting, df int) float64 {
	idf := math.Log(1 + (corpusSize-float64(df)+0.5)/(float64(df)+0.5))
	tf := float64(p.Count)
	norm := 1 - bm25B + bm25B*float64(p.Length)/fulltext.TypicalLength(p.Field)
	return p.Weight * idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
}

// textScore maps a BM25 sum over n words into (0, 0.3), below every name match: into
// [0.15, 0.3) for a text holding every word as written, into (0, 0.15) for one that
// holds a word only in another form with its stem, so those rank below.
func textScore(sum float64, n int, stemmed bool) float64 {
	x := sum / float64(n)
	s := 0.14 * x / (x + 5)
	if stemmed {
		return s
	}
	return 0.15 + s
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
// of them in document order when it is common; the other words' postings confirm
// them, read whole or, for a word too common for that, for the candidates only
// (fulltext.ConfirmPostings).
func searchTexts(r kv.Reader, t *fulltext.Typos, terms []term) (textHits, error) {
	var out textHits
	var qs []term
	for _, q := range terms {
		if fulltext.Indexable(q.word) {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return out, nil
	}
	lists := make([]fulltext.Postings, len(qs))
	rarest := 0
	for i, q := range qs {
		var err error
		if lists[i], err = fulltext.ReadPostings(r, t, q.word, q.stem, selectivityCap); err != nil {
			return out, err
		}
		if len(lists[i].Docs) < len(lists[rarest].Docs) {
			rarest = i
		}
	}
	df := func(l fulltext.Postings) int {
		if l.Complete {
			return len(l.Docs)
		}
		return countCap // a common word: its rarity hardly matters
	}
	for j, l := range lists {
		if j != rarest && !l.Complete {
			var err error
			if lists[j], err = fulltext.ConfirmPostings(r, qs[j].word, qs[j].stem, lists[rarest].Docs); err != nil {
				return out, err
			}
		}
	}
	type scored struct {
		doc   string
		score float64
	}
	var docs []scored
	for doc, p := range lists[rarest].Docs {
		sum, stemmed := bm25(p, df(lists[rarest])), p.Stemmed
		for j, l := range lists {
			if j == rarest {
				continue
			}
			pj, ok := l.Docs[doc]
			if !ok {
				sum = -1
				break
			}
			sum, stemmed = sum+bm25(pj, df(l)), stemmed || pj.Stemmed
		}
		if sum > 0 {
			docs = append(docs, scored{doc, textScore(sum, len(qs), stemmed)})
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
			h = &textHit{id: id, score: d.score, field: lists[rarest].Docs[d.doc].Field}
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
	out.capped = !lists[rarest].Complete
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
func quotesMatching(r kv.Reader, source string, terms []term) ([]*domain.Evidence, error) {
	var out []*domain.Evidence
	n := 0
	err := r.Iterate(kv.IterOptions{Prefix: layout.BySource(source), KeysOnly: true}, func(k, _ []byte) error {
		if n++; n > maxQuotesScanned {
			return kv.ErrStop
		}
		ev, err := layout.ReadEvidenceAt(r, layout.BySourceEvidence(k))
		if err == nil && holdsAll(ev.Quote, terms) {
			out = append(out, ev)
		}
		return err
	})
	return out, err
}
