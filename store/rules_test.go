package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// TestFieldRules checks the rules on what items say about themselves, each refused
// with the item, field and message that name the problem.
func TestFieldRules(t *testing.T) {
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, baseBatch())
	june, may := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	actor := func(aliases ...string) *store.Batch {
		return &store.Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman", Aliases: aliases}, Kind: domain.ActorState}}}
	}
	event := func(e domain.Event) *store.Batch {
		e.EntityBase = domain.EntityBase{ID: "talks", Name: "Muscat talks"}
		e.Kind = domain.EventNegotiation
		return &store.Batch{Nodes: []domain.Node{&e}}
	}
	evidence := func(occurrence int) *store.Batch {
		rel, ev := participation("witkoff", "Witkoff", occurrence)
		return &store.Batch{Relations: []domain.Relation{rel}, Evidence: []domain.Evidence{ev}}
	}
	for _, c := range []struct {
		name                 string
		batch                *store.Batch
		item, field, message string
	}{
		{"missing id", &store.Batch{Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{Name: "T"}}}},
			"nodes[0]", "id", "is required"},
		{"missing name", &store.Batch{Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{ID: "t"}}}},
			"nodes[0]", "name", "is required"},
		{"empty alias", actor("Sultanate", ""), "nodes[0]", "aliases[1]", "is empty"},
		{"repeated alias", actor("Sultanate", "Muscat", "Sultanate"), "nodes[0]", "aliases[2]", `"Sultanate" is listed twice`},
		{"missing kind", &store.Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "x", Name: "X"}}}},
			"nodes[0]", "kind", "is required"},
		{"latitude", &store.Batch{Nodes: []domain.Node{&domain.Place{EntityBase: domain.EntityBase{ID: "x", Name: "X"}, Kind: domain.PlaceCity, Point: &domain.Point{Lat: -91}}}},
			"nodes[0]", "point.lat", "-91 is outside [-90, 90]"},
		{"longitude", &store.Batch{Nodes: []domain.Node{&domain.Place{EntityBase: domain.EntityBase{ID: "x", Name: "X"}, Kind: domain.PlaceCity, Point: &domain.Point{Lon: 180.5}}}},
			"nodes[0]", "point.lon", "180.5 is outside [-180, 180]"},
		{"event CAMEO code", event(domain.Event{Cameo: "4"}), "nodes[0]", "cameo", `"4" is not a CAMEO code (2 to 4 digits)`},
		{"position CAMEO code", &store.Batch{Nodes: []domain.Node{&domain.Topic{EntityBase: domain.EntityBase{ID: "rights", Name: "Rights"}},
			&domain.Position{ID: "p", Holder: "araghchi", Topic: "rights", Stance: domain.StanceRejects, Cameo: "01234"}}},
			"nodes[1]", "cameo", `"01234" is not a CAMEO code (2 to 4 digits)`},
		{"end before start", event(domain.Event{Start: &june, End: &may}), "nodes[0]", "end", "is before start"},
		{"end without start", event(domain.Event{End: &may}), "nodes[0]", "end", "needs a start"},
		{"precision without start", event(domain.Event{Precision: domain.PrecisionYear}), "nodes[0]", "precision", "must be UNKNOWN when there is no start"},
		{"UNKNOWN precision with start", event(domain.Event{Start: &june, Precision: domain.PrecisionUnknown}), "nodes[0]", "precision", "cannot be UNKNOWN when there is a start"},
		{"unknown precision", event(domain.Event{Start: &june, Precision: "WEEK"}), "nodes[0]", "precision", `"WEEK" is not one of DAY, MONTH, YEAR, UNKNOWN`},
		{"language tag", &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "s", Title: "S", Text: "Text.", Language: "en_GB"}}},
			"nodes[0]", "language", `"en_GB" is not a BCP 47 language tag`},
		{"text not UTF-8", &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "s", Title: "S", Text: "caf\xe9"}}},
			"nodes[0]", "text", "is not valid UTF-8"},
		{"role off PARTICIPATED_IN", &store.Batch{Relations: []domain.Relation{{Type: domain.RelAlliedWith, From: "araghchi", To: "witkoff", Role: domain.RoleHost}}},
			"relations[0]", "role", "only PARTICIPATED_IN relations have a role"},
		{"negative occurrence", evidence(-1), "evidence[0]", "occurrence", "-1 is not a positive number"},
		{"occurrence past the last", evidence(2), "evidence[0]", "occurrence", "occurrence 2 asked for, but the quote occurs only 1 time in the source text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := g.Apply(context.Background(), c.batch)
			var errs domain.Errors
			if !errors.As(err, &errs) || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("Apply = %v, want store.Errors wrapping ErrInvalid", err)
			}
			var invalid []*domain.Error // a relation case is also refused for want of evidence
			for _, e := range errs {
				if e.Kind == domain.ErrInvalid {
					invalid = append(invalid, e)
				}
			}
			if len(invalid) != 1 || invalid[0].Item != c.item || invalid[0].Field != c.field || invalid[0].Message != c.message {
				t.Errorf("Apply = %v, want only %s: %s: %s", err, c.item, c.field, c.message)
			}
		})
	}
	// Valid values of the same fields are taken.
	storetest.MustApply(t, g, actor("Sultanate of Oman"))
	storetest.MustApply(t, g, event(domain.Event{Start: &may, End: &june, Precision: domain.PrecisionMonth, Cameo: "0431"}))
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "s", Title: "S", Text: "Texte.", Language: "fr-CA"}}})
}
