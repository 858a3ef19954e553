package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
)

const article = "Araghchi met Witkoff in Muscat. Iran will stand firm, Araghchi said."

func baseBatch() *store.Batch {
	return &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "src", Title: "Report", Text: article},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "araghchi", Name: "Abbas Araghchi", Aliases: []string{"Seyyed Abbas Araghchi"}}, Kind: domain.ActorPerson},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "witkoff", Name: "Steve Witkoff"}, Kind: domain.ActorPerson},
		&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Muscat talks"}, Kind: domain.EventNegotiation},
	}}
}

func participation(actor, quote string, occurrence int) (domain.Relation, domain.Evidence) {
	rel := domain.Relation{Type: domain.RelParticipatedIn, From: actor, To: "talks", Role: domain.RoleParticipant}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	return rel, domain.Evidence{Subject: rel.ID, Source: "src", Quote: quote, Occurrence: occurrence, Confidence: 0.9, Method: "test"}
}

func TestEvidenceIsRequired(t *testing.T) {
	g := storetest.MustGraph(t)
	b := baseBatch()
	rel, _ := participation("araghchi", "", 0)
	b.Relations = []domain.Relation{rel}
	b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: "rights", Name: "Rights"}},
		&domain.Position{ID: "iran-firm", Holder: "araghchi", Topic: "rights", Stance: domain.StanceRejects})
	_, err := g.Apply(context.Background(), b)
	var errs domain.Errors
	if !errors.Is(err, domain.ErrEvidenceRequired) || !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("Apply without evidence = %v; want two ErrEvidenceRequired (relation and position)", err)
	}
	if n, err := g.Node(context.Background(), "araghchi"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a refused batch wrote %v", n)
	}
}

func TestQuotesAreAnchored(t *testing.T) {
	g := storetest.MustGraph(t)
	b := baseBatch()
	rel, ev := participation("araghchi", "Araghchi", 2)
	b.Relations, b.Evidence = []domain.Relation{rel}, []domain.Evidence{ev}
	storetest.MustApply(t, g, b)
	evs, err := g.Evidence(context.Background(), []string{rel.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := evs[0][0]
	if *got.Start != 54 || *got.End != 62 || got.Prefix != "n Muscat. Iran will stand firm, " || got.Suffix != " said." {
		t.Fatalf("evidence anchored at [%d,%d) prefix %q suffix %q", *got.Start, *got.End, got.Prefix, got.Suffix)
	}

	for name, ev := range map[string]domain.Evidence{
		"ambiguous": {Subject: rel.ID, Source: "src", Quote: "Araghchi", Confidence: 1, Method: "test"},
		"absent":    {Subject: rel.ID, Source: "src", Quote: "Kushner", Confidence: 1, Method: "test"},
		"wrongSpan": {Subject: rel.ID, Source: "src", Quote: "Araghchi", Start: ptr(1), End: ptr(9), Confidence: 1, Method: "test"},
		"badConf":   {Subject: rel.ID, Source: "src", Quote: "Muscat", Confidence: 1.5, Method: "test"},
		"noSubject": {Subject: "rel:none", Source: "src", Quote: "Muscat", Confidence: 1, Method: "test"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := g.Apply(context.Background(), &store.Batch{Evidence: []domain.Evidence{ev}}); !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("Apply = %v, want ErrInvalid", err)
			}
		})
	}
}

func ptr(i int) *int { return &i }

func TestApplyIsIdempotent(t *testing.T) {
	g := storetest.MustGraph(t)
	build := func() *store.Batch {
		b := baseBatch()
		r1, e1 := participation("araghchi", "Araghchi met Witkoff", 0)
		r2, e2 := participation("witkoff", "Araghchi met Witkoff", 0)
		b.Relations, b.Evidence = []domain.Relation{r1, r2}, []domain.Evidence{e1, e2}
		return b
	}
	first := storetest.MustApply(t, g, build())
	if first.Nodes != 4 || first.Relations != 2 || first.Evidence != 2 {
		t.Fatalf("first apply wrote %+v", first)
	}
	again := storetest.MustApply(t, g, build())
	if again.Nodes+again.Relations+again.Evidence != 0 {
		t.Fatalf("repeating the batch wrote %+v", again)
	}
	second, e := participation("araghchi", "Araghchi said", 0)
	e.Source = "src"
	stats := storetest.MustApply(t, g, &store.Batch{Relations: []domain.Relation{second}, Evidence: []domain.Evidence{e}})
	if stats.Relations != 0 || stats.Evidence != 1 {
		t.Fatalf("a second source for the same claim wrote %+v; want one evidence on the same relation", stats)
	}
}

func TestKindsAndEnds(t *testing.T) {
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, baseBatch())
	cases := map[string]*store.Batch{
		"idReusedAsOtherKind": {Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{ID: "talks", Name: "T"}}}},
		"badEnum":             {Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "x", Name: "X"}, Kind: "ALIEN"}}},
		"badID":               {Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "Not Valid", Name: "X"}, Kind: domain.ActorGroup}}},
		"wrongEnd": {Relations: []domain.Relation{{Type: domain.RelPartOf, From: "araghchi", To: "talks"}},
			Evidence: []domain.Evidence{{Subject: domain.RelationID(domain.RelPartOf, "araghchi", "talks", ""), Source: "src", Quote: "Muscat", Confidence: 1, Method: "t"}}},
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := g.Apply(context.Background(), b); !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("Apply = %v, want ErrInvalid", err)
			}
		})
	}
}

// actorsOnly keeps name searches from also finding the base batch's source, whose
// text mentions the actors.
var actorsOnly = search.Options{Kinds: []domain.Kind{domain.KindActor}}

func TestSearchRanksAndFolds(t *testing.T) {
	g := storetest.MustGraph(t)
	b := baseBatch()
	b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: "abbasi", Name: "Abbasi Foundation"}, Kind: domain.ActorOrganisation})
	storetest.MustApply(t, g, b)
	search := func(text string) []search.Hit {
		p, err := g.Search(context.Background(), text, actorsOnly, domain.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		return p.Items
	}
	for _, q := range []string{"ARAGHCHI", "seyyed abbas araghchi", "Ábbás Araghchí", "arag"} {
		if hits := search(q); len(hits) != 1 || hits[0].Node.NodeID() != "araghchi" {
			t.Errorf("search %q = %v", q, hits)
		}
	}
	hits := search("abbas")
	if len(hits) != 2 || hits[0].Node.NodeID() != "araghchi" || hits[1].Node.NodeID() != "abbasi" {
		t.Fatalf("search abbas: whole-word match must rank above prefix match: %+v", hits)
	}
	if hits := search("Seyyed Abbas Araghchi"); hits[0].Score != 0.95 || hits[0].Matched != "Seyyed Abbas Araghchi" {
		t.Fatalf("exact alias match scored %v on %q", hits[0].Score, hits[0].Matched)
	}
}

func TestPinnedReadsIgnoreLaterWrites(t *testing.T) {
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, baseBatch())
	ctx := g.Pin(context.Background(), kv.Latest)
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{ID: "later", Name: "Later"}}}})
	if _, err := g.Node(ctx, "later"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a pinned read saw a later write: %v", err)
	}
	if _, err := g.Node(context.Background(), "later"); err != nil {
		t.Fatal(err)
	}
}

func TestRepeatsAndRenames(t *testing.T) {
	g := storetest.MustGraph(t)
	b := baseBatch()
	b.Nodes = append(b.Nodes, baseBatch().Nodes...)
	r, e := participation("araghchi", "Araghchi met Witkoff", 0)
	b.Relations, b.Evidence = []domain.Relation{r, r}, []domain.Evidence{e, e}
	if stats := storetest.MustApply(t, g, b); stats.Nodes != 4 || stats.Relations != 1 || stats.Evidence != 1 {
		t.Fatalf("a batch repeating its items wrote %+v", stats)
	}
	clash := &store.Batch{Nodes: []domain.Node{
		&domain.Topic{EntityBase: domain.EntityBase{ID: "t", Name: "One"}},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "t", Name: "Two"}},
	}}
	if _, err := g.Apply(context.Background(), clash); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("one id given twice differently = %v, want ErrInvalid", err)
	}
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		&domain.Actor{EntityBase: domain.EntityBase{ID: "witkoff", Name: "Special Envoy"}, Kind: domain.ActorPerson}}})
	p, err := g.Search(context.Background(), "envoy", search.Options{}, domain.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Node.NodeID() != "witkoff" {
		t.Fatalf("after a rename, search for the new name finds %+v", p.Items)
	}
	if p, _ := g.Search(context.Background(), "Witkoff", actorsOnly, domain.PageArgs{}); len(p.Items) != 0 {
		t.Fatalf("the old name still matches: %+v", p.Items)
	}
}

func TestSearchToleratesTypos(t *testing.T) {
	g := storetest.MustGraph(t)
	b := baseBatch()
	b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: "iran", Name: "Iran"}, Kind: domain.ActorState})
	storetest.MustApply(t, g, b)
	for _, q := range []string{"Araghchy", "araghhci", "Witkopf", "Muskat talks"} {
		p, err := g.Search(context.Background(), q, search.Options{Kinds: []domain.Kind{domain.KindActor, domain.KindEvent}}, domain.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Score != 0.3 {
			t.Errorf("search %q = %+v; want one match with a typo", q, p.Items)
		}
	}
	if p, _ := g.Search(context.Background(), "Iraq", search.Options{}, domain.PageArgs{}); len(p.Items) != 0 {
		t.Errorf("search Iraq = %+v; words under five letters allow no typos", p.Items)
	}
}

func TestSearchCommonWords(t *testing.T) {
	g := storetest.MustGraph(t)
	b := &store.Batch{}
	for i := range 1500 {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("r%04d", i), Name: fmt.Sprintf("Republic of Place%04d", i)}, Kind: domain.ActorState})
	}
	storetest.MustApply(t, g, b)
	p, err := g.Search(context.Background(), "republic", search.Options{}, domain.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 5 || p.Total != 1500 || p.Items[0].Score != 0.8 {
		t.Fatalf("search of a word 1,500 names share: %d items, total %d, first %+v", len(p.Items), p.Total, p.Items)
	}
	p, err = g.Search(context.Background(), "republic of place0042", search.Options{}, domain.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Node.NodeID() != "r0042" || p.Items[0].Score != 1 {
		t.Fatalf("search with common words and one rare one = %+v", p.Items)
	}
}

// TestEvidenceOfManyClaims reads the evidence of enough claims that the read is split
// between two transactions, and checks the answer is in the order asked, repeats and
// unknown ids included, and still comes from the one pinned snapshot.
func TestEvidenceOfManyClaims(t *testing.T) {
	g := storetest.MustGraph(t)
	const text = "Delegates met. Delegates met again."
	b := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "wire", Title: "Wire", Text: text},
		&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Talks"}, Kind: domain.EventNegotiation},
	}}
	var ids []string
	for i := range 300 {
		actor := fmt.Sprintf("actor-%03d", i)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: actor, Name: actor}, Kind: domain.ActorPerson})
		rel, ev := participation(actor, "Delegates met", 1)
		ev.Source = "wire"
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, ev)
		ids = append(ids, rel.ID)
	}
	storetest.MustApply(t, g, b)
	pinned := g.Pin(context.Background(), kv.Latest)
	later := &store.Batch{}
	for _, id := range ids[150:] {
		later.Evidence = append(later.Evidence, domain.Evidence{Subject: id, Source: "wire", Quote: "Delegates met", Occurrence: 2, Confidence: 1, Method: "test"})
	}
	storetest.MustApply(t, g, later)

	ask := []string{ids[299], "rel:none", ids[0], ids[299]}
	for i := 1; i < 300; i += 2 {
		ask = append(ask, ids[i])
	}
	for _, c := range []struct {
		name string
		ctx  context.Context
		want func(id string) int
	}{
		{"Latest", context.Background(), func(id string) int {
			if slices.Index(ids, id) >= 150 {
				return 2
			}
			return 1
		}},
		{"Pinned", pinned, func(string) int { return 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, err := g.Evidence(c.ctx, ask)
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range ask {
				want := c.want(id)
				if id == "rel:none" {
					want = 0
				}
				if len(evs[i]) != want {
					t.Fatalf("evidence of %s (asked %d): %d records, want %d", id, i, len(evs[i]), want)
				}
				for _, ev := range evs[i] {
					if ev.Subject != id {
						t.Fatalf("evidence of %s (asked %d) supports %s", id, i, ev.Subject)
					}
				}
			}
		})
	}
}
