package analytics

import (
	"errors"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Claims pages through the relations and positions f keeps, together in id order (as
// contested claims are listed: their cursors are keys of one form, layout.ClaimKey).
// Claims are read from the records (relations, positions by kind), or, with
// f.Entity, from the entity's adjacency and the positions it holds or is the topic
// of; their evidence is read only when f has conditions on it, evidenceBatch claims
// at a time with one cursor, and each source it cites once.
//
// Errors: domain.ErrInvalid (in domain.Errors) for a filter Check refuses or a
// malformed cursor; domain.ErrNotFound when f.Entity or f.Publisher names no node.
func Claims(r *layout.Snapshot, f domain.ClaimFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	if err := f.Check(); err != nil {
		return domain.Page[domain.Node]{}, err
	}
	p, err := layout.NewPager(args, [][]byte{layout.Disputed()})
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	if f.Publisher != "" {
		if _, err := layout.ReadNode(r, f.Publisher); err != nil {
			return domain.Page[domain.Node]{}, err
		}
	}
	sources := sourceCache{r: r, known: map[string]*domain.Source{}}
	// pending are claims whose evidence is still to be read, in id order.
	var pending []domain.Node
	judge := func() error {
		ids := make([]string, len(pending))
		for i, claim := range pending {
			ids[i] = claim.NodeID()
		}
		evidence, err := r.ReadEvidenceOf(ids)
		if err != nil {
			return err
		}
		for i, claim := range pending {
			if f.KeepsEvidence(evidence[i], sources.lookup) {
				p.Offer(0, layout.ClaimKey(claim.NodeID()))
			}
			if sources.err != nil {
				return sources.err
			}
		}
		pending = pending[:0]
		return nil
	}
	offer := func(claim domain.Node) error {
		switch {
		case !f.Keeps(claim):
		case !f.OnEvidence():
			p.Offer(0, layout.ClaimKey(claim.NodeID()))
		case len(pending) == evidenceBatch-1:
			pending = append(pending, claim)
			return judge()
		default:
			pending = append(pending, claim)
		}
		return nil
	}
	if f.Entity != "" {
		err = eachClaimOf(r, f, offer)
	} else {
		err = eachClaim(r, f, offer)
	}
	if err == nil {
		err = judge()
	}
	if err != nil {
		return domain.Page[domain.Node]{}, err
	}
	keys, hasNext, total := p.Page()
	return layout.NodePage(r, keys, hasNext, total)
}

// evidenceBatch is how many claims' evidence Claims reads at once, with one cursor.
const evidenceBatch = 1024

// eachClaim calls fn with every relation and position of the kinds f wants, in id
// order: relations from their records, and positions, collected first (there are far
// fewer), merged in between.
func eachClaim(r kv.Reader, f domain.ClaimFilter, fn func(domain.Node) error) error {
	var positions []string
	if f.Wants(domain.KindPosition) {
		err := r.Iterate(kv.IterOptions{Prefix: layout.KindPrefix(domain.KindPosition), KeysOnly: true}, func(k, _ []byte) error {
			positions = append(positions, layout.ID(k))
			return nil
		})
		if err != nil {
			return err
		}
	}
	// positionsBefore hands fn the positions not yet handed whose id sorts before id
	// ("": all of them).
	positionsBefore := func(id string) error {
		for len(positions) > 0 && (id == "" || positions[0] < id) {
			n, err := layout.ReadNode(r, positions[0])
			if err != nil {
				return err
			}
			if err := fn(n); err != nil {
				return err
			}
			positions = positions[1:]
		}
		return nil
	}
	if f.Wants(domain.KindRelation) {
		err := r.Iterate(kv.IterOptions{Prefix: layout.Relations()}, func(_, v []byte) error {
			rel, err := layout.DecodeRelation(v)
			if err != nil {
				return err
			}
			if err := positionsBefore(rel.ID); err != nil {
				return err
			}
			return fn(rel)
		})
		if err != nil {
			return err
		}
	}
	return positionsBefore("")
}

// eachClaimOf calls fn with every relation and position of the kinds f wants that
// touch f.Entity, in id order.
//
// Errors: domain.ErrNotFound when f.Entity names no node.
func eachClaimOf(r kv.Reader, f domain.ClaimFilter, fn func(domain.Node) error) error {
	if _, err := layout.ReadNode(r, f.Entity); err != nil {
		return err
	}
	var claims []domain.Node
	if f.Wants(domain.KindRelation) {
		err := layout.EachRelation(r, domain.RelationFilter{Types: f.Types, IncludeRetracted: f.IncludeRetracted}, f.Entity,
			func(_ layout.Step, rel *domain.Relation) error {
				claims = append(claims, rel)
				return nil
			})
		if err != nil {
			return err
		}
	}
	if f.Wants(domain.KindPosition) {
		for _, prefix := range [][]byte{layout.HeldBy(f.Entity), layout.OnTopic(f.Entity)} {
			err := r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
				n, err := layout.ReadNode(r, layout.ID(k))
				claims = append(claims, n)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	byID := func(a, b domain.Node) int { return strings.Compare(a.NodeID(), b.NodeID()) }
	slices.SortFunc(claims, byID)
	// A relation from the entity to itself is listed both ways.
	for _, claim := range slices.CompactFunc(claims, func(a, b domain.Node) bool { return byID(a, b) == 0 }) {
		if err := fn(claim); err != nil {
			return err
		}
	}
	return nil
}

// sourceCache looks sources up for domain.Corroborate, each once per list: many claims
// cite the same few sources. A read that fails is kept in err (a source
// not found is only unknown).
type sourceCache struct {
	r     kv.Reader
	known map[string]*domain.Source
	err   error
}

func (c *sourceCache) lookup(id string) *domain.Source {
	if s, ok := c.known[id]; ok {
		return s
	}
	n, err := layout.ReadNode(c.r, id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		c.err = err
		return nil
	}
	s, _ := n.(*domain.Source)
	c.known[id] = s
	return s
}
