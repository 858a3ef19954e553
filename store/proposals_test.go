package store_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// TestProposalsAreChecked applies proposals the store must refuse, each alone, and
// checks the refusal names the field at fault and writes nothing; then one proposed by
// two sources, which is one proposal with both spans.
func TestProposalsAreChecked(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	text := "Badr Albusaidi met Antonio Tajani in Rome."
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "one", Title: "One", URL: "https://example.org/one", Text: text},
		&domain.Source{ID: "two", Title: "Two", URL: "https://example.org/two", Text: "Tajani spoke. " + text},
	}})
	at := func(source string, start, end int) domain.ProposedMention {
		runes := []rune(text)
		if source == "two" {
			runes = []rune("Tajani spoke. " + text)
		}
		return domain.ProposedMention{Source: source, Quote: string(runes[start:end]), Start: &start, End: &end}
	}
	tajani := func(kind string, mentions ...domain.ProposedMention) domain.Proposal {
		return domain.Proposal{NodeKind: domain.KindActor, Kind: kind, Name: "Antonio Tajani", Mentions: mentions}
	}
	for _, c := range []struct {
		name  string
		p     domain.Proposal
		field string
		kind  error
	}{
		{"KindOfAnotherNode", tajani("CITY", at("one", 19, 33)), "kind", domain.ErrInvalid},
		{"NoMentions", tajani("PERSON"), "mentions", domain.ErrEvidenceRequired},
		{"QuoteNotTheText", tajani("PERSON", domain.ProposedMention{Source: "one", Quote: "Antonio Tajani", Start: new(int), End: ptr(14)}), "mentions.quote", domain.ErrInvalid},
		{"UnknownSource", tajani("PERSON", domain.ProposedMention{Source: "nowhere"}), "mentions.source", domain.ErrInvalid},
		{"UndatedEventWithPrecision", domain.Proposal{NodeKind: domain.KindEvent, Kind: "NEGOTIATION", Name: "Talks", Precision: domain.PrecisionDay, Mentions: []domain.ProposedMention{{Source: "one"}}}, "precision", domain.ErrInvalid},
		{"Topic", domain.Proposal{NodeKind: domain.KindTopic, Kind: "", Name: "Sanctions", Mentions: []domain.ProposedMention{{Source: "one"}}}, "nodeKind", domain.ErrInvalid},
		{"SuggestionOfAnotherKind", domain.Proposal{NodeKind: domain.KindActor, Kind: "PERSON", Name: "Antonio Tajani", SameAs: []string{"muscat"}, Mentions: []domain.ProposedMention{at("one", 19, 33)}}, "sameAs", domain.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := g.Apply(ctx, &store.Batch{Proposals: []domain.Proposal{c.p}})
			var errs domain.Errors
			if !errors.As(err, &errs) || errs[0].Field != c.field || !errors.Is(errs[0], c.kind) {
				t.Fatalf("Apply = %v, want %v on %s", err, c.kind, c.field)
			}
			if page, err := g.Proposals(ctx, domain.ProposalPending, domain.PageArgs{First: 10}); err != nil || page.Total != 0 {
				t.Fatalf("a refused proposal was written: %d pending, %v", page.Total, err)
			}
		})
	}
	t.Run("CandidateOfNoProposal", func(t *testing.T) {
		_, err := g.Apply(ctx, &store.Batch{Candidates: []domain.Candidate{{Source: "one", From: "proposal:0000", To: "iran", Quote: text, Start: 0, End: len([]rune(text))}}})
		var errs domain.Errors
		if !errors.As(err, &errs) || errs[0].Field != "from" {
			t.Fatalf("Apply = %v, want a refusal of from", err)
		}
	})
	t.Run("CandidateConfidenceOutOfRange", func(t *testing.T) {
		for _, confidence := range []float64{-0.1, 1.5, math.NaN()} {
			_, err := g.Apply(ctx, &store.Batch{Candidates: []domain.Candidate{{Source: "one", From: "iran", To: "muscat", Confidence: confidence, Quote: text, Start: 0, End: len([]rune(text))}}})
			var errs domain.Errors
			if !errors.As(err, &errs) || errs[0].Field != "confidence" || !errors.Is(errs[0], domain.ErrInvalid) {
				t.Fatalf("Apply at confidence %v = %v, want a refusal of confidence", confidence, err)
			}
		}
	})
	t.Run("TwoSourcesOneProposal", func(t *testing.T) {
		first := storetest.MustApply(t, g, &store.Batch{Proposals: []domain.Proposal{tajani("PERSON", at("one", 19, 33))}})
		second := storetest.MustApply(t, g, &store.Batch{Proposals: []domain.Proposal{tajani("PERSON", at("two", 33, 47), at("two", 0, 6))}})
		again := storetest.MustApply(t, g, &store.Batch{Proposals: []domain.Proposal{tajani("PERSON", at("two", 33, 47))}})
		if first.Proposals != 1 || second.Proposals != 0 || again.Proposals != 0 {
			t.Fatalf("proposed %+v, then %+v, then %+v", first, second, again)
		}
		p, err := g.Proposal(ctx, domain.ProposalID(domain.KindActor, "Antonio Tajani"))
		if err != nil || len(p.Mentions) != 3 || p.Status != domain.ProposalPending {
			t.Fatalf("the proposal is %+v: %v", p, err)
		}
	})
}
