package store_test

import (
	"context"
	"errors"
	"maps"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/storetest"
)

// validateFixture is a small batch; each call returns a fresh copy, as writes fill in
// ids and defaults.
func validateFixture() *store.Batch {
	text := "Oman hosted the talks in Muscat."
	rel := domain.Relation{Type: domain.RelParticipatedIn, From: "oman", To: "talks", Role: domain.RoleHost}
	id := domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	start, end := 0, 21
	return &store.Batch{
		Nodes: []domain.Node{
			&domain.Source{ID: "article", Title: "Article", Text: text},
			&domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman"}, Kind: domain.ActorState},
			&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Muscat talks"}, Kind: domain.EventNegotiation},
		},
		Relations: []domain.Relation{rel},
		Evidence:  []domain.Evidence{{Subject: id, Source: "article", Quote: "Oman hosted the talks", Start: &start, End: &end, Confidence: 0.9, Method: "test"}},
	}
}

func validateDump(t *testing.T, s kv.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := s.View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{}, func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestValidate(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)

	t.Run("reports what Import would write, writing nothing", func(t *testing.T) {
		stats, err := g.Validate(ctx, validateFixture())
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.WriteStats{Nodes: 3, Relations: 1, Evidence: 1}); stats != want {
			t.Errorf("Validate = %+v, want %+v", stats, want)
		}
		if d := validateDump(t, g.KV()); len(d) != 0 {
			t.Errorf("Validate wrote %d keys", len(d))
		}
		imported, err := g.Import(ctx, validateFixture())
		if err != nil {
			t.Fatal(err)
		}
		imported.Version = 0
		if imported != stats {
			t.Errorf("Import wrote %+v, Validate said %+v", imported, stats)
		}
	})

	t.Run("an imported batch validates as no change", func(t *testing.T) {
		stats, err := g.Validate(ctx, validateFixture())
		if err != nil || stats != (store.WriteStats{}) {
			t.Errorf("Validate = %+v, %v; want no change", stats, err)
		}
	})

	t.Run("errors as Import's, store unchanged", func(t *testing.T) {
		before := validateDump(t, g.KV())
		b := validateFixture()
		b.Relations[0].To = "nowhere"
		b.Evidence[0].Subject = domain.RelationID(domain.RelParticipatedIn, "oman", "nowhere", domain.RoleHost)
		_, err := g.Validate(ctx, b)
		var errs domain.Errors
		if !errors.As(err, &errs) || !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("Validate = %v, want store.Errors", err)
		}
		if e := errs[0]; e.Item != "relations[0]" || e.Index != 0 || e.Field != "to" {
			t.Errorf("error %+v, want relations[0] field to", e)
		}
		if after := validateDump(t, g.KV()); !maps.Equal(before, after) {
			t.Error("Validate changed the store")
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := g.Validate(cctx, validateFixture()); !errors.Is(err, context.Canceled) {
			t.Errorf("Validate = %v, want context.Canceled", err)
		}
	})
}
