package layout

import (
	"bytes"
	"eventgraph/store/domain"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzRecordCodecRoundTrip encodes nodes, relations and evidence built from arbitrary
// field values, and checks that each decodes to what was encoded.
func FuzzRecordCodecRoundTrip(f *testing.F) {
	f.Add("araghchi", "Abbas Araghchi|Araghchi|عباس عراقچی", "Iran’s foreign minister", "", int64(1749783600), int64(-3600), 23.588, uint8(2), true)
	f.Add("", "", "", "\x00\xff", int64(0), int64(0), 0.0, uint8(0), false)
	f.Add("x", "|", "\n", "quote", int64(-62135596800), int64(50400), math.Inf(-1), uint8(255), true)
	f.Add("rel:1", "a|b|c", "d", "e", int64(1<<40), int64(-1<<40), math.NaN(), uint8(7), false)
	f.Fuzz(func(t *testing.T, id, names, text, quote string, secs, nanos int64, number float64, small uint8, flag bool) {
		if math.IsNaN(number) {
			number = 0 // NaN is not equal to itself; the store refuses it in every field
		}
		name, aliasList, _ := strings.Cut(names, "|")
		var aliases []string // decoded as nil when there are none
		if aliasList != "" {
			aliases = strings.Split(aliasList, "|")
		}
		zoned := fuzzZonedTime(secs, nanos)
		instant := time.Unix(0, nanos^secs).UTC()
		var opt *time.Time
		if flag {
			opt = &zoned
		}
		var retraction *domain.Retraction
		if flag {
			retraction = &domain.Retraction{Reason: text, At: instant, Author: id}
		}
		base := domain.EntityBase{ID: id, Name: name, Aliases: aliases, Description: text}
		var point *domain.Point
		if flag {
			point = &domain.Point{Lat: number, Lon: -number}
		}
		nodes := []domain.Node{
			&domain.Actor{EntityBase: base, Kind: domain.ActorKind(quote), Reliability: domain.Reliability(text)},
			&domain.Place{EntityBase: base, Kind: domain.PlaceKind(quote), Point: point},
			&domain.Event{EntityBase: base, Kind: domain.EventKind(quote), Start: opt, End: &zoned, Precision: domain.Precision(name), Cameo: quote},
			&domain.Topic{EntityBase: base},
			&domain.Position{ID: id, Holder: name, Topic: quote, Stance: domain.Stance(text), Statement: text, StatedAt: &zoned, ValidFrom: opt,
				ValidTo: opt, Cameo: quote, Retracted: retraction},
			&domain.Source{ID: id, Title: name, URL: quote, Publisher: text, PublishedAt: opt, RetrievedAt: &zoned, Language: name,
				Text: text, ContentHash: quote, CopyOf: id},
		}
		for _, n := range nodes {
			got, err := DecodeNode(EncodeNode(n))
			if err != nil || !reflect.DeepEqual(got, n) {
				t.Fatalf("%T round trip: %+v, %v; want %+v", n, got, err, n)
			}
		}
		var validFrom *time.Time
		if flag {
			validFrom = &instant
		}
		validTo := zoned.UTC() // valid times reach beyond what Unix nanoseconds hold
		rel := &domain.Relation{ID: id, Type: domain.RelationType(name), From: text, To: quote, Role: domain.Role(names), ValidFrom: validFrom, ValidTo: &validTo,
			Retracted: retraction}
		if got, err := DecodeRelation(EncodeRelation(rel)); err != nil || !reflect.DeepEqual(got, rel) {
			t.Fatalf("relation round trip: %+v, %v; want %+v", got, err, rel)
		}
		adjacent := &domain.Relation{ID: rel.ID, Type: rel.Type, From: rel.From, To: rel.To}
		if err := DecodeAdjacency(adjacent, EncodeAdjacency(rel)); err != nil || *adjacent.ValidTo != *rel.ValidTo ||
			adjacent.Role != rel.Role || (adjacent.ValidFrom == nil) != (rel.ValidFrom == nil) {
			t.Fatalf("adjacency round trip: %+v, %v; want %+v", adjacent, err, rel)
		}
		start, end := int(secs), int(nanos)
		startAt := &start
		if flag {
			startAt = nil
		}
		ev := &domain.Evidence{ID: id, Subject: name, Source: text, Quote: quote, Start: startAt, End: &end, Prefix: names, Suffix: text,
			AttributedTo: quote, Confidence: number, Method: name, RecordedAt: instant, Note: text,
			Stance: domain.EvidenceStances[int(small)%len(domain.EvidenceStances)], Credibility: int(small) % 7, Retracted: retraction}
		if got, err := DecodeEvidence(EncodeEvidence(ev)); err != nil || !reflect.DeepEqual(got, ev) {
			t.Fatalf("evidence round trip: %+v, %v; want %+v", got, err, ev)
		}
	})
}

// fuzzZonedTime is a node time as seeds give them: within some ten thousand years of
// now, at an offset of up to a day, in UTC when the offset is 0 (as decoding gives it).
func fuzzZonedTime(secs, nanos int64) time.Time {
	const span = 10_000 * 366 * 24 * 3600
	t := time.Unix(secs%span, nanos%1e9)
	offset := int(nanos % (24 * 3600))
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", offset))
}

// FuzzDecodeRecords decodes arbitrary bytes as every kind of record: no panic, and
// whatever decodes re-encodes to bytes that decode to the same record again.
func FuzzDecodeRecords(f *testing.F) {
	at := time.Date(2025, 6, 13, 4, 5, 6, 7, time.FixedZone("", 12600))
	one := 1
	for _, b := range [][]byte{
		EncodeNode(&domain.Actor{EntityBase: domain.EntityBase{ID: "a", Name: "A", Aliases: []string{"B"}}, Kind: domain.ActorPerson}),
		EncodeNode(&domain.Place{EntityBase: domain.EntityBase{ID: "p", Name: "P"}, Kind: domain.PlaceCity, Point: &domain.Point{Lat: 1, Lon: 2}}),
		EncodeNode(&domain.Event{EntityBase: domain.EntityBase{ID: "e", Name: "E"}, Kind: domain.EventWar, Start: &at, Precision: domain.PrecisionDay}),
		EncodeNode(&domain.Position{ID: "o", Holder: "a", Topic: "t", Stance: domain.StanceDemands, Retracted: &domain.Retraction{Reason: "r", At: at}}),
		EncodeNode(&domain.Source{ID: "s", Title: "S", Text: "Text.", Language: "en"}),
		[]byte(`A{"id":"witkoff","name":"Steve Witkoff","aliases":["Witkoff"],"kind":"PERSON"}`),
		[]byte(`E{"id":"e","name":"E","kind":"WAR","start":"2025-06-13T03:00:00+03:30","precision":"DAY"}`),
		EncodeRelation(&domain.Relation{ID: "rel:1", Type: domain.RelAlliedWith, From: "a", To: "b", ValidFrom: &at, Retracted: &domain.Retraction{Reason: "r"}}),
		EncodeAdjacency(&domain.Relation{Role: domain.RoleHost, ValidTo: &at}),
		EncodeEvidence(&domain.Evidence{ID: "ev:1", Subject: "rel:1", Source: "s", Quote: "q", Start: &one, End: &one, Stance: domain.EvidenceDisputes}),
		{}, {'T', 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, err := DecodeNode(b); err == nil {
			again := EncodeNode(n)
			if m, err := DecodeNode(again); err != nil || !bytes.Equal(EncodeNode(m), again) {
				t.Fatalf("node %+v re-encodes to %x, which decodes to %+v, %v", n, again, m, err)
			}
		}
		if rel, err := DecodeRelation(b); err == nil {
			again := EncodeRelation(rel)
			if r2, err := DecodeRelation(again); err != nil || !reflect.DeepEqual(r2, rel) {
				t.Fatalf("relation %+v re-encodes to %x, which decodes to %+v, %v", rel, again, r2, err)
			}
		}
		if ev, err := DecodeEvidence(b); err == nil {
			again := EncodeEvidence(ev)
			if e2, err := DecodeEvidence(again); err != nil || !bytes.Equal(EncodeEvidence(e2), again) {
				t.Fatalf("evidence %+v re-encodes to %x, which decodes to %+v, %v", ev, again, e2, err)
			}
		}
		DecodeAdjacency(&domain.Relation{}, b)
	})
}
