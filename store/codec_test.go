package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"
)

func TestRecordCodecRoundTrips(t *testing.T) {
	from := time.Date(2025, 6, 13, 4, 5, 6, 7, time.UTC)
	to := from.Add(12 * 24 * time.Hour)
	start, end := 0, 1_000_000
	// Outside the years 1678 to 2262 that Unix nanoseconds hold.
	safavid := time.Date(1501, 7, 22, 0, 0, 0, 5, time.UTC)
	farFuture := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	rels := []*Relation{
		{ID: "rel:1", Type: RelParticipatedIn, From: "iran", To: "june-war", Role: RoleTarget, ValidFrom: &from, ValidTo: &to},
		{ID: "rel:2", Type: RelAlliedWith, From: "israël", To: "united-states"},
		{ID: "rel:3", Type: RelMemberOf, From: "persia", To: "league", ValidFrom: &safavid, ValidTo: &farFuture},
	}
	for _, rel := range rels {
		got, err := decodeRelation(encodeRelation(rel))
		if err != nil || !reflect.DeepEqual(got, rel) {
			t.Errorf("relation round trip: %+v, %v; want %+v", got, err, rel)
		}
		fromKey := &Relation{ID: rel.ID, Type: rel.Type, From: rel.From, To: rel.To}
		if err := decodeAdjacency(fromKey, encodeAdjacency(rel)); err != nil || !reflect.DeepEqual(fromKey, rel) {
			t.Errorf("adjacency round trip: %+v, %v; want %+v", fromKey, err, rel)
		}
	}
	evs := []*Evidence{
		{ID: "ev:1", Subject: "rel:1", Source: "article", Quote: "Iran’s top diplomat", Start: &start, End: &end,
			Prefix: "« before", Suffix: "after »", AttributedTo: "bbc", Confidence: 0.55, Method: "seed:x.yaml",
			RecordedAt: from, Note: "hedged", Stance: EvidenceSupports, Credibility: 2},
		{ID: "ev:2", Subject: "pos", Source: "s", Quote: "q", Confidence: 1, Method: "api", RecordedAt: to, Stance: EvidenceDisputes},
	}
	for _, ev := range evs {
		got, err := decodeEvidence(encodeEvidence(ev))
		if err != nil || !reflect.DeepEqual(got, ev) {
			t.Errorf("evidence round trip: %+v, %v; want %+v", got, err, ev)
		}
	}
	// Records written before evidence had a stance read as supporting and ungraded.
	format1 := encodeEvidence(evs[1])
	format1 = append([]byte{recordFormat1}, format1[1:len(format1)-2]...)
	if got, err := decodeEvidence(format1); err != nil || got.Stance != EvidenceSupports || got.Credibility != 0 {
		t.Errorf("a format 1 record decodes as %+v, %v", got, err)
	}
	b := encodeEvidence(evs[0])
	for n := range len(b) {
		if _, err := decodeEvidence(b[:n]); err == nil {
			t.Fatalf("a record cut to %d of %d bytes decoded without error", n, len(b))
		}
	}
}

func TestNodeCodecRoundTrips(t *testing.T) {
	tehran := time.FixedZone("", 3*3600+1800)
	start := time.Date(2025, 6, 13, 3, 0, 0, 0, tehran)
	end := time.Date(2025, 6, 24, 0, 0, 0, 5, time.UTC)
	ancient := time.Date(1501, 7, 22, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	nodes := []Node{
		&Actor{EntityBase: EntityBase{ID: "araghchi", Name: "Abbas Araghchi", Aliases: []string{"Araghchi", "عباس عراقچی"}, Description: "Iran’s foreign minister"},
			Kind: ActorPerson, Reliability: ReliabilityB},
		&Actor{EntityBase: EntityBase{ID: "x", Name: "X"}, Kind: ActorState},
		&Place{EntityBase: EntityBase{ID: "muscat", Name: "Muscat"}, Kind: PlaceCity, Point: &Point{Lat: 23.588, Lon: 58.3829}},
		&Place{EntityBase: EntityBase{ID: "sea", Name: "Arabian Sea"}, Kind: PlaceSea},
		&Event{EntityBase: EntityBase{ID: "june-war", Name: "June war"}, Kind: EventWar, Start: &start, End: &end, Precision: PrecisionDay, Cameo: "19"},
		&Event{EntityBase: EntityBase{ID: "old", Name: "Old"}, Kind: EventOther, Start: &ancient, Precision: PrecisionYear},
		&Event{EntityBase: EntityBase{ID: "talks", Name: "Talks"}, Kind: EventNegotiation, Precision: PrecisionUnknown},
		&Topic{EntityBase: EntityBase{ID: "missiles", Name: "Ballistic missiles"}},
		&Position{ID: "pos", Holder: "iran", Topic: "missiles", Stance: StanceRulesOut, Statement: "not negotiable",
			StatedAt: &start, ValidFrom: &ancient, ValidTo: &end, Cameo: "0", Retracted: &Retraction{Reason: "misread", At: at, Author: "analyst"}},
		&Position{ID: "pos2", Holder: "us", Topic: "missiles", Stance: StanceDemands},
		&Source{ID: "article", Title: "Talks in Oman", URL: "https://example.org/a", Publisher: "bbc", PublishedAt: &start,
			RetrievedAt: &end, Language: "en", Text: "Muscat …", ContentHash: "sha256:00", CopyOf: "wire"},
	}
	for _, n := range nodes {
		b := encodeNode(n)
		got, err := decodeNode(b)
		if err != nil || !reflect.DeepEqual(got, n) {
			t.Errorf("%s round trip: %+v, %v; want %+v", n.NodeID(), got, err, n)
		}
		if got, ok := got.(*Event); ok && got.Start != nil && got.Start.Format(time.RFC3339) != n.(*Event).Start.Format(time.RFC3339) {
			t.Errorf("%s starts at %s, was %s", got.ID, got.Start.Format(time.RFC3339), n.(*Event).Start.Format(time.RFC3339))
		}
		for cut := range len(b) {
			if _, err := decodeNode(b[:cut]); err == nil {
				t.Fatalf("%s cut to %d of %d bytes decoded without error", n.NodeID(), cut, len(b))
			}
		}
		if _, err := decodeNode(append(b, 0)); err == nil {
			t.Errorf("%s with a byte too many decoded without error", n.NodeID())
		}
	}
	// Records written as JSON, before the binary encoding, still read.
	legacy := []byte(`A{"id":"witkoff","name":"Steve Witkoff","aliases":["Witkoff"],"kind":"PERSON"}`)
	want := &Actor{EntityBase: EntityBase{ID: "witkoff", Name: "Steve Witkoff", Aliases: []string{"Witkoff"}}, Kind: ActorPerson}
	if got, err := decodeNode(legacy); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a JSON record decodes as %+v, %v; want %+v", got, err, want)
	}
	legacyEvent := []byte(`E{"id":"e","name":"E","kind":"WAR","start":"2025-06-13T03:00:00+03:30","precision":"DAY"}`)
	if got, err := decodeNode(legacyEvent); err != nil || !bytes.Equal(encodeNode(got), encodeNode(&Event{EntityBase: EntityBase{ID: "e", Name: "E"}, Kind: EventWar, Start: &start, Precision: PrecisionDay})) {
		t.Errorf("a JSON event decodes as %+v, %v, which re-encodes differently from the same event written now", got, err)
	}
}
