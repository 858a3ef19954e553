package store

import (
	"context"
	"time"

	"eventgraph/store/analytics"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/layout"
	"eventgraph/store/search"
)

// The graph's exploration, analytics and search are packages of their own over one
// snapshot (explore, analytics, search); these methods read the snapshot ctx is
// pinned to with them. Each package's function documents the answer and its errors.

// answer runs question on the snapshot ctx reads at.
func answer[T any](g *Graph, ctx context.Context, question func(*layout.Snapshot) (T, error)) (T, error) {
	var out T
	err := g.view(ctx, func(r *layout.Snapshot) error {
		var err error
		out, err = question(r)
		return err
	})
	return out, err
}

// List is explore.List: the nodes of one kind, a page at a time.
func (g *Graph) List(ctx context.Context, kind domain.Kind, f domain.NodeFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	return answer(g, ctx, func(r *layout.Snapshot) (domain.Page[domain.Node], error) { return explore.List(r, kind, f, args) })
}

// Neighbourhood is explore.Neighbourhood: the relations within depth hops of id.
func (g *Graph) Neighbourhood(ctx context.Context, id string, depth int, w domain.Walk, limit int) (*explore.Subgraph, error) {
	return answer(g, ctx, func(r *layout.Snapshot) (*explore.Subgraph, error) {
		return explore.Neighbourhood(r, id, depth, w, limit)
	})
}

// Between is explore.Between: entities and the relations among them.
func (g *Graph) Between(ctx context.Context, ids []string, w domain.Walk, limit int) (*explore.Subgraph, error) {
	return answer(g, ctx, func(r *layout.Snapshot) (*explore.Subgraph, error) {
		return explore.Between(r, ids, w, limit)
	})
}

// Paths is explore.Paths: the shortest paths from one entity to another.
func (g *Graph) Paths(ctx context.Context, from, to string, maxHops int, w domain.Walk, first int) ([]explore.Path, error) {
	return answer(g, ctx, func(r *layout.Snapshot) ([]explore.Path, error) {
		return explore.Paths(r, from, to, maxHops, w, first, g.hubs)
	})
}

// Timeline is explore.Timeline: events in timeline order, a page at a time.
func (g *Graph) Timeline(ctx context.Context, f explore.TimelineFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	return answer(g, ctx, func(r *layout.Snapshot) (domain.Page[domain.Node], error) { return explore.Timeline(r, f, args) })
}

// Aggregate is analytics.Aggregate: the graph's counts.
func (g *Graph) Aggregate(ctx context.Context) (*analytics.Aggregates, error) {
	return answer(g, ctx, func(r *layout.Snapshot) (*analytics.Aggregates, error) { return analytics.Aggregate(r) })
}

// Central is analytics.Central: entities ranked by degree.
func (g *Graph) Central(ctx context.Context, kinds []domain.Kind, from, to *time.Time, first int) ([]analytics.Centrality, error) {
	return answer(g, ctx, func(r *layout.Snapshot) ([]analytics.Centrality, error) {
		return analytics.Central(r, kinds, from, to, first)
	})
}

// Stances is analytics.Stances: positions compared by topic and actor.
func (g *Graph) Stances(ctx context.Context, topics, actors []string) ([]analytics.StanceRow, error) {
	return answer(g, ctx, func(r *layout.Snapshot) ([]analytics.StanceRow, error) { return analytics.Stances(r, topics, actors) })
}

// Duplicates is analytics.Duplicates: pairs of entities likely to be one.
func (g *Graph) Duplicates(ctx context.Context, kind domain.Kind, first int) ([]analytics.DuplicateCandidate, error) {
	return answer(g, ctx, func(r *layout.Snapshot) ([]analytics.DuplicateCandidate, error) {
		return analytics.Duplicates(r, kind, first)
	})
}

// Claims is analytics.Claims: relations and positions by what they say and how they
// are supported, a page at a time.
func (g *Graph) Claims(ctx context.Context, f domain.ClaimFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	return answer(g, ctx, func(r *layout.Snapshot) (domain.Page[domain.Node], error) { return analytics.Claims(r, f, args) })
}

// Search is search.Search: the nodes matching every word of text, ranked.
func (g *Graph) Search(ctx context.Context, text string, f search.Options, args domain.PageArgs) (domain.Page[search.Hit], error) {
	return answer(g, ctx, func(r *layout.Snapshot) (domain.Page[search.Hit], error) { return search.Search(r, text, f, args) })
}
