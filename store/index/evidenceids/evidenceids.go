// Package evidenceids is the evidence-ids index (package index): every evidence record
// listed by its id alone, so that one can be found (layout.ReadEvidence), retracted or
// shown in history knowing only its id, though records are stored under their subject.
package evidenceids

import (
	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Index is the evidence-ids index.
type Index struct{}

// Name, Version and Owns make Index an index.Index.
func (Index) Name() string   { return "evidence-ids" }
func (Index) Version() int   { return 1 }
func (Index) Owns() [][]byte { return [][]byte{layout.EvidenceIDs()} }

// Rebuild writes the index from the evidence records.
func (Index) Rebuild(r kv.Reader, w index.Writer) error {
	return r.Iterate(kv.IterOptions{Prefix: layout.AllEvidence(), KeysOnly: true}, func(k, _ []byte) error {
		subject, id := layout.EvidenceParts(k)
		return w.Set(layout.EvidenceIDKey(id, subject), nil)
	})
}

// Plan lists the evidence a write adds and unlists what it deletes.
func (Index) Plan(keys index.Keys) index.Plan { return plan{keys} }

type plan struct{ keys index.Keys }

func (plan) Node(_, _ domain.Node)                                {}
func (plan) Relation(_, _ *domain.Relation, _ index.KindOf) error { return nil }
func (plan) Finish(index.Commit) (func(), error)                  { return nil, nil }

func (p plan) Evidence(old, cur *domain.Evidence) {
	switch {
	case old == nil && cur != nil:
		p.keys.Set(layout.EvidenceIDKey(cur.ID, cur.Subject), nil)
	case old != nil && cur == nil:
		p.keys.Delete(layout.EvidenceIDKey(old.ID, old.Subject))
	}
}
