package domain

import (
	"slices"
	"time"
)

// Kind names what a node is.
type Kind string

// Node kinds.
const (
	KindActor    Kind = "ACTOR"
	KindPlace    Kind = "PLACE"
	KindEvent    Kind = "EVENT"
	KindTopic    Kind = "TOPIC"
	KindPosition Kind = "POSITION"
	KindSource   Kind = "SOURCE"
)

// KindRelation is what a Relation answers to NodeKind: relations can be looked up by id
// like nodes, but are not stored or listed as nodes.
const KindRelation Kind = "RELATION"

// KindEvidence is what an evidence record answers to NodeKind: evidence can be looked up
// by id and retracted like relations and positions.
const KindEvidence Kind = "EVIDENCE"

// Retraction records that a relation, position or evidence record was withdrawn: it
// leaves current answers but stays stored, in history and with includeRetracted.
type Retraction struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
}

// Kinds lists every node kind.
var Kinds = []Kind{KindActor, KindPlace, KindEvent, KindTopic, KindPosition, KindSource}

// EntityKinds are the kinds of the nodes relations connect.
var EntityKinds = []Kind{KindActor, KindPlace, KindEvent, KindTopic}

// IsEntity reports whether nodes of kind k have names and take part in relations.
func (k Kind) IsEntity() bool {
	return k == KindActor || k == KindPlace || k == KindEvent || k == KindTopic
}

// Node is anything with a stable id: an entity, a position or a source.
type Node interface {
	NodeID() string
	NodeKind() Kind
}

// Entity is a node with a name that relations connect: an actor, place, event or topic.
type Entity interface {
	Node
	Base() *EntityBase
}

// EntityBase holds what every entity has.
type EntityBase struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
}

func (e *EntityBase) NodeID() string    { return e.ID }
func (e *EntityBase) Base() *EntityBase { return e }

// Actor is a person, state, organisation, armed force, group or media outlet.
type Actor struct {
	EntityBase
	Kind ActorKind `json:"kind"`
	// Reliability grades the actor as a publisher or originator of reports; "" when
	// not graded.
	Reliability Reliability `json:"reliability,omitempty"`
}

// Reliability is the Admiralty scale's grade of a source of information (here: a
// publisher, or an originator a report is attributed to).
type Reliability string

// Reliability grades.
const (
	ReliabilityA Reliability = "A" // completely reliable
	ReliabilityB Reliability = "B" // usually reliable
	ReliabilityC Reliability = "C" // fairly reliable
	ReliabilityD Reliability = "D" // not usually reliable
	ReliabilityE Reliability = "E" // unreliable
	ReliabilityF Reliability = "F" // reliability cannot be judged
)

// Reliabilities lists every grade.
var Reliabilities = []Reliability{ReliabilityA, ReliabilityB, ReliabilityC, ReliabilityD, ReliabilityE, ReliabilityF}

// ActorKind classifies actors.
type ActorKind string

// Actor kinds.
const (
	ActorPerson       ActorKind = "PERSON"
	ActorState        ActorKind = "STATE"
	ActorOrganisation ActorKind = "ORGANISATION"
	ActorArmedForce   ActorKind = "ARMED_FORCE"
	ActorGroup        ActorKind = "GROUP"
	ActorMedia        ActorKind = "MEDIA"
)

// ActorKinds lists every actor kind.
var ActorKinds = []ActorKind{ActorPerson, ActorState, ActorOrganisation, ActorArmedForce, ActorGroup, ActorMedia}

func (*Actor) NodeKind() Kind { return KindActor }

// Place is a location. The place it lies within is a LOCATED_IN relation, with evidence.
type Place struct {
	EntityBase
	Kind  PlaceKind `json:"kind"`
	Point *Point    `json:"point,omitempty"`
}

// PlaceKind classifies places.
type PlaceKind string

// Place kinds.
const (
	PlaceCity     PlaceKind = "CITY"
	PlaceCountry  PlaceKind = "COUNTRY"
	PlaceSea      PlaceKind = "SEA"
	PlaceFacility PlaceKind = "FACILITY"
	PlaceRegion   PlaceKind = "REGION"
)

// PlaceKinds lists every place kind.
var PlaceKinds = []PlaceKind{PlaceCity, PlaceCountry, PlaceSea, PlaceFacility, PlaceRegion}

// Point is a WGS 84 coordinate.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

func (*Place) NodeKind() Kind { return KindPlace }

// Event is something that happened. Its place, participants and the events it is part
// of are relations, with evidence.
type Event struct {
	EntityBase
	Kind      EventKind  `json:"kind"`
	Start     *time.Time `json:"start,omitempty"`
	End       *time.Time `json:"end,omitempty"`
	Precision Precision  `json:"precision"`
	// Cameo is an optional CAMEO event code ("04" consult, "19" fight, …).
	Cameo string `json:"cameo,omitempty"`
}

// EventKind classifies events.
type EventKind string

// Event kinds.
const (
	EventNegotiation    EventKind = "NEGOTIATION"
	EventWar            EventKind = "WAR"
	EventMilitaryStrike EventKind = "MILITARY_STRIKE"
	EventShootdown      EventKind = "SHOOTDOWN"
	EventDeployment     EventKind = "DEPLOYMENT"
	EventProtest        EventKind = "PROTEST"
	EventCrackdown      EventKind = "CRACKDOWN"
	EventStatement      EventKind = "STATEMENT"
	EventOther          EventKind = "OTHER"
)

// EventKinds lists every event kind.
var EventKinds = []EventKind{EventNegotiation, EventWar, EventMilitaryStrike, EventShootdown,
	EventDeployment, EventProtest, EventCrackdown, EventStatement, EventOther}

// Precision says how much of an event time is known.
type Precision string

// Time precisions, finest first.
const (
	PrecisionDay     Precision = "DAY"
	PrecisionMonth   Precision = "MONTH"
	PrecisionYear    Precision = "YEAR"
	PrecisionUnknown Precision = "UNKNOWN"
)

// Precisions lists every precision.
var Precisions = []Precision{PrecisionDay, PrecisionMonth, PrecisionYear, PrecisionUnknown}

// Span returns the interval [from, to) a time of this precision stands for: a MONTH
// time covers its whole month.
func (p Precision) Span(t time.Time) (from, to time.Time) {
	t = t.UTC()
	switch p {
	case PrecisionYear:
		from = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(1, 0, 0)
	case PrecisionMonth:
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, 0)
	default:
		from = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 0, 1)
	}
}

func (*Event) NodeKind() Kind { return KindEvent }

// Topic is a subject under negotiation.
type Topic struct {
	EntityBase
}

func (*Topic) NodeKind() Kind { return KindTopic }

// Position is an actor's stance on a topic. It must have evidence.
type Position struct {
	ID        string     `json:"id"`
	Holder    string     `json:"holder"`
	Topic     string     `json:"topic"`
	Stance    Stance     `json:"stance"`
	Statement string     `json:"statement,omitempty"`
	StatedAt  *time.Time `json:"statedAt,omitempty"`
	// ValidFrom and ValidTo are when the stance held in the world, where known.
	ValidFrom *time.Time  `json:"validFrom,omitempty"`
	ValidTo   *time.Time  `json:"validTo,omitempty"`
	Cameo     string      `json:"cameo,omitempty"`
	Retracted *Retraction `json:"retracted,omitempty"`
}

// Stance is what a position holder wants done about a topic.
type Stance string

// Stances.
const (
	StanceDemands          Stance = "DEMANDS"
	StanceSupports         Stance = "SUPPORTS"
	StanceOpposes          Stance = "OPPOSES"
	StanceRejects          Stance = "REJECTS"
	StanceWillingToDiscuss Stance = "WILLING_TO_DISCUSS"
	StanceRulesOut         Stance = "RULES_OUT"
)

// Stances lists every stance.
var Stances = []Stance{StanceDemands, StanceSupports, StanceOpposes, StanceRejects, StanceWillingToDiscuss, StanceRulesOut}

// opposed lists, for each stance, the stances it is at odds with. Conflict is symmetric:
// a demand conflicts with a rejection, an opposition or a refusal to discuss; support
// with opposition, rejection or refusal; a willingness to discuss with a refusal to.
// A demand and a willingness to discuss are not a conflict: they can meet.
var opposed = map[Stance][]Stance{
	StanceDemands:          {StanceRejects, StanceOpposes, StanceRulesOut},
	StanceSupports:         {StanceRejects, StanceOpposes, StanceRulesOut},
	StanceWillingToDiscuss: {StanceRulesOut},
}

// ConflictsWith reports whether holders of stances s and t on one topic disagree.
func (s Stance) ConflictsWith(t Stance) bool {
	return slices.Contains(opposed[s], t) || slices.Contains(opposed[t], s)
}

func (p *Position) NodeID() string { return p.ID }
func (*Position) NodeKind() Kind   { return KindPosition }

// Source is an article or document that evidence cites.
type Source struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Publisher   string     `json:"publisher,omitempty"` // actor id
	PublishedAt *time.Time `json:"publishedAt,omitempty"`
	RetrievedAt *time.Time `json:"retrievedAt,omitempty"`
	Language    string     `json:"language,omitempty"`
	// Text is the full text when held; evidence offsets count code points into it.
	Text string `json:"text,omitempty"`
	// ContentHash is "sha256:" + the hex SHA-256 of Text.
	ContentHash string `json:"contentHash,omitempty"`
	// CopyOf is the source this one reproduces (a wire copy, a syndicated article):
	// corroboration counts the two once.
	CopyOf string `json:"copyOf,omitempty"`
}

func (s *Source) NodeID() string { return s.ID }
func (*Source) NodeKind() Kind   { return KindSource }

// Relation is a typed, directed link between two entities, valid over an optional
// interval of world time. It must have evidence.
type Relation struct {
	ID        string       `json:"id"`
	Type      RelationType `json:"type"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Role      Role         `json:"role,omitempty"`
	ValidFrom *time.Time   `json:"validFrom,omitempty"`
	ValidTo   *time.Time   `json:"validTo,omitempty"`
	Retracted *Retraction  `json:"retracted,omitempty"`
}

func (r *Relation) NodeID() string { return r.ID }
func (*Relation) NodeKind() Kind   { return KindRelation }

// RelationType names what a relation says.
type RelationType string

// Relation types.
const (
	RelMemberOf       RelationType = "MEMBER_OF"
	RelRepresents     RelationType = "REPRESENTS"
	RelLeads          RelationType = "LEADS"
	RelParticipatedIn RelationType = "PARTICIPATED_IN"
	RelLocatedIn      RelationType = "LOCATED_IN"
	RelPartOf         RelationType = "PART_OF"
	RelAboutTopic     RelationType = "ABOUT_TOPIC"
	RelReportedBy     RelationType = "REPORTED_BY"
	RelCites          RelationType = "CITES"
	RelAlliedWith     RelationType = "ALLIED_WITH"
	RelDisrupted      RelationType = "DISRUPTED"
	RelPreceded       RelationType = "PRECEDED"
)

// RelationTypes lists every relation type with the node kinds it may connect.
var RelationTypes = map[RelationType]struct{ From, To []Kind }{
	RelMemberOf:       {[]Kind{KindActor}, []Kind{KindActor}},
	RelRepresents:     {[]Kind{KindActor}, []Kind{KindActor}},
	RelLeads:          {[]Kind{KindActor}, []Kind{KindActor}},
	RelParticipatedIn: {[]Kind{KindActor}, []Kind{KindEvent}},
	RelLocatedIn:      {[]Kind{KindEvent, KindPlace, KindActor}, []Kind{KindPlace}},
	RelPartOf:         {[]Kind{KindEvent}, []Kind{KindEvent}},
	RelAboutTopic:     {[]Kind{KindEvent}, []Kind{KindTopic}},
	RelReportedBy:     {[]Kind{KindEvent}, []Kind{KindActor}},
	RelCites:          {[]Kind{KindActor}, []Kind{KindEvent, KindTopic}},
	RelAlliedWith:     {[]Kind{KindActor}, []Kind{KindActor}},
	RelDisrupted:      {[]Kind{KindEvent}, []Kind{KindEvent}},
	RelPreceded:       {[]Kind{KindEvent}, []Kind{KindEvent}},
}

// collectives are the actors that have members, a leader, or someone acting for them.
var collectives = []ActorKind{ActorState, ActorOrganisation, ActorArmedForce, ActorGroup, ActorMedia}

// ActorEnds narrows, for the relation types between actors that point from a part to
// its whole, the actor kinds their to end may be: one belongs to, heads, or acts for a
// state or organisation, never a person. A reviewer turning a candidate around
// ("iran REPRESENTS araghchi") is refused by it; a write of relations checks
// RelationTypes only, so an editor's data is taken as the editor classified its actors.
var ActorEnds = map[RelationType][]ActorKind{
	RelMemberOf:   collectives,
	RelRepresents: collectives,
	RelLeads:      collectives,
}

// Role is an actor's part in an event, on PARTICIPATED_IN relations.
type Role string

// Participant roles.
const (
	RoleInitiator   Role = "INITIATOR"
	RoleTarget      Role = "TARGET"
	RoleMediator    Role = "MEDIATOR"
	RoleParticipant Role = "PARTICIPANT"
	RoleSupporter   Role = "SUPPORTER"
	RoleHost        Role = "HOST"
)

// Roles lists every role.
var Roles = []Role{RoleInitiator, RoleTarget, RoleMediator, RoleParticipant, RoleSupporter, RoleHost}

// Evidence ties a relation or position (its Subject) to the words of a source that
// support it.
type Evidence struct {
	ID      string `json:"id"`
	Subject string `json:"subject"` // relation or position id
	Source  string `json:"source"`
	Quote   string `json:"quote"`
	// Start and End are Unicode code point offsets of Quote in the source text
	// (W3C TextPositionSelector); both nil when the source text is not held.
	// A write may leave them nil for the store to find the quote, using Occurrence.
	Start *int `json:"start,omitempty"`
	End   *int `json:"end,omitempty"`
	// Occurrence picks which occurrence of Quote is meant (1-based, overlapping ones
	// counted: see CountQuote) when the store finds the offsets; 0 means the quote must
	// occur exactly once. Not stored.
	Occurrence int `json:"-"`
	// Prefix and Suffix are up to 32 code points around the quote (TextQuoteSelector).
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	// AttributedTo is the actor the source credits with the claim ("as reported by …").
	AttributedTo string    `json:"attributedTo,omitempty"`
	Confidence   float64   `json:"confidence"`
	Method       string    `json:"method"`
	RecordedAt   time.Time `json:"recordedAt"`
	Note         string    `json:"note,omitempty"`
	// Stance says whether the quote supports or disputes its subject, or only names
	// it (an entity); "" is SUPPORTS.
	Stance EvidenceStance `json:"stance,omitempty"`
	// Credibility is the Admiralty scale's grade of the information, 1 (confirmed by
	// other sources) to 6 (truth cannot be judged); 0 when not graded.
	Credibility int         `json:"credibility,omitempty"`
	Retracted   *Retraction `json:"retracted,omitempty"`
}

func (ev *Evidence) NodeID() string { return ev.ID }
func (*Evidence) NodeKind() Kind    { return KindEvidence }

// EvidenceStance says what evidence does to the claim it is recorded against.
type EvidenceStance string

// Evidence stances. SUPPORTS and DISPUTES are recorded against a relation or position;
// MENTIONS against an entity, whose name the quote is (found by ingestion).
const (
	EvidenceSupports EvidenceStance = "SUPPORTS"
	EvidenceDisputes EvidenceStance = "DISPUTES"
	EvidenceMentions EvidenceStance = "MENTIONS"
)

// EvidenceStances lists every evidence stance.
var EvidenceStances = []EvidenceStance{EvidenceSupports, EvidenceDisputes, EvidenceMentions}

// Disputes reports whether ev disputes its subject rather than supporting it.
func (ev *Evidence) Disputes() bool { return ev.Stance == EvidenceDisputes }

// Supports reports whether ev stands as support of its claim: neither a dispute nor a
// mention, and not retracted.
func (ev *Evidence) Supports() bool {
	return !ev.Disputes() && ev.Stance != EvidenceMentions && ev.Retracted == nil
}

// DisputesNow reports whether ev is a dispute that still stands (not retracted).
func (ev *Evidence) DisputesNow() bool { return ev.Disputes() && ev.Retracted == nil }

// Direction selects relations by which end a node is on.
type Direction string

// Directions.
const (
	DirectionOut  Direction = "OUT"
	DirectionIn   Direction = "IN"
	DirectionBoth Direction = "BOTH"
)
