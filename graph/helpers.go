package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"eventgraph/graph/model"
	"eventgraph/store/domain"
)

// relations serves the relations field shared by every entity type.
func (r *Resolver) relations(ctx context.Context, id string, types []domain.RelationType, direction *domain.Direction, from, to *domain.Period, first *int, after *string, includeRetracted *bool) (*model.RelationConnection, error) {
	args, err := pageArgsUpTo(MaxRelationsPageSize, first, after)
	if err != nil {
		return nil, err
	}
	args.Uncounted = !selects(ctx, "totalCount")
	f := domain.RelationFilter{Types: types, Direction: domain.DirectionBoth, IncludeRetracted: isTrue(includeRetracted)}
	if direction != nil {
		f.Direction = *direction
	}
	var valid domain.Walk
	valid.From, valid.To = window(from, to)
	p, err := r.Lists.Relations(ctx, id, f, valid, args)
	if err != nil {
		return nil, err
	}
	return relationConnection(p), primeRelations(ctx, p.Items, nil, []string{"edges", "node"}, []string{"nodes"})
}

// list serves the root list fields (actors, places, events, topics, sources).
func (r *Resolver) list(ctx context.Context, kind domain.Kind, subtypes []string, from, to *domain.Period, first *int, after *string) (domain.Page[domain.Node], error) {
	args, err := pageArgs(first, after)
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	f := domain.NodeFilter{Subtypes: subtypes}
	f.From, f.To = window(from, to)
	return r.Lists.List(ctx, kind, f, args)
}

func subtypes[T ~string](kinds []T) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// bestTarget follows the relations a loader returns to the target of the best
// supported one: most supporting evidence, then highest confidence, then relation id.
func (r *Resolver) bestTarget(ctx context.Context, l *loader[string, []*domain.Relation], id string) (*domain.Place, error) {
	rels, err := l.Load(ctx, id)
	if err != nil || len(rels) == 0 {
		return nil, err
	}
	evs, err := loadersFrom(ctx).evidence.LoadAll(ctx, relationIDs(rels))
	if err != nil {
		return nil, err
	}
	best, bestScore := -1, [2]float64{}
	for i := range rels {
		var score [2]float64
		for _, ev := range evs[i] {
			if ev.Supports() {
				score[0]++
				score[1] = max(score[1], ev.Confidence)
			}
		}
		if best < 0 || score[0] > bestScore[0] || score[0] == bestScore[0] && score[1] > bestScore[1] {
			best, bestScore = i, score
		}
	}
	return loadNode[*domain.Place](ctx, rels[best].To)
}

func relationIDs(rels []*domain.Relation) []string {
	ids := make([]string, len(rels))
	for i, rel := range rels {
		ids[i] = rel.ID
	}
	return ids
}

// ends loads the other ends of the relations a loader returns (their From when
// incoming, else their To) as T.
func ends[T domain.Node](ctx context.Context, l *loader[string, []*domain.Relation], id string, incoming bool) ([]T, error) {
	rels, err := l.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rels))
	for i, rel := range rels {
		ids[i] = rel.To
		if incoming {
			ids[i] = rel.From
		}
	}
	nodes, err := loadersFrom(ctx).nodes.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(nodes))
	for _, n := range nodes {
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// mustLoad loads a node that a stored reference names; the store guarantees it exists,
// so absence is an internal error.
func mustLoad[T domain.Node](ctx context.Context, id string) (T, error) {
	n, err := loadNode[T](ctx, id)
	var zero T
	if err == nil && any(n) == any(zero) {
		err = errors.New("dangling reference to " + id)
	}
	return n, err
}

// mustLoadAll is mustLoad for the references of every parent of a batch resolver: one
// loader call, and no goroutine per parent.
func mustLoadAll[T domain.Node, P any](ctx context.Context, parents []P, ref func(P) string) ([]T, error) {
	ids := make([]string, len(parents))
	for i, p := range parents {
		ids[i] = ref(p)
	}
	nodes, err := loadersFrom(ctx).nodes.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(nodes))
	for i, n := range nodes {
		t, ok := n.(T)
		if !ok {
			return nil, errors.New("dangling reference to " + ids[i])
		}
		out[i] = t
	}
	return out, nil
}

// nullIfMissing turns ErrNotFound into a null answer, for nullable lookup fields.
func nullIfMissing[T any](v T, err error) (T, error) {
	if errors.Is(err, domain.ErrNotFound) {
		var zero T
		return zero, nil
	}
	return v, err
}

// deref is what an optional argument says: its zero value when it is left out.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Bounds on exploration arguments; a request beyond one is refused with
// QUERY_TOO_COMPLEX naming the bound.
const (
	MaxDepth                  = 3
	DefaultNeighbourhoodLimit = 500
	MaxNeighbourhoodLimit     = 2000
	MaxBetweenIDs             = 500
	MaxHops                   = 6
	MaxPaths                  = 10
	MaxCentral                = 100
	MaxDuplicates             = 100
	// MaxSearchWords bounds the distinct words of a search text: each is matched
	// against the vocabulary with its typos, about 25 µs a word.
	MaxSearchWords = 64
)

// bounded returns *v (or def when nil), refusing values outside [1, max].
func bounded(field string, v *int, def, max int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < 1 || *v > max {
		return 0, beyondBound(field, max, "%s must be between 1 and %d, got %d", field, max, *v)
	}
	return *v, nil
}

// beyondBound reports an argument beyond its bound.
func beyondBound(field string, max int, format string, a ...any) error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, a...),
		Extensions: map[string]any{"code": CodeTooComplex, "field": field, "max": max},
	}
}

// walk gathers exploration filters.
func walk(types []domain.RelationType, direction *domain.Direction, from, to *domain.Period) domain.Walk {
	w := domain.Walk{Types: types, Direction: domain.DirectionBoth}
	w.From, w.To = window(from, to)
	if direction != nil {
		w.Direction = *direction
	}
	return w
}

// selects reports whether the field being resolved selects the field at path below
// it (under any alias), so a resolver can skip work for fields nobody asked for.
func selects(ctx context.Context, path ...string) bool {
	return selectsIn(graphql.GetOperationContext(ctx), graphql.CollectFieldsCtx(ctx, nil), path)
}

func selectsIn(op *graphql.OperationContext, fields []graphql.CollectedField, path []string) bool {
	for _, f := range fields {
		if f.Name != path[0] {
			continue
		}
		if len(path) == 1 || selectsIn(op, graphql.CollectFields(op, f.Selections, nil), path[1:]) {
			return true
		}
	}
	return false
}

func isTrue(b *bool) bool { return b != nil && *b }

// positions serves the positions fields of actors and topics: batched through a loader,
// or, with retracted ones included, read directly.
func (r *Resolver) positions(ctx context.Context, l *loader[string, []*domain.Position], topic, holder string, includeRetracted *bool) ([]*domain.Position, error) {
	if isTrue(includeRetracted) {
		return r.Requests.Positions(ctx, topic, holder, true)
	}
	return l.Load(ctx, topic+holder)
}

// addresses are pointers to the elements of s, for a list the schema gives as objects.
func addresses[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// candidateEnd is a candidate's end as an entity: id's, or for a proposal the entity it
// became; nil for a proposal not accepted yet.
func (r *Resolver) candidateEnd(ctx context.Context, id string) (domain.Entity, error) {
	if !domain.IsProposalID(id) {
		return mustLoad[domain.Entity](ctx, id)
	}
	p, err := r.Review.Proposal(ctx, id)
	if err != nil || p.Entity == "" {
		return nil, err
	}
	return mustLoad[domain.Entity](ctx, p.Entity)
}

// candidateProposal is the proposal a candidate's end is, nil for an entity.
func (r *Resolver) candidateProposal(ctx context.Context, id string) (*domain.Proposal, error) {
	if !domain.IsProposalID(id) {
		return nil, nil
	}
	return r.Review.Proposal(ctx, id)
}
