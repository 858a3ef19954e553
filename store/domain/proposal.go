package domain

import "time"

// Proposal is an entity proposed for review, not asserted: a person, organisation, state,
// place or event that sources name or report and the graph does not hold, with every
// place they name it.
// Ingestion proposes them; an analyst accepts one (it becomes an entity, its spellings
// aliases and its spans MENTIONS evidence), merges it into an entity the graph holds
// under another spelling (the spellings become that entity's aliases and the spans its
// mentions), or rejects it. The same name proposed again, by another article, is the
// same proposal: its id is derived from its kind of node and its normalized name, and
// the new spans join it.
type Proposal struct {
	ID string `json:"id"`
	// NodeKind is what it would become: KindActor, KindPlace or KindEvent.
	NodeKind Kind `json:"nodeKind"`
	// Kind is its ActorKind, PlaceKind or EventKind, as the words around it suggest.
	Kind string `json:"kind"`
	// Start and Precision date an event: when it happened, as far as the text says
	// (relative dates read against the source's publication).
	Start     *time.Time `json:"start,omitempty"`
	Precision Precision  `json:"precision,omitempty"`
	// Name is the fullest spelling a source gives.
	Name     string            `json:"name"`
	Mentions []ProposedMention `json:"mentions"`
	// SameAs are entities the graph holds that it may be under another spelling
	// ("Badr Albusaidi" and "Badr al-Busaidi"): merge candidates.
	SameAs     []string       `json:"sameAs,omitempty"`
	Status     ProposalStatus `json:"status"`
	Reason     string         `json:"reason,omitempty"` // why it was rejected
	Entity     string         `json:"entity,omitempty"` // what it became, accepted or merged
	ProposedAt time.Time      `json:"proposedAt"`
}

// ProposedMention is a span of a source's text naming a proposal, or the source alone
// (no span) when it names it outside its text: a publisher.
type ProposedMention struct {
	Source string `json:"source"`
	Quote  string `json:"quote,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// ProposalStatus is where a proposal is in review.
type ProposalStatus string

// Proposal statuses.
const (
	ProposalPending  ProposalStatus = "PENDING"
	ProposalAccepted ProposalStatus = "ACCEPTED"
	ProposalMerged   ProposalStatus = "MERGED"
	ProposalRejected ProposalStatus = "REJECTED"
)

// ProposalStatuses lists every proposal status.
var ProposalStatuses = []ProposalStatus{ProposalPending, ProposalAccepted, ProposalMerged, ProposalRejected}
