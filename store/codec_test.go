package store

import (
	"reflect"
	"testing"
	"time"
)

func TestRecordCodecRoundTrips(t *testing.T) {
	from := time.Date(2025, 6, 13, 4, 5, 6, 7, time.UTC)
	to := from.Add(12 * 24 * time.Hour)
	start, end := 0, 1_000_000
	rels := []*Relation{
		{ID: "rel:1", Type: RelParticipatedIn, From: "iran", To: "june-war", Role: RoleTarget, ValidFrom: &from, ValidTo: &to},
		{ID: "rel:2", Type: RelAlliedWith, From: "israël", To: "united-states"},
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
