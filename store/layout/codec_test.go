package layout

import (
	"bytes"
	"eventgraph/store/domain"
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
	rels := []*domain.Relation{
		{ID: "rel:1", Type: domain.RelParticipatedIn, From: "iran", To: "june-war", Role: domain.RoleTarget, ValidFrom: &from, ValidTo: &to},
		{ID: "rel:2", Type: domain.RelAlliedWith, From: "israël", To: "united-states"},
		{ID: "rel:3", Type: domain.RelMemberOf, From: "persia", To: "league", ValidFrom: &safavid, ValidTo: &farFuture},
	}
	for _, rel := range rels {
		got, err := DecodeRelation(EncodeRelation(rel))
		if err != nil || !reflect.DeepEqual(got, rel) {
			t.Errorf("relation round trip: %+v, %v; want %+v", got, err, rel)
		}
		fromKey := &domain.Relation{ID: rel.ID, Type: rel.Type, From: rel.From, To: rel.To}
		if err := DecodeAdjacency(fromKey, EncodeAdjacency(rel)); err != nil || !reflect.DeepEqual(fromKey, rel) {
			t.Errorf("adjacency round trip: %+v, %v; want %+v", fromKey, err, rel)
		}
	}
	evs := []*domain.Evidence{
		{ID: "ev:1", Subject: "rel:1", Source: "article", Quote: "Iran’s top diplomat", Start: &start, End: &end,
			Prefix: "« before", Suffix: "after »", AttributedTo: "bbc", Confidence: 0.55, Method: "seed:x.yaml",
			RecordedAt: from, Note: "hedged", Stance: domain.EvidenceSupports, Credibility: 2},
		{ID: "ev:2", Subject: "pos", Source: "s", Quote: "q", Confidence: 1, Method: "api", RecordedAt: to, Stance: domain.EvidenceDisputes},
	}
	for _, ev := range evs {
		got, err := DecodeEvidence(EncodeEvidence(ev))
		if err != nil || !reflect.DeepEqual(got, ev) {
			t.Errorf("evidence round trip: %+v, %v; want %+v", got, err, ev)
		}
	}
	// Records written before evidence had a stance read as supporting and ungraded.
	format1 := EncodeEvidence(evs[1])
	format1 = append([]byte{recordFormat1}, format1[1:len(format1)-2]...)
	if got, err := DecodeEvidence(format1); err != nil || got.Stance != domain.EvidenceSupports || got.Credibility != 0 {
		t.Errorf("a format 1 record decodes as %+v, %v", got, err)
	}
	b := EncodeEvidence(evs[0])
	for n := range len(b) {
		if _, err := DecodeEvidence(b[:n]); err == nil {
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
	nodes := []domain.Node{
		&domain.Actor{EntityBase: domain.EntityBase{ID: "araghchi", Name: "Abbas Araghchi", Aliases: []string{"Araghchi", "عباس عراقچی"}, Description: "Iran’s foreign minister"},
			Kind: domain.ActorPerson, Reliability: domain.ReliabilityB},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "x", Name: "X"}, Kind: domain.ActorState},
		&domain.Place{EntityBase: domain.EntityBase{ID: "muscat", Name: "Muscat"}, Kind: domain.PlaceCity, Point: &domain.Point{Lat: 23.588, Lon: 58.3829}},
		&domain.Place{EntityBase: domain.EntityBase{ID: "sea", Name: "Arabian Sea"}, Kind: domain.PlaceSea},
		&domain.Event{EntityBase: domain.EntityBase{ID: "june-war", Name: "June war"}, Kind: domain.EventWar, Start: &start, End: &end, Precision: domain.PrecisionDay, Cameo: "19"},
		&domain.Event{EntityBase: domain.EntityBase{ID: "old", Name: "Old"}, Kind: domain.EventOther, Start: &ancient, Precision: domain.PrecisionYear},
		&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Talks"}, Kind: domain.EventNegotiation, Precision: domain.PrecisionUnknown},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "missiles", Name: "Ballistic missiles"}},
		&domain.Position{ID: "pos", Holder: "iran", Topic: "missiles", Stance: domain.StanceRulesOut, Statement: "not negotiable",
			StatedAt: &start, ValidFrom: &ancient, ValidTo: &end, Cameo: "0", Retracted: &domain.Retraction{Reason: "misread", At: at, Author: "analyst"}},
		&domain.Position{ID: "pos2", Holder: "us", Topic: "missiles", Stance: domain.StanceDemands},
		&domain.Source{ID: "article", Title: "Talks in Oman", URL: "https://example.org/a", Publisher: "bbc", PublishedAt: &start,
			RetrievedAt: &end, Language: "en", Text: "Muscat …", ContentHash: "sha256:00", CopyOf: "wire"},
	}
	for _, n := range nodes {
		b := EncodeNode(n)
		got, err := DecodeNode(b)
		if err != nil || !reflect.DeepEqual(got, n) {
			t.Errorf("%s round trip: %+v, %v; want %+v", n.NodeID(), got, err, n)
		}
		if got, ok := got.(*domain.Event); ok && got.Start != nil && got.Start.Format(time.RFC3339) != n.(*domain.Event).Start.Format(time.RFC3339) {
			t.Errorf("%s starts at %s, was %s", got.ID, got.Start.Format(time.RFC3339), n.(*domain.Event).Start.Format(time.RFC3339))
		}
		for cut := range len(b) {
			if _, err := DecodeNode(b[:cut]); err == nil {
				t.Fatalf("%s cut to %d of %d bytes decoded without error", n.NodeID(), cut, len(b))
			}
		}
		if _, err := DecodeNode(append(b, 0)); err == nil {
			t.Errorf("%s with a byte too many decoded without error", n.NodeID())
		}
	}
	// Records written as JSON, before the binary encoding, still read.
	legacy := []byte(`A{"id":"witkoff","name":"Steve Witkoff","aliases":["Witkoff"],"kind":"PERSON"}`)
	want := &domain.Actor{EntityBase: domain.EntityBase{ID: "witkoff", Name: "Steve Witkoff", Aliases: []string{"Witkoff"}}, Kind: domain.ActorPerson}
	if got, err := DecodeNode(legacy); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a JSON record decodes as %+v, %v; want %+v", got, err, want)
	}
	legacyEvent := []byte(`E{"id":"e","name":"E","kind":"WAR","start":"2025-06-13T03:00:00+03:30","precision":"DAY"}`)
	if got, err := DecodeNode(legacyEvent); err != nil || !bytes.Equal(EncodeNode(got), EncodeNode(&domain.Event{EntityBase: domain.EntityBase{ID: "e", Name: "E"}, Kind: domain.EventWar, Start: &start, Precision: domain.PrecisionDay})) {
		t.Errorf("a JSON event decodes as %+v, %v, which re-encodes differently from the same event written now", got, err)
	}
}
