package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"eventgraph/store/kv"
)

// Corroboration says how independently a claim is supported: by how many distinct
// original reports, from how many publishers, first and last seen when. It is computed
// from the evidence as it stands, so it grows as evidence arrives.
type Corroboration struct {
	// Sources counts distinct original reports. A source that declares itself a copy
	// of another (Source.CopyOf: a wire copy, syndication) counts as that other one;
	// evidence a source attributes to someone ("as reported by the BBC") counts as a
	// report of that originator, however many sources repeat it.
	Sources int
	// Publishers counts the distinct publishers of those reports (an originator
	// counts as its own publisher); reports whose publisher is not known add none.
	Publishers int
	// FirstSeen and LastSeen are the earliest and latest times a supporting report was
	// made: its source's publication, or when the evidence was recorded when that is
	// not known.
	FirstSeen, LastSeen *time.Time
}

// MaxCopyHops bounds how far a chain of copies is followed to its original.
const MaxCopyHops = 8

// Corroborate computes the corroboration of a claim from its evidence; source looks up
// the sources it cites (and the sources they copy), nil for one it does not know.
// Disputing and retracted evidence does not corroborate.
func Corroborate(evidence []*Evidence, source func(id string) *Source) Corroboration {
	var c Corroboration
	origins := map[string]bool{}
	publishers := map[string]bool{}
	for _, ev := range evidence {
		if !ev.Supports() {
			continue
		}
		src := source(ev.Source)
		seen := ev.RecordedAt
		if src != nil && src.PublishedAt != nil {
			seen = *src.PublishedAt
		}
		var origin, publisher string
		if ev.AttributedTo != "" {
			origin, publisher = "actor:"+ev.AttributedTo, ev.AttributedTo
		} else {
			root := src
			for hops := 0; root != nil && root.CopyOf != "" && hops < MaxCopyHops; hops++ {
				if next := source(root.CopyOf); next != nil {
					root = next
				} else {
					break
				}
			}
			origin = "source:" + ev.Source
			if root != nil {
				origin, publisher = "source:"+root.ID, root.Publisher
				if root.PublishedAt != nil {
					seen = *root.PublishedAt
				}
			}
		}
		origins[origin] = true
		if publisher != "" {
			publishers[publisher] = true
		}
		if c.FirstSeen == nil || seen.Before(*c.FirstSeen) {
			c.FirstSeen = &seen
		}
		if c.LastSeen == nil || seen.After(*c.LastSeen) {
			c.LastSeen = &seen
		}
	}
	c.Sources, c.Publishers = len(origins), len(publishers)
	return c
}

// Contested pages through the relations and positions that some evidence disputes, by
// id.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Contested(ctx context.Context, args PageArgs) (Page[Node], error) {
	var page Page[Node]
	err := g.view(ctx, func(r kv.Reader) error {
		prefixes := [][]byte{{pDisputed, sep}}
		// A claim stays listed while it is live and some live evidence disputes it.
		live := func(_, k []byte) (bool, error) {
			subject := lastPart(k)
			n, err := getNode(r, subject)
			if err != nil || retracted(n) {
				return false, err
			}
			disputed := false
			err = r.Iterate(kv.IterOptions{Prefix: prefixKey(pEvidence, subject)}, func(_, v []byte) error {
				ev, err := decodeEvidence(v)
				if err == nil && ev.DisputesNow() {
					disputed = true
					return kv.ErrStop
				}
				return err
			})
			return disputed, err
		}
		keys, hasNext, total, err := pageKeys(r, prefixes, args, live)
		if err != nil {
			return err
		}
		for _, k := range keys {
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, n)
		}
		page.Cursors, page.HasNext, page.Total = cursors(keys), hasNext, total
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
func (g *Graph) SetCredibility(ctx context.Context, subject, id string, credibility int) (*Evidence, uint64, error) {
	if credibility < 0 || credibility > 6 {
		return nil, 0, &Error{Kind: ErrInvalid, Index: -1, Field: "credibility", Message: fmt.Sprintf("%d is not a grade from 1 to 6 (0: not graded)", credibility)}
	}
	var ev *Evidence
	var changed bool
	v, err := g.kv.Update(func(rw kv.ReadWriter) error {
		k := key(pEvidence, subject, id)
		b, err := rw.Get(k)
		if errors.Is(err, kv.ErrNotFound) {
			return notFound("%q has no evidence %q", subject, id)
		}
		if err != nil {
			return err
		}
		if ev, err = decodeEvidence(b); err != nil {
			return err
		}
		if changed = ev.Credibility != credibility; !changed {
			return nil
		}
		ev.Credibility = credibility
		if err := rw.Set(k, encodeEvidence(ev)); err != nil {
			return err
		}
		return rw.Set(changeKey, encodeChange(Author(ctx)))
	})
	if err == nil && changed {
		var c changeSet
		switch n, _ := g.Node(ctx, subject); n := n.(type) {
		case *Relation:
			ends, _ := g.Nodes(ctx, []string{n.From, n.To})
			c.relation(n.ID, ends...)
		case *Position:
			c.node(n)
		}
		g.publish(c.change(WriteStats{Evidence: 1, Version: v}))
	}
	return ev, v, err
}

// SetReliability grades an actor as a publisher or originator of reports on the
// Admiralty scale ("" removes the grade), as a new version of the actor.
//
// Errors: ErrNotFound when id names no actor; ErrInvalid for an unknown grade;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) SetReliability(ctx context.Context, id string, grade Reliability) (*Actor, uint64, error) {
	var out *Actor
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		n, err := getNode(r, id)
		if err != nil {
			return nil, err
		}
		a, ok := n.(*Actor)
		if !ok {
			return nil, notFound("%q is a %s, not an actor", id, n.NodeKind())
		}
		graded := *a
		graded.Reliability = grade
		out = &graded
		return &Batch{Nodes: []Node{out}}, nil
	})
	return out, stats.Version, err
}
