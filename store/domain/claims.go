package domain

import (
	"fmt"
	"slices"
	"time"
)

// ClaimFilter narrows a list of claims: relations and positions. Every condition given
// must hold.
type ClaimFilter struct {
	// Kinds keeps claims of these kinds (KindRelation, KindPosition). Left empty, it is
	// the kinds the kind-specific conditions below are about (Types and Roles:
	// relations; Stances: positions), or both kinds when none is given.
	Kinds []Kind
	// Types and Roles keep relations of one of these types, with one of these roles
	// (relations without a role have none of them); positions pass them.
	Types []RelationType
	Roles []Role
	// Stances keeps positions of one of these stances; relations pass it.
	Stances []Stance
	// MinSources, MaxSources, MinPublishers and MaxPublishers bound the claim's
	// Corroboration, computed by Corroborate from its live supporting evidence; nil
	// leaves that end open.
	MinSources, MaxSources, MinPublishers, MaxPublishers *int
	// Contested keeps claims some live evidence disputes (true), or that none does
	// (false).
	Contested *bool
	// ValidFrom and ValidTo keep claims whose valid time overlaps [ValidFrom, ValidTo).
	// A nil end, of the window or of the claim's valid time, is open, so a claim with
	// no valid time overlaps every window (as a walk's window keeps it, Walk).
	ValidFrom, ValidTo *time.Time
	// Publisher keeps claims of which Corroborate counts a report by this actor: live
	// supporting evidence attributed to it as originator, or, not attributed, citing a
	// source whose original (the source itself, or the one it is a declared copy of)
	// it published. A copy it published of another's report does not count, as
	// corroboration counts that report as the other's.
	Publisher string
	// Entity keeps relations with this entity at one end and positions it holds or
	// that are on it as topic.
	Entity string
	// IncludeRetracted keeps retracted claims too.
	IncludeRetracted bool
}

// Check returns what is wrong with the filter, every problem an ErrInvalid *Error
// naming its field (in Errors): a kind that is not RELATION or POSITION, an unknown
// relation type, role or stance, a negative count, a minimum above its maximum, a
// window ending before it starts. Nil when nothing is.
func (f ClaimFilter) Check() error {
	var ps problems
	for i, k := range f.Kinds {
		ps.check(k == KindRelation || k == KindPosition, fmt.Sprintf("kinds[%d]", i), "%q is not %s or %s", k, KindRelation, KindPosition)
	}
	for i, t := range f.Types {
		if e := CheckRelationType(t); e != nil {
			ps.add(fmt.Sprintf("types[%d]", i), "%s", e.Message)
		}
	}
	for i, r := range f.Roles {
		enum(&ps, fmt.Sprintf("roles[%d]", i), r, Roles)
	}
	for i, s := range f.Stances {
		enum(&ps, fmt.Sprintf("stances[%d]", i), s, Stances)
	}
	bounds := func(of string, lo, hi *int) {
		for _, b := range []struct {
			field string
			n     *int
		}{{"min" + of, lo}, {"max" + of, hi}} {
			ps.check(b.n == nil || *b.n >= 0, b.field, "must not be negative, got %d", deref(b.n))
		}
		ps.check(lo == nil || hi == nil || *lo <= *hi, "min"+of, "%d is above max%s %d", deref(lo), of, deref(hi))
	}
	bounds("Sources", f.MinSources, f.MaxSources)
	bounds("Publishers", f.MinPublishers, f.MaxPublishers)
	ps.check(f.ValidFrom == nil || f.ValidTo == nil || !f.ValidTo.Before(*f.ValidFrom), "validTo", "is before validFrom")
	if len(ps) == 0 {
		return nil
	}
	return Errors(ps)
}

func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// Wants reports whether the filter can keep claims of kind at all.
func (f ClaimFilter) Wants(kind Kind) bool {
	if len(f.Kinds) > 0 {
		return slices.Contains(f.Kinds, kind)
	}
	relations, positions := len(f.Types) > 0 || len(f.Roles) > 0, len(f.Stances) > 0
	if !relations && !positions {
		return true
	}
	return kind == KindRelation && relations || kind == KindPosition && positions
}

// Keeps reports whether a claim passes the conditions on its own record: kind, type,
// role, stance, valid time, entity and retraction. Anything but a relation or a
// position fails.
func (f ClaimFilter) Keeps(claim Node) bool {
	var from, to *time.Time
	var retracted *Retraction
	switch c := claim.(type) {
	case *Relation:
		if !f.Wants(KindRelation) || len(f.Types) > 0 && !slices.Contains(f.Types, c.Type) ||
			len(f.Roles) > 0 && !slices.Contains(f.Roles, c.Role) || f.Entity != "" && f.Entity != c.From && f.Entity != c.To {
			return false
		}
		from, to, retracted = c.ValidFrom, c.ValidTo, c.Retracted
	case *Position:
		if !f.Wants(KindPosition) || len(f.Stances) > 0 && !slices.Contains(f.Stances, c.Stance) ||
			f.Entity != "" && f.Entity != c.Holder && f.Entity != c.Topic {
			return false
		}
		from, to, retracted = c.ValidFrom, c.ValidTo, c.Retracted
	default:
		return false
	}
	return (f.IncludeRetracted || retracted == nil) && overlaps(from, to, f.ValidFrom, f.ValidTo)
}

// OnEvidence reports whether the filter has conditions on a claim's evidence
// (corroboration, contested, publisher), for which KeepsEvidence needs it read.
func (f ClaimFilter) OnEvidence() bool {
	return f.MinSources != nil || f.MaxSources != nil || f.MinPublishers != nil || f.MaxPublishers != nil ||
		f.Contested != nil || f.Publisher != ""
}

// KeepsEvidence reports whether a claim with this evidence passes the conditions on
// its evidence; source looks up sources as for Corroborate.
func (f ClaimFilter) KeepsEvidence(evidence []*Evidence, source func(id string) *Source) bool {
	if f.Contested != nil && slices.ContainsFunc(evidence, (*Evidence).DisputesNow) != *f.Contested {
		return false
	}
	reps := reports(evidence, source)
	c := tally(reps)
	within := func(n int, lo, hi *int) bool { return (lo == nil || n >= *lo) && (hi == nil || n <= *hi) }
	return within(c.Sources, f.MinSources, f.MaxSources) && within(c.Publishers, f.MinPublishers, f.MaxPublishers) &&
		(f.Publisher == "" || slices.ContainsFunc(reps, func(r report) bool { return r.publisher == f.Publisher }))
}
