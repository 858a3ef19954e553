package server_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/server"
)

// TestAsOf reads the graph as it was known before and after writes: root fields with
// asOf, nested fields answering from the same moment, two moments in one request, and
// a moment before anything was written.
func TestAsOf(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	beforeWrites := s.moment()
	const upsert = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`
	s.mustQuery(t, upsert, map[string]any{"in": map[string]any{"id": "oman", "name": "Sultanate of Omanwatch", "kind": "STATE"}}, &struct{}{})
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &struct{}{})
	afterWrites := s.moment()

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

	t.Run("Proposals", func(t *testing.T) {
		// The review queue's proposals too: an article ingested after a moment proposes
		// nothing as of that moment.
		before := s.moment()
		var ingested struct {
			Ingest struct{ Proposals []struct{ ID, Name string } }
		}
		s.mustQuery(t, `mutation($a: ArticleInput!) { ingest(article: $a) { proposals { id name } } }`, map[string]any{"a": map[string]any{
			"title": "Tajani", "url": "https://tiber.example/asof", "text": "Italian Foreign Minister Antonio Tajani met Abbas Araghchi in Rome."}}, &ingested)
		i := slices.IndexFunc(ingested.Ingest.Proposals, func(p struct{ ID, Name string }) bool { return p.Name == "Antonio Tajani" })
		if i < 0 {
			t.Fatalf("no proposal of Antonio Tajani: %+v", ingested.Ingest.Proposals)
		}
		id := ingested.Ingest.Proposals[i].ID
		const q = `query($id: ID!, $at: Time) { proposals(asOf: $at) { totalCount } proposal(id: $id, asOf: $at) { id } }`
		var then, now struct {
			Proposals struct{ TotalCount int }
			Proposal  *struct{ ID string }
		}
		s.mustQuery(t, q, map[string]any{"id": id, "at": before}, &then)
		s.mustQuery(t, q, map[string]any{"id": id}, &now)
		if then.Proposal != nil || now.Proposal == nil || now.Proposals.TotalCount <= then.Proposals.TotalCount {
			t.Fatalf("as of before the ingest: %+v; now: %+v", then, now)
		}
	})

	t.Run("MomentsBeyondNanoseconds", func(t *testing.T) {
		// Versions are Unix nanoseconds, which hold the years 1678 to 2262 only; moments
		// on either side of that range, and at its edges, still answer as moments.
		const q = `query($at: Time) { node(id: "oman", asOf: $at) { ... on Actor { name } } actors(asOf: $at) { totalCount } }`
		var now struct{ Actors struct{ TotalCount int } }
		s.mustQuery(t, `{ actors { totalCount } }`, nil, &now)
		for _, tc := range []struct {
			at      string
			visible bool
		}{
			{"0001-01-01T00:00:00Z", false},
			{"1600-01-01T00:00:00Z", false},
			{"1677-09-21T00:12:43.145224191Z", false},
			{"1677-09-21T00:12:43.145224192Z", false},
			{"1969-12-31T23:59:59.999999999Z", false},
			{"1970-01-01T00:00:00Z", false},
			{"1970-01-01T03:00:00+03:00", false},
			{"2262-04-11T23:47:16.854775807Z", true},
			{"2262-04-11T23:47:16.854775808Z", true},
			{"3000-01-01T00:00:00Z", true},
			{"9999-12-31T23:59:59Z", true},
			{"9999-12-31T23:59:59-12:00", true},
		} {
			var data struct {
				Node   *struct{ Name string }
				Actors struct{ TotalCount int }
			}
			s.mustQuery(t, q, map[string]any{"at": tc.at}, &data)
			switch {
			case tc.visible && (data.Node == nil || data.Node.Name != "Sultanate of Omanwatch" || data.Actors.TotalCount != now.Actors.TotalCount):
				t.Errorf("as of %s: %+v, want the graph as it is now (%d actors)", tc.at, data, now.Actors.TotalCount)
			case !tc.visible && (data.Node != nil || data.Actors.TotalCount != 0):
				t.Errorf("as of %s: %+v, want an empty graph", tc.at, data)
			}
		}
	})
}

func TestHistory(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type version struct {
		At, Author, Change string
		Changed            []string
		Record             *string
	}
	history := func(id string, asOf any) []version {
		t.Helper()
		var data struct{ History []version }
		s.mustQuery(t, `query($id: ID!, $asOf: Time) { history(id: $id, asOf: $asOf) { at author change changed record } }`,
			map[string]any{"id": id, "asOf": asOf}, &data)
		return data.History
	}
	seeded := history("oman", nil)
	if len(seeded) != 1 || seeded[0].Change != "CREATED" || seeded[0].Author != "seed:us-iran-oman-talks.yaml" ||
		seeded[0].Record == nil || !strings.Contains(*seeded[0].Record, `"name":"Oman"`) {
		t.Fatalf("history of a seeded actor = %+v", seeded)
	}
	// The moment before the edit is the seed's commit, read from the server: a commit's
	// time is the store's clock, which on TiKV counts PD's milliseconds, so a moment
	// read from this process's clock may fall inside the millisecond of a later commit.
	beforeEdit := seeded[0].At
	s.mustQuery(t, `mutation { upsertActor(input: {id: "oman", name: "Sultanate of Oman", kind: STATE, aliases: ["Oman", "Sultanate of Oman"]}) { id } }`, nil, &struct{}{})
	edited := history("oman", nil)
	if len(edited) != 2 || edited[1].Change != "UPDATED" || edited[1].Author != "api" || strings.Join(edited[1].Changed, ",") != "aliases,description,name" {
		t.Fatalf("history after an edit = %+v", edited)
	}
	if got := history("oman", beforeEdit); len(got) != 1 {
		t.Fatalf("history as of before the edit = %+v", got)
	}

	var rels struct {
		Node struct {
			Relations struct {
				Nodes []struct {
					ID       string
					Evidence []struct{ ID string }
				}
			}
		}
	}
	s.mustQuery(t, `{ node(id: "araghchi") { ... on Actor { relations(first: 1) { nodes { id evidence { id } } } } } }`, nil, &rels)
	rel := rels.Node.Relations.Nodes[0]
	if got := history(rel.ID, nil); len(got) != 1 || got[0].Change != "CREATED" {
		t.Fatalf("history of a relation = %+v", got)
	}
	s.mustQuery(t, `mutation($rel: ID!, $ev: ID!) { setCredibility(subject: $rel, evidence: $ev, credibility: 3) { id } }`,
		map[string]any{"rel": rel.ID, "ev": rel.Evidence[0].ID}, &struct{}{})
	if got := history(rel.Evidence[0].ID, nil); len(got) != 2 || strings.Join(got[1].Changed, ",") != "credibility" || got[1].Author != "api" {
		t.Fatalf("history of graded evidence = %+v", got)
	}
	if got := history("nobody", nil); len(got) != 0 {
		t.Fatalf("history of an unknown id = %+v", got)
	}
}

// mustDumpWithCounts is the graph dump now, with the counts central and aggregates
// keep and what a search for text finds.
func (s *testServer) mustDumpWithCounts(t *testing.T, text string) string {
	t.Helper()
	var data, counts json.RawMessage
	s.mustQuery(t, graphDump, map[string]any{"at": nil}, &data)
	s.mustQuery(t, `query($text: String!) { central(first: 100) { entity { id } degree } aggregates { relationsByType { key count } }
		search(text: $text) { edges { node { id } } } }`, map[string]any{"text": text}, &counts)
	return string(data) + string(counts)
}

// graphDump is everything a client can list, each entity with its relations and their
// evidence: two dumps are equal when the graph answers alike.
const graphDump = `query($at: Time) {
	actors(first: 500, asOf: $at) { nodes { id name aliases relations(first: 500) { nodes { ...rel } } } }
	places(first: 500, asOf: $at) { nodes { id name aliases relations(first: 500) { nodes { ...rel } } } }
	events(first: 500, asOf: $at) { nodes { id name when relations(first: 500) { nodes { ...rel } } } }
	topics(first: 500, asOf: $at) { nodes { id name relations(first: 500) { nodes { ...rel } } } }
	sources(first: 500, asOf: $at) { nodes { id title contentHash } }
	positions(asOf: $at) { id stance holder { id } topic { id } evidence { id quote start end } }
}
fragment rel on Relation { id type from { id } to { id } evidence { id quote start end confidence } }`

func TestAsOfAcrossAnImport(t *testing.T) {
	s := mustStart(t, server.Config{MaxComplexity: 1 << 30}, false)
	dump := func(at any) string {
		t.Helper()
		var data json.RawMessage
		s.mustQuery(t, graphDump, map[string]any{"at": at}, &data)
		return string(data)
	}
	before := dump(nil)
	if !strings.Contains(before, `"araghchi"`) || strings.Count(before, `"ev:`) < 97 {
		t.Fatalf("the dump misses the seed graph: %.300s", before)
	}
	beforeImport := s.moment()
	file := filepath.Join(t.TempDir(), "more.yaml")
	os.WriteFile(file, []byte(`actors:
  - key: wire-desk
    name: Wire Desk
    kind: MEDIA
relations:
  - type: LOCATED_IN
    from: oman
    to: arabian-peninsula
    evidence:
      - source: oman-talks-article
        quote: strategically located on the Arabian Peninsula
        confidence: 0.9
`), 0o644)
	set, err := seed.LoadFiles(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Import(context.Background(), s.graph, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	afterImport := s.moment()
	now := dump(nil)
	if now == before || !strings.Contains(now, "wire-desk") {
		t.Fatal("the import did not show")
	}
	if got := dump(beforeImport); got != before {
		t.Fatalf("as of before the import, the graph differs from what it was:\n%s\nwant\n%s", got, before)
	}
	if got := dump(afterImport); got != now {
		t.Fatalf("as of after the import, the graph differs from now")
	}
}
