package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"eventgraph/store/kv"
)

// Merge is an entity resolution: the entities From turned out to be Into. It is a
// versioned change that Unmerge reverses.
type Merge struct {
	ID     string     `json:"id"`
	Into   string     `json:"into"`
	From   []string   `json:"from"`
	At     time.Time  `json:"at"`
	Author string     `json:"author"`
	Undone *time.Time `json:"undone,omitempty"`
	// What undoing needs: the entities' records as they were (Into first), the
	// relations moved, the evidence copied onto relations that existed already, and the
	// positions re-pointed.
	Before    [][]byte       `json:"before"` // node records (codec.go)
	Moves     []RelationMove `json:"moves"`
	Copies    []string       `json:"copies,omitempty"` // evidence ids
	Positions []PositionMove `json:"positions,omitempty"`
}

// RelationMove is a relation of a merged entity, retracted, and the relation that took
// its place on the surviving entity ("" when it would have joined the entity to
// itself); Created says the merge made that relation rather than adding evidence to
// one the entity had.
type RelationMove struct {
	Old     string `json:"old"`
	New     string `json:"new,omitempty"`
	Created bool   `json:"created,omitempty"`
}

// PositionMove is a position whose holder or topic a merge changed, as it was before.
type PositionMove struct {
	ID     string `json:"id"`
	Holder string `json:"holder"`
	Topic  string `json:"topic"`
}

// Keys of merges:
//
//	M␀<merge id>     merge record (JSON)
//	R␀<merged id>    redirect: the merge that made the id another entity's, ␀, that entity
const (
	pMerge    = 'M'
	pRedirect = 'R'
)

// Merge makes the entities from one with into: into gains their names as aliases,
// their relations move to into with their evidence (each old relation retracted, a new
// one made, or evidence added to the one into already has), positions they hold or are
// about point at into, and their ids redirect to into (Node and Nodes follow the
// redirect). The merge is recorded and undone by Unmerge.
//
// Errors: ErrNotFound for an unknown id; ErrInvalid when the entities are not all of
// one kind, into is among from, or from is empty; ErrConflict when concurrent writers
// kept colliding.
func (g *Graph) Merge(ctx context.Context, into string, from []string) (*Merge, uint64, error) {
	if len(from) == 0 || slices.Contains(from, into) {
		return nil, 0, &Error{Kind: ErrInvalid, Index: -1, Field: "from", Message: "name at least one entity other than into"}
	}
	var m *Merge
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		m = &Merge{Into: into, From: slices.Compact(slices.Sorted(slices.Values(from))), At: g.now(), Author: Author(ctx)}
		m.ID = "merge:" + digest(append([]string{into, m.At.Format(time.RFC3339Nano)}, m.From...)...)
		target, err := mergeable(r, into, "")
		if err != nil {
			return nil, err
		}
		b := &Batch{}
		m.Before = append(m.Before, encodeNode(target))
		grown := cloneEntity(target)
		merged := map[string]bool{}
		var gone []Entity
		for _, id := range m.From {
			e, err := mergeable(r, id, target.NodeKind())
			if err != nil {
				return nil, err
			}
			m.Before = append(m.Before, encodeNode(e))
			merged[id] = true
			gone = append(gone, e)
			for _, name := range append([]string{e.Base().Name}, e.Base().Aliases...) {
				addAlias(grown.Base(), name)
			}
		}
		b.Nodes = append(b.Nodes, grown)
		end := func(id string) string {
			if merged[id] {
				return into
			}
			return id
		}
		seen := map[string]bool{}
		for _, e := range gone {
			err := RelationFilter{}.eachStep(r, e.NodeID(), func(s step) error {
				if seen[s.relation] {
					return nil
				}
				seen[s.relation] = true
				rel, err := getRelation(r, s.relation)
				if err != nil {
					return err
				}
				moved := *rel
				moved.From, moved.To = end(rel.From), end(rel.To)
				move := RelationMove{Old: rel.ID}
				if moved.From != moved.To {
					moved.ID = RelationID(moved.Type, moved.From, moved.To, moved.Role)
					move.New = moved.ID
					_, err := r.Get(key(pRelation, moved.ID))
					switch {
					case errors.Is(err, kv.ErrNotFound):
						move.Created = true
					case err != nil:
						return err
					}
					b.Relations = append(b.Relations, moved)
					err = r.Iterate(kv.IterOptions{Prefix: prefixKey(pEvidence, rel.ID)}, func(_, v []byte) error {
						ev, err := decodeEvidence(v)
						if err != nil || ev.Retracted != nil {
							return err
						}
						copied := *ev
						copied.Subject = moved.ID
						copied.ID = EvidenceID(copied.Subject, copied.Source, copied.Start, copied.End, copied.Quote)
						if !move.Created {
							m.Copies = append(m.Copies, copied.ID)
						}
						b.Evidence = append(b.Evidence, copied)
						return nil
					})
					if err != nil {
						return err
					}
				}
				m.Moves = append(m.Moves, move)
				return nil
			})
			if err != nil {
				return nil, err
			}
			for _, prefix := range [][]byte{prefixKey(pHolder, e.NodeID()), prefixKey(pTopic, e.NodeID())} {
				err := r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
					n, err := getNode(r, lastPart(k))
					if err != nil {
						return err
					}
					p := n.(*Position)
					m.Positions = append(m.Positions, PositionMove{ID: p.ID, Holder: p.Holder, Topic: p.Topic})
					repointed := *p
					repointed.Holder, repointed.Topic = end(p.Holder), end(p.Topic)
					b.Nodes = append(b.Nodes, &repointed)
					return nil
				})
				if err != nil {
					return nil, err
				}
			}
		}
		b.then = func(r kv.Reader, p *plan) error {
			why := &Retraction{Reason: "merged into " + into + " (" + m.ID + ")", At: m.At, Author: m.Author}
			var changes changeSet
			for _, mv := range m.Moves {
				if _, err := retractRelation(r, p, &changes, mv.Old, why); err != nil {
					return err
				}
			}
			for _, e := range gone {
				removeNode(p, e)
				p.set(key(pRedirect, e.NodeID()), []byte(m.ID+"\x00"+into))
			}
			rec, err := json.Marshal(m)
			if err != nil {
				return err
			}
			p.set(key(pMerge, m.ID), rec)
			return nil
		}
		return b, nil
	})
	return m, stats.Version, err
}

// mergeable reads an entity taking part in a merge, of kind when kind is given.
func mergeable(r kv.Reader, id string, kind Kind) (Entity, error) {
	n, err := getNode(r, id)
	if err != nil {
		return nil, err
	}
	e, ok := n.(Entity)
	if !ok || kind != "" && n.NodeKind() != kind {
		return nil, &Error{Kind: ErrInvalid, Index: -1, Field: "from", Message: fmt.Sprintf("%s is a %s: merge joins entities of one kind", id, n.NodeKind())}
	}
	return e, nil
}

// cloneEntity copies an entity so it can change without changing what was read.
func cloneEntity(e Entity) Entity {
	n, _ := decodeNode(encodeNode(e))
	return n.(Entity)
}

// addAlias adds name to b's aliases unless b is already called so.
func addAlias(b *EntityBase, name string) {
	norm := Normalize(name)
	if norm == Normalize(b.Name) || slices.ContainsFunc(b.Aliases, func(a string) bool { return Normalize(a) == norm }) {
		return
	}
	b.Aliases = append(b.Aliases, name)
}

// removeNode plans deleting an entity's record and everything indexing it; its
// relations must have left first.
func removeNode(p *plan, n Node) {
	p.del(key(pNode, n.NodeID()))
	for _, k := range nodeIndexKeys(n) {
		p.del(k)
	}
	p.putPostings(nodePostings(n), nil)
	p.tally.node(n, nil)
	p.changes.node(n)
}

// redirect returns the entity a merged id now belongs to, or "".
func redirect(r kv.Reader, id string) (string, error) {
	b, err := r.Get(key(pRedirect, id))
	if errors.Is(err, kv.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	_, into, _ := strings.Cut(string(b), "\x00")
	return into, nil
}

// Unmerge undoes a merge: the merged entities come back as they were, with their
// relations and evidence (the very records, withdrawn by the merge and now restored),
// positions point where they did, the surviving entity gets its old names back, and
// what the merge made is retracted. It returns the entities, the surviving one first.
//
// Errors: ErrNotFound for an unknown merge; ErrInvalid for one already undone;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) Unmerge(ctx context.Context, id string) ([]Entity, uint64, error) {
	var out []Entity
	stats, err := g.update(ctx, func(r kv.Reader) (*Batch, error) {
		b, err := r.Get(key(pMerge, id))
		if errors.Is(err, kv.ErrNotFound) {
			return nil, notFound("no merge has id %q", id)
		}
		if err != nil {
			return nil, err
		}
		var m Merge
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		if m.Undone != nil {
			return nil, &Error{Kind: ErrInvalid, Index: -1, Field: "merge", Message: fmt.Sprintf("%s was undone already", id)}
		}
		batch := &Batch{}
		out = out[:0]
		for _, rec := range m.Before {
			n, err := decodeNode(rec)
			if err != nil {
				return nil, err
			}
			batch.Nodes = append(batch.Nodes, n)
			out = append(out, n.(Entity))
		}
		for _, pm := range m.Positions {
			n, err := getNode(r, pm.ID)
			if err != nil {
				return nil, err
			}
			back := *n.(*Position)
			back.Holder, back.Topic = pm.Holder, pm.Topic
			batch.Nodes = append(batch.Nodes, &back)
		}
		batch.then = func(r kv.Reader, p *plan) error {
			at := g.now()
			why := &Retraction{Reason: "unmerged (" + m.ID + ")", At: at, Author: Author(ctx)}
			var changes changeSet
			for _, from := range m.From {
				p.del(key(pRedirect, from))
			}
			kinds := map[string]Kind{}
			for _, e := range out {
				kinds[e.NodeID()] = e.NodeKind()
			}
			for _, mv := range m.Moves {
				if err := restoreRelation(r, p, mv.Old, kinds); err != nil {
					return err
				}
				if mv.Created {
					if _, err := retractRelation(r, p, &changes, mv.New, why); err != nil {
						return err
					}
				}
			}
			for _, ev := range m.Copies {
				if _, err := retractEvidence(r, p, &changes, ev, why); err != nil {
					return err
				}
			}
			m.Undone = &at
			rec, err := json.Marshal(m)
			if err != nil {
				return err
			}
			p.set(key(pMerge, m.ID), rec)
			return nil
		}
		return batch, nil
	})
	return out, stats.Version, err
}

// restoreRelation undoes retractRelation (setStanding back): the very record, back in
// adjacency, counts and valid-time keys. kinds gives the kinds of ends the snapshot does not hold (the
// entities an unmerge brings back).
func restoreRelation(r kv.Reader, p *plan, id string, kinds map[string]Kind) error {
	rel, err := getRelation(r, id)
	if err != nil {
		return err
	}
	if rel.Retracted == nil {
		return nil
	}
	rel.Retracted = nil
	return setStanding(p, rel, func(end string) (Kind, error) {
		if kind, ok := kinds[end]; ok {
			return kind, nil
		}
		n, err := getNode(r, end)
		if err != nil {
			return "", err
		}
		return n.NodeKind(), nil
	})
}
