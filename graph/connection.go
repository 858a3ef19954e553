package graph

import (
	"eventgraph/graph/model"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// MaxPageSize bounds first on every connection but an entity's relations; larger
// requests are refused.
const MaxPageSize = 500

// MaxRelationsPageSize bounds first on an entity's relations: as many as one
// neighbourhood answer holds, so a view draws a hub's 2,000 relations in one round trip
// and reads on from where it stopped with the same connection.
const MaxRelationsPageSize = MaxNeighbourhoodLimit

// pageArgs turns connection arguments into store.PageArgs, refusing out-of-range sizes.
func pageArgs(first *int, after *string) (domain.PageArgs, error) {
	return pageArgsUpTo(MaxPageSize, first, after)
}

// pageArgsUpTo is pageArgs with largest in place of MaxPageSize.
func pageArgsUpTo(largest int, first *int, after *string) (domain.PageArgs, error) {
	var a domain.PageArgs
	if first != nil {
		if *first < 0 || *first > largest {
			return a, inputError("first", "must be between 0 and %d, got %d", largest, *first)
		}
		a.First = *first
	}
	if after != nil {
		a.After = *after
	}
	return a, nil
}

// connection is the generic Relay connection that every *Connection model is built from.
type connection[E, N any] struct {
	Edges    []E
	Nodes    []N
	PageInfo *model.PageInfo
	Total    int
}

// connect converts a store page of T into edges and nodes of N, keeping only items of
// type N (List returns store.Node; each typed list keeps its kind).
func connect[T, N any, E any](p domain.Page[T], edge func(cursor string, n N) E) connection[E, N] {
	c := connection[E, N]{Edges: []E{}, Nodes: []N{}, PageInfo: &model.PageInfo{HasNextPage: p.HasNext}, Total: p.Total}
	for i, item := range p.Items {
		n, ok := any(item).(N)
		if !ok {
			continue
		}
		c.Edges = append(c.Edges, edge(p.Cursors[i], n))
		c.Nodes = append(c.Nodes, n)
	}
	if len(p.Cursors) > 0 {
		end := p.Cursors[len(p.Cursors)-1]
		c.PageInfo.EndCursor = &end
	}
	return c
}

func relationConnection(p domain.Page[*domain.Relation]) *model.RelationConnection {
	c := connect(p, func(cur string, n *domain.Relation) *model.RelationEdge {
		return &model.RelationEdge{Cursor: cur, Node: n}
	})
	return &model.RelationConnection{Edges: c.Edges, Nodes: c.Nodes, PageInfo: c.PageInfo, TotalCount: c.Total}
}

func evidenceConnection(p domain.Page[*domain.Evidence]) *model.EvidenceConnection {
	c := connect(p, func(cur string, n *domain.Evidence) *model.EvidenceEdge {
		return &model.EvidenceEdge{Cursor: cur, Node: n}
	})
	return &model.EvidenceConnection{Edges: c.Edges, Nodes: c.Nodes, PageInfo: c.PageInfo, TotalCount: c.Total}
}

func eventConnection(p domain.Page[domain.Node], err error) (*model.EventConnection, error) {
	c := connect(p, func(cur string, n *domain.Event) *model.EventEdge { return &model.EventEdge{Cursor: cur, Node: n} })
	return &model.EventConnection{Edges: c.Edges, Nodes: c.Nodes, PageInfo: c.PageInfo, TotalCount: c.Total}, err
}

func changeConnection(p domain.Page[*store.Change]) *model.GraphChangeConnection {
	c := connect(p, func(cur string, n *store.Change) *model.GraphChangeEdge {
		return &model.GraphChangeEdge{Cursor: cur, Node: n}
	})
	return &model.GraphChangeConnection{Edges: c.Edges, Nodes: c.Nodes, PageInfo: c.PageInfo, TotalCount: c.Total}
}

func claimConnection(p domain.Page[domain.Node]) *model.ClaimConnection {
	c := connect(p, func(cur string, n domain.Node) *model.ClaimEdge { return &model.ClaimEdge{Cursor: cur, Node: n} })
	return &model.ClaimConnection{Edges: c.Edges, Nodes: c.Nodes, PageInfo: c.PageInfo, TotalCount: c.Total}
}
