package ingest

import (
	"slices"
	"strings"
	"testing"

	"eventgraph/store/domain"
)

// TestLocations reads the places of a sentence's mentions:
//   - two place mentions where one reaches into the next, as names of a large graph can
//     ("Gulf of Oman" over "Oman Sea"): no relation between them, and no failure;
//   - an event named with its place ("the US-Iran talks in Muscat") is in the place its
//     name holds, and a place outside any "in" or "at" ("Oman mediated") places nothing;
//   - "the Omani embassy in Rome" places the embassy in Rome though the state's
//     adjective inside the embassy's name is a mention too;
//   - an event that only dates the sentence is where the words right after it say
//     ("since the first round in Muscat"), and a round "set for Muscat" is there;
//   - what a clause opening ", where" after a place tells happened there, and an event
//     "held in" a place is there however long the phrase naming it.
func TestLocations(t *testing.T) {
	place := func(id, name string, kind domain.PlaceKind) *domain.Place {
		return &domain.Place{EntityBase: domain.EntityBase{ID: id, Name: name}, Kind: kind}
	}
	gulf, sea := place("gulf", "Gulf of Oman", domain.PlaceSea), place("sea", "Oman Sea", domain.PlaceSea)
	muscat, omanCountry := place("muscat", "Muscat", domain.PlaceCity), place("oman", "Oman", domain.PlaceCountry)
	embassy, rome := place("embassy", "Omani embassy", domain.PlaceFacility), place("rome", "Rome", domain.PlaceCity)
	talks := &domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "US-Iran talks in Muscat"}, Kind: domain.EventNegotiation}
	arabianSea := place("sea2", "Arabian Sea", domain.PlaceSea)
	shootdown := &domain.Event{EntityBase: domain.EntityBase{ID: "shootdown", Name: "Drone shootdown"}, Kind: domain.EventShootdown}
	oman := &domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman"}, Kind: domain.ActorState}
	for _, c := range []struct {
		text string
		in   []mention
		want []string
	}{
		{"ships in the Gulf of Oman Sea lanes", []mention{{gulf, 13, 25}, {sea, 21, 29}}, nil},
		{"Oman mediated the US-Iran talks in Muscat.", []mention{{omanCountry, 0, 4}, {talks, 18, 41}, {muscat, 35, 41}}, []string{"talks LOCATED_IN muscat"}},
		{"at the Omani embassy in Rome", []mention{{embassy, 7, 20}, {oman, 7, 12}, {rome, 24, 28}}, []string{"embassy LOCATED_IN rome"}},
		{"a position held since the first round in Muscat.", []mention{{talks, 26, 37}, {muscat, 41, 47}}, []string{"talks LOCATED_IN muscat"}},
		{"The third round is set for Muscat next Saturday.", []mention{{talks, 4, 15}, {muscat, 27, 33}}, []string{"talks LOCATED_IN muscat"}},
		{"- April 12, 2025: A first round of indirect talks between Witkoff and Araghchi is held in Muscat.", []mention{{talks, 20, 49}, {muscat, 90, 96}}, []string{"talks LOCATED_IN muscat"}},
		{"The carrier remains in the Arabian Sea, where the Navy said it had shot down a drone.", []mention{{arabianSea, 27, 38}, {shootdown, 67, 76}}, []string{"shootdown LOCATED_IN sea2"}},
	} {
		var got []string
		locations([]rune(c.text), c.in, &held{}, func(from, to domain.Entity, typ domain.RelationType, _ domain.Role) {
			got = append(got, from.NodeID()+" "+string(typ)+" "+to.NodeID())
		})
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
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
