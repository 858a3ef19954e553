package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Merge makes the entities from one with into: into gains their names as aliases,
// their relations move to into with their evidence (each old relation retracted; a
// new one made, holding whenever the relations it is made from held, or the evidence
// added to the one into already has, whose record stays as it is and whose evidence
// at a span stands for the copy), positions they hold or are about point at into,
// and their ids redirect to into (Node and Nodes follow the redirect). The merge is
// recorded and undone by Unmerge; it builds on the standing merges it involves
// entities of (Merge.After).
//
// Errors: ErrNotFound for an unknown id; ErrInvalid when the entities are not all of
// one kind, into is among from, or from is empty; ErrConflict when concurrent writers
// kept colliding.
func (g *Graph) Merge(ctx context.Context, into string, from []string) (*domain.Merge, uint64, error) {
	if len(from) == 0 || slices.Contains(from, into) {
		return nil, 0, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "from", Message: "name at least one entity other than into"}
	}
	var m *domain.Merge
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		m = &domain.Merge{Into: into, From: slices.Compact(slices.Sorted(slices.Values(from))), At: g.now(), Author: Author(ctx), Format: domain.MergeFormat}
		m.ID = domain.MergeID(into, m.At, m.From)
		target, err := mergeable(r, into, "")
		if err != nil {
			return nil, err
		}
		b := &Batch{}
		m.Before = append(m.Before, layout.EncodeNode(target))
		grown := cloneEntity(target)
		var gone []domain.Entity
		for _, id := range m.From {
			e, err := mergeable(r, id, target.NodeKind())
			if err != nil {
				return nil, err
			}
			m.Before = append(m.Before, layout.EncodeNode(e))
			gone = append(gone, e)
			for _, name := range domain.Names(e) {
				addAlias(grown.Base(), name)
			}
		}
		b.Nodes = append(b.Nodes, grown)
		mv := newMover(r, m)
		for _, e := range gone {
			if err := mv.moveRelations(e.NodeID()); err != nil {
				return nil, err
			}
			if err := mv.movePositions(e.NodeID()); err != nil {
				return nil, err
			}
		}
		b.Nodes = append(b.Nodes, mv.positions...)
		for _, id := range mv.madeOrder {
			b.Relations = append(b.Relations, *mv.made[id])
		}
		b.Evidence = mv.copied
		if m.After, err = dependencies(r, m); err != nil {
			return nil, err
		}
		b.then = func(r kv.Reader, p *plan) error {
			why := &domain.Retraction{Reason: "merged into " + into + " (" + m.ID + ")", At: m.At, Author: m.Author}
			for _, move := range m.Moves {
				if _, err := retractRelation(r, p, move.Old, why); err != nil {
					return err
				}
			}
			for _, e := range gone {
				p.removeNode(e)
				p.Set(layout.RedirectKey(e.NodeID()), layout.EncodeRedirect(m.ID, into))
			}
			return putMerge(p, m)
		}
		return b, nil
	})
	return m, stats.Version, err
}

// mover works out what a merge moves, from a snapshot before it: the relations of the
// merged entities, made again on into or joining relations into has, the evidence
// copied onto them, and the positions re-pointed.
type mover struct {
	r         kv.Reader
	m         *domain.Merge
	merged    map[string]bool
	seen      map[string]bool             // relations already moved (one between two merged entities)
	made      map[string]*domain.Relation // relations the merge makes, by id
	madeOrder []string
	copies    map[string]int    // index in m.Evidence, by evidence id
	copied    []domain.Evidence // the copies' records
	positions []domain.Node
}

func newMover(r kv.Reader, m *domain.Merge) *mover {
	merged := map[string]bool{}
	for _, id := range m.From {
		merged[id] = true
	}
	return &mover{r: r, m: m, merged: merged, seen: map[string]bool{}, made: map[string]*domain.Relation{}, copies: map[string]int{}}
}

// end is where a relation's end goes: into for a merged entity.
func (mv *mover) end(id string) string {
	if mv.merged[id] {
		return mv.m.Into
	}
	return id
}

// moveRelations moves the live relations of the merged entity id.
func (mv *mover) moveRelations(id string) error {
	return layout.EachStep(mv.r, domain.RelationFilter{}, id, func(s layout.Step) error {
		if mv.seen[s.Relation] {
			return nil
		}
		mv.seen[s.Relation] = true
		rel, err := layout.ReadRelation(mv.r, s.Relation)
		if err != nil {
			return err
		}
		move := domain.RelationMove{Old: rel.ID}
		if from, to := mv.end(rel.From), mv.end(rel.To); from != to {
			moved := *rel
			moved.From, moved.To = from, to
			moved.ID = domain.RelationID(moved.Type, moved.From, moved.To, moved.Role)
			move.New = moved.ID
			if made, ok := mv.made[moved.ID]; ok {
				move.Created = true
				widen(made, &moved)
			} else if _, err := mv.r.Get(layout.RelationKey(moved.ID)); errors.Is(err, kv.ErrNotFound) {
				move.Created = true
				mv.made[moved.ID] = &moved
				mv.madeOrder = append(mv.madeOrder, moved.ID)
			} else if err != nil {
				return err
			}
			if err := mv.copyEvidence(rel.ID, moved.ID); err != nil {
				return err
			}
		}
		mv.m.Moves = append(mv.m.Moves, move)
		return nil
	})
}

// widen makes made, a relation the merge makes from several, hold whenever any of them
// held: the earliest valid start and latest end, an unknown one when any is unknown.
func widen(made, also *domain.Relation) {
	if made.ValidFrom != nil && (also.ValidFrom == nil || also.ValidFrom.Before(*made.ValidFrom)) {
		made.ValidFrom = also.ValidFrom
	}
	if made.ValidTo != nil && (also.ValidTo == nil || also.ValidTo.After(*made.ValidTo)) {
		made.ValidTo = also.ValidTo
	}
}

// copyEvidence copies the live evidence of relation old onto relation onto, leaving out
// spans onto has evidence at already (into's own record, which stays as it is), and
// notes each copy in the merge record.
func (mv *mover) copyEvidence(old, onto string) error {
	return mv.r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(old)}, func(_, v []byte) error {
		ev, err := layout.DecodeEvidence(v)
		if err != nil || ev.Retracted != nil {
			return err
		}
		copied := *ev
		copied.Subject = onto
		copied.ID = domain.EvidenceID(copied.Subject, copied.Source, copied.Start, copied.End, copied.Quote)
		if i, ok := mv.copies[copied.ID]; ok {
			mv.m.Evidence[i].Of = append(mv.m.Evidence[i].Of, ev.ID)
			return nil
		}
		if _, err := mv.r.Get(layout.EvidenceKey(onto, copied.ID)); err == nil {
			return nil
		} else if !errors.Is(err, kv.ErrNotFound) {
			return err
		}
		mv.copies[copied.ID] = len(mv.m.Evidence)
		mv.m.Evidence = append(mv.m.Evidence, domain.EvidenceCopy{ID: copied.ID, Subject: onto, Of: []string{ev.ID}, Credibility: ev.Credibility})
		mv.copied = append(mv.copied, copied)
		return nil
	})
}

// movePositions re-points the positions the merged entity id holds or is about.
func (mv *mover) movePositions(id string) error {
	for _, prefix := range [][]byte{layout.HeldBy(id), layout.OnTopic(id)} {
		err := mv.r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
			n, err := layout.ReadNode(mv.r, layout.ID(k))
			if err != nil {
				return err
			}
			p := n.(*domain.Position)
			mv.m.Positions = append(mv.m.Positions, domain.PositionMove{ID: p.ID, Holder: p.Holder, Topic: p.Topic})
			repointed := *p
			repointed.Holder, repointed.Topic = mv.end(p.Holder), mv.end(p.Topic)
			mv.positions = append(mv.positions, &repointed)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// putMerge plans writing a merge record.
func putMerge(p *plan, m *domain.Merge) error {
	rec, err := json.Marshal(m)
	if err != nil {
		return err
	}
	p.Set(layout.MergeKey(m.ID), rec)
	return nil
}

// getMerge reads a merge record.
func getMerge(r kv.Reader, id string) (*domain.Merge, error) {
	return getRecord[domain.Merge](r, layout.MergeKey(id), "merge", id)
}

// getRecord reads the JSON record of a what at key.
//
// Errors: ErrNotFound, naming what and id, when there is none.
func getRecord[T any](r kv.Reader, key []byte, what, id string) (*T, error) {
	b, err := r.Get(key)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, domain.NotFound("no %s has id %q", what, id)
	}
	if err != nil {
		return nil, err
	}
	var v T
	return &v, json.Unmarshal(b, &v)
}

// eachStandingMerge calls fn with every merge not undone.
func eachStandingMerge(r kv.Reader, fn func(*domain.Merge) error) error {
	return r.Iterate(kv.IterOptions{Prefix: layout.Merges()}, func(_, v []byte) error {
		var m domain.Merge
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if m.Undone != nil {
			return nil
		}
		return fn(&m)
	})
}

// dependencies lists the standing merges m builds on: those whose footprint holds
// into or one of the entities m merges.
func dependencies(r kv.Reader, m *domain.Merge) ([]string, error) {
	var after []string
	err := eachStandingMerge(r, func(o *domain.Merge) error {
		touched, err := footprint(r, o)
		if err != nil {
			return err
		}
		if touched[m.Into] || slices.ContainsFunc(m.From, func(id string) bool { return touched[id] }) {
			after = append(after, o.ID)
		}
		return nil
	})
	return after, err
}

// footprint is the entities a merge's undoing needs as the merge left them: its own
// and those at the other end of the relations it moved.
func footprint(r kv.Reader, m *domain.Merge) (map[string]bool, error) {
	touched := map[string]bool{m.Into: true}
	for _, id := range m.From {
		touched[id] = true
	}
	for _, move := range m.Moves {
		rel, err := layout.ReadRelation(r, move.Old)
		if err != nil {
			return nil, err
		}
		touched[rel.From], touched[rel.To] = true, true
	}
	return touched, nil
}

// mergeable reads an entity taking part in a merge, of kind when kind is given.
func mergeable(r kv.Reader, id string, kind domain.Kind) (domain.Entity, error) {
	n, err := layout.ReadNode(r, id)
	if err != nil {
		return nil, err
	}
	e, ok := n.(domain.Entity)
	if !ok || kind != "" && n.NodeKind() != kind {
		return nil, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "from", Message: fmt.Sprintf("%s is a %s: merge joins entities of one kind", id, n.NodeKind())}
	}
	return e, nil
}

// cloneEntity copies an entity so it can change without changing what was read.
func cloneEntity(e domain.Entity) domain.Entity {
	n, _ := layout.DecodeNode(layout.EncodeNode(e))
	return n.(domain.Entity)
}

// addAlias adds name to b's aliases unless b is already called so.
func addAlias(b *domain.EntityBase, name string) {
	norm := domain.Normalize(name)
	if norm == domain.Normalize(b.Name) || slices.ContainsFunc(b.Aliases, func(a string) bool { return domain.Normalize(a) == norm }) {
		return
	}
	b.Aliases = append(b.Aliases, name)
}
