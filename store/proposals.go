package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// maxProposalName bounds a proposed name, in code points: a name, not a sentence.
const maxProposalName = 200

func getProposal(r kv.Reader, id string) (*domain.Proposal, error) {
	return getRecord[domain.Proposal](r, layout.ProposalKey(id), "proposal", id)
}

// putProposal plans writing pr, moving it between status lists.
func (p *plan) putProposal(old, pr *domain.Proposal) error {
	var from []byte
	if old != nil && old.Status != pr.Status {
		from = layout.ProposalQueueKey(old.Status, pr.ID)
	}
	return p.putQueued(layout.ProposalKey(pr.ID), pr, from, layout.ProposalQueueKey(pr.Status, pr.ID))
}

// checkProposals plans proposing b's proposals: each gets its derived id; one new to
// the queue joins it as pending, one pending already gains the mentions and
// suggestions it lacked, and one reviewed already is left as it is. A proposal becomes
// an actor, a place or an event (with a kind of its node kind; an event dated or not);
// its name is text; each mention names a source and, with a span, quotes the source's
// text there; each suggestion is an entity of its node kind.
func (c *checker) checkProposals(b *Batch, p *plan) error {
	now := c.g.now()
	byID := map[string]*domain.Proposal{}
	var order []string
	for i := range b.Proposals {
		if err := cancelled(c.ctx, i); err != nil {
			return err
		}
		pr := &b.Proposals[i]
		item := fmt.Sprintf("proposals[%d]", i)
		if err := c.checkProposal(item, i, pr); err != nil {
			return err
		}
		pr.ID = domain.ProposalID(pr.NodeKind, pr.Name)
		if seen := byID[pr.ID]; seen != nil {
			joinProposal(seen, pr)
			continue
		}
		byID[pr.ID] = pr
		order = append(order, pr.ID)
	}
	for _, id := range order {
		pr := byID[id]
		old, err := c.storedProposal(id)
		if err != nil {
			return err
		}
		switch {
		case old == nil:
			pr.Status, pr.ProposedAt = domain.ProposalPending, now
			p.stats.Proposals++
			if err := p.putProposal(nil, pr); err != nil {
				return err
			}
		case old.Status == domain.ProposalPending:
			joined := *old
			joined.Mentions, joined.SameAs = slices.Clone(old.Mentions), slices.Clone(old.SameAs)
			if joinProposal(&joined, pr) {
				if err := p.putProposal(old, &joined); err != nil {
					return err
				}
			}
			*pr = joined
		default:
			*pr = *old
		}
	}
	return nil
}

// checkProposal reports what is wrong with one proposal of a batch.
func (c *checker) checkProposal(item string, i int, pr *domain.Proposal) error {
	switch pr.NodeKind {
	case domain.KindActor:
		if !slices.Contains(domain.ActorKinds, domain.ActorKind(pr.Kind)) {
			c.fail(domain.ErrInvalid, item, i, "kind", "%q is no actor kind", pr.Kind)
		}
	case domain.KindPlace:
		if !slices.Contains(domain.PlaceKinds, domain.PlaceKind(pr.Kind)) {
			c.fail(domain.ErrInvalid, item, i, "kind", "%q is no place kind", pr.Kind)
		}
	case domain.KindEvent:
		if !slices.Contains(domain.EventKinds, domain.EventKind(pr.Kind)) {
			c.fail(domain.ErrInvalid, item, i, "kind", "%q is no event kind", pr.Kind)
		}
		if !slices.Contains(domain.Precisions, pr.Precision) || (pr.Start == nil) != (pr.Precision == domain.PrecisionUnknown) {
			c.fail(domain.ErrInvalid, item, i, "precision", "an event is dated (start) with a DAY, MONTH or YEAR precision, or undated and UNKNOWN")
		}
	default:
		c.fail(domain.ErrInvalid, item, i, "nodeKind", "a proposal becomes an ACTOR, a PLACE or an EVENT, not %q", pr.NodeKind)
	}
	if pr.NodeKind != domain.KindEvent && (pr.Start != nil || pr.Precision != "") {
		c.fail(domain.ErrInvalid, item, i, "start", "only an event is dated")
	}
	if e := domain.CheckText("name", pr.Name); e != nil {
		c.report(item, i, e)
	}
	if strings.TrimSpace(pr.Name) == "" || utf8.RuneCountInString(pr.Name) > maxProposalName {
		c.fail(domain.ErrInvalid, item, i, "name", "must hold 1 to %d characters", maxProposalName)
	}
	if len(pr.Mentions) == 0 {
		c.fail(domain.ErrEvidenceRequired, item, i, "mentions", "a proposal needs a source naming it")
	}
	for _, m := range pr.Mentions {
		if _, err := c.ref(item, i, "mentions.source", m.Source, domain.KindSource); err != nil {
			return err
		}
		if (m.Start == nil) != (m.End == nil) || m.Start == nil && m.Quote != "" {
			c.fail(domain.ErrInvalid, item, i, "mentions", "a mention has a quote with its start and end, or none of them")
			continue
		}
		if m.Start == nil {
			continue
		}
		text, err := c.sourceText(m.Source)
		if err != nil {
			return err
		}
		if text == nil || !text.HoldsAt(*m.Start, *m.End, m.Quote) {
			c.fail(domain.ErrInvalid, item, i, "mentions.quote", "is not the text of source %s at [%d, %d)", m.Source, *m.Start, *m.End)
		}
	}
	for _, id := range pr.SameAs {
		if _, err := c.ref(item, i, "sameAs", id, pr.NodeKind); err != nil {
			return err
		}
	}
	return nil
}

// storedProposal is the stored proposal with id, or nil.
func (c *checker) storedProposal(id string) (*domain.Proposal, error) {
	if c.fresh {
		return nil, nil
	}
	pr, err := getProposal(c.r, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	return pr, err
}

// proposalKnown reports whether id is a proposal of b or of the store.
func (c *checker) proposalKnown(b *Batch, id string) (bool, error) {
	if slices.ContainsFunc(b.Proposals, func(pr domain.Proposal) bool { return pr.ID == id }) {
		return true, nil
	}
	pr, err := c.storedProposal(id)
	return pr != nil, err
}

// joinProposal adds to into the mentions and suggestions of more it lacks, and its
// longer name; it reports whether into changed.
func joinProposal(into, more *domain.Proposal) bool {
	changed := false
	for _, m := range more.Mentions {
		if !slices.ContainsFunc(into.Mentions, func(o domain.ProposedMention) bool { return sameMention(o, m) }) {
			into.Mentions = append(into.Mentions, m)
			changed = true
		}
	}
	for _, id := range more.SameAs {
		if !slices.Contains(into.SameAs, id) {
			into.SameAs = append(into.SameAs, id)
			changed = true
		}
	}
	return changed
}

func sameMention(a, b domain.ProposedMention) bool {
	return a.Source == b.Source && (a.Start == nil) == (b.Start == nil) && (a.Start == nil || *a.Start == *b.Start && *a.End == *b.End)
}

// Proposals pages through the proposals with status, by id.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Proposals(ctx context.Context, status domain.ProposalStatus, args domain.PageArgs) (domain.Page[*domain.Proposal], error) {
	return pageQueue(ctx, g, layout.ProposalQueue(status), args, getProposal)
}

// Proposal returns the proposal with id.
//
// Errors: ErrNotFound when there is none.
func (g *Graph) Proposal(ctx context.Context, id string) (*domain.Proposal, error) {
	var pr *domain.Proposal
	err := g.view(ctx, func(r *layout.Snapshot) error {
		var err error
		pr, err = getProposal(r, id)
		return err
	})
	return pr, err
}

// ProposalEdit is what a reviewer may change of a proposal on accepting it; zero
// values keep the proposal's.
type ProposalEdit struct {
	ID   string // the entity's id; derived from the name when "" (domain.KeyFromName)
	Name string
	Kind string // an ActorKind or PlaceKind of the proposal's node kind
}

// AcceptProposal makes a pending proposal an entity: an actor or place with its name
// (or edit's), the other spellings sources gave as aliases (a person's surname or
// first name alone aside), and a MENTIONS evidence record for each span naming it; a
// source naming it outside its text (its publisher) gets it as publisher when it has
// none. All in one transaction; it returns the entity.
//
// Errors: ErrNotFound for an unknown proposal; ErrInvalid when it is not pending, the
// edit's id is taken or malformed, or its kind is not one of the node kind's;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) AcceptProposal(ctx context.Context, id string, edit ProposalEdit) (domain.Entity, uint64, error) {
	var entity domain.Entity
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		pr, err := pendingProposal(r, id)
		if err != nil {
			return nil, err
		}
		name, kind := cmp.Or(edit.Name, pr.Name), cmp.Or(edit.Kind, pr.Kind)
		key := edit.ID
		if key == "" {
			if key, err = freeKey(r, domain.KeyFromName(name)); err != nil {
				return nil, err
			}
		} else if _, err := layout.ReadNode(r, key); err == nil {
			return nil, domain.Invalid("id", "%q is taken", key)
		} else if !errors.Is(err, domain.ErrNotFound) {
			return nil, err
		}
		base := domain.EntityBase{ID: key, Name: name, Aliases: spellings(pr, name)}
		switch pr.NodeKind {
		case domain.KindActor:
			entity = &domain.Actor{EntityBase: base, Kind: domain.ActorKind(kind)}
		case domain.KindEvent:
			entity = &domain.Event{EntityBase: base, Kind: domain.EventKind(kind), Start: pr.Start, Precision: pr.Precision}
		default:
			entity = &domain.Place{EntityBase: base, Kind: domain.PlaceKind(kind)}
		}
		b, err := g.proposalBatch(ctx, r, pr, entity)
		if err != nil {
			return nil, err
		}
		b.Nodes = append([]domain.Node{entity}, b.Nodes...)
		b.then = markReviewed(pr, domain.ProposalAccepted, key)
		return b, nil
	})
	return entity, stats.Version, err
}

// MergeProposal makes a pending proposal part of an entity the graph holds, of the same
// node kind: its spellings become the entity's aliases and its spans the entity's
// MENTIONS evidence; a source naming it outside its text (its publisher) gets the
// entity as publisher when it has none. It returns the entity.
//
// Errors: ErrNotFound for an unknown proposal or entity; ErrInvalid when the proposal
// is not pending or the entity is of another node kind; ErrConflict when concurrent
// writers kept colliding.
func (g *Graph) MergeProposal(ctx context.Context, id, into string) (domain.Entity, uint64, error) {
	var entity domain.Entity
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		pr, err := pendingProposal(r, id)
		if err != nil {
			return nil, err
		}
		n, err := layout.ReadNode(r, into)
		if err != nil {
			return nil, err
		}
		e, ok := n.(domain.Entity)
		if !ok || n.NodeKind() != pr.NodeKind {
			return nil, domain.Invalid("into", "%s is a %s; the proposal is a %s", into, n.NodeKind(), pr.NodeKind)
		}
		entity = cloneEntity(e)
		for _, s := range append([]string{pr.Name}, spellings(pr, entity.Base().Name)...) {
			addAlias(entity.Base(), s)
		}
		b, err := g.proposalBatch(ctx, r, pr, entity)
		if err != nil {
			return nil, err
		}
		b.Nodes = append([]domain.Node{entity}, b.Nodes...)
		b.then = markReviewed(pr, domain.ProposalMerged, into)
		return b, nil
	})
	return entity, stats.Version, err
}

// RejectProposal marks a pending proposal rejected, with the reviewer's reason, and with
// it the pending candidates that name it: what is not an entity has no relations. It
// stays rejected when its name is proposed again.
//
// Errors: ErrNotFound for an unknown proposal; ErrInvalid when it is not pending or the
// reason holds a refused character; ErrConflict when concurrent writers kept colliding.
func (g *Graph) RejectProposal(ctx context.Context, id, reason string) (*domain.Proposal, uint64, error) {
	if err := domain.CheckText("reason", reason); err != nil {
		return nil, 0, err
	}
	var done domain.Proposal
	_, v, err := g.transact(ctx, func(rw kv.ReadWriter, p *plan) error {
		pr, err := pendingProposal(rw, id)
		if err != nil {
			return err
		}
		done = *pr
		done.Status, done.Reason = domain.ProposalRejected, reason
		if err := p.putProposal(pr, &done); err != nil {
			return err
		}
		return rw.Iterate(kv.IterOptions{Prefix: layout.ProposalCandidates(id), KeysOnly: true}, func(k, _ []byte) error {
			c, err := getCandidate(rw, layout.ID(k))
			if err != nil || c.Status != domain.CandidatePending {
				return err
			}
			rejected := *c
			rejected.Status, rejected.Reason = domain.CandidateRejected, fmt.Sprintf("names the proposed %q, rejected: %s", pr.Name, reason)
			return p.putCandidate(c, &rejected)
		})
	})
	return &done, v, err
}

// proposalBatch is what accepting or merging pr into entity writes besides the entity:
// a MENTIONS evidence record for each of its spans, and the entity as publisher of the
// sources naming it outside their text that have none.
func (g *Graph) proposalBatch(ctx context.Context, r kv.Reader, pr *domain.Proposal, entity domain.Entity) (*Batch, error) {
	b := &Batch{}
	for _, m := range pr.Mentions {
		if m.Start != nil {
			start, end := *m.Start, *m.End
			b.Evidence = append(b.Evidence, domain.Evidence{Subject: entity.NodeID(), Source: m.Source, Quote: m.Quote, Start: &start, End: &end,
				Stance: domain.EvidenceMentions, Confidence: 1, Method: "ingest, accepted by " + Author(ctx)})
			continue
		}
		if entity.NodeKind() != domain.KindActor {
			continue
		}
		n, err := layout.ReadNode(r, m.Source)
		if err != nil {
			return nil, err
		}
		if src, ok := n.(*domain.Source); ok && src.Publisher == "" {
			published := *src
			published.Publisher = entity.NodeID()
			b.Nodes = append(b.Nodes, &published)
		}
	}
	return b, nil
}

// markReviewed plans marking pr reviewed with status, as entity.
func markReviewed(pr *domain.Proposal, status domain.ProposalStatus, entity string) func(kv.Reader, *plan) error {
	return func(_ kv.Reader, p *plan) error {
		done := *pr
		done.Status, done.Entity = status, entity
		return p.putProposal(pr, &done)
	}
}

// spellings are the other names sources gave pr that stand for it alone: each span's
// text whose normalized form is not name's, nor one word of it (a surname or first
// name alone names someone only beside the full name); none for an event.
func spellings(pr *domain.Proposal, name string) []string {
	if pr.NodeKind == domain.KindEvent {
		return nil // "the talks", "the meeting": what a text calls an event is no name of it
	}
	words := strings.Fields(domain.Normalize(name))
	var out []string
	seen := map[string]bool{domain.Normalize(name): true}
	for _, m := range pr.Mentions {
		n := domain.Normalize(m.Quote)
		if m.Quote == "" || seen[n] || len(strings.Fields(n)) == 1 && slices.Contains(words, n) || !startsUpper(m.Quote) {
			continue
		}
		seen[n] = true
		out = append(out, m.Quote)
	}
	if pr.Name != name && !seen[domain.Normalize(pr.Name)] {
		out = append(out, pr.Name)
	}
	return out
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func pendingProposal(r kv.Reader, id string) (*domain.Proposal, error) {
	pr, err := getProposal(r, id)
	if err == nil && pr.Status != domain.ProposalPending {
		err = domain.Invalid("id", "proposal %s is %s, not pending", id, pr.Status)
	}
	return pr, err
}

// freeKey is key, or key with the first number from 2 that makes it no node's id.
func freeKey(r kv.Reader, key string) (string, error) {
	for n := 1; n <= 100; n++ {
		k := key
		if n > 1 {
			k = fmt.Sprintf("%s-%d", key, n)
		}
		_, err := layout.ReadNode(r, k)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			return k, nil
		case err != nil:
			return "", err
		}
	}
	return "", domain.Invalid("id", "%q and its first hundred numbered forms are taken; give an id", key)
}
