package graph

import (
	"context"
	"errors"
	"fmt"

	"eventgraph/graph/model"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// apply commits a mutation's batch and moves the operation to the new version. Store
// errors are re-addressed to the mutation's input: a problem with the batch's first
// node is "input.<field>", with its evidence[i] "input.evidence[i].<field>".
func (r *Resolver) apply(ctx context.Context, b *store.Batch) error {
	stats, err := r.Writes.Apply(ctx, b)
	var errs domain.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			switch {
			case e.Item == "" || e.Field == "evidence":
				e.Field = "input." + e.Field
			case e.Item[0] == 'e':
				e.Field = fmt.Sprintf("input.evidence[%d].%s", e.Index, e.Field)
			default:
				e.Field = "input." + e.Field
			}
			e.Item = ""
		}
		return errs
	}
	if err != nil {
		return err
	}
	r.afterWrite(ctx, stats.Version)
	return nil
}

// upsert writes one node and returns it as stored.
func upsert[T domain.Node](ctx context.Context, r *Resolver, n T) (T, error) {
	var zero T
	if err := r.apply(ctx, &store.Batch{Nodes: []domain.Node{n}}); err != nil {
		return zero, err
	}
	return n, nil
}

func entityBase(id, name string, aliases []string, description *string) domain.EntityBase {
	return domain.EntityBase{ID: id, Name: name, Aliases: aliases, Description: deref(description)}
}

// evidenceRecords converts evidence inputs for subject; the store finds each quote's
// offsets, or the quote at the offsets given without one.
func evidenceRecords(subject string, in []*model.EvidenceInput) []domain.Evidence {
	out := make([]domain.Evidence, len(in))
	for i, e := range in {
		out[i] = domain.Evidence{Subject: subject, Source: e.Source, Quote: deref(e.Quote), Start: e.Start, End: e.End,
			AttributedTo: deref(e.AttributedTo), Confidence: e.Confidence, Note: deref(e.Note), Method: "api"}
		if e.Occurrence != nil {
			out[i].Occurrence = *e.Occurrence
		}
		if e.Stance != nil {
			out[i].Stance = *e.Stance
		}
		if e.Credibility != nil {
			out[i].Credibility = *e.Credibility
		}
	}
	return out
}
