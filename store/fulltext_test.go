package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/index/fulltext"
	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/layout"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
)

// fullTextBatch is the base batch with texts to search: a description, a dated source
// with an anchored quote, and a source whose text is not held, quoted by evidence.
func fullTextBatch() *store.Batch {
	b := baseBatch()
	june := time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)
	b.Nodes = append(b.Nodes,
		&domain.Actor{EntityBase: domain.EntityBase{ID: "busaidi", Name: "Badr Albusaidi",
			Description: "Oman's foreign minister, who carried the messages between the delegations."}, Kind: domain.ActorPerson},
		&domain.Source{ID: "wire", Title: "Wire", URL: "https://wire.example/drone", PublishedAt: &june},
		&domain.Event{EntityBase: domain.EntityBase{ID: "downing", Name: "Drone downing"}, Kind: domain.EventShootdown},
	)
	r, e := participation("araghchi", "Araghchi met Witkoff", 0)
	drone := domain.Relation{Type: domain.RelParticipatedIn, From: "witkoff", To: "downing", Role: domain.RoleParticipant}
	drone.ID = domain.RelationID(drone.Type, drone.From, drone.To, drone.Role)
	b.Relations = []domain.Relation{r, drone}
	b.Evidence = []domain.Evidence{e, {Subject: drone.ID, Source: "wire", Quote: "A drone was shot down over the Arabian Sea, officials said.",
		Confidence: 0.7, Method: "test"}}
	return b
}

func mustSearch(t *testing.T, g *store.Graph, ctx context.Context, text string, f search.Options) []search.Hit {
	t.Helper()
	p, err := g.Search(ctx, text, f, domain.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// highlighted returns the words of a hit's snippet that its highlights cover.
func highlighted(h search.Hit) []string {
	runes := []rune(h.Matched)
	var out []string
	for _, r := range h.Highlights {
		out = append(out, string(runes[r.Start:r.End]))
	}
	return out
}

func TestFullTextSearch(t *testing.T) {
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, fullTextBatch())
	ctx := context.Background()

	t.Run("description", func(t *testing.T) {
		hits := mustSearch(t, g, ctx, "messengers delegations", search.Options{})
		if len(hits) != 0 {
			t.Fatalf("every word but stopwords must match; got %+v", hits)
		}
		hits = mustSearch(t, g, ctx, "the messages between delegations", search.Options{})
		if len(hits) != 1 || hits[0].Node.NodeID() != "busaidi" || hits[0].Field != domain.FieldDescription {
			t.Fatalf("description search = %+v", hits)
		}
		if got := highlighted(hits[0]); len(got) != 3 || got[0] != "messages" || got[1] != "between" || got[2] != "delegations" {
			t.Fatalf("highlights %v in %q", got, hits[0].Matched)
		}
		if hits[0].Score <= 0 || hits[0].Score >= 0.3 {
			t.Fatalf("a text match scores %v, want (0, 0.3)", hits[0].Score)
		}
	})
	t.Run("names rank above texts", func(t *testing.T) {
		hits := mustSearch(t, g, ctx, "Araghchi", search.Options{})
		if len(hits) != 2 || hits[0].Node.NodeID() != "araghchi" || hits[0].Field != domain.FieldName ||
			hits[1].Node.NodeID() != "src" || hits[1].Field != domain.FieldText {
			t.Fatalf("search Araghchi = %+v", hits)
		}
		if got := highlighted(hits[1]); len(got) != 2 || got[0] != "Araghchi" || got[1] != "Araghchi" {
			t.Fatalf("source text highlights %v in %q", got, hits[1].Matched)
		}
	})
	t.Run("source text lists the quotes that hold the words", func(t *testing.T) {
		sources := search.Options{Kinds: []domain.Kind{domain.KindSource}, Quotes: true}
		hits := mustSearch(t, g, ctx, "met witkoff", sources)
		if len(hits) != 1 || len(hits[0].Evidence) != 1 || hits[0].Evidence[0].Quote != "Araghchi met Witkoff" {
			t.Fatalf("search met witkoff = %+v", hits)
		}
		sources.Quotes = false
		if hits := mustSearch(t, g, ctx, "met witkoff", sources); len(hits) != 1 || len(hits[0].Evidence) != 0 {
			t.Fatalf("quotes listed without being asked for: %+v", hits)
		}
		sources.Quotes = true
		hits = mustSearch(t, g, ctx, "stand firm", sources)
		if len(hits) != 1 || len(hits[0].Evidence) != 0 {
			t.Fatalf("words in no quote must list no evidence: %+v", hits)
		}
	})
	t.Run("quote of a source whose text is not held", func(t *testing.T) {
		hits := mustSearch(t, g, ctx, "drone arabian", search.Options{Kinds: []domain.Kind{domain.KindSource}})
		if len(hits) != 1 || hits[0].Node.NodeID() != "wire" || hits[0].Field != domain.FieldQuote ||
			len(hits[0].Evidence) != 1 || hits[0].Evidence[0].Subject == "" {
			t.Fatalf("quote search = %+v", hits)
		}
		if got := highlighted(hits[0]); len(got) != 2 || got[0] != "drone" || got[1] != "Arabian" {
			t.Fatalf("quote highlights %v in %q", got, hits[0].Matched)
		}
	})
	t.Run("prefix and typo", func(t *testing.T) {
		for _, q := range []string{"delegat", "delegatoins"} {
			if hits := mustSearch(t, g, ctx, q, search.Options{}); len(hits) != 1 || hits[0].Node.NodeID() != "busaidi" {
				t.Errorf("search %q = %+v", q, hits)
			}
		}
	})
	t.Run("time window", func(t *testing.T) {
		june := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		july := june.AddDate(0, 1, 0)
		if hits := mustSearch(t, g, ctx, "arabian", search.Options{From: &june, To: &july}); len(hits) != 1 {
			t.Fatalf("a source published in the window: %+v", hits)
		}
		if hits := mustSearch(t, g, ctx, "arabian", search.Options{From: &july}); len(hits) != 0 {
			t.Fatalf("a source published before the window: %+v", hits)
		}
		if hits := mustSearch(t, g, ctx, "delegations", search.Options{From: &june}); len(hits) != 0 {
			t.Fatalf("an actor has no time of its own, so a window leaves it out: %+v", hits)
		}
	})
	t.Run("edits reindex and snapshots keep their texts", func(t *testing.T) {
		before := g.Pin(ctx, kv.Latest)
		storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "busaidi", Name: "Badr Albusaidi",
			Description: "Oman's mediator."}, Kind: domain.ActorPerson}}})
		if hits := mustSearch(t, g, ctx, "delegations", search.Options{}); len(hits) != 0 {
			t.Fatalf("an edited description still matches its old words: %+v", hits)
		}
		if hits := mustSearch(t, g, ctx, "mediator", search.Options{}); len(hits) != 1 {
			t.Fatalf("an edited description does not match its new words: %+v", hits)
		}
		if hits := mustSearch(t, g, before, "delegations", search.Options{}); len(hits) != 1 {
			t.Fatalf("a snapshot before the edit must search the old text: %+v", hits)
		}
	})
	t.Run("stopwords alone find no text", func(t *testing.T) {
		if hits := mustSearch(t, g, ctx, "the", search.Options{}); len(hits) != 0 {
			t.Fatalf("search the = %+v", hits)
		}
	})
}

func TestTextIndexRebuild(t *testing.T) {
	ctx := context.Background()
	g, err := store.Open(ctx, storetest.MustGraph(t).KV())
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustApply(t, g, fullTextBatch())
	queries := []string{"drone arabian", "messages", "araghchi", "met witkoff"}
	searchAll := func() (hits []search.Hit) {
		for _, q := range queries {
			hits = append(hits, mustSearch(t, g, ctx, q, search.Options{})...)
		}
		return hits
	}
	want := searchAll()
	// The words of one write: its names' and texts', and the texts' stems.
	words := func() []string {
		return append(kvtest.MustKeys(t, g.KV(), kv.Latest, kv.IterOptions{Prefix: layout.Vocabulary()}),
			kvtest.MustKeys(t, g.KV(), kv.Latest, kv.IterOptions{Prefix: layout.AllStems()})...)
	}
	wantWords := words()
	// A store written before the index existed holds no postings, words or marker.
	kvtest.MustDeletePrefixes(t, g.KV(), layout.AllPostings(), layout.Vocabulary(), layout.AllStems(), layout.MarkerKey(fulltext.Index{}.Name()))
	if hits := mustSearch(t, g, ctx, "drone arabian", search.Options{}); len(hits) != 0 {
		t.Fatalf("the index was not removed: %+v", hits)
	}
	if g, err = store.Open(ctx, g.KV()); err != nil {
		t.Fatalf("reopening a store without its index: %v", err)
	}
	if got := words(); !slices.Equal(got, wantWords) || len(wantWords) == 0 {
		t.Errorf("vocabulary and stems after a rebuild: %q, want %q", got, wantWords)
	}
	got := searchAll()
	if len(got) != len(want) || len(want) != 5 {
		t.Fatalf("after a rebuild: %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i].Node.NodeID() != want[i].Node.NodeID() || got[i].Score != want[i].Score || got[i].Matched != want[i].Matched {
			t.Errorf("hit %d after a rebuild: %+v, want %+v", i, got[i], want[i])
		}
	}
	marker := layout.MarkerKey(fulltext.Index{}.Name())
	written := kvtest.MustVersions(t, g.KV(), marker)
	if _, err := store.Open(ctx, g.KV()); err != nil || !slices.Equal(kvtest.MustVersions(t, g.KV(), marker), written) {
		t.Fatalf("a current index was rebuilt again: %v", err)
	}
}

// TestFullTextCommonWords searches words too common to read whole, so candidates come
// from the first postings of one word and the others (or the words of their stem) are
// confirmed for them alone.
func TestFullTextCommonWords(t *testing.T) {
	g := storetest.MustGraph(t)
	b := &store.Batch{}
	for i := range 3000 {
		desc := "A delegate at the summit."
		switch {
		case i%3 == 0:
			desc = "A delegate who spoke at the summit about water."
		case i%3 == 1:
			desc = "An observer of the summit."
		}
		b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: fmt.Sprintf("t%04d", i), Name: fmt.Sprintf("Topic %d", i), Description: desc}})
	}
	storetest.MustApply(t, g, b)
	ctx := context.Background()
	for _, c := range []struct {
		text  string
		every int // every c.every-th topic, from t0000, matches
	}{{"summit water", 3}, {"delegate water summit", 3}, {"observer summit", 3},
		{"delegates water", 3}, // "delegate", common, confirmed through the stem
	} {
		p, err := g.Search(ctx, c.text, search.Options{}, domain.PageArgs{First: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 500 || p.Total != 1000 {
			t.Fatalf("search %q: %d items of %d, want 500 of 1000", c.text, len(p.Items), p.Total)
		}
		for _, h := range p.Items {
			var i int
			fmt.Sscanf(h.Node.NodeID(), "t%04d", &i)
			want := 0
			if c.text == "observer summit" {
				want = 1
			}
			if i%c.every != want {
				t.Fatalf("search %q found %s: %q", c.text, h.Node.NodeID(), h.Matched)
			}
		}
	}
}

// stemBatch holds texts in several forms of the same words, and names that English
// stemming must leave as they are.
func stemBatch() *store.Batch {
	n := 0
	topic := func(id, desc string) domain.Node {
		n++
		return &domain.Topic{EntityBase: domain.EntityBase{ID: id, Name: fmt.Sprintf("Note %d", n), Description: desc}}
	}
	return &store.Batch{Nodes: []domain.Node{
		topic("enriched", "Iran enriched uranium to sixty percent at Fordow."),
		topic("enrichment", "Uranium enrichment resumed."),
		// Says "enriched" more often than "enrichment" is said anywhere: by BM25 alone
		// it would rank first.
		topic("enriched-often", "Enriched, enriched and enriched again: the stockpile."),
		topic("talks", "The talks resumed in Muscat."),
		topic("talk", "A talk by the envoy."),
		topic("ads", "Campaign ads ran for weeks."),
		topic("ad", "One ad ran."),
		topic("abbas", "Abbas Araghchí arrived in Muscat."),
		topic("abba", "The Abba songs played."),
		topic("moscow", "Talks in Москва stalled."),
	}}
}

// ids returns the ids of hits, in order.
func ids(hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Node.NodeID()
	}
	return out
}

func TestStemmedSearch(t *testing.T) {
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, stemBatch())
	ctx := context.Background()
	find := func(text string) []search.Hit { return mustSearch(t, g, ctx, text, search.Options{}) }
	want := func(text string, want ...string) []search.Hit {
		t.Helper()
		hits := find(text)
		if got := ids(hits); !slices.Equal(got, want) {
			t.Errorf("search %s = %v, want %v", text, got, want)
		}
		return hits
	}
	t.Run("the stemmer", func(t *testing.T) {
		for w, stem := range map[string]string{"enrichment": "enrich", "enriched": "enrich", "talks": "talk", "talk": "talk",
			"ads": "", "s": "", "": "", "1990s": "", "москва": "", "araghchi": "araghchi"} {
			if got := fulltext.Stem(w); got != stem {
				t.Errorf("Stem(%q) = %q, want %q", w, got, stem)
			}
		}
	})
	t.Run("enrichment finds enriched", func(t *testing.T) {
		hits := want("enrichment", "enrichment", "enriched-often", "enriched")
		if got := highlighted(hits[2]); !slices.Equal(got, []string{"enriched"}) {
			t.Errorf("a stem match highlights %v in %q", got, hits[2].Matched)
		}
		want("enriched", "enriched-often", "enriched", "enrichment")
		want("enriching uranium", "enrichment", "enriched") // both by stem: the shorter text first
	})
	t.Run("plural and singular", func(t *testing.T) {
		want("talks", "moscow", "talks", "talk")
		want("talk", "talk", "moscow", "talks") // "talks" begins with "talk": a prefix match, as written
	})
	t.Run("words as written rank above stems alone", func(t *testing.T) {
		for _, text := range []string{"enrichment", "talks"} {
			hits := find(text)
			for i, h := range hits {
				written := h.Node.NodeID() == text || text == "talks" && h.Node.NodeID() == "moscow"
				if written != (h.Score >= 0.15) || h.Score <= 0 || h.Score >= 0.3 || i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("search %s: hit %d %s scores %v (as written: %v)", text, i, h.Node.NodeID(), h.Score, written)
				}
			}
		}
	})
	t.Run("quoted words match as written only", func(t *testing.T) {
		want(`"enrichment"`, "enrichment")
		want(`"talks"`, "moscow", "talks")
		want(`“talks”`, "moscow", "talks")
		want(`"uranium enrichment`, "enrichment") // an unclosed quote runs to the end
		want(`uranium "enrichment"`, "enrichment")
		want(`"uranium" enrichment`, "enrichment", "enriched")
		want(`enrichment "enrichment"`, "enrichment") // quoted anywhere, as written everywhere
		hits := want(`"resumed talks"`, "talks")      // the words of a phrase need not be adjacent
		if got := highlighted(hits[0]); !slices.Equal(got, []string{"talks", "resumed"}) {
			t.Errorf("quoted highlights %v in %q", got, hits[0].Matched)
		}
	})
	t.Run("short stems match as written", func(t *testing.T) {
		want("ads", "ads")
		want("ad", "ad")
		want("s")
	})
	t.Run("names and other scripts", func(t *testing.T) {
		// "abbas" stems to "abba": the name as written still ranks first.
		hits := want("Abbas", "abbas", "abba")
		if hits[0].Score < 0.15 || hits[1].Score >= 0.15 {
			t.Errorf("search Abbas scores %v, %v", hits[0].Score, hits[1].Score)
		}
		want("araghchi", "abbas")
		want("Araghchí", "abbas")
		want("Araghchy", "abbas")
		want("москва", "moscow")
		want("Москва talk", "moscow")
	})
}

func TestFullTextIndexVersionRebuildsStems(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, stemBatch())
	// A store of the index's previous version: postings and vocabulary, no stems.
	kvtest.MustDeletePrefixes(t, g.KV(), layout.AllStems())
	kvtest.MustSet(t, g.KV(), string(layout.MarkerKey(fulltext.Index{}.Name())), "3")
	if got := ids(mustSearch(t, g, ctx, "enrichment", search.Options{})); !slices.Equal(got, []string{"enrichment"}) {
		t.Fatalf("without stems, search enrichment = %v", got)
	}
	g, err := store.Open(ctx, g.KV())
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(mustSearch(t, g, ctx, "enrichment", search.Options{})); !slices.Equal(got, []string{"enrichment", "enriched-often", "enriched"}) {
		t.Fatalf("after the open, search enrichment = %v", got)
	}
	if ok := kvtest.MustKeys(t, g.KV(), g.KV().LatestVersion(), kv.IterOptions{Prefix: layout.StemWords("enrich")}); len(ok) != 2 {
		t.Fatalf("stem keys of enrich after the rebuild: %q", ok)
	}
}
