package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

func getCandidate(r kv.Reader, id string) (*domain.Candidate, error) {
	return getRecord[domain.Candidate](r, layout.CandidateKey(id), "candidate", id)
}

// putCandidate plans writing c, moving it between status lists.
func (p *plan) putCandidate(old, c *domain.Candidate) error {
	var from []byte
	if old != nil && old.Status != c.Status {
		from = layout.QueueKey(old.Status, c.ID)
	}
	return p.putQueued(layout.CandidateKey(c.ID), c, from, layout.QueueKey(c.Status, c.ID))
}

// putQueued plans writing the JSON record v at key, listed under the queue key queue
// of its review status, and no longer under from (nil when it stays where it was).
func (p *plan) putQueued(key []byte, v any, from, queue []byte) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if from != nil {
		p.Delete(from)
	}
	p.Set(queue, nil)
	p.Set(key, b)
	return nil
}

// checkCandidates plans proposing b's candidates: each gets its derived id and, when
// new to the queue, joins it as pending. One already proposed is left as it is,
// whatever its status, so a rejected candidate stays rejected when its text is ingested
// again. The source must be a source, the ends entities, and the quote the source's
// text at [Start, End) when the source holds its text.
func (c *checker) checkCandidates(b *Batch, p *plan) error {
	now := c.g.now()
	seen := make(map[string]bool, len(b.Candidates))
	for i := range b.Candidates {
		if err := cancelled(c.ctx, i); err != nil {
			return err
		}
		cand := &b.Candidates[i]
		item := fmt.Sprintf("candidates[%d]", i)
		cand.ID = domain.CandidateID(cand.Source, cand.From, cand.To, cand.Start, cand.Stance)
		if cand.Stance != "" {
			if !slices.Contains(domain.Stances, cand.Stance) || cand.Type != "" || cand.Role != "" {
				c.fail(domain.ErrInvalid, item, i, "stance", "a position's candidate has a stance of the schema's and no type or role")
			}
			if _, err := c.ref(item, i, "to", cand.To, domain.KindTopic); err != nil {
				return err
			}
			if !domain.IsProposalID(cand.From) {
				if _, err := c.ref(item, i, "from", cand.From, domain.KindActor); err != nil {
					return err
				}
			}
		}
		if !(cand.Confidence >= 0 && cand.Confidence <= 1) {
			c.fail(domain.ErrInvalid, item, i, "confidence", "%v is outside [0, 1]", cand.Confidence)
			continue // NaN would not even encode
		}
		if _, err := c.ref(item, i, "source", cand.Source, domain.KindSource); err != nil {
			return err
		}
		for field, id := range map[string]string{"from": cand.From, "to": cand.To} {
			if !domain.IsProposalID(id) {
				if _, err := c.ref(item, i, field, id, domain.EntityKinds...); err != nil {
					return err
				}
				continue
			}
			if ok, err := c.proposalKnown(b, id); err != nil {
				return err
			} else if !ok {
				c.fail(domain.ErrInvalid, item, i, field, "names no proposal: %q", id)
			}
		}
		text, err := c.sourceText(cand.Source)
		if err != nil {
			return err
		}
		if text != nil {
			if !text.HoldsAt(cand.Start, cand.End, cand.Quote) {
				c.fail(domain.ErrInvalid, item, i, "quote", "is not the source text at [%d, %d)", cand.Start, cand.End)
			}
		}
		if seen[cand.ID] {
			continue
		}
		seen[cand.ID] = true
		if !c.fresh {
			if _, err := c.r.Get(layout.CandidateKey(cand.ID)); err == nil {
				continue
			} else if !errors.Is(err, kv.ErrNotFound) {
				return err
			}
		}
		cand.Status, cand.ProposedAt = domain.CandidatePending, now
		if err := p.putCandidate(nil, cand); err != nil {
			return err
		}
		for _, end := range []string{cand.From, cand.To} {
			if domain.IsProposalID(end) {
				p.Set(layout.ProposalCandidateKey(end, cand.ID), nil)
			}
		}
		p.stats.Candidates++
	}
	return nil
}

// Candidates pages through the candidates with status, by id.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Candidates(ctx context.Context, status domain.CandidateStatus, args domain.PageArgs) (domain.Page[*domain.Candidate], error) {
	return pageQueue(ctx, g, layout.Queue(status), args, getCandidate)
}

// pageQueue pages through a review queue, reading each record listed under prefix
// with get.
func pageQueue[T any](ctx context.Context, g *Graph, prefix []byte, args domain.PageArgs, get func(kv.Reader, string) (*T, error)) (domain.Page[*T], error) {
	var page domain.Page[*T]
	err := g.view(ctx, func(r *layout.Snapshot) error {
		keys, hasNext, total, err := layout.PageKeys(r, [][]byte{prefix}, args, nil)
		if err != nil {
			return err
		}
		for _, k := range keys {
			v, err := get(r, layout.ID(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, v)
		}
		page.Cursors, page.HasNext, page.Total = layout.Cursors(keys), hasNext, total
		return nil
	})
	return page, err
}

// Accept turns a pending candidate into a relation whose evidence is the candidate's
// sentence, with what the reviewer corrects in rv (see domain.Review): another type,
// role, end, span or confidence. Both in one transaction; it returns the relation. A relation the
// graph holds already gains the evidence.
//
// Errors: ErrNotFound for an unknown candidate; ErrInvalid, naming the field, when it
// is not pending, no type is given or suggested, the ends do not fit the type
// (domain.CheckEnds), a role is given with a type other than PARTICIPATED_IN, the span
// is not a non-empty part of the source's text of at most domain.MaxSpan code points,
// or the relation would break the store's rules; ErrConflict when concurrent writers
// kept colliding.
func (g *Graph) Accept(ctx context.Context, id string, rv domain.Review) (*domain.Relation, uint64, error) {
	var rel *domain.Relation
	var c *domain.Candidate
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		var err error
		if c, err = pendingCandidate(r, id); err != nil {
			return nil, err
		}
		if c.Stance != "" {
			return nil, domain.Invalid("id", "candidate %s is a position (%s); accept it as one (AcceptPosition)", id, c.Stance)
		}
		if rel, err = reviewed(r, c, rv); err != nil {
			return nil, err
		}
		ev, err := reviewedEvidence(r, c, rv)
		if err != nil {
			return nil, err
		}
		ev.Subject, ev.Confidence, ev.Method = rel.ID, *cmp.Or(rv.Confidence, &c.Confidence), "ingest, accepted by "+Author(ctx)
		return &Batch{Relations: []domain.Relation{*rel}, Evidence: []domain.Evidence{ev},
			then: func(_ kv.Reader, p *plan) error {
				done := *c
				done.Status, done.Relation = domain.CandidateAccepted, rel.ID
				return p.putCandidate(c, &done)
			}}, nil
	})
	return rel, stats.Version, err
}

// AcceptPosition turns a pending position candidate into a position: its holder holds
// stance (the candidate's when "") on its topic, with the candidate's sentence as
// evidence at confidence (the candidate's when nil). A position the graph holds already (same holder, topic and
// stance, not retracted) gains the evidence: corroboration grows. It returns the
// position.
//
// Errors: ErrNotFound for an unknown candidate; ErrInvalid, naming the field, when it
// is not pending, not a position's, its holder a proposal not accepted yet, or the
// stance not the schema's; ErrConflict when concurrent writers kept colliding.
func (g *Graph) AcceptPosition(ctx context.Context, id string, stance domain.Stance, confidence *float64) (*domain.Position, uint64, error) {
	var pos *domain.Position
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		c, err := pendingCandidate(r, id)
		if err != nil {
			return nil, err
		}
		if c.Stance == "" {
			return nil, domain.Invalid("id", "candidate %s is a relation; accept it as one (Accept)", id)
		}
		stance = cmp.Or(stance, c.Stance)
		holder, err := acceptedEnd(r, "from", c.From)
		if err != nil {
			return nil, err
		}
		pos = &domain.Position{Holder: holder, Topic: c.To, Stance: stance}
		err = eachPosition(r, layout.HeldBy(holder), func(p *domain.Position) error {
			if p.Topic == c.To && p.Stance == stance && p.Retracted == nil && pos.ID == "" {
				pos = p
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		b := &Batch{}
		if pos.ID == "" {
			if pos.ID, err = freeKey(r, domain.KeyFromName(holder+" "+string(stance)+" "+c.To)); err != nil {
				return nil, err
			}
			b.Nodes = []domain.Node{pos}
		}
		start, end := c.Start, c.End
		b.Evidence = []domain.Evidence{{Subject: pos.ID, Source: c.Source, Quote: c.Quote, Start: &start, End: &end,
			Confidence: *cmp.Or(confidence, &c.Confidence), Method: "ingest, accepted by " + Author(ctx)}}
		b.then = func(_ kv.Reader, p *plan) error {
			done := *c
			done.Status, done.Relation = domain.CandidateAccepted, pos.ID
			return p.putCandidate(c, &done)
		}
		return b, nil
	})
	return pos, stats.Version, err
}

// reviewed is the relation candidate c becomes with the reviewer's type, role and ends.
func reviewed(r kv.Reader, c *domain.Candidate, rv domain.Review) (*domain.Relation, error) {
	rel := &domain.Relation{Type: rv.Type, From: c.From, To: c.To, Role: rv.Role}
	if rel.Type == "" {
		rel.Type = c.Type
	}
	if rel.Type == "" {
		return nil, domain.Invalid("type", "the candidate suggests no type; give one")
	}
	if rv.From != "" {
		rel.From = rv.From
	}
	if rv.To != "" {
		rel.To = rv.To
	}
	for _, end := range []struct {
		field string
		id    *string
	}{{"from", &rel.From}, {"to", &rel.To}} {
		id, err := acceptedEnd(r, end.field, *end.id)
		if err != nil {
			return nil, err
		}
		*end.id = id
	}
	if rel.From == rel.To {
		return nil, domain.Invalid("to", "%q is the from end as well: a relation connects two entities", rel.To)
	}
	var ends [2]domain.Node
	for i, id := range []string{rel.From, rel.To} {
		n, err := layout.ReadNode(r, id)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return nil, err
		}
		ends[i] = n
	}
	if e := domain.CheckEnds(rel.Type, rel.From, ends[0], rel.To, ends[1]); e != nil {
		return nil, e
	}
	switch {
	case rel.Role != "" && rel.Type != domain.RelParticipatedIn:
		return nil, domain.Invalid("role", "%s is a participation's role; a %s relation has none", rel.Role, rel.Type)
	case rel.Role == "" && rel.Type == c.Type:
		rel.Role = c.Role
	}
	if rel.Type == domain.RelParticipatedIn && rel.Role == "" {
		rel.Role = domain.RoleParticipant
	}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	return rel, nil
}

// reviewedEvidence is the evidence of candidate c: its sentence, or the source's text
// at the reviewer's span.
func reviewedEvidence(r kv.Reader, c *domain.Candidate, rv domain.Review) (domain.Evidence, error) {
	start, end := c.Start, c.End
	ev := domain.Evidence{Source: c.Source, Quote: c.Quote, Start: &start, End: &end}
	switch {
	case rv.Start == nil && rv.End == nil:
		return ev, nil
	case rv.Start == nil:
		return ev, domain.Invalid("start", "is needed with end")
	case rv.End == nil:
		return ev, domain.Invalid("end", "is needed with start")
	}
	n, err := layout.ReadNode(r, c.Source)
	if err != nil {
		return ev, err
	}
	src, ok := n.(*domain.Source)
	if !ok || src.Text == "" {
		return ev, domain.Invalid("start", "source %q holds no text to take a quote from", c.Source)
	}
	q, e := domain.NewSourceText(src.Text).Span(*rv.Start, *rv.End)
	if e != nil {
		return ev, e
	}
	ev.Quote, ev.Start, ev.End = q, rv.Start, rv.End
	return ev, nil
}

// Reject marks a pending candidate rejected, with the reviewer's reason.
//
// Errors: ErrNotFound for an unknown candidate; ErrInvalid when it is not pending or
// the reason holds a refused character (see refusedRune); ErrConflict when concurrent
// writers kept colliding.
func (g *Graph) Reject(ctx context.Context, id, reason string) (*domain.Candidate, uint64, error) {
	if err := domain.CheckText("reason", reason); err != nil {
		return nil, 0, err
	}
	var done domain.Candidate
	_, v, err := g.transact(ctx, func(rw kv.ReadWriter, p *plan) error {
		c, err := pendingCandidate(rw, id)
		if err != nil {
			return err
		}
		done = *c
		done.Status, done.Reason = domain.CandidateRejected, reason
		return p.putCandidate(c, &done)
	})
	return &done, v, err
}

// acceptedEnd is a candidate's end as an entity: id itself, or for a proposal the
// entity it became.
//
// Errors: ErrInvalid, naming field, for a proposal not accepted or merged yet.
func acceptedEnd(r kv.Reader, field, id string) (string, error) {
	if !domain.IsProposalID(id) {
		return id, nil
	}
	pr, err := getProposal(r, id)
	if err != nil {
		return "", err
	}
	if pr.Entity == "" {
		return "", domain.Invalid(field, "is the proposed %s %q, which is %s: accept or merge it first", strings.ToLower(string(pr.NodeKind)), pr.Name, pr.Status)
	}
	return pr.Entity, nil
}

func pendingCandidate(r kv.Reader, id string) (*domain.Candidate, error) {
	c, err := getCandidate(r, id)
	if err == nil && c.Status != domain.CandidatePending {
		err = &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "id", Message: fmt.Sprintf("candidate %s is %s, not pending", id, c.Status)}
	}
	return c, err
}

// Mentions pages through the places sources name an entity (MENTIONS evidence), by
// evidence id.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Mentions(ctx context.Context, entity string, args domain.PageArgs) (domain.Page[*domain.Evidence], error) {
	var page domain.Page[*domain.Evidence]
	err := g.view(ctx, func(r *layout.Snapshot) error {
		keys, hasNext, total, err := layout.PageKeys(r, [][]byte{layout.EvidenceOf(entity)}, args, nil)
		if err != nil {
			return err
		}
		page = domain.Page[*domain.Evidence]{Cursors: layout.Cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			b, err := r.Get(k)
			if err != nil {
				return err
			}
			ev, err := layout.DecodeEvidence(b)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, ev)
		}
		return nil
	})
	return page, err
}
