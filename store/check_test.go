package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/storetest"
)

// mustDeleteEvidence removes, beneath the store's rules, the evidence records of
// subject whose ids pass keep == false: the damage a cut-short copy of a data
// directory can hold.
func mustDeleteEvidence(t *testing.T, g *store.Graph, subject string, drop func(evidenceID string) bool) {
	t.Helper()
	prefix := layout.EvidenceOf(subject)
	_, err := g.KV().Update(func(rw kv.ReadWriter) error {
		var doomed [][]byte
		err := rw.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
			if drop(string(k[len(prefix):])) {
				doomed = append(doomed, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range doomed {
			if err == nil {
				err = rw.Delete(k)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckEvidence(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)
	b := baseBatch()
	b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: "rights", Name: "Rights"}},
		&domain.Position{ID: "firm", Holder: "araghchi", Topic: "rights", Stance: domain.StanceRejects})
	witkoff, byName := participation("witkoff", "Witkoff", 0)
	_, inMuscat := participation("witkoff", "Witkoff in Muscat", 0)
	araghchi, met := participation("araghchi", "Araghchi met", 0)
	b.Relations = []domain.Relation{witkoff, araghchi}
	b.Evidence = []domain.Evidence{byName, inMuscat, met,
		{Subject: "firm", Source: "src", Quote: "Iran will stand firm", Confidence: 1, Method: "test"}}
	storetest.MustApply(t, g, b)
	evidenceOf := func(subject string) []*domain.Evidence {
		evs, err := g.Evidence(ctx, []string{subject})
		if err != nil {
			t.Fatal(err)
		}
		return evs[0]
	}
	mustCheck := func(t *testing.T, want *store.UnsupportedError) {
		t.Helper()
		err := g.CheckEvidence(ctx)
		if want == nil {
			if err != nil {
				t.Fatalf("CheckEvidence = %v, want nil", err)
			}
			return
		}
		var got *store.UnsupportedError
		if !errors.As(err, &got) || !errors.Is(err, domain.ErrEvidenceRequired) || !reflect.DeepEqual(got, want) {
			t.Fatalf("CheckEvidence = %#v, want %#v", err, want)
		}
	}

	t.Run("a store written through the store holds", func(t *testing.T) {
		mustCheck(t, nil)
	})
	t.Run("a relation whose only support is retracted", func(t *testing.T) {
		// Retracting one of two supports is allowed; losing the other beneath the
		// store leaves only the retracted one.
		kept := evidenceOf(witkoff.ID)[0].ID
		if _, _, err := g.Retract(ctx, kept, "misread"); err != nil {
			t.Fatal(err)
		}
		mustCheck(t, nil)
		mustDeleteEvidence(t, g, witkoff.ID, func(id string) bool { return id != kept })
		mustCheck(t, &store.UnsupportedError{Count: 1, First: []string{witkoff.ID}})
	})
	t.Run("a relation and a position without evidence", func(t *testing.T) {
		mustDeleteEvidence(t, g, araghchi.ID, func(string) bool { return true })
		mustDeleteEvidence(t, g, "firm", func(string) bool { return true })
		mustCheck(t, &store.UnsupportedError{Count: 3, First: append([]string{"firm"}, slices.Sorted(slices.Values([]string{witkoff.ID, araghchi.ID}))...)})
	})
	t.Run("retracted claims need no support", func(t *testing.T) {
		for _, id := range []string{witkoff.ID, araghchi.ID, "firm"} {
			if _, _, err := g.Retract(ctx, id, "unsupported"); err != nil {
				t.Fatal(err)
			}
		}
		mustCheck(t, nil)
	})
}

// TestCheckEvidenceFollowsAdjacency checks relations a walk reaches through the
// adjacency index after their records and evidence are gone: the first, a middle and
// the last in id order, among relations whose records are whole.
func TestCheckEvidenceFollowsAdjacency(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)
	b := baseBatch()
	var ids []string
	for i := range 7 {
		actor := fmt.Sprintf("actor-%d", i)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: actor, Name: actor}, Kind: domain.ActorPerson})
		rel, ev := participation(actor, "Witkoff", 0)
		b.Relations, b.Evidence = append(b.Relations, rel), append(b.Evidence, ev)
		ids = append(ids, rel.ID)
	}
	storetest.MustApply(t, g, b)
	slices.Sort(ids)
	gone := []string{ids[0], ids[3], ids[6]}
	for _, id := range gone {
		mustDeleteEvidence(t, g, id, func(string) bool { return true })
		if _, err := g.KV().Update(func(rw kv.ReadWriter) error { return rw.Delete(layout.RelationKey(id)) }); err != nil {
			t.Fatal(err)
		}
	}
	var got *store.UnsupportedError
	if err := g.CheckEvidence(ctx); !errors.As(err, &got) || !reflect.DeepEqual(got, &store.UnsupportedError{Count: 3, First: gone}) {
		t.Fatalf("CheckEvidence = %v; want %s named", err, gone)
	}
}
