package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// keySet collects the keys an index's rebuild writes.
type keySet map[string]bool

func (s keySet) Set(k, _ []byte) error { s[string(k)] = true; return nil }
func (s keySet) Delete(k []byte) error { delete(s, string(k)); return nil }

// TestIndexesAgreeWithTheirRebuild runs writes of every kind (Apply, Import, Retract,
// SetCredibility, Merge, Unmerge) and then checks every registered index against a
// rebuild of it from the records: what the write path told it (index.Plan) must leave
// the keys a rebuild writes, and no other keys but those it keeps by design (the
// vocabulary never forgets a word; folded counter deltas stay).
func TestIndexesAgreeWithTheirRebuild(t *testing.T) {
	ctx := context.Background()
	g := openGraph(t, memStore(t))
	w := newCounterWorld(6)
	for i := range 6 {
		write := g.Apply
		if i%2 == 1 {
			write = g.Import
		}
		if _, err := write(ctx, w.batch(4)); err != nil {
			t.Fatal(err)
		}
	}
	// A quote in a source whose text is not held is indexed as a text of its own.
	allies := domain.Relation{Type: domain.RelAlliedWith, From: "actor-4", To: "actor-5"}
	allies.ID = domain.RelationID(allies.Type, allies.From, allies.To, "")
	quoted := domain.Evidence{Subject: allies.ID, Source: "wire", Quote: "they are firm allies now", Confidence: 1, Method: "test"}
	if _, err := g.Apply(ctx, &Batch{Nodes: []domain.Node{&domain.Source{ID: "wire", Title: "Wire", URL: "https://wire.example/"}},
		Relations: []domain.Relation{allies}, Evidence: []domain.Evidence{quoted}}); err != nil {
		t.Fatal(err)
	}
	rel := w.rels[0]
	if _, _, err := g.Retract(ctx, domain.RelationID(rel.Type, rel.From, rel.To, ""), "wrong"); err != nil {
		t.Fatal(err)
	}
	quoted.ID = domain.EvidenceID(quoted.Subject, quoted.Source, nil, nil, quoted.Quote)
	if _, _, err := g.SetCredibility(ctx, allies.ID, quoted.ID, 2); err != nil {
		t.Fatal(err)
	}
	undone, _, err := g.Merge(ctx, "actor-6", []string{"actor-5"}) // copies the quote
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Unmerge(ctx, undone.ID); err != nil { // and deletes the copy
		t.Fatal(err)
	}
	if _, _, err := g.Merge(ctx, "actor-2", []string{"actor-3", "actor-7"}); err != nil {
		t.Fatal(err)
	}
	if err := countersOf(g).Upkeep(); err != nil {
		t.Fatal(err)
	}
	kept := [][]byte{layout.Vocabulary(), layout.AllStems(), layout.AllDeltas()}
	isKept := func(k string) bool {
		return slices.ContainsFunc(kept, func(p []byte) bool { return strings.HasPrefix(k, string(p)) })
	}
	err = g.kv.View(kv.Latest, func(r kv.Reader) error {
		for _, ix := range g.indexes {
			rebuilt := keySet{}
			if err := ix.Rebuild(r, rebuilt); err != nil {
				return err
			}
			live := keySet{}
			for _, p := range ix.Owns() {
				err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: true}, func(k, _ []byte) error {
					live[string(k)] = true
					return nil
				})
				if err != nil {
					return err
				}
			}
			if len(rebuilt) == 0 {
				t.Errorf("%s: the rebuild wrote nothing: the writes did not reach it", ix.Name())
			}
			for k := range rebuilt {
				if !live[k] {
					t.Errorf("%s: the writes left out %q", ix.Name(), k)
				}
			}
			for k := range live {
				if !rebuilt[k] && !isKept(k) {
					t.Errorf("%s: the writes left %q, which a rebuild does not write", ix.Name(), k)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFirstWriteStampsEveryIndex: the first write into an empty store, an import or a
// transaction, leaves every derived index's marker, so that opening the store again
// rebuilds nothing.
func TestFirstWriteStampsEveryIndex(t *testing.T) {
	ctx := context.Background()
	for name, write := range map[string]func(*Graph) func(context.Context, *Batch) (WriteStats, error){
		"import": func(g *Graph) func(context.Context, *Batch) (WriteStats, error) { return g.Import },
		"apply":  func(g *Graph) func(context.Context, *Batch) (WriteStats, error) { return g.Apply },
	} {
		t.Run(name, func(t *testing.T) {
			g := openGraph(t, memStore(t))
			if _, err := write(g)(ctx, newCounterWorld(3).batch(3)); err != nil {
				t.Fatal(err)
			}
			err := g.kv.View(kv.Latest, func(r kv.Reader) error {
				for _, ix := range g.indexes {
					if ok, err := index.Current(r, ix.Name(), ix.Version()); err != nil || !ok {
						t.Errorf("index %s is not marked current: %v", ix.Name(), err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
