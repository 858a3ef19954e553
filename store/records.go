package store

import (
	"bytes"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/layout"
)

// The plan's writes of records: each writes a record and the keys that index it
// (package layout), and tells every derived index of the change (index.Plan), so that
// no way of writing a record can leave an index behind.

// putNode plans writing n over old (nil when new), updating every index it is in.
func (p *plan) putNode(old, n domain.Node) {
	rec := layout.EncodeNode(n)
	var oldIdx map[string]bool
	if old != nil {
		if bytes.Equal(layout.EncodeNode(old), rec) {
			return
		}
		oldIdx = map[string]bool{}
		for _, k := range layout.NodeIndexKeys(old) {
			oldIdx[string(k)] = true
		}
	}
	p.stats.Nodes++
	p.changes.node(n.NodeID(), n.NodeKind())
	p.Set(layout.NodeKey(n.NodeID()), rec)
	for _, k := range layout.NodeIndexKeys(n) {
		if oldIdx[string(k)] {
			delete(oldIdx, string(k))
			continue
		}
		p.Set(k, nil)
	}
	for k := range oldIdx {
		p.Delete([]byte(k))
	}
	for _, ix := range p.indexes {
		ix.Node(old, n)
	}
}

// removeNode plans deleting an entity's record and everything indexing it; its
// relations must have left first.
func (p *plan) removeNode(n domain.Node) {
	p.Delete(layout.NodeKey(n.NodeID()))
	for _, k := range layout.NodeIndexKeys(n) {
		p.Delete(k)
	}
	for _, ix := range p.indexes {
		ix.Node(n, nil)
	}
	p.changes.node(n.NodeID(), n.NodeKind())
}

// putRelation plans writing rel's record, rec, over old (nil when new) and its
// adjacency keys in the lists its standing puts them in (live or retracted), each
// carrying what the record adds to the key; when its standing changes, they leave the
// other lists. kindOf gives the kinds of its ends.
func (p *plan) putRelation(old, rel *domain.Relation, rec []byte, kindOf index.KindOf) error {
	p.Set(layout.RelationKey(rel.ID), rec)
	out, in := layout.AdjacencyKeys(rel, rel.Retracted != nil)
	adjacency := layout.EncodeAdjacency(rel)
	p.Set(out, adjacency)
	p.Set(in, adjacency)
	if old != nil && (old.Retracted == nil) != (rel.Retracted == nil) {
		gone, goneIn := layout.AdjacencyKeys(rel, rel.Retracted == nil)
		p.Delete(gone)
		p.Delete(goneIn)
	}
	return p.relationChanged(old, rel, kindOf)
}

// deleteRelation plans removing a relation's record and every key indexing it. Its
// evidence must go too.
func (p *plan) deleteRelation(rel *domain.Relation, kindOf index.KindOf) error {
	p.Delete(layout.RelationKey(rel.ID))
	out, in := layout.AdjacencyKeys(rel, rel.Retracted != nil)
	p.Delete(out)
	p.Delete(in)
	p.stats.Relations++
	p.changes.relation(rel.ID)
	return p.relationChanged(rel, nil, kindOf)
}

func (p *plan) relationChanged(old, cur *domain.Relation, kindOf index.KindOf) error {
	for _, ix := range p.indexes {
		if err := ix.Relation(old, cur, kindOf); err != nil {
			return err
		}
	}
	return nil
}

// putEvidence plans writing an evidence record over old (nil when new); a new one is
// also listed by its source and, when it disputes its subject, among the disputed.
func (p *plan) putEvidence(old, ev *domain.Evidence) {
	p.Set(layout.EvidenceKey(ev.Subject, ev.ID), layout.EncodeEvidence(ev))
	if old == nil {
		p.Set(layout.BySourceKey(ev.Source, ev.Subject, ev.ID), nil)
		if ev.Disputes() {
			p.Set(layout.DisputedKey(ev.Subject), nil)
		}
	}
	for _, ix := range p.indexes {
		ix.Evidence(old, ev)
	}
}

// deleteEvidence plans removing an evidence record and every key indexing it.
func (p *plan) deleteEvidence(ev *domain.Evidence) {
	p.Delete(layout.EvidenceKey(ev.Subject, ev.ID))
	p.Delete(layout.BySourceKey(ev.Source, ev.Subject, ev.ID))
	for _, ix := range p.indexes {
		ix.Evidence(ev, nil)
	}
	p.stats.Evidence++
}
