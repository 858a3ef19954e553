package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Retract withdraws the relation, position or evidence record id for reason: a new
// version of the record says who withdrew it, when and why. It leaves current answers
// (walks, pages, counts, corroboration, stances, exports) and stays in history and
// where includeRetracted asks for it. Evidence that is a live claim's last support
// cannot be retracted: retract the claim, or add evidence first.
//
// Errors: ErrNotFound when id names none of the three; ErrInvalid when it is already
// retracted, or reason is empty or holds a refused character (see refusedRune);
// ErrEvidenceRequired for a claim's last support;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) Retract(ctx context.Context, id, reason string) (domain.Node, uint64, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, 0, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "reason", Message: "is required"}
	}
	if err := domain.CheckText("reason", reason); err != nil {
		return nil, 0, err
	}
	var out domain.Node
	var changes changeSet
	var deltas int
	seq := g.counters.reserve(g.kv)
	defer g.counters.release(seq)
	v, err := g.kv.Update(func(rw kv.ReadWriter) error {
		changes = changeSet{}
		p := &plan{tally: tally{}, author: Author(ctx)}
		r := &domain.Retraction{Reason: reason, At: g.now(), Author: Author(ctx)}
		var err error
		switch {
		case domain.IsRelationID(id):
			out, err = retractRelation(rw, p, &changes, id, r)
		case domain.IsEvidenceID(id):
			out, err = retractEvidence(rw, p, &changes, id, r)
		default:
			out, err = retractPosition(rw, p, &changes, id, r)
		}
		if err != nil {
			return err
		}
		deltas = g.counters.writeDeltas(p, seq)
		return p.write(rw)
	})
	if err != nil {
		return nil, 0, err
	}
	g.afterApply(deltas)
	g.publish(changes.change(WriteStats{Version: v}))
	return out, v, nil
}

func alreadyRetracted(id string) error {
	return &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "id", Message: fmt.Sprintf("%s is already retracted", id)}
}

// retractRelation moves the relation out of adjacency, counts and valid-time keys.
func retractRelation(r kv.Reader, p *plan, changes *changeSet, id string, why *domain.Retraction) (domain.Node, error) {
	rel, err := layout.ReadRelation(r, id)
	if err != nil {
		return nil, err
	}
	if rel.Retracted != nil {
		return nil, alreadyRetracted(id)
	}
	rel.Retracted = why
	var ends []domain.Node
	err = setStanding(p, rel, func(end string) (domain.Kind, error) {
		n, err := layout.ReadNode(r, end)
		if err != nil {
			return "", err
		}
		ends = append(ends, n)
		return n.NodeKind(), nil
	})
	changes.relation(id, ends...)
	return rel, err
}

// putRelation plans writing rel's record, rec, and its adjacency keys in the lists its
// standing puts them in, each carrying what the record adds to the key.
func putRelation(p *plan, rel *domain.Relation, rec []byte) {
	p.set(layout.RelationKey(rel.ID), rec)
	out, in := layout.AdjacencyKeys(rel, rel.Retracted != nil)
	adjacency := layout.EncodeAdjacency(rel)
	p.set(out, adjacency)
	p.set(in, adjacency)
}

// setStanding plans writing rel and moving it into current answers (Retracted nil) or
// out of them: its adjacency keys between the live lists (o, i) and the retracted ones
// (f, l), its valid-time keys, and its counts by type and in its ends' degrees, whose
// kinds endKind gives.
func setStanding(p *plan, rel *domain.Relation, endKind func(string) (domain.Kind, error)) error {
	gone, goneIn := layout.AdjacencyKeys(rel, rel.Retracted == nil)
	count := int64(1)
	if rel.Retracted != nil {
		count = -1
	}
	putRelation(p, rel, layout.EncodeRelation(rel))
	p.del(gone)
	p.del(goneIn)
	for _, kv := range validTimeKeys(rel) {
		if count > 0 {
			p.set(kv[0], kv[1])
		} else {
			p.del(kv[0])
		}
	}
	p.tally.add(counterRelationType, string(rel.Type), count)
	for _, end := range relationEnds(rel) {
		kind, err := endKind(end)
		if err != nil {
			return err
		}
		p.tally.add(degreeCounter(kind), end, count)
	}
	return nil
}

// retractEvidence withdraws an evidence record, unless it is a live claim's last
// support.
func retractEvidence(r kv.Reader, p *plan, changes *changeSet, id string, why *domain.Retraction) (domain.Node, error) {
	ev, err := layout.ReadEvidence(r, id)
	if err != nil {
		return nil, err
	}
	if ev.Retracted != nil {
		return nil, alreadyRetracted(id)
	}
	subject, err := layout.ReadNode(r, ev.Subject)
	if err != nil {
		return nil, err
	}
	if ev.Supports() && !domain.IsRetracted(subject) {
		others := 0
		err := r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(ev.Subject)}, func(_, v []byte) error {
			o, err := layout.DecodeEvidence(v)
			if err == nil && o.ID != id && o.Supports() {
				others++
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if others == 0 {
			return nil, &domain.Error{Kind: domain.ErrEvidenceRequired, Index: -1, Field: "id",
				Message: fmt.Sprintf("%s is the last evidence supporting %s: retract %s instead, or add evidence first", id, ev.Subject, ev.Subject)}
		}
	}
	ev.Retracted = why
	p.set(layout.EvidenceKey(ev.Subject, id), layout.EncodeEvidence(ev))
	changes.node(subject)
	return ev, nil
}

func retractPosition(r kv.Reader, p *plan, changes *changeSet, id string, why *domain.Retraction) (domain.Node, error) {
	n, err := layout.ReadNode(r, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.NotFound("no relation, position or evidence has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	pos, ok := n.(*domain.Position)
	if !ok {
		return nil, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "id", Message: fmt.Sprintf("%s is a %s: only relations, positions and evidence are retracted", id, n.NodeKind())}
	}
	if pos.Retracted != nil {
		return nil, alreadyRetracted(id)
	}
	withdrawn := *pos
	withdrawn.Retracted = why
	p.putNode(pos, &withdrawn)
	changes.node(&withdrawn)
	return &withdrawn, nil
}
