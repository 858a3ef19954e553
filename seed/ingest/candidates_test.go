package ingest

import (
	"slices"
	"strings"
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

// TestLocationsOfAPlaceInsideAnEventsName: an event named with its place ("the US-Iran
// talks in Muscat") is in the place its name holds, and a place outside any "in" or
// "at" ("Oman mediated") places nothing.
func TestLocationsOfAPlaceInsideAnEventsName(t *testing.T) {
	runes := []rune("Oman mediated the US-Iran talks in Muscat.")
	talks := &domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "US-Iran talks in Muscat"}, Kind: domain.EventNegotiation}
	muscat := &domain.Place{EntityBase: domain.EntityBase{ID: "muscat", Name: "Muscat"}, Kind: domain.PlaceCity}
	oman := &domain.Place{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman"}, Kind: domain.PlaceCountry}
	in := []mention{{oman, 0, 4}, {talks, 18, 41}, {muscat, 35, 41}}
	var got []string
	locations(runes, in, &held{}, func(from, to domain.Entity, typ domain.RelationType, _ domain.Role) {
		got = append(got, from.NodeID()+" "+string(typ)+" "+to.NodeID())
	})
	if want := []string{"talks LOCATED_IN muscat"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestTimePrepositionOfAVerbsClause: a preposition of time governs an event's noun
// right after it and a verb at the end of its clause ("after a drone was shot down"),
// but not a verb past a comma.
func TestTimePrepositionOfAVerbsClause(t *testing.T) {
	for _, c := range []struct{ text, event, want string }{
		{"The talks came after the strikes.", "strikes", "after"},
		{"The encounter comes weeks after a drone was shot down.", "shot down", "after"},
		{"Weeks later, a drone was shot down.", "shot down", ""},
		{"The envoys met in Muscat.", "met", ""},
	} {
		runes := []rune(c.text)
		start := strings.Index(c.text, c.event)
		e := mention{&domain.Event{EntityBase: domain.EntityBase{ID: "e", Name: c.event}}, start, start + len(c.event)}
		if got := timePreposition(runes, e); got != c.want {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

// TestLocationsOfAPlaceAStateAnchors: "the Omani embassy in Rome" places the embassy in
// Rome though the state's adjective inside the embassy's name is a mention too.
func TestLocationsOfAPlaceAStateAnchors(t *testing.T) {
	runes := []rune("at the Omani embassy in Rome")
	embassy := &domain.Place{EntityBase: domain.EntityBase{ID: "embassy", Name: "Omani embassy"}, Kind: domain.PlaceFacility}
	oman := &domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman"}, Kind: domain.ActorState}
	rome := &domain.Place{EntityBase: domain.EntityBase{ID: "rome", Name: "Rome"}, Kind: domain.PlaceCity}
	in := []mention{{embassy, 7, 20}, {oman, 7, 12}, {rome, 24, 28}}
	var got []string
	locations(runes, in, &held{}, func(from, to domain.Entity, typ domain.RelationType, _ domain.Role) {
		got = append(got, from.NodeID()+" "+string(typ)+" "+to.NodeID())
	})
	if want := []string{"embassy LOCATED_IN rome"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
