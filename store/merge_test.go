package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/search"
	"eventgraph/store/storetest"
)

// Dump parts: what the store holds, and what it answers.
const (
	dumpStored   = 1 << iota // every key and value (mustDump says which are left out)
	dumpAnswered             // the export, counts, degrees, contested claims and search
	dumpAll      = dumpStored | dumpAnswered
)

// mustDump is the graph at ctx's snapshot, one fact a line. Stored: every key and
// value, but for merge records and the store's bookkeeping (markers, the author of
// the last write, and the counters' deltas, folded counts and degree index, which fold
// at their own pace: the counts they add up to are answered instead). Answered: the
// export (Visit: every current node, relation and position with its live evidence,
// offsets, stances and grades), counts by type, the degree of every entity, the
// contested claims, and a search for every word of every entity name.
func mustDump(t *testing.T, ctx context.Context, g *store.Graph, parts int) []string {
	t.Helper()
	var out []string
	add := func(what string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, what+" "+string(b))
	}
	if parts&dumpStored != 0 {
		err := g.KV().View(store.Version(ctx), func(r kv.Reader) error {
			return r.Iterate(kv.IterOptions{}, func(k, v []byte) error {
				if !strings.ContainsRune("Mmcbd", rune(k[0])) {
					out = append(out, "key "+string(k)+" = "+string(v))
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if parts&dumpAnswered == 0 {
		return out
	}
	words := map[string]bool{}
	err := g.Visit(ctx, store.Visitor{
		Node: func(n domain.Node) error {
			add("node", n)
			if e, ok := n.(domain.Entity); ok {
				for _, w := range domain.Tokens(e.Base().Name) {
					words[w] = true
				}
			}
			return nil
		},
		Relation: func(rel *domain.Relation, evs []*domain.Evidence) error {
			add("relation", rel)
			add("evidence", evs)
			add("corroboration", domain.Corroborate(evs, func(string) *domain.Source { return nil }))
			return nil
		},
		Position: func(p *domain.Position, evs []*domain.Evidence) error {
			add("position", p)
			add("evidence", evs)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := g.Aggregate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add("counts", counts)
	central, err := g.Central(ctx, nil, nil, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range central {
		add("degree", []any{c.Entity.NodeID(), c.Degree})
	}
	contested, err := g.Contested(ctx, domain.PageArgs{First: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range contested.Items {
		add("contested", n.NodeID())
	}
	for _, w := range slices.Sorted(func(yield func(string) bool) {
		for w := range words {
			if !yield(w) {
				return
			}
		}
	}) {
		hits, err := g.Search(ctx, w, search.Options{}, domain.PageArgs{First: 500})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hits.Items {
			ids = append(ids, h.Node.NodeID()+"@"+h.Matched)
		}
		add("search "+w, ids)
	}
	return out
}

// dumpDiff describes how two dumps differ: the lines only one of them has.
func dumpDiff(got, want []string) string {
	var b strings.Builder
	for _, l := range got {
		if !slices.Contains(want, l) {
			fmt.Fprintf(&b, "+ %.400q\n", l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			fmt.Fprintf(&b, "- %.400q\n", l)
		}
	}
	if b.Len() == 0 && !slices.Equal(got, want) {
		return "the same lines in another order or number"
	}
	return b.String()
}

// mustSameDump fails the test when two dumps differ, showing how.
func mustSameDump(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: the graph differs (+ only now, - only before):\n%s", what, dumpDiff(got, want))
	}
}

// mustMergeAndUndo merges from into into, checks that the merge changed the graph,
// unmerges it and checks that the graph is as before, now and as of before the merge.
func mustMergeAndUndo(t *testing.T, g *store.Graph, into string, from ...string) {
	t.Helper()
	ctx := context.Background()
	before := mustDump(t, ctx, g, dumpAll)
	version := g.KV().LatestVersion()
	m, _, err := g.Merge(ctx, into, from)
	if err != nil {
		t.Fatalf("merge %v into %s: %v", from, into, err)
	}
	if slices.Equal(mustDump(t, ctx, g, dumpAll), before) {
		t.Fatalf("merging %v into %s changed nothing", from, into)
	}
	if _, _, err := g.Unmerge(ctx, m.ID); err != nil {
		t.Fatalf("unmerge %v from %s: %v", from, into, err)
	}
	mustSameDump(t, fmt.Sprintf("after merging %v into %s and unmerging", from, into), mustDump(t, ctx, g, dumpAll), before)
	mustSameDump(t, "as of before the merge", mustDump(t, g.Pin(ctx, version), g, dumpAll), before)
}

// TestUnmergeRestoresTheSeed merges and unmerges entities of the bundled seed, among
// them two whose relations quote the same span for the same claim (witkoff and
// kushner: both took part in the talks and represent the United States, in one
// sentence), and checks that the whole graph is as before, byte for byte.
func TestUnmergeRestoresTheSeed(t *testing.T) {
	g := storetest.MustSeeded(t)
	for _, merge := range [][]string{
		{"witkoff", "kushner"},
		{"kushner", "witkoff"},
		{"trump", "trump-administration"},
		{"united-states", "trump-administration", "witkoff", "kushner"},
		{"iran", "araghchi"},
		{"iran-nuclear-programme", "enriched-uranium-stockpile", "ballistic-missiles"},
		{"muscat-talks", "earlier-talks"},
	} {
		t.Run(strings.Join(merge, "+"), func(t *testing.T) { mustMergeAndUndo(t, g, merge[0], merge[1:]...) })
	}
}

// mustDependentMerge fails the test unless err is ErrDependentMerge.
func mustDependentMerge(t *testing.T, err error) {
	t.Helper()
	var e *domain.Error
	if !errors.Is(err, domain.ErrDependentMerge) || !errors.As(err, &e) || e.Field != "merge" {
		t.Fatalf("unmerging a merge a later one builds on: %v, want ErrDependentMerge", err)
	}
}

// The graph of the deterministic merge tests: actors w and k (k to be merged into w),
// x, y and z, an event and a topic; k's relations each test a rule of Unmerge.
const mergeText = "W and K attended the summit. K allied with X. K and X signed a pact. " +
	"W allied with Y. K allied with Y too. K allied with Z. W and Z met. K holds firm. X agreed later."

// mergeQuote is evidence for subject quoting quote, found in mergeText.
func mergeQuote(subject, quote string) domain.Evidence {
	return domain.Evidence{Subject: subject, Source: "src", Quote: quote, Confidence: 0.9, Method: "test"}
}

// mustMergeGraph builds the graph of the deterministic merge tests and returns it
// with the ids of its relations by name: "we" and "ke" (w and k took part in the
// event, quoting one span), "kx", "wy", "ky", "kz", "wz".
func mustMergeGraph(t *testing.T) (*store.Graph, map[string]string) {
	t.Helper()
	g := storetest.MustGraph(t)
	b := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "src", Title: "Report", Text: mergeText},
		&domain.Event{EntityBase: domain.EntityBase{ID: "summit", Name: "Summit"}, Kind: domain.EventNegotiation},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "pact", Name: "Pact"}},
		&domain.Position{ID: "k-firm", Holder: "k", Topic: "pact", Stance: domain.StanceRejects},
	}}
	for _, id := range []string{"w", "k", "x", "y", "z"} {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + strings.ToUpper(id)}, Kind: domain.ActorPerson})
	}
	b.Evidence = append(b.Evidence, mergeQuote("k-firm", "K holds firm"))
	ids := map[string]string{}
	for _, r := range []struct {
		name, typ, from, to string
		quotes              []string
	}{
		{"we", "PARTICIPATED_IN", "w", "summit", []string{"W and K attended the summit"}},
		{"ke", "PARTICIPATED_IN", "k", "summit", []string{"W and K attended the summit"}},
		{"kx", "ALLIED_WITH", "k", "x", []string{"K allied with X", "K and X signed a pact"}},
		{"wy", "ALLIED_WITH", "w", "y", []string{"W allied with Y"}},
		{"ky", "ALLIED_WITH", "k", "y", []string{"K allied with Y too"}},
		{"kz", "ALLIED_WITH", "k", "z", []string{"K allied with Z"}},
		{"wz", "ALLIED_WITH", "w", "z", []string{"W and Z met"}},
	} {
		rel := domain.Relation{Type: domain.RelationType(r.typ), From: r.from, To: r.to}
		if rel.Type == domain.RelParticipatedIn {
			rel.Role = domain.RoleParticipant
		}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		ids[r.name] = rel.ID
		b.Relations = append(b.Relations, rel)
		for _, q := range r.quotes {
			b.Evidence = append(b.Evidence, mergeQuote(rel.ID, q))
		}
	}
	storetest.MustApply(t, g, b)
	return g, ids
}

// moved is the id relation name of mustMergeGraph has once k is merged into w.
func moved(t *testing.T, g *store.Graph, ids map[string]string, name string) string {
	t.Helper()
	rel, err := g.Relation(context.Background(), ids[name])
	if err != nil {
		t.Fatal(err)
	}
	return domain.RelationID(rel.Type, strings.ReplaceAll(rel.From, "k", "w"), strings.ReplaceAll(rel.To, "k", "w"), rel.Role)
}

// mustEvidence is the evidence of subject, retracted too, by quote.
func mustEvidence(t *testing.T, g *store.Graph, subject string) map[string]*domain.Evidence {
	t.Helper()
	evs, err := g.Evidence(context.Background(), []string{subject})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*domain.Evidence{}
	for _, ev := range evs[0] {
		out[ev.Quote] = ev
	}
	return out
}

// mustRelation reads a relation that must exist.
func mustRelation(t *testing.T, g *store.Graph, id string) *domain.Relation {
	t.Helper()
	rel, err := g.Relation(context.Background(), id)
	if err != nil {
		t.Fatalf("relation %s: %v", id, err)
	}
	return rel
}

// mustMerge merges from into into.
func mustMerge(t *testing.T, g *store.Graph, into string, from ...string) *domain.Merge {
	t.Helper()
	m, _, err := g.Merge(context.Background(), into, from)
	if err != nil {
		t.Fatalf("merge %v into %s: %v", from, into, err)
	}
	return m
}

// mustUnmerge undoes merge m.
func mustUnmerge(t *testing.T, g *store.Graph, m *domain.Merge) {
	t.Helper()
	if _, _, err := g.Unmerge(context.Background(), m.ID); err != nil {
		t.Fatalf("unmerge %s: %v", m.ID, err)
	}
}

// TestUnmergeKeepsEditsMadeWhileMerged edits the graph while k is merged into w, and
// checks that the unmerge keeps each edit where Unmerge says it stays, and restores
// the rest.
func TestUnmergeKeepsEditsMadeWhileMerged(t *testing.T) {
	g, ids := mustMergeGraph(t)
	ctx := context.Background()
	m := mustMerge(t, g, "w", "k")
	wx, wy := moved(t, g, ids, "kx"), ids["wy"]
	addedQuote := "X agreed later"
	storetest.MustApply(t, g, &store.Batch{Evidence: []domain.Evidence{mergeQuote(wx, addedQuote)}})
	copied := mustEvidence(t, g, wx)
	if _, _, err := g.SetCredibility(ctx, wx, copied["K allied with X"].ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Retract(ctx, copied["K and X signed a pact"].ID, "quoted out of context"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Retract(ctx, mustEvidence(t, g, wy)["W allied with Y"].ID, "misread"); err != nil {
		t.Fatalf("retracting w→y's own evidence while a copy supports it: %v", err)
	}
	n, err := g.Node(ctx, "w")
	if err != nil {
		t.Fatal(err)
	}
	renamed := n.(*domain.Actor)
	renamed.Description, renamed.Aliases = "Envoy", append(renamed.Aliases, "Special Envoy")
	position, err := g.Node(ctx, "k-firm")
	if err != nil {
		t.Fatal(err)
	}
	restated := *position.(*domain.Position)
	restated.Stance = domain.StanceWillingToDiscuss
	wLeads := domain.Relation{Type: domain.RelLeads, From: "w", To: "x"}
	wLeads.ID = domain.RelationID(wLeads.Type, wLeads.From, wLeads.To, "")
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{renamed, &restated}, Relations: []domain.Relation{wLeads},
		Evidence: []domain.Evidence{mergeQuote(wLeads.ID, "X agreed later")}})
	mustUnmerge(t, g, m)

	t.Run("a relation the merge made keeps evidence added to it, and only that", func(t *testing.T) {
		rel, evs := mustRelation(t, g, wx), mustEvidence(t, g, wx)
		if rel.Retracted != nil || len(evs) != 1 || evs[addedQuote] == nil {
			t.Fatalf("w→x after the unmerge: %+v with %d evidence records, want it live with the one added", rel, len(evs))
		}
	})
	t.Run("the relation it replaced comes back with its evidence", func(t *testing.T) {
		if rel := mustRelation(t, g, ids["kx"]); rel.Retracted != nil {
			t.Fatalf("k→x is still retracted: %+v", rel.Retracted)
		}
	})
	t.Run("a grade given to a copy goes to the evidence copied", func(t *testing.T) {
		if ev := mustEvidence(t, g, ids["kx"])["K allied with X"]; ev.Credibility != 2 {
			t.Fatalf("k→x's evidence has credibility %d, want 2", ev.Credibility)
		}
	})
	t.Run("a retraction given to a copy goes to the evidence copied", func(t *testing.T) {
		ev := mustEvidence(t, g, ids["kx"])["K and X signed a pact"]
		if ev.Retracted == nil || ev.Retracted.Reason != "quoted out of context" {
			t.Fatalf("k→x's evidence: retracted %+v, want the copy's retraction", ev.Retracted)
		}
	})
	t.Run("a relation left with no support of its own is retracted", func(t *testing.T) {
		rel := mustRelation(t, g, wy)
		if rel.Retracted == nil || !strings.HasPrefix(rel.Retracted.Reason, "unmerged ("+m.ID) {
			t.Fatalf("w→y, whose own evidence was retracted while merged: retracted %+v", rel.Retracted)
		}
		if ky := mustRelation(t, g, ids["ky"]); ky.Retracted != nil {
			t.Fatalf("k→y is still retracted: %+v", ky.Retracted)
		}
	})
	t.Run("the surviving entity keeps its edits and loses the merged names", func(t *testing.T) {
		n, err := g.Node(ctx, "w")
		if err != nil {
			t.Fatal(err)
		}
		if b := n.(domain.Entity).Base(); b.Description != "Envoy" || !slices.Equal(b.Aliases, []string{"Special Envoy"}) {
			t.Fatalf("w after the unmerge: %+v", b)
		}
	})
	t.Run("a position points back and keeps its edits", func(t *testing.T) {
		n, err := g.Node(ctx, "k-firm")
		if err != nil {
			t.Fatal(err)
		}
		if p := n.(*domain.Position); p.Holder != "k" || p.Stance != domain.StanceWillingToDiscuss {
			t.Fatalf("k's position after the unmerge: %+v", p)
		}
	})
	t.Run("a relation added to the surviving entity stays", func(t *testing.T) {
		if rel := mustRelation(t, g, wLeads.ID); rel.Retracted != nil || rel.From != "w" {
			t.Fatalf("w→x LEADS after the unmerge: %+v", rel)
		}
	})
}

// TestUnmergeFollowsRetractionsBack retracts, while k is merged into w, a relation the
// merge made and a copy of a relation's only evidence, and checks where the
// retractions go.
func TestUnmergeFollowsRetractionsBack(t *testing.T) {
	g, ids := mustMergeGraph(t)
	ctx := context.Background()
	m := mustMerge(t, g, "w", "k")
	wx, wz := moved(t, g, ids, "kx"), ids["wz"]
	if _, _, err := g.Retract(ctx, wx, "never allied"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Retract(ctx, mustEvidence(t, g, wz)["K allied with Z"].ID, "another K"); err != nil {
		t.Fatal(err)
	}
	mustUnmerge(t, g, m)
	t.Run("a relation the merge made: to the relation it replaced", func(t *testing.T) {
		if rel := mustRelation(t, g, ids["kx"]); rel.Retracted == nil || rel.Retracted.Reason != "never allied" {
			t.Fatalf("k→x after the unmerge: retracted %+v, want w→x's retraction", rel.Retracted)
		}
		if _, err := g.Relation(ctx, wx); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("w→x, made by the merge and given nothing since, is still there: %v", err)
		}
	})
	t.Run("a copy of a claim's last support: not to the evidence copied", func(t *testing.T) {
		rel, ev := mustRelation(t, g, ids["kz"]), mustEvidence(t, g, ids["kz"])["K allied with Z"]
		if rel.Retracted != nil || ev.Retracted != nil {
			t.Fatalf("k→z after the unmerge: retracted %+v, its only evidence retracted %+v", rel.Retracted, ev.Retracted)
		}
		if evs := mustEvidence(t, g, wz); len(evs) != 1 {
			t.Fatalf("w→z keeps %d evidence records, want its own one", len(evs))
		}
	})
}

// TestUnmergeOrder: a merge cannot be undone while a later merge building on it
// stands, and can once that one is undone; merges that share nothing are undone in any
// order.
func TestUnmergeOrder(t *testing.T) {
	g, _ := mustMergeGraph(t)
	ctx := context.Background()
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		&domain.Topic{EntityBase: domain.EntityBase{ID: "talks", Name: "Talks"}},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "negotiations", Name: "Negotiations"}},
	}})
	before := mustDump(t, ctx, g, dumpAll)
	t.Run("a later merge building on one is undone first", func(t *testing.T) {
		first := mustMerge(t, g, "w", "k")
		chained := mustMerge(t, g, "y", "w")
		if !slices.Equal(chained.After, []string{first.ID}) {
			t.Fatalf("merging w into y builds on %v, want [%s]", chained.After, first.ID)
		}
		merged := mustDump(t, ctx, g, dumpAll)
		_, _, err := g.Unmerge(ctx, first.ID)
		mustDependentMerge(t, err)
		mustSameDump(t, "after the refused unmerge", mustDump(t, ctx, g, dumpAll), merged)
		mustUnmerge(t, g, chained)
		mustUnmerge(t, g, first)
		mustSameDump(t, "after undoing both, the later first", mustDump(t, ctx, g, dumpAll), before)
	})
	t.Run("merges that share nothing are undone in any order", func(t *testing.T) {
		first := mustMerge(t, g, "w", "k")
		apart := mustMerge(t, g, "talks", "negotiations")
		if len(apart.After) != 0 {
			t.Fatalf("merging two unrelated topics builds on %v", apart.After)
		}
		mustUnmerge(t, g, first)
		mustUnmerge(t, g, apart)
		mustSameDump(t, "after undoing both, the earlier first", mustDump(t, ctx, g, dumpAll), before)
	})
}

// TestUnmergeWhenAMergedIDIsWrittenAgain: an id merged away and written again while
// merged keeps the record written, or, written as another kind of node, stops the
// unmerge.
func TestUnmergeWhenAMergedIDIsWrittenAgain(t *testing.T) {
	ctx := context.Background()
	t.Run("as the same kind", func(t *testing.T) {
		g, ids := mustMergeGraph(t)
		m := mustMerge(t, g, "w", "k")
		again := &domain.Actor{EntityBase: domain.EntityBase{ID: "k", Name: "Another K"}, Kind: domain.ActorGroup}
		storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{again}})
		mustUnmerge(t, g, m)
		n, err := g.Node(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if a := n.(*domain.Actor); a.Name != "Another K" || a.Kind != domain.ActorGroup {
			t.Fatalf("k after the unmerge: %+v, want the record written while merged", a)
		}
		if rel := mustRelation(t, g, ids["kx"]); rel.Retracted != nil {
			t.Fatalf("k→x is still retracted: %+v", rel.Retracted)
		}
	})
	t.Run("as another kind", func(t *testing.T) {
		g, _ := mustMergeGraph(t)
		m := mustMerge(t, g, "w", "k")
		storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{ID: "k", Name: "K"}}}})
		before := mustDump(t, ctx, g, dumpAll)
		_, _, err := g.Unmerge(ctx, m.ID)
		var e *domain.Error
		if !errors.Is(err, domain.ErrInvalid) || !errors.As(err, &e) || !strings.Contains(e.Message, "TOPIC") {
			t.Fatalf("unmerge with k written as a topic: %v, want ErrInvalid naming it", err)
		}
		mustSameDump(t, "after the refused unmerge", mustDump(t, ctx, g, dumpAll), before)
	})
}

// TestUnmergeOfAnEarlierMergeRecord unmerges a merge that copied evidence, its record
// made like those written before merge records listed the copies (format 0): the
// copies are worked out from the snapshot before the merge.
func TestUnmergeOfAnEarlierMergeRecord(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	before := mustDump(t, ctx, g, dumpAll)
	m := mustMerge(t, g, "trump", "trump-administration")
	_, err := g.KV().Update(func(rw kv.ReadWriter) error {
		k := layout.MergeKey(m.ID)
		b, err := rw.Get(k)
		if err != nil {
			return err
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			return err
		}
		if rec["format"] == nil || rec["evidence"] == nil {
			return fmt.Errorf("the merge record has no format or evidence: %s", b)
		}
		delete(rec, "format")
		delete(rec, "evidence")
		delete(rec, "after")
		if b, err = json.Marshal(rec); err != nil {
			return err
		}
		return rw.Set(k, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	mustUnmerge(t, g, m)
	mustSameDump(t, "after unmerging", mustDump(t, ctx, g, dumpAll), before)
}

// TestMergeValidTimes: a relation a merge makes from relations of two merged entities
// holds whenever either held; a relation into had keeps its own valid times.
func TestMergeValidTimes(t *testing.T) {
	g := storetest.MustGraph(t)
	year := func(y int) *time.Time { at := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); return &at }
	b := &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Report", Text: "They were allies."}}}
	for _, id := range []string{"a", "b", "c", "x", "y"} {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorState})
	}
	rels := map[string]string{}
	for _, r := range []struct {
		from, to string
		valid    [2]*time.Time
	}{
		{"a", "x", [2]*time.Time{year(2000), year(2005)}},
		{"b", "x", [2]*time.Time{year(2003), year(2010)}},
		{"a", "y", [2]*time.Time{year(1990), nil}},
		{"c", "y", [2]*time.Time{year(2001), year(2002)}},
	} {
		rel := domain.Relation{Type: domain.RelAlliedWith, From: r.from, To: r.to, ValidFrom: r.valid[0], ValidTo: r.valid[1]}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, "")
		rels[r.from+r.to] = rel.ID
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
	}
	storetest.MustApply(t, g, b)
	before := mustDump(t, context.Background(), g, dumpAll)
	m := mustMerge(t, g, "c", "a", "b")
	cx := mustRelation(t, g, domain.RelationID(domain.RelAlliedWith, "c", "x", ""))
	if !cx.ValidFrom.Equal(*year(2000)) || !cx.ValidTo.Equal(*year(2010)) {
		t.Fatalf("c→x made from a→x and b→x holds %v–%v, want 2000–2010", cx.ValidFrom, cx.ValidTo)
	}
	if cy := mustRelation(t, g, rels["cy"]); !cy.ValidFrom.Equal(*year(2001)) || !cy.ValidTo.Equal(*year(2002)) {
		t.Fatalf("c→y, which c had, holds %v–%v after the merge, want its own 2001–2002", cy.ValidFrom, cy.ValidTo)
	}
	mustUnmerge(t, g, m)
	mustSameDump(t, "after unmerging", mustDump(t, context.Background(), g, dumpAll), before)
}
