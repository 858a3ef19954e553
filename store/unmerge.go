package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Unmerge undoes a merge: what the merge changed comes back as it was, and what was
// written while it stood stays where it was written.
//
//   - The merged entities come back as they were, with their relations and evidence:
//     the very records, their retraction undone. A merged id written again while the
//     merge stood keeps the record written then.
//   - The surviving entity loses the names the merge gave it and keeps every other
//     change made since.
//   - Positions the merge re-pointed point back where they did, unless re-pointed
//     since, keeping every other change.
//   - The evidence the merge copied goes. A grade or retraction given to a copy since
//     goes with it back to the records it copied, except a retraction that would take
//     the last live support of a relation coming back live (copies other standing
//     merges made do not count as support).
//   - A relation the merge made goes, unless evidence was added to it since: then it
//     stays, with that evidence. A retraction given it since goes back to the relations
//     it replaced, which come back retracted (not one the undoing of a later merge gave
//     it for want of support).
//   - A relation of the surviving entity left with no live supporting evidence but the
//     copies (its own retracted while the merge stood) is retracted.
//
// It returns the entities, the surviving one first.
//
// Errors: ErrNotFound for an unknown merge; ErrInvalid for one already undone, or when
// a merged id has since been written as another kind of node; ErrDependentMerge while a
// later merge that builds on this one (Merge.After) stands; ErrConflict when
// concurrent writers kept colliding.
func (g *Graph) Unmerge(ctx context.Context, id string) ([]domain.Entity, uint64, error) {
	var out []domain.Entity
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		m, err := getMerge(r, id)
		if err != nil {
			return nil, err
		}
		if m.Undone != nil {
			return nil, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "merge", Message: fmt.Sprintf("%s was undone already", id)}
		}
		if m.Format < domain.MergeFormat {
			if err := g.listCopies(m); err != nil {
				return nil, err
			}
		}
		transient, err := standingMerges(r, m)
		if err != nil {
			return nil, err
		}
		at := g.now()
		u := &unmerger{m: m, kinds: map[string]domain.Kind{}, transient: transient, why: &domain.Retraction{
			Reason: unsupportedReason + m.ID + "): no evidence of its own supports it", At: at, Author: Author(ctx)}}
		b, err := u.restoreNodes(r)
		if err != nil {
			return nil, err
		}
		out = u.entities
		b.then = u.restoreRelations
		return b, nil
	})
	return out, stats.Version, err
}

// unsupportedReason starts the reason of the retraction of a relation an unmerge left
// without support: bookkeeping, not a judgement of the claim, so it does not follow
// the relation back to those it was made from when an older merge is undone.
const unsupportedReason = "unmerged ("

// listCopies fills in the copies of a merge recorded before merge records listed them
// (Format 0), working them out as Merge does from the snapshot just before the merge.
func (g *Graph) listCopies(m *domain.Merge) error {
	var made uint64
	err := g.kv.History(layout.MergeKey(m.ID), func(version uint64, _ []byte, _ bool) error {
		made = version // newest first: the last one is the merge's own
		return nil
	})
	if err != nil {
		return err
	}
	if made == 0 {
		return fmt.Errorf("store: no version of %s", m.ID)
	}
	return g.kv.View(made-1, func(r kv.Reader) error {
		mv := newMover(r, m)
		for _, move := range m.Moves {
			if move.New != "" {
				if err := mv.copyEvidence(move.Old, move.New); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// standingMerges refuses undoing m while a merge that builds on it stands, and
// otherwise returns the ids of the evidence the other standing merges copied.
func standingMerges(r kv.Reader, m *domain.Merge) (map[string]bool, error) {
	var later []string
	copies := map[string]bool{}
	err := eachStandingMerge(r, func(o *domain.Merge) error {
		if slices.Contains(o.After, m.ID) {
			later = append(later, o.ID)
		}
		if o.ID != m.ID {
			for _, c := range o.Evidence {
				copies[c.ID] = true
			}
		}
		return nil
	})
	if err != nil || len(later) == 0 {
		return copies, err
	}
	return nil, &domain.Error{Kind: domain.ErrDependentMerge, Index: -1, Field: "merge", Message: fmt.Sprintf(
		"%s still stands and builds on %s (it merges entities this merge moved relations of): unmerge it first", strings.Join(later, ", "), m.ID)}
}

// unmerger plans undoing one merge.
type unmerger struct {
	m *domain.Merge
	// why retracts a relation left with no support of its own.
	why *domain.Retraction
	// kinds are the kinds of the merged entities, which the snapshot does not hold.
	kinds map[string]domain.
		// transient are the copies other standing merges made: support that goes when
		// they are undone.
		Kind

	transient map[string]bool
	entities  []domain.Entity
}

// restoreNodes plans the entities' and positions' records: the merged entities as
// they were, into without the names the merge gave it, positions pointing back.
func (u *unmerger) restoreNodes(r kv.Reader) (*Batch, error) {
	before := make([]domain.Entity, len(u.m.Before))
	for i, rec := range u.m.Before {
		n, err := layout.DecodeNode(rec)
		if err != nil {
			return nil, err
		}
		before[i] = n.(domain.Entity)
	}
	n, err := layout.ReadNode(r, u.m.Into)
	if err != nil {
		return nil, err
	}
	into := cloneEntity(n.(domain.Entity))
	gained := gainedNames(before)
	into.Base().Aliases = slices.DeleteFunc(into.Base().Aliases, func(a string) bool { return gained[domain.Normalize(a)] })
	b := &Batch{Nodes: []domain.Node{into}}
	u.entities = append(u.entities, into)
	for _, e := range before[1:] {
		u.kinds[e.NodeID()] = e.NodeKind()
		n, err := layout.ReadNode(r, e.NodeID())
		switch {
		case errors.Is(err, domain.ErrNotFound):
			b.Nodes = append(b.Nodes, e)
			u.entities = append(u.entities, e)
		case err != nil:
			return nil, err
		case n.NodeKind() != e.NodeKind():
			return nil, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "merge", Message: fmt.Sprintf(
				"%s has been written as a %s since the merge: the %s merged cannot come back", e.NodeID(), n.NodeKind(), e.NodeKind())}
		default:
			u.entities = append(u.entities, n.(domain.Entity))
		}
	}
	for _, pm := range u.m.Positions {
		n, err := layout.ReadNode(r, pm.ID)
		if err != nil {
			return nil, err
		}
		back := *n.(*domain.Position)
		if back.Holder == u.m.Into {
			back.Holder = pm.Holder
		}
		if back.Topic == u.m.Into {
			back.Topic = pm.Topic
		}
		b.Nodes = append(b.Nodes, &back)
	}
	return b, nil
}

// gainedNames are the names, normalized, that merging the entities before[1:] into
// before[0] gave it.
func gainedNames(before []domain.Entity) map[string]bool {
	own := map[string]bool{}
	for _, name := range domain.Names(before[0]) {
		own[domain.Normalize(name)] = true
	}
	gained := map[string]bool{}
	for _, e := range before[1:] {
		for _, name := range domain.Names(e) {
			if !own[domain.Normalize(name)] {
				gained[domain.Normalize(name)] = true
			}
		}
	}
	return gained
}

// restoreRelations plans the rest: redirects go, the copies go (what was done to
// them since going back to their originals), the relations moved come back, the
// relations the merge made go unless evidence was added to them since, and the merge
// is marked undone.
func (u *unmerger) restoreRelations(r kv.Reader, p *plan) error {
	m := u.m
	for _, from := range m.From {
		p.Delete(layout.RedirectKey(from))
	}
	made := map[string]*domain.Relation{}
	var touched []string // relations that lose what the merge gave them
	for _, move := range m.Moves {
		if move.Created && made[move.New] == nil {
			rel, err := layout.ReadRelation(r, move.New)
			if err != nil {
				return err
			}
			made[move.New] = rel
			touched = append(touched, move.New)
		}
	}
	copies := map[string]bool{}
	var originals []string
	graded := map[string]int{}
	withdrawn := map[string]*domain.Retraction{}
	for _, c := range m.Evidence {
		v, err := r.Get(layout.EvidenceKey(c.Subject, c.ID))
		if err != nil {
			return err
		}
		ev, err := layout.DecodeEvidence(v)
		if err != nil {
			return err
		}
		for _, o := range c.Of {
			if ev.Credibility != c.Credibility {
				graded[o] = ev.Credibility
			}
			if ev.Retracted != nil {
				withdrawn[o] = ev.Retracted
			}
		}
		originals = append(originals, c.Of...)
		copies[c.ID] = true
		p.deleteEvidence(ev)
		if !slices.Contains(touched, c.Subject) {
			touched = append(touched, c.Subject)
		}
	}
	live := map[string]bool{} // relations coming back live
	for _, move := range m.Moves {
		old, err := layout.ReadRelation(r, move.Old)
		if err != nil {
			return err
		}
		back := *old
		back.Retracted = nil
		if rel := made[move.New]; rel != nil && rel.Retracted != nil && !strings.HasPrefix(rel.Retracted.Reason, unsupportedReason) {
			back.Retracted = rel.Retracted
		}
		live[old.ID] = back.Retracted == nil
		if err := u.putRelation(r, p, old, &back); err != nil {
			return err
		}
	}
	// Retractions follow back in the order they were made, as the same retractions
	// made one by one would have been taken or refused.
	slices.SortStableFunc(originals, func(a, b string) int {
		return cmp.Compare(withdrawnAt(withdrawn[a]), withdrawnAt(withdrawn[b]))
	})
	if err := u.followBack(r, p, originals, graded, withdrawn, live); err != nil {
		return err
	}
	for _, id := range touched {
		if err := u.settle(r, p, id, copies, made[id] != nil); err != nil {
			return err
		}
	}
	m.Undone = &u.why.At
	return putMerge(p, m)
}

// endKind is the kind of a relation's end: of a merged entity coming back, or as the
// snapshot holds it.
func (u *unmerger) endKind(r kv.Reader) func(string) (domain.Kind, error) {
	return func(id string) (domain.Kind, error) {
		if kind, ok := u.kinds[id]; ok {
			return kind, nil
		}
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return "", err
		}
		return n.NodeKind(), nil
	}
}

// putRelation plans writing rel, stored as old: moved into or out of current answers
// when its standing changes.
func (u *unmerger) putRelation(r kv.Reader, p *plan, old, rel *domain.Relation) error {
	p.changes.relation(rel.ID)
	if rec := layout.EncodeRelation(rel); !slices.Equal(rec, layout.EncodeRelation(old)) {
		return p.putRelation(old, rel, rec, u.endKind(r))
	}
	return nil
}

// followBack gives the original evidence records the grades and retractions their
// copies were given while the merge stood. A retraction that would take the last live
// support of a relation coming back live (copies other standing merges made do not
// count) does not follow; one given to such a copy follows, to be guarded when that
// merge is undone.
func (u *unmerger) followBack(r kv.Reader, p *plan, originals []string, graded map[string]int, withdrawn map[string]*domain.Retraction, live map[string]bool) error {
	support := map[string]int{} // live supporting evidence left, of relations coming back live
	for _, id := range originals {
		grade, regraded := graded[id]
		why := withdrawn[id]
		if !regraded && why == nil {
			continue
		}
		ev, err := layout.ReadEvidence(r, id)
		if err != nil {
			return err
		}
		back := *ev
		if regraded {
			back.Credibility = grade
		}
		switch {
		case why == nil || ev.Retracted != nil:
		case ev.Supports() && live[ev.Subject] && !u.transient[ev.ID]:
			if _, ok := support[ev.Subject]; !ok {
				if support[ev.Subject], err = u.countSupport(r, ev.Subject); err != nil {
					return err
				}
			}
			if support[ev.Subject] > 1 {
				support[ev.Subject]--
				back.Retracted = why
			}
		default: // a claim not coming back live, or a copy whose own undoing guards its original
			back.Retracted = why
		}
		if !slices.Equal(layout.EncodeEvidence(&back), layout.EncodeEvidence(ev)) {
			p.putEvidence(ev, &back)
		}
	}
	return nil
}

// withdrawnAt orders retractions by when they were made, none first.
func withdrawnAt(r *domain.Retraction) int64 {
	if r == nil {
		return 0
	}
	return r.At.UnixNano()
}

// countSupport counts the live supporting evidence of a relation, but for copies
// other standing merges made.
func (u *unmerger) countSupport(r kv.Reader, subject string) (int, error) {
	n := 0
	err := r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(subject)}, func(_, v []byte) error {
		ev, err := layout.DecodeEvidence(v)
		if err == nil && ev.Supports() && !u.transient[ev.ID] {
			n++
		}
		return err
	})
	return n, err
}

// settle plans what becomes of a relation of into that loses the merge's copies: one
// the merge made goes when nothing else was added to it; one left with no live
// supporting evidence of its own is retracted; it leaves the disputed claims when
// only copies disputed it.
func (u *unmerger) settle(r kv.Reader, p *plan, id string, copies map[string]bool, madeByMerge bool) error {
	rel, err := layout.ReadRelation(r, id)
	if err != nil {
		return err
	}
	own, supported, disputed, copyDisputed := 0, false, false, false
	err = r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(id)}, func(_, v []byte) error {
		ev, err := layout.DecodeEvidence(v)
		switch {
		case err != nil:
			return err
		case copies[ev.ID]:
			copyDisputed = copyDisputed || ev.Disputes()
		default:
			own++
			supported = supported || ev.Supports()
			disputed = disputed || ev.Disputes()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if copyDisputed && !disputed {
		p.Delete(layout.DisputedKey(id))
	}
	switch {
	case madeByMerge && own == 0:
		return p.deleteRelation(rel, u.endKind(r))
	case rel.Retracted == nil && !supported:
		withdrawn := *rel
		withdrawn.Retracted = u.why
		return u.putRelation(r, p, rel, &withdrawn)
	}
	return nil
}
