package store

import (
	"context"
	"time"
)

// Service is what the GraphQL API needs from the graph. *Graph implements it; each
// method's doc on Graph names the errors it returns.
type Service interface {
	Pin(ctx context.Context, version uint64) context.Context
	Repin(ctx context.Context, version uint64)
	VersionAt(t time.Time) uint64
	Node(ctx context.Context, id string) (Node, error)
	Nodes(ctx context.Context, ids []string) ([]Node, error)
	List(ctx context.Context, kind Kind, f NodeFilter, args PageArgs) (Page[Node], error)
	Relation(ctx context.Context, id string) (*Relation, error)
	Relations(ctx context.Context, id string, f RelationFilter, args PageArgs) (Page[*Relation], error)
	RelationsOf(ctx context.Context, ids []string, f RelationFilter) ([][]*Relation, error)
	Evidence(ctx context.Context, subjects []string) ([][]*Evidence, error)
	EvidenceBySource(ctx context.Context, source, attributedTo string, args PageArgs) (Page[*Evidence], error)
	Positions(ctx context.Context, topic, holder string, includeRetracted bool) ([]*Position, error)
	Retract(ctx context.Context, id, reason string) (Node, uint64, error)
	Merge(ctx context.Context, into string, from []string) (*Merge, uint64, error)
	Unmerge(ctx context.Context, id string) ([]Entity, uint64, error)
	Search(ctx context.Context, text string, f SearchOptions, args PageArgs) (Page[SearchHit], error)
	Named(ctx context.Context, name string, kinds []Kind) ([]Node, error)
	Neighbourhood(ctx context.Context, id string, depth int, w Walk, limit int) (*Subgraph, error)
	Timeline(ctx context.Context, f TimelineFilter, args PageArgs) (Page[Node], error)
	Aggregate(ctx context.Context) (*Aggregates, error)
	Central(ctx context.Context, kinds []Kind, from, to *time.Time, first int) ([]Centrality, error)
	Stances(ctx context.Context, topics, actors []string) ([]StanceRow, error)
	Paths(ctx context.Context, from, to string, maxHops int, w Walk, first int) ([]Path, error)
	Subscribe() (<-chan Change, func())
	Contested(ctx context.Context, args PageArgs) (Page[Node], error)
	History(ctx context.Context, id string) ([]RecordVersion, error)
	Visit(ctx context.Context, v Visitor) error
	Mentions(ctx context.Context, entity string, args PageArgs) (Page[*Evidence], error)
	Candidates(ctx context.Context, status CandidateStatus, args PageArgs) (Page[*Candidate], error)
	Accept(ctx context.Context, id string, typ RelationType, role Role, confidence float64) (*Relation, uint64, error)
	Reject(ctx context.Context, id, reason string) (*Candidate, uint64, error)
	Duplicates(ctx context.Context, kind Kind, first int) ([]DuplicateCandidate, error)
	Apply(ctx context.Context, b *Batch) (WriteStats, error)
	SetReliability(ctx context.Context, id string, grade Reliability) (*Actor, uint64, error)
	SetCredibility(ctx context.Context, subject, id string, credibility int) (*Evidence, uint64, error)
	Import(ctx context.Context, b *Batch) (WriteStats, error)
}

var _ Service = (*Graph)(nil)
