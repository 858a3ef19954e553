package server_test

import (
	"testing"
	"time"

	"eventgraph/server"
)

// TestAsOf reads the graph as it was known before and after writes: root fields with
// asOf, nested fields answering from the same moment, two moments in one request, and
// a moment before anything was written.
func TestAsOf(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	beforeWrites := time.Now().UTC().Format(time.RFC3339Nano)
	const upsert = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`
	s.mustQuery(t, upsert, map[string]any{"in": map[string]any{"id": "oman", "name": "Sultanate of Omanwatch", "kind": "STATE"}}, &struct{}{})
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &struct{}{})
	afterWrites := time.Now().UTC().Format(time.RFC3339Nano)

	const q = `query($then: Time) {
		then: node(id: "oman", asOf: $then) { ... on Actor { name relations(types: [LOCATED_IN]) { totalCount } } }
		now: node(id: "oman") { ... on Actor { name relations(types: [LOCATED_IN]) { totalCount } } }
		found: search(text: "Omanwatch", kinds: [ACTOR], asOf: $then) { totalCount }
	}`
	type actor struct {
		Name      string
		Relations struct{ TotalCount int }
	}
	var data struct {
		Then, Now *actor
		Found     struct{ TotalCount int }
	}
	s.mustQuery(t, q, map[string]any{"then": beforeWrites}, &data)
	if data.Then == nil || data.Then.Name != "Oman" || data.Then.Relations.TotalCount != 0 || data.Found.TotalCount != 0 {
		t.Fatalf("as of before the writes: %+v, search %+v", data.Then, data.Found)
	}
	if data.Now == nil || data.Now.Name != "Sultanate of Omanwatch" || data.Now.Relations.TotalCount != 1 {
		t.Fatalf("now: %+v", data.Now)
	}
	s.mustQuery(t, q, map[string]any{"then": afterWrites}, &data)
	if *data.Then != *data.Now || data.Found.TotalCount != 1 {
		t.Fatalf("as of after the writes: %+v, now %+v, search %+v", data.Then, data.Now, data.Found)
	}

	var empty struct {
		Node   *struct{ ID string }
		Actors struct{ TotalCount int }
	}
	s.mustQuery(t, `{ node(id: "oman", asOf: "2000-01-01T00:00:00Z") { id } actors(asOf: "2000-01-01T00:00:00Z") { totalCount } }`, nil, &empty)
	if empty.Node != nil || empty.Actors.TotalCount != 0 {
		t.Fatalf("as of before the seed import: %+v", empty)
	}
	s.mustFail(t, "INVALID_INPUT", `{ node(id: "oman", asOf: "yesterday") { id } }`, nil)
}
