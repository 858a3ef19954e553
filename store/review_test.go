package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// reviewText has a character outside ASCII before the spans the tests pick, so code
// point and byte offsets differ.
const reviewText = "Iran’s foreign minister Abbas Araghchi met Steve Witkoff at the Muscat talks.\nThey spoke for hours.\n"

// mustReviewQueue is a graph holding reviewText as a source, the entities it names and
// three pending candidates at confidence 0.7: araghchi REPRESENTS iran, iran and
// araghchi in text order with no type, and witkoff PARTICIPATED_IN the talks; it returns
// their ids in that order.
func mustReviewQueue(t *testing.T) (*store.Graph, []string) {
	t.Helper()
	g := storetest.MustGraph(t)
	actor := func(id string, kind domain.ActorKind) *domain.Actor {
		return &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: id}, Kind: kind}
	}
	sentence := strings.SplitAfter(reviewText, "\n")[0]
	end := utf8.RuneCountInString(strings.TrimSpace(sentence))
	cand := func(from, to string, typ domain.RelationType) domain.Candidate {
		return domain.Candidate{Source: "report", From: from, To: to, Type: typ, Confidence: 0.7, Quote: strings.TrimSpace(sentence), End: end}
	}
	b := &store.Batch{
		Nodes: []domain.Node{&domain.Source{ID: "report", Title: "Report", Text: reviewText},
			actor("iran", domain.ActorState), actor("araghchi", domain.ActorPerson), actor("witkoff", domain.ActorPerson),
			&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Muscat talks"}, Kind: domain.EventNegotiation, Precision: domain.PrecisionUnknown}},
		Candidates: []domain.Candidate{cand("araghchi", "iran", domain.RelRepresents), cand("iran", "araghchi", ""), cand("witkoff", "talks", domain.RelParticipatedIn)},
	}
	storetest.MustApply(t, g, b)
	ids := make([]string, len(b.Candidates))
	for i, c := range b.Candidates {
		ids[i] = c.ID
	}
	return g, ids
}

// codePoints returns the code points [start, end) of reviewText.
func codePoints(start, end int) string { return string([]rune(reviewText)[start:end]) }

func TestAcceptRefusesWithoutWriting(t *testing.T) {
	g, ids := mustReviewQueue(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, field, says string
		rv                domain.Review
	}{
		{"WrongDirection", "to", "REPRESENTS goes from ACTOR to ACTOR of kind STATE", domain.Review{From: "iran", To: "araghchi"}},
		{"WrongKind", "to", `"talks" is of kind EVENT`, domain.Review{To: "talks"}},
		{"WrongType", "to", "PARTICIPATED_IN goes from ACTOR to EVENT", domain.Review{Type: domain.RelParticipatedIn}},
		{"UnknownEnd", "from", "names no node", domain.Review{From: "nobody"}},
		{"SameEnds", "to", "connects two entities", domain.Review{From: "iran"}},
		{"RoleOnRepresents", "role", "a REPRESENTS relation has none", domain.Review{Role: domain.RoleMediator}},
		{"SpanBeyondText", "end", "beyond the source text", domain.Review{Start: ptr(90), End: ptr(500)}},
		{"EmptySpan", "end", "the span is empty", domain.Review{Start: ptr(5), End: ptr(5)}},
		{"NegativeStart", "start", "negative", domain.Review{Start: ptr(-1), End: ptr(5)}},
		{"SpanTooLong", "end", "more than 2000", domain.Review{Start: ptr(0), End: ptr(domain.MaxSpan + 1)}},
		{"StartAlone", "end", "is needed with start", domain.Review{Start: ptr(0)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.rv.Confidence = new(0.5)
			_, _, err := g.Accept(ctx, ids[0], c.rv)
			var e *domain.Error
			if !errors.Is(err, domain.ErrInvalid) || !errors.As(err, &e) || e.Field != c.field || !strings.Contains(e.Message, c.says) {
				t.Fatalf("accept with %+v: %v, want %s refused saying %q", c.rv, err, c.field, c.says)
			}
		})
	}
	rels, err := g.RelationsOf(ctx, []string{"iran", "araghchi", "talks"}, domain.RelationFilter{})
	if err != nil || len(rels[0])+len(rels[1])+len(rels[2]) != 0 {
		t.Fatalf("refused reviews wrote relations %v: %v", rels, err)
	}
	pending, err := g.Candidates(ctx, domain.CandidatePending, domain.PageArgs{First: 10})
	if err != nil || pending.Total != 3 {
		t.Fatalf("%d candidates pending after refusals, want 3: %v", pending.Total, err)
	}
}

func TestAcceptWithCorrections(t *testing.T) {
	g, ids := mustReviewQueue(t)
	ctx := context.Background()

	// The suggested relation with a narrower span: "Iran’s foreign minister Abbas Araghchi".
	rel, _, err := g.Accept(ctx, ids[0], domain.Review{Start: ptr(0), End: ptr(38), Confidence: new(0.9)})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Type != domain.RelRepresents || rel.From != "araghchi" || rel.To != "iran" {
		t.Fatalf("accepted as %+v", rel)
	}
	// The untyped candidate, turned around and typed, is the same relation: it gains the
	// whole sentence as a second record.
	swapped, _, err := g.Accept(ctx, ids[1], domain.Review{Type: domain.RelRepresents, From: "araghchi", To: "iran", Confidence: new(0.6)})
	if err != nil {
		t.Fatal(err)
	}
	if swapped.ID != rel.ID {
		t.Fatalf("swapped candidate became %+v, want %s", swapped, rel.ID)
	}
	evs, err := g.Evidence(ctx, []string{rel.ID})
	if err != nil || len(evs[0]) != 2 {
		t.Fatalf("evidence of %s = %+v: %v", rel.ID, evs, err)
	}
	for _, ev := range evs[0] {
		if ev.Quote != codePoints(*ev.Start, *ev.End) {
			t.Errorf("evidence quote %q is not the text at [%d, %d): %q", ev.Quote, *ev.Start, *ev.End, codePoints(*ev.Start, *ev.End))
		}
		if *ev.End == 38 && (ev.Quote != "Iran’s foreign minister Abbas Araghchi" || ev.Confidence != 0.9) {
			t.Errorf("edited span's evidence = %+v", ev)
		}
	}

	// A participation pointed at another actor the sentence names, with a role; with no
	// confidence given, its evidence has the candidate's.
	part, _, err := g.Accept(ctx, ids[2], domain.Review{From: "araghchi", Role: domain.RoleMediator})
	if err != nil {
		t.Fatal(err)
	}
	if part.From != "araghchi" || part.To != "talks" || part.Role != domain.RoleMediator {
		t.Fatalf("re-pointed participation = %+v", part)
	}
	if evs, err := g.Evidence(ctx, []string{part.ID}); err != nil || len(evs[0]) != 1 || evs[0][0].Confidence != 0.7 {
		t.Fatalf("evidence of %s = %+v: %v, want one at the candidate's confidence 0.7", part.ID, evs, err)
	}
	accepted, err := g.Candidates(ctx, domain.CandidateAccepted, domain.PageArgs{First: 10})
	if err != nil || accepted.Total != 3 {
		t.Fatalf("%d accepted: %v", accepted.Total, err)
	}
	for _, c := range accepted.Items {
		if c.Relation != rel.ID && c.Relation != part.ID {
			t.Errorf("candidate %s became %q", c.ID, c.Relation)
		}
	}
}

func TestEvidenceFromSpan(t *testing.T) {
	g, ids := mustReviewQueue(t)
	ctx := context.Background()
	rel, _, err := g.Accept(ctx, ids[0], domain.Review{Confidence: new(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	ev := func(start, end int, quote string) domain.Evidence {
		return domain.Evidence{Subject: rel.ID, Source: "report", Quote: quote, Start: &start, End: &end, Confidence: 0.5, Method: "test"}
	}
	b := &store.Batch{Evidence: []domain.Evidence{ev(78, 99, "")}}
	storetest.MustApply(t, g, b)
	if got := b.Evidence[0]; got.Quote != "They spoke for hours." || got.Quote != codePoints(78, 99) {
		t.Fatalf("evidence from span [78, 99) quotes %q", got.Quote)
	}
	for _, c := range []struct {
		name, field string
		ev          domain.Evidence
	}{
		{"BeyondText", "end", ev(78, 500, "")},
		{"Empty", "end", ev(78, 78, "")},
		{"QuoteElsewhere", "quote", ev(0, 4, "They")},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := g.Apply(ctx, &store.Batch{Evidence: []domain.Evidence{c.ev}})
			var e *domain.Error
			if !errors.Is(err, domain.ErrInvalid) || !errors.As(err, &e) || e.Field != c.field {
				t.Fatalf("evidence %+v: %v, want %s refused", c.ev, err, c.field)
			}
		})
	}
	evs, err := g.Evidence(ctx, []string{rel.ID})
	if err != nil || len(evs[0]) != 2 {
		t.Fatalf("evidence of %s after refusals = %+v: %v", rel.ID, evs, err)
	}
}
