package domain

import "time"

// Merge is an entity resolution: the entities From turned out to be Into. It is a
// versioned change that Unmerge reverses.
type Merge struct {
	ID     string     `json:"id"`
	Into   string     `json:"into"`
	From   []string   `json:"from"`
	At     time.Time  `json:"at"`
	Author string     `json:"author"`
	Undone *time.Time `json:"undone,omitempty"`
	// What undoing needs: the entities' records as they were (Into first), the
	// relations moved, the evidence records the merge wrote, and the positions
	// re-pointed.
	Before    [][]byte       `json:"before"` // node records (codec.go)
	Moves     []RelationMove `json:"moves"`
	Evidence  []EvidenceCopy `json:"evidence,omitempty"`
	Positions []PositionMove `json:"positions,omitempty"`
	// After lists the merges standing when this one was made that it builds on (it
	// merges one of their entities, or an entity at the other end of a relation they
	// moved): they cannot be undone while this one stands.
	After []string `json:"after,omitempty"`
	// Format is MergeFormat; 0 marks a record written before Evidence and After were
	// kept, whose copies Unmerge works out from the snapshot before the merge.
	Format int `json:"format,omitempty"`
}

// MergeFormat is the Format of the merge records Graph.Merge writes.
const MergeFormat = 1

// RelationMove is a relation of a merged entity, retracted, and the relation that took
// its place on the surviving entity ("" when it would have joined the entity to
// itself); Created says the merge made that relation rather than adding evidence to
// one the entity had.
type RelationMove struct {
	Old     string `json:"old"`
	New     string `json:"new,omitempty"`
	Created bool   `json:"created,omitempty"`
}

// EvidenceCopy is an evidence record a merge wrote on a relation of the surviving
// entity: the copy of the live evidence records Of (more than one when relations of
// two merged entities quote the same span for the same claim), with the credibility
// it was copied with. Evidence a relation had already at that span is not copied.
type EvidenceCopy struct {
	ID          string   `json:"id"`
	Subject     string   `json:"subject"`
	Of          []string `json:"of"`
	Credibility int      `json:"credibility,omitempty"`
}

// PositionMove is a position whose holder or topic a merge changed, as it was before.
type PositionMove struct {
	ID     string `json:"id"`
	Holder string `json:"holder"`
	Topic  string `json:"topic"`
}
