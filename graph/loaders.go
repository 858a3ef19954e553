package graph

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/vikstrous/dataloadgen"

	"eventgraph/store"
)

// loaders batch the reads of one GraphQL request: every field that would read the
// store once per parent object asks a loader instead, and the loader reads once for
// all the keys gathered within loaderWait.
type loaders struct {
	nodes        *dataloadgen.Loader[string, store.Node]
	evidence     *dataloadgen.Loader[string, []*store.Evidence]
	participants *dataloadgen.Loader[string, []*store.Relation]
	locatedIn    *dataloadgen.Loader[string, []*store.Relation]
	partOf       *dataloadgen.Loader[string, []*store.Relation]
	parts        *dataloadgen.Loader[string, []*store.Relation]
	byHolder     *dataloadgen.Loader[string, []*store.Position]
	byTopic      *dataloadgen.Loader[string, []*store.Position]
}

// loaderWait is how long a loader gathers keys before reading; gqlgen resolves the
// items of a list concurrently, so siblings arrive within microseconds of each other.
const loaderWait = 500 * time.Microsecond

func newLoaders(g store.Service) *loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(loaderWait), dataloadgen.WithBatchCapacity(1000)}
	relations := func(f store.RelationFilter) *dataloadgen.Loader[string, []*store.Relation] {
		return dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]*store.Relation, []error) {
			rels, err := g.RelationsOf(ctx, ids, f)
			return rels, fill(len(ids), err)
		}, opts...)
	}
	positions := func(byTopic bool) *dataloadgen.Loader[string, []*store.Position] {
		return dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]*store.Position, []error) {
			out := make([][]*store.Position, len(ids))
			for i, id := range ids {
				var err error
				if byTopic {
					out[i], err = g.Positions(ctx, id, "")
				} else {
					out[i], err = g.Positions(ctx, "", id)
				}
				if err != nil {
					return nil, fill(len(ids), err)
				}
			}
			return out, nil
		}, opts...)
	}
	return &loaders{
		nodes: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]store.Node, []error) {
			nodes, err := g.Nodes(ctx, ids)
			return nodes, fill(len(ids), err)
		}, opts...),
		evidence: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]*store.Evidence, []error) {
			evs, err := g.Evidence(ctx, ids)
			return evs, fill(len(ids), err)
		}, opts...),
		participants: relations(store.RelationFilter{Types: []store.RelationType{store.RelParticipatedIn}, Direction: store.DirectionIn}),
		locatedIn:    relations(store.RelationFilter{Types: []store.RelationType{store.RelLocatedIn}, Direction: store.DirectionOut}),
		partOf:       relations(store.RelationFilter{Types: []store.RelationType{store.RelPartOf}, Direction: store.DirectionOut}),
		parts:        relations(store.RelationFilter{Types: []store.RelationType{store.RelPartOf}, Direction: store.DirectionIn}),
		byHolder:     positions(false),
		byTopic:      positions(true),
	}
}

// fill repeats one batch error for every key, as dataloadgen expects.
func fill(n int, err error) []error {
	if err == nil {
		return nil
	}
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

type requestKey struct{}

// request is the per-operation state: the current dataloaders, replaced after each
// mutation so no answer is served from a cache older than the write.
type request struct {
	loaders atomic.Pointer[loaders]
}

// WithRequest prepares ctx for one GraphQL operation: it pins the store snapshot every
// field of the answer reads, and attaches fresh dataloaders.
func WithRequest(ctx context.Context, g store.Service) context.Context {
	req := &request{}
	req.loaders.Store(newLoaders(g))
	return context.WithValue(g.Pin(ctx, 0), requestKey{}, req)
}

// afterWrite moves the operation to the version a mutation committed, with fresh
// loaders, so the mutation's answer (and any later field) shows the write.
func (r *Resolver) afterWrite(ctx context.Context, version uint64) {
	r.Graph.Repin(ctx, version)
	ctx.Value(requestKey{}).(*request).loaders.Store(newLoaders(r.Graph))
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(requestKey{}).(*request).loaders.Load()
}

// loadNode loads the node id as type T; a missing node or one of another kind is nil.
func loadNode[T store.Node](ctx context.Context, id string) (T, error) {
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
