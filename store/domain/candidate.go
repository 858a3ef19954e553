package domain

import "time"

// Candidate is a relation or a position proposed for review, not asserted: what a
// sentence of a source states between two entities it names. Ingestion proposes them; an analyst accepts one (it becomes a
// relation with the sentence as its evidence) or rejects it.
type Candidate struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	// From and To are the entities, in the order the relation type wants when one is
	// suggested, else in text order.
	From string `json:"from"`
	To   string `json:"to"`
	// Type is the relation their kinds suggest (an actor and an event: PARTICIPATED_IN),
	// "" when they suggest none and the reviewer must say.
	Type RelationType `json:"type,omitempty"`
	// Role is the part a participation's actor played (PARTICIPATED_IN), as the
	// sentence's words suggest it; "" for other types.
	Role Role `json:"role,omitempty"`
	// Stance makes the candidate a position rather than a relation: From (an actor)
	// holds it on To (a topic), as the sentence's verb says ("rules out", "demands").
	// Type is then "".
	Stance Stance `json:"stance,omitempty"`
	// Confidence is how likely the reading is right, in [0, 1]: ingestion gives the
	// precision its rule measures on its gold set.
	Confidence float64 `json:"confidence"`
	// Quote is the sentence naming both, at code points [Start, End) of the source.
	Quote      string          `json:"quote"`
	Start      int             `json:"start"`
	End        int             `json:"end"`
	Status     CandidateStatus `json:"status"`
	Reason     string          `json:"reason,omitempty"`   // why it was rejected
	Relation   string          `json:"relation,omitempty"` // what it became when accepted: a relation's or position's id
	ProposedAt time.Time       `json:"proposedAt"`
}

// CandidateStatus is where a candidate is in review.
type CandidateStatus string

// Candidate statuses.
const (
	CandidatePending  CandidateStatus = "PENDING"
	CandidateAccepted CandidateStatus = "ACCEPTED"
	CandidateRejected CandidateStatus = "REJECTED"
)

// Review is a reviewer's acceptance of a candidate with what they correct in it. Each
// field left zero keeps what the candidate says.
type Review struct {
	// Type is the relation's type; "" takes the suggested one.
	Type RelationType
	// Role is a participation's role, given only with PARTICIPATED_IN; "" takes the
	// suggested one when the type is the suggested type, else PARTICIPANT.
	Role Role
	// From and To are the relation's ends, entity ids; "" keeps the candidate's end.
	// A reviewer may swap them or point one at another entity the sentence names.
	From, To string
	// Start and End, both or neither, are the evidence's span in the source's text in
	// code points, [Start, End): the quote is the text there, at most MaxSpan code
	// points. Neither keeps the candidate's sentence.
	Start, End *int
	// Confidence is the evidence's, in [0, 1]; nil takes the candidate's.
	Confidence *float64
}
