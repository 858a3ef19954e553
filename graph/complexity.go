package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"eventgraph/graph/model"
	"eventgraph/store/domain"
)

// listCost is the assumed size of lists that are not paged (participants, evidence,
// positions), for complexity accounting.
const listCost = 10

// Schema builds the executable schema with costs that make the complexity limit mean
// something: a connection costs its children times the page size asked for.
func Schema(r *Resolver) graphql.ExecutableSchema {
	c := Config{Resolvers: r}
	page := func(child int, first *int) int {
		n := domain.DefaultPageSize
		if first != nil {
			n = max(*first, 1)
		}
		return 1 + child*n
	}
	list := func(child int) int { return 1 + child*listCost }
	// subgraph costs a neighbourhood or between answer as its relations' limit.
	subgraph := func(child int, limit *int) int {
		n := DefaultNeighbourhoodLimit
		if limit != nil {
			n = max(*limit, 1)
		}
		return 1 + child*n
	}
	relations := func(child int, _ []domain.RelationType, _ *domain.Direction, _, _ *domain.Period, first *int, _ *string, _ *bool) int {
		return page(child, first)
	}
	q := &c.Complexity.Query
	q.Actors = func(child int, _ []domain.ActorKind, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Places = func(child int, _ []domain.PlaceKind, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Events = func(child int, _, _ *domain.Period, _ []domain.EventKind, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Timeline = func(child int, _, _, _ *string, _, _ *domain.Period, _ []domain.EventKind, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Topics = func(child int, first *int, _ *string, _ *domain.Period) int { return page(child, first) }
	q.Sources = func(child int, first *int, _ *string, _ *domain.Period) int { return page(child, first) }
	q.Search = func(child int, _ string, _ []domain.Kind, _, _ *domain.Period, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Duplicates = func(child int, _ *domain.Kind, first *int, _ *domain.Period) int {
		n := 20
		if first != nil {
			n = max(*first, 1)
		}
		return 1 + child*n
	}
	q.Candidates = func(child int, _ *domain.CandidateStatus, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Proposals = func(child int, _ *domain.ProposalStatus, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.History = func(child int, _ string, _ *domain.Period) int { return list(child) }
	q.Changes = func(child int, _ domain.Period, _ *domain.Period, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Contested = func(child int, first *int, _ *string, _ *domain.Period) int { return page(child, first) }
	q.Claims = func(child int, _ *model.ClaimFilter, first *int, _ *string, _ *domain.Period) int {
		return page(child, first)
	}
	q.Positions = func(child int, _, _ *string, _ *bool, _ *domain.Period) int { return 1 + child*listCost*listCost }
	q.Neighbourhood = func(child int, _ string, _ *int, _ []domain.RelationType, _ *domain.Direction, _, _ *domain.Period, limit *int, _ *domain.Period) int {
		return subgraph(child, limit)
	}
	q.Between = func(child int, _ []string, _ []domain.RelationType, _, _ *domain.Period, limit *int, _ *domain.Period) int {
		return subgraph(child, limit)
	}
	q.Paths = func(child int, _, _ string, maxHops *int, _ []domain.RelationType, first *int, _ *domain.Period) int {
		hops, n := 4, 3
		if maxHops != nil {
			hops = max(*maxHops, 1)
		}
		if first != nil {
			n = max(*first, 1)
		}
		return 1 + child*hops*n
	}
	c.Complexity.Actor.Relations = relations
	c.Complexity.Place.Relations = relations
	c.Complexity.Event.Relations = relations
	c.Complexity.Topic.Relations = relations
	mentions := func(child int, first *int, _ *string) int { return page(child, first) }
	c.Complexity.Actor.Mentions = mentions
	c.Complexity.Place.Mentions = mentions
	c.Complexity.Event.Mentions = mentions
	c.Complexity.Topic.Mentions = mentions
	c.Complexity.Source.Evidence = func(child int, _ *string, first *int, _ *string) int { return page(child, first) }
	positions := func(child int, _ *bool) int { return list(child) }
	c.Complexity.Actor.Positions = positions
	c.Complexity.Topic.Positions = positions
	c.Complexity.Event.Participants = list
	c.Complexity.Event.PartOf = list
	c.Complexity.Event.Parts = list
	evidence := func(child int, _ *domain.EvidenceStance, _ *bool) int { return list(child) }
	c.Complexity.Relation.Evidence = evidence
	c.Complexity.Position.Evidence = evidence
	c.Complexity.SearchEdge.Evidence = list
	return NewExecutableSchema(c)
}
