package ingest

import (
	"testing"

	"eventgraph/store/domain"
)

// TestLocationsOfOverlappingPlaces reads two place mentions where one reaches into the
// next, as names of a large graph can ("Gulf of Oman" over "Oman Sea"): no relation is
// proposed between them, and reading them does not fail.
func TestLocationsOfOverlappingPlaces(t *testing.T) {
	runes := []rune("ships in the Gulf of Oman Sea lanes")
	gulf := &domain.Place{EntityBase: domain.EntityBase{ID: "gulf", Name: "Gulf of Oman"}, Kind: domain.PlaceSea}
	sea := &domain.Place{EntityBase: domain.EntityBase{ID: "sea", Name: "Oman Sea"}, Kind: domain.PlaceSea}
	in := []mention{{gulf, 13, 25}, {sea, 21, 29}}
	var got []string
	locations(runes, in, &held{}, func(from, to domain.Entity, typ domain.RelationType, _ domain.Role) {
		got = append(got, from.NodeID()+" "+string(typ)+" "+to.NodeID())
	})
	if len(got) > 0 {
		t.Errorf("overlapping places proposed %q", got)
	}
}
