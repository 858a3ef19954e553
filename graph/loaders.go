package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"eventgraph/graph/model"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// loaders batch the reads of one GraphQL request: every field that would read the
// store once per parent object asks a loader instead, and the loader reads once for
// all the keys its concurrently resolving siblings ask for.
type loaders struct {
	nodes        *loader[string, domain.Node]
	evidence     *loader[string, []*domain.Evidence]
	participants *loader[string, []*domain.Relation]
	locatedIn    *loader[string, []*domain.Relation]
	partOf       *loader[string, []*domain.Relation]
	parts        *loader[string, []*domain.Relation]
	byHolder     *loader[string, []*domain.Position]
	byTopic      *loader[string, []*domain.Position]
}

func newLoaders(g Requests) *loaders {
	relations := func(f domain.RelationFilter) *loader[string, []*domain.Relation] {
		return newLoader(func(ctx context.Context, ids []string) ([][]*domain.Relation, error) {
			return g.RelationsOf(ctx, ids, f)
		})
	}
	positions := func(byTopic bool) *loader[string, []*domain.Position] {
		return newLoader(func(ctx context.Context, ids []string) ([][]*domain.Position, error) {
			out := make([][]*domain.Position, len(ids))
			for i, id := range ids {
				var err error
				if byTopic {
					out[i], err = g.Positions(ctx, id, "", false)
				} else {
					out[i], err = g.Positions(ctx, "", id, false)
				}
				if err != nil {
					return nil, err
				}
			}
			return out, nil
		})
	}
	return &loaders{
		nodes:        newLoader(g.Nodes),
		evidence:     newLoader(g.Evidence),
		participants: relations(domain.RelationFilter{Types: []domain.RelationType{domain.RelParticipatedIn}, Direction: domain.DirectionIn}),
		locatedIn:    relations(domain.RelationFilter{Types: []domain.RelationType{domain.RelLocatedIn}, Direction: domain.DirectionOut}),
		partOf:       relations(domain.RelationFilter{Types: []domain.RelationType{domain.RelPartOf}, Direction: domain.DirectionOut}),
		parts:        relations(domain.RelationFilter{Types: []domain.RelationType{domain.RelPartOf}, Direction: domain.DirectionIn}),
		byHolder:     positions(false),
		byTopic:      positions(true),
	}
}

type requestKey struct{}

// request is the per-operation state: the current dataloaders, replaced after each
// mutation so no answer is served from a cache older than the write.
type request struct {
	loaders atomic.Pointer[loaders]
}

// WithRequest prepares ctx for one GraphQL operation: it pins the store snapshot every
// field of the answer reads, records its writes as the API's, and attaches fresh
// dataloaders.
func WithRequest(ctx context.Context, g Requests) context.Context {
	req := &request{}
	req.loaders.Store(newLoaders(g))
	return context.WithValue(store.WithDefaultAuthor(g.Pin(ctx, 0), Author), requestKey{}, req)
}

// Author is who writes through the API are recorded as made by in history, when the
// request names nobody (no tokens configured).
const Author = "api"

// afterWrite moves the operation to the version a mutation committed, with fresh
// loaders, so the mutation's answer (and any later field) shows the write.
func (r *Resolver) afterWrite(ctx context.Context, version uint64) {
	r.Requests.Repin(ctx, version)
	ctx.Value(requestKey{}).(*request).loaders.Store(newLoaders(r.Requests))
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(requestKey{}).(*request).loaders.Load()
}

// loadNode loads the node id as type T; a missing node or one of another kind is nil.
func loadNode[T domain.Node](ctx context.Context, id string) (T, error) {
	var zero T
	if id == "" {
		return zero, nil
	}
	n, err := loadersFrom(ctx).nodes.Load(ctx, id)
	if err != nil || n == nil {
		return zero, err
	}
	t, _ := n.(T)
	return t, nil
}

// AtRootField moves each root query field that has an asOf argument to the version
// holding what the graph knew then, with loaders of its own: a loader caches one
// version's answers, and root fields of one request may ask for different moments.
// Everything nested below the field reads that version. A date means the graph as known
// at the end of its period: the last instant of it. A malformed asOf is left to the
// field's own argument parsing to report.
func AtRootField(g Requests) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		rc := graphql.GetRootFieldContext(ctx)
		oc := graphql.GetOperationContext(ctx)
		if rc == nil || rc.Field.Field == nil || oc.Operation.Operation != ast.Query {
			return next(ctx)
		}
		raw := rc.Field.ArgumentMap(oc.Variables)["asOf"]
		if raw == nil {
			return next(ctx)
		}
		asOf, err := model.UnmarshalPeriod(raw)
		if err != nil {
			return next(ctx)
		}
		req := &request{}
		req.loaders.Store(newLoaders(g))
		return next(context.WithValue(g.Pin(ctx, g.VersionAt(asOf.Last())), requestKey{}, req))
	}
}
