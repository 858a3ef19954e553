package store

import (
	"context"
	"errors"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Contested pages through the relations and positions that some evidence disputes, by
// id.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Contested(ctx context.Context, args domain.PageArgs) (domain.Page[domain.Node], error) {
	var page domain.Page[domain.Node]
	err := g.view(ctx, func(r *layout.Snapshot) error {
		prefixes := [][]byte{layout.Disputed()}
		// A claim stays listed while it is live and some live evidence disputes it.
		live := func(_, k []byte) (bool, error) {
			subject := layout.ID(k)
			n, err := layout.ReadNode(r, subject)
			if err != nil || domain.IsRetracted(n) {
				return false, err
			}
			disputed := false
			err = r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(subject)}, func(_, v []byte) error {
				ev, err := layout.DecodeEvidence(v)
				if err == nil && ev.DisputesNow() {
					disputed = true
					return kv.ErrStop
				}
				return err
			})
			return disputed, err
		}
		keys, hasNext, total, err := layout.PageKeys(r, prefixes, args, live)
		if err != nil {
			return err
		}
		for _, k := range keys {
			n, err := layout.ReadNode(r, layout.ID(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, n)
		}
		page.Cursors, page.HasNext, page.Total = layout.Cursors(keys), hasNext, total
		return nil
	})
	return page, err
}

// SetCredibility grades the information in an evidence record on the Admiralty scale
// (1 confirmed … 6 cannot be judged; 0 removes the grade), as a new version of the
// record.
//
// Errors: ErrNotFound when subject has no evidence id; ErrInvalid for a grade outside
// 0–6; ErrConflict when concurrent writers kept colliding.
func (g *Graph) SetCredibility(ctx context.Context, subject, id string, credibility int) (*domain.Evidence, uint64, error) {
	if err := domain.CheckCredibility(credibility); err != nil {
		return nil, 0, err
	}
	var ev *domain.Evidence
	var changed bool
	p, v, err := g.transact(ctx, func(rw kv.ReadWriter, p *plan) error {
		var err error
		ev, err = layout.ReadEvidenceAt(rw, layout.EvidenceKey(subject, id))
		if errors.Is(err, kv.ErrNotFound) {
			return domain.NotFound("%q has no evidence %q", subject, id)
		}
		if err != nil {
			return err
		}
		if changed = ev.Credibility != credibility; !changed {
			return nil
		}
		claim, err := layout.ReadNode(rw, subject)
		if err != nil {
			return err
		}
		old := *ev
		ev.Credibility = credibility
		p.putEvidence(&old, ev)
		p.stats.Evidence++
		return p.changes.claim(rw, claim)
	})
	if err == nil && changed {
		g.published(p, v)
	}
	return ev, v, err
}

// SetReliability grades an actor as a publisher or originator of reports on the
// Admiralty scale ("" removes the grade), as a new version of the actor.
//
// Errors: ErrNotFound when id names no actor; ErrInvalid for an unknown grade;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) SetReliability(ctx context.Context, id string, grade domain.Reliability) (*domain.Actor, uint64, error) {
	var out *domain.Actor
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return nil, err
		}
		a, ok := n.(*domain.Actor)
		if !ok {
			return nil, domain.NotFound("%q is a %s, not an actor", id, n.NodeKind())
		}
		graded := *a
		graded.Reliability = grade
		out = &graded
		return &Batch{Nodes: []domain.Node{out}}, nil
	})
	return out, stats.Version, err
}
