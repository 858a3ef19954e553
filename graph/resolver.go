package graph

import (
	"context"
	"time"

	"eventgraph/seed/ingest"
	"eventgraph/store"
	"eventgraph/store/analytics"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/search"
)

// Resolver is the root of the GraphQL resolvers: thin translations between GraphQL and
// the graph, which each resolver reaches through the small interface of what it needs.
// NewResolver fills them all from one Graph (a *store.Graph).
type Resolver struct {
	Requests Requests
	Lookups  Lookups
	Lists    Lists
	Writes   Writes
	Review   Review
	Explorer Explorer
	Analyst  Analyst
	Changes  Changes
	// Ingestion adds articles (package ingest reads and writes through it).
	Ingestion Ingestion
}

// Ingestion is what ingesting an article needs of the graph.
type Ingestion interface {
	ingest.Graph
	ingest.Publishers
}

// Graph is everything the API reads and writes: the union of the interfaces its
// resolvers use.
type Graph interface {
	Requests
	Lookups
	Lists
	Writes
	Review
	Explorer
	Analyst
	Changes
	Ingestion
}

// NewResolver returns the resolvers of the API over g.
func NewResolver(g Graph) *Resolver {
	return &Resolver{Requests: g, Lookups: g, Lists: g, Writes: g, Review: g, Explorer: g, Analyst: g, Changes: g, Ingestion: g}
}

// Requests is what one GraphQL operation needs of the graph as a whole (WithRequest,
// AtRootField): its reads pinned to one version, and the reads its dataloaders batch.
type Requests interface {
	Pin(ctx context.Context, version uint64) context.Context
	Repin(ctx context.Context, version uint64)
	VersionAt(t time.Time) uint64
	Nodes(ctx context.Context, ids []string) ([]domain.Node, error)
	Evidence(ctx context.Context, subjects []string) ([][]*domain.Evidence, error)
	RelationsOf(ctx context.Context, ids []string, f domain.RelationFilter) ([][]*domain.Relation, error)
	Positions(ctx context.Context, topic, holder string, includeRetracted bool) ([]*domain.Position, error)
}

// Lookups find one thing: a node by id or name, a relation, a record's history.
type Lookups interface {
	Node(ctx context.Context, id string) (domain.Node, error)
	Named(ctx context.Context, name string, kinds []domain.Kind) ([]domain.Node, error)
	Relation(ctx context.Context, id string) (*domain.Relation, error)
	History(ctx context.Context, id string) ([]store.RecordVersion, error)
}

// Lists page through the graph's lists.
type Lists interface {
	List(ctx context.Context, kind domain.Kind, f domain.NodeFilter, args domain.PageArgs) (domain.Page[domain.Node], error)
	Relations(ctx context.Context, id string, f domain.RelationFilter, valid domain.Walk, args domain.PageArgs) (domain.Page[*domain.Relation], error)
	EvidenceBySource(ctx context.Context, source, attributedTo string, args domain.PageArgs) (domain.Page[*domain.Evidence], error)
	Mentions(ctx context.Context, entity string, args domain.PageArgs) (domain.Page[*domain.Evidence], error)
	Contested(ctx context.Context, args domain.PageArgs) (domain.Page[domain.Node], error)
	Claims(ctx context.Context, f domain.ClaimFilter, args domain.PageArgs) (domain.Page[domain.Node], error)
	Candidates(ctx context.Context, status domain.CandidateStatus, args domain.PageArgs) (domain.Page[*domain.Candidate], error)
	Proposals(ctx context.Context, status domain.ProposalStatus, args domain.PageArgs) (domain.Page[*domain.Proposal], error)
}

// Writes are the mutations of the graph but the review of candidates.
type Writes interface {
	Apply(ctx context.Context, b *store.Batch) (store.WriteStats, error)
	Retract(ctx context.Context, id, reason string) (domain.Node, uint64, error)
	Merge(ctx context.Context, into string, from []string) (*domain.Merge, uint64, error)
	Unmerge(ctx context.Context, id string) ([]domain.Entity, uint64, error)
	SetReliability(ctx context.Context, id string, grade domain.Reliability) (*domain.Actor, uint64, error)
	SetCredibility(ctx context.Context, subject, id string, credibility int) (*domain.Evidence, uint64, error)
}

// Review decides on candidate relations and proposed entities.
type Review interface {
	Proposal(ctx context.Context, id string) (*domain.Proposal, error)
	AcceptProposal(ctx context.Context, id string, edit store.ProposalEdit) (domain.Entity, uint64, error)
	MergeProposal(ctx context.Context, id, into string) (domain.Entity, uint64, error)
	RejectProposal(ctx context.Context, id, reason string) (*domain.Proposal, uint64, error)
	Accept(ctx context.Context, id string, rv domain.Review) (*domain.Relation, uint64, error)
	AcceptPosition(ctx context.Context, id string, stance domain.Stance, confidence *float64) (*domain.Position, uint64, error)
	Reject(ctx context.Context, id, reason string) (*domain.Candidate, uint64, error)
}

// Explorer walks and searches the graph.
type Explorer interface {
	Neighbourhood(ctx context.Context, id string, depth int, w domain.Walk, limit int) (*explore.Subgraph, error)
	Between(ctx context.Context, ids []string, w domain.Walk, limit int) (*explore.Subgraph, error)
	Paths(ctx context.Context, from, to string, maxHops int, w domain.Walk, first int) ([]explore.Path, error)
	Timeline(ctx context.Context, f explore.TimelineFilter, args domain.PageArgs) (domain.Page[domain.Node], error)
	Search(ctx context.Context, text string, f search.Options, args domain.PageArgs) (domain.Page[search.Hit], error)
}

// Analyst answers questions about the whole graph.
type Analyst interface {
	Aggregate(ctx context.Context) (*analytics.Aggregates, error)
	Central(ctx context.Context, kinds []domain.Kind, from, to *time.Time, first int) ([]analytics.Centrality, error)
	Stances(ctx context.Context, topics, actors []string) ([]analytics.StanceRow, error)
	Duplicates(ctx context.Context, kind domain.Kind, first int) ([]analytics.DuplicateCandidate, error)
}

// Changes is the log of committed writes: live, and read back for a time window.
type Changes interface {
	Subscribe() (<-chan store.Change, func())
	Changes(ctx context.Context, since time.Time, until *time.Time, args domain.PageArgs) (domain.Page[*store.Change], error)
}

var _ Graph = (*store.Graph)(nil)
