package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/index/counters"
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
	p, v, err := g.transact(ctx, func(rw kv.ReadWriter, p *plan) error {
		r := &domain.Retraction{Reason: reason, At: g.now(), Author: Author(ctx)}
		var err error
		switch {
		case domain.IsRelationID(id):
			out, err = retractRelation(rw, p, id, r)
		case domain.IsEvidenceID(id):
			out, err = retractEvidence(rw, p, id, r)
		default:
			out, err = retractPosition(rw, p, id, r)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	g.published(p, v)
	return out, v, nil
}

func alreadyRetracted(id string) error {
	return &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "id", Message: fmt.Sprintf("%s is already retracted", id)}
}

// retractRelation moves the relation out of current answers: out of adjacency, counts
// and valid-time keys.
func retractRelation(r kv.Reader, p *plan, id string, why *domain.Retraction) (domain.Node, error) {
	rel, err := layout.ReadRelation(r, id)
	if err != nil {
		return nil, err
	}
	if rel.Retracted != nil {
		return nil, alreadyRetracted(id)
	}
	old := *rel
	rel.Retracted = why
	kinds := map[string]domain.Kind{}
	var ends []domain.Kind
	for _, end := range counters.RelationEnds(rel) {
		n, err := layout.ReadNode(r, end)
		if err != nil {
			return nil, err
		}
		kinds[end] = n.NodeKind()
		ends = append(ends, n.NodeKind())
	}
	p.changes.relation(id, ends...)
	p.stats.Relations++
	kindOf := func(id string) (domain.Kind, error) { return kinds[id], nil }
	return rel, p.putRelation(&old, rel, layout.EncodeRelation(rel), kindOf)
}

// retractEvidence withdraws an evidence record, unless it is a live claim's last
// support.
func retractEvidence(r kv.Reader, p *plan, id string, why *domain.Retraction) (domain.Node, error) {
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
	old := *ev
	ev.Retracted = why
	p.putEvidence(&old, ev)
	p.stats.Evidence++
	return ev, p.changes.claim(r, subject)
}

func retractPosition(r kv.Reader, p *plan, id string, why *domain.Retraction) (domain.Node, error) {
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
	return &withdrawn, nil
}
