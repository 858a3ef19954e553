// Package soundalike is the soundalike index (package index): every word of every
// entity's names and aliases under its consonant skeleton (domain.Skeleton), so that a
// word spelt another way ("Araqchi", "Bousaidi") finds the name words it may be a
// transliteration of with one prefix read.
package soundalike

import (
	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Index is the soundalike index.
type Index struct{}

// Name, Version and Owns make Index an index.Index.
func (Index) Name() string   { return "soundalike" }
func (Index) Version() int   { return 1 }
func (Index) Owns() [][]byte { return [][]byte{layout.Soundalikes()} }

// Rebuild writes the index from the node records.
func (Index) Rebuild(r kv.Reader, w index.Writer) error {
	return r.Iterate(kv.IterOptions{Prefix: layout.Nodes()}, func(_, v []byte) error {
		n, err := layout.DecodeNode(v)
		if err != nil {
			return err
		}
		for k := range keys(n) {
			if err := w.Set([]byte(k), nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// Plan lists the name words of the entities a write adds or renames, and unlists those
// it removes.
func (Index) Plan(keys index.Keys) index.Plan { return plan{keys} }

type plan struct{ keys index.Keys }

func (plan) Relation(_, _ *domain.Relation, _ index.KindOf) error { return nil }
func (plan) Evidence(_, _ *domain.Evidence)                       {}
func (plan) Finish(index.Commit) (func(), error)                  { return nil, nil }

func (p plan) Node(old, cur domain.Node) {
	had, has := keys(old), keys(cur)
	for k := range had {
		if !has[k] {
			p.keys.Delete([]byte(k))
		}
	}
	for k := range has {
		if !had[k] {
			p.keys.Set([]byte(k), nil)
		}
	}
}

// keys are the index keys of an entity's name words; none for other nodes.
func keys(n domain.Node) map[string]bool {
	out := map[string]bool{}
	if n == nil || !n.NodeKind().IsEntity() {
		return out
	}
	for _, name := range domain.Names(n) {
		for _, w := range domain.Tokens(name) {
			if s := domain.Skeleton(w); s != "" {
				out[string(layout.SoundalikeKey(s, w, n.NodeID()))] = true
			}
		}
	}
	return out
}
