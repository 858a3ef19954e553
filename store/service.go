package store

import (
	"context"
	"eventgraph/store/analytics"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/search"
	"time"
)

// Service is what the GraphQL API needs from the graph. *Graph implements it; each
// method's doc on Graph names the errors it returns.
type Service interface {
	Pin(ctx context.Context, version uint64) context.Context
	Repin(ctx context.Context, version uint64)
	VersionAt(t time.Time) uint64
	Node(ctx context.Context, id string) (domain.Node, error)
	Nodes(ctx context.Context, ids []string) ([]domain.Node, error)
	List(ctx context.Context, kind domain.Kind, f domain.NodeFilter, args domain.PageArgs) (domain.Page[domain.Node], error)
	Relation(ctx context.Context, id string) (*domain.Relation, error)
	Relations(ctx context.Context, id string, f domain.RelationFilter, args domain.PageArgs) (domain.Page[*domain.Relation], error)
	RelationsOf(ctx context.Context, ids []string, f domain.RelationFilter) ([][]*domain.Relation, error)
	Evidence(ctx context.Context, subjects []string) ([][]*domain.Evidence, error)
	EvidenceBySource(ctx context.Context, source, attributedTo string, args domain.PageArgs) (domain.Page[*domain.Evidence], error)
	Positions(ctx context.Context, topic, holder string, includeRetracted bool) ([]*domain.Position, error)
	Retract(ctx context.Context, id, reason string) (domain.Node, uint64, error)
	Merge(ctx context.Context, into string, from []string) (*domain.Merge, uint64, error)
	Unmerge(ctx context.Context, id string) ([]domain.Entity, uint64, error)
	Search(ctx context.Context, text string, f search.Options, args domain.PageArgs) (domain.Page[search.Hit], error)
	Named(ctx context.Context, name string, kinds []domain.Kind) ([]domain.Node, error)
	Neighbourhood(ctx context.Context, id string, depth int, w domain.Walk, limit int) (*explore.Subgraph, error)
	Timeline(ctx context.Context, f explore.TimelineFilter, args domain.PageArgs) (domain.Page[domain.Node], error)
	Aggregate(ctx context.Context) (*analytics.Aggregates, error)
	Central(ctx context.Context, kinds []domain.Kind, from, to *time.Time, first int) ([]analytics.Centrality, error)
	Stances(ctx context.Context, topics, actors []string) ([]analytics.StanceRow, error)
	Paths(ctx context.Context, from, to string, maxHops int, w domain.Walk, first int) ([]explore.Path, error)
	Subscribe() (<-chan Change, func())
	Contested(ctx context.Context, args domain.PageArgs) (domain.Page[domain.Node], error)
	History(ctx context.Context, id string) ([]RecordVersion, error)
	Visit(ctx context.Context, v Visitor) error
	Mentions(ctx context.Context, entity string, args domain.PageArgs) (domain.Page[*domain.Evidence], error)
	Candidates(ctx context.Context, status domain.CandidateStatus, args domain.PageArgs) (domain.Page[*domain.Candidate], error)
	Accept(ctx context.Context, id string, typ domain.RelationType, role domain.Role, confidence float64) (*domain.Relation, uint64, error)
	Reject(ctx context.Context, id, reason string) (*domain.Candidate, uint64, error)
	Duplicates(ctx context.Context, kind domain.Kind, first int) ([]analytics.DuplicateCandidate, error)
	Apply(ctx context.Context, b *Batch) (WriteStats, error)
	SetReliability(ctx context.Context, id string, grade domain.Reliability) (*domain.Actor, uint64, error)
	SetCredibility(ctx context.Context, subject, id string, credibility int) (*domain.Evidence, uint64, error)
	Import(ctx context.Context, b *Batch) (WriteStats, error)
}

var _ Service = (*Graph)(nil)
