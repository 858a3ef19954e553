package store_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
)

// nameScan is what a straightforward scan of one node's names finds for a searched
// word q: the score of its best name and that name, the shortest normalized name
// starting with q, and the first word of its names that q begins but is not.
type nameScan struct {
	id       string
	score    float64
	matched  string
	starting string
	longer   string
}

// scanNames scores n's names for q as search documents it for one word: called q
// (1 for its name, 0.95 for an alias), a name starting with q (0.8), q a whole word
// of a name (0.6), q beginning a word (0.4); ties to the shorter name.
func scanNames(n domain.Node, q string) (nameScan, bool) {
	s := nameScan{id: n.NodeID()}
	for i, name := range domain.Names(n) {
		norm := domain.Normalize(name)
		var score float64
		switch {
		case norm == q && i == 0:
			score = 1
		case norm == q:
			score = 0.95
		case strings.HasPrefix(norm, q):
			score = 0.8
		case slices.Contains(strings.Fields(norm), q):
			score = 0.6
		case slices.ContainsFunc(strings.Fields(norm), func(w string) bool { return strings.HasPrefix(w, q) }):
			score = 0.4
		}
		if score > s.score || score == s.score && score > 0 && len(name) < len(s.matched) {
			s.score, s.matched = score, name
		}
		if strings.HasPrefix(norm, q) && (s.starting == "" || len(norm) < len(s.starting)) {
			s.starting = norm
		}
		for _, w := range strings.Fields(norm) {
			if w != q && strings.HasPrefix(w, q) && (s.longer == "" || w < s.longer) {
				s.longer = w
			}
		}
	}
	return s, s.score > 0
}

// scanRanking ranks every node whose names match q by a full scan. Ties go to the
// shorter matching name, then the id; when many names match (more than a search
// loads), ties below a name called q go instead to the shorter normalized name
// starting with q, to the id for names holding q whole, and to the first longer word
// q begins, then the id.
func scanRanking(nodes map[string]domain.Node, q string, many bool) []nameScan {
	var out []nameScan
	for _, n := range nodes {
		if s, ok := scanNames(n, q); ok {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b nameScan) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		switch {
		case !many || a.score >= 0.95:
			if c := cmp.Compare(len(a.matched), len(b.matched)); c != 0 {
				return c
			}
		case a.score == 0.8:
			if c := cmp.Compare(len(a.starting), len(b.starting)); c != 0 {
				return c
			}
		case a.score == 0.4:
			if c := cmp.Compare(a.longer, b.longer); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.id, b.id)
	})
	return out
}

// namesBatch makes count actors with names around "republic" and "council", accented
// now and then (so normalized names are shorter than written ones), some with aliases,
// and texts holding both words, so that text matches follow the names.
func namesBatch(rng *rand.Rand, from, count int) *store.Batch {
	syllables := []string{"ka", "rā", "mo", "vel", "dö", "si", "tor", "ñe", "ul", "bar"}
	word := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(3) {
			b.WriteString(syllables[rng.IntN(len(syllables))])
		}
		w := []rune(b.String())
		return strings.ToUpper(string(w[:1])) + string(w[1:])
	}
	b := &store.Batch{}
	for i := from; i < from+count; i++ {
		var name string
		switch r := rng.IntN(20); {
		case r < 7:
			name = "Republic of " + word()
		case r < 10:
			name = word() + " Republic"
		case r < 12:
			name = "Republican " + word() + " Party"
		case r < 14:
			name = word() + " Republicans"
		case r < 16:
			name = word() + " Council"
		case r < 17:
			name = "Council of " + word()
		default:
			name = word() + " " + word()
		}
		var aliases []string
		switch rng.IntN(10) {
		case 0:
			aliases = []string{"Republic"}
		case 1:
			aliases = []string{"Republic of " + word(), word() + " Council"}
		case 2:
			aliases = []string{word() + " Republicans"}
		}
		// Ids in another order than names, so neither order stands in for the other.
		id := fmt.Sprintf("n%04d", (i*7919)%10000)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: name, Aliases: aliases}, Kind: domain.ActorState})
	}
	b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("n%04d-exact", from), Name: "Republic"}, Kind: domain.ActorState})
	for i := range 30 {
		b.Nodes = append(b.Nodes,
			&domain.Topic{EntityBase: domain.EntityBase{ID: fmt.Sprintf("t%03d-%d", i, from), Name: "Topic " + word(),
				Description: strings.Repeat("The council of the republic met. ", 1+i%3)}},
			&domain.Source{ID: fmt.Sprintf("s%03d-%d", i, from), Title: fmt.Sprintf("Dispatch %d: %s report", i, word()),
				Text: "Delegates of the republic spoke to the council. " + strings.Repeat("Nothing else happened. ", i%5)})
	}
	return b
}

// samePage reports whether two pages list the same hits, with the same cursors.
func samePage(a, b domain.Page[search.Hit]) bool {
	return a.HasNext == b.HasNext && slices.Equal(a.Cursors, b.Cursors) && slices.EqualFunc(a.Items, b.Items, func(a, b search.Hit) bool {
		return a.Node.NodeID() == b.Node.NodeID() && a.Score == b.Score && a.Field == b.Field && a.Matched == b.Matched
	})
}

// allPages reads a search's answer a page of size at a time, checking that each page
// is the same uncounted.
func allPages(t *testing.T, g *store.Graph, ctx context.Context, text string, f search.Options, size int) ([]search.Hit, int) {
	t.Helper()
	var hits []search.Hit
	total := -1
	args := domain.PageArgs{First: size}
	for {
		p, err := g.Search(ctx, text, f, args)
		if err != nil {
			t.Fatal(err)
		}
		uncounted := args
		uncounted.Uncounted = true
		if u, err := g.Search(ctx, text, f, uncounted); err != nil || !samePage(p, u) {
			t.Fatalf("search %q after %q: uncounted %v, a page of %d items, has next %v; counted %d, %v", text, args.After, err, len(u.Items), u.HasNext, len(p.Items), p.HasNext)
		}
		if total >= 0 && p.Total != total {
			t.Fatalf("search %q: total %d on one page, %d on another", text, total, p.Total)
		}
		total = p.Total
		hits = append(hits, p.Items...)
		if !p.HasNext {
			return hits, total
		}
		if len(p.Items) == 0 {
			t.Fatalf("search %q: an empty page that has a next", text)
		}
		args.After = p.Cursors[len(p.Cursors)-1]
	}
}

// TestSearchNamesAgainstFullScan compares name matches with a full scan of every
// node's names, for words few names share (every candidate loaded and ranked by its
// matching name) and words more names share than a search loads (ordered by what the
// name index holds), read page by page, with a kinds filter, and as of an earlier
// version; text matches follow, each node once, scores never rising.
func TestSearchNamesAgainstFullScan(t *testing.T) {
	g := storetest.MustGraph(t)
	rng := rand.New(rand.NewPCG(7, 11))
	nodes := map[string]domain.Node{}
	apply := func(b *store.Batch) uint64 {
		for _, n := range b.Nodes {
			if _, ok := n.(*domain.Actor); ok {
				nodes[n.NodeID()] = n
			}
		}
		return storetest.MustApply(t, g, b).Version
	}
	v1 := apply(namesBatch(rng, 0, 700))
	before := maps.Clone(nodes)
	// Renames and new names after v1: as of v1 the search must not see them.
	second := namesBatch(rng, 700, 300)
	for i, n := range second.Nodes[:40] {
		old := before[fmt.Sprintf("n%04d", (i*7919)%10000)]
		if old == nil {
			continue
		}
		a := *old.(*domain.Actor)
		a.Name = n.(*domain.Actor).Name
		second.Nodes = append(second.Nodes, &a)
	}
	apply(second)

	// many says the search orders ties by what the name index holds.
	check := func(ctx context.Context, nodes map[string]domain.Node, q string, f search.Options, many bool) {
		t.Helper()
		want := scanRanking(nodes, domain.Normalize(q), many)
		if len(f.Kinds) == 0 && many != (len(want) > 250) {
			t.Fatalf("search %q: %d names match; the case wants many = %v", q, len(want), many)
		}
		whole, total := allPages(t, g, ctx, q, f, 1000)
		sizes := []int{1, 10, 37}
		if raceEnabled {
			sizes = sizes[1:]
		}
		for _, size := range sizes {
			paged, pagedTotal := allPages(t, g, ctx, q, f, size)
			if pagedTotal != total || !slices.EqualFunc(paged, whole, func(a, b search.Hit) bool {
				return a.Node.NodeID() == b.Node.NodeID() && a.Score == b.Score && a.Matched == b.Matched
			}) {
				t.Fatalf("search %q: pages of %d differ from one page", q, size)
			}
		}
		if total != len(whole) {
			t.Fatalf("search %q: total %d, %d hits", q, total, len(whole))
		}
		if len(whole) < len(want) {
			t.Fatalf("search %q: %d hits, a full scan finds %d names", q, len(whole), len(want))
		}
		for i, w := range want {
			h := whole[i]
			if h.Node.NodeID() != w.id || h.Score != w.score || h.Matched != w.matched {
				t.Fatalf("search %q, hit %d: %s %.2f %q; a full scan ranks %s %.2f %q", q, i, h.Node.NodeID(), h.Score, h.Matched, w.id, w.score, w.matched)
			}
		}
		seen := map[string]bool{}
		for i, h := range whole {
			if seen[h.Node.NodeID()] {
				t.Fatalf("search %q: %s twice", q, h.Node.NodeID())
			}
			seen[h.Node.NodeID()] = true
			if i > 0 && h.Score > whole[i-1].Score {
				t.Fatalf("search %q: hit %d scores %.3f, above the one before (%.3f)", q, i, h.Score, whole[i-1].Score)
			}
			if i >= len(want) && (h.Field == domain.FieldName || h.Field == domain.FieldAlias || h.Score >= 0.3) {
				t.Fatalf("search %q: hit %d, after every name, is %s %s %.2f", q, i, h.Node.NodeID(), h.Field, h.Score)
			}
		}
	}
	ctx := context.Background()
	check(ctx, nodes, "republic", search.Options{}, true)
	check(ctx, nodes, "Repub", search.Options{}, true)
	check(ctx, nodes, "council", search.Options{}, false)
	check(ctx, nodes, "republicans", search.Options{}, false)
	check(ctx, nodes, "republic", search.Options{Kinds: []domain.Kind{domain.KindActor}}, false)
	check(g.Pin(ctx, v1), before, "republic", search.Options{}, true)
	check(g.Pin(ctx, v1), before, "council", search.Options{}, false)
}

// TestSearchPagesPastCappedNames pages through a search that matches more names than
// it ranks and counts, whose count then adds up what matched (names up to 10,000): a
// page ending where the names end still has the text matches after it.
func TestSearchPagesPastCappedNames(t *testing.T) {
	g := storetest.MustGraph(t)
	b := &store.Batch{}
	for i := range 10_100 {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("r%05d", i), Name: fmt.Sprintf("Republic of Place%05d", i)}, Kind: domain.ActorState})
	}
	for i := range 5 {
		b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("Topic %d", i), Description: "The republic met."}})
	}
	storetest.MustApply(t, g, b)
	ctx := context.Background()
	p, err := g.Search(ctx, "republic", search.Options{}, domain.PageArgs{First: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2000 || !p.HasNext || p.Total != 10_005 {
		t.Fatalf("first page: %d items, has next %v, total %d; want the 2,000 names ranked, more, 10,005", len(p.Items), p.HasNext, p.Total)
	}
	uncounted := domain.PageArgs{First: 2000, Uncounted: true}
	if u, err := g.Search(ctx, "republic", search.Options{}, uncounted); err != nil || !samePage(p, u) {
		t.Fatalf("the first page of names uncounted: %v, %d items, has next %v", err, len(u.Items), u.HasNext)
	}
	args := domain.PageArgs{First: 10, After: p.Cursors[len(p.Cursors)-1]}
	if p, err = g.Search(ctx, "republic", search.Options{}, args); err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 5 || p.HasNext || p.Items[0].Field != domain.FieldDescription {
		t.Fatalf("page after the names = %+v, has next %v; want the 5 descriptions", ids(p.Items), p.HasNext)
	}
	args.Uncounted = true
	if u, err := g.Search(ctx, "republic", search.Options{}, args); err != nil || !samePage(p, u) {
		t.Fatalf("the page after the names uncounted: %v, %d items", err, len(u.Items))
	}
}
