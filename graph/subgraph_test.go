package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/storetest"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// mustSeededGraph opens a store (storetest.MustSeeded) holding the bundled seed and a relation
// whose evidence covers what the seed leaves out: a validity interval, a role, a
// disputing record with a grade and a note, and a retracted one. seeded is a moment
// between the seed's import and that relation.
func mustSeededGraph(t *testing.T) (g *store.Graph, seeded time.Time) {
	t.Helper()
	ctx := context.Background()
	g = storetest.MustSeeded(t)
	seeded = time.Now()
	time.Sleep(time.Millisecond)
	from, to := time.Date(2025, 4, 12, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rel := store.Relation{Type: store.RelParticipatedIn, From: "oman", To: "muscat-talks", Role: store.RoleHost, ValidFrom: &from, ValidTo: &to}
	rel.ID = store.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	start, end := 47, 59
	b := &store.Batch{
		Nodes:     []store.Node{&store.Source{ID: "wire", Title: "Wire", Text: "Oman hosted the talks. Oman did not host them, said a rival."}},
		Relations: []store.Relation{rel},
		Evidence: []store.Evidence{
			{Subject: rel.ID, Source: "wire", Quote: "Oman hosted the talks.", Confidence: 0.9, Method: "test"},
			{Subject: rel.ID, Source: "wire", Quote: "Oman did not host them", Confidence: 0.25, Method: "test",
				Stance: store.EvidenceDisputes, Credibility: 4, Note: "a rival's word"},
			{Subject: rel.ID, Source: "wire", Quote: "said a rival", Start: &start, End: &end, Confidence: 0.5, Method: "test"},
		},
	}
	if _, err := g.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Retract(ctx, store.EvidenceID(rel.ID, "wire", &start, &end, "said a rival"), "misquoted"); err != nil {
		t.Fatal(err)
	}
	return g, seeded
}

// graphQLServer serves g over loopback HTTP as the server does, with or without
// DirectSubgraphs, counting the Relation and Evidence fields the executor resolves.
func graphQLServer(t *testing.T, g *store.Graph, direct bool) (url string, executed *atomic.Int64) {
	t.Helper()
	schema := Schema(&Resolver{Graph: g})
	h := handler.New(schema)
	h.AddTransport(transport.POST{})
	h.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(WithRequest(ctx, g))
	})
	h.AroundRootFields(AtRootField(g))
	if direct {
		h.AroundRootFields(DirectSubgraphs(schema))
	}
	executed = &atomic.Int64{}
	h.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		if o := graphql.GetFieldContext(ctx).Object; o == "Relation" || o == "Evidence" {
			executed.Add(1)
		}
		return next(ctx)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, executed
}

func mustPost(t *testing.T, url, query string, vars map[string]any) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// everyField selects each field DirectSubgraphs encodes, through aliases, fragments on
// interfaces and concrete types, repeated fields and @skip/@include.
const everyField = `
fragment entity on Entity { __typename id name aliases description }
query($id: ID!, $depth: Int, $limit: Int, $types: [RelationType!], $direction: Direction,
      $from: Time, $to: Time, $asOf: Time, $stance: EvidenceStance, $withNames: Boolean!) {
  graph: neighbourhood(id: $id, depth: $depth, limit: $limit, types: $types, direction: $direction,
                       from: $from, to: $to, asOf: $asOf) {
    __typename truncated
    nodes { ...entity ... on Actor { name @include(if: $withNames) } ... on Event { label: name } }
    relations {
      __typename id type role validFrom validTo
      source: from { id ... on Place { __typename } }
      to { ...entity }
      evidence { __typename id quote start end prefix suffix stance credibility confidence method recordedAt note }
      picked: evidence(stance: $stance, includeRetracted: true) { id quote @skip(if: $withNames) }
      id
    }
    truncated
  }
}`

func TestDirectSubgraphsEncodeAsTheExecutorDoes(t *testing.T) {
	g, seeded := mustSeededGraph(t)
	directURL, direct := graphQLServer(t, g, true)
	executorURL, executor := graphQLServer(t, g, false)
	for _, c := range []struct {
		name     string
		query    string
		vars     map[string]any
		answerer string // "direct", "executor", or "" for an error before any relation
		holds    []string
	}{
		{"every field", everyField, map[string]any{"id": "muscat-talks", "depth": 2, "withNames": false}, "direct",
			[]string{`"role":"HOST","validFrom":"2025-04-12T00:00:00Z","validTo":"2025-05-01T00:00:00Z"`,
				`"stance":"DISPUTES","credibility":4,"confidence":0.25`, `"note":"a rival's word"`, `"quote":"said a rival"`}},
		{"filtered", everyField, map[string]any{"id": "oman", "depth": 2, "types": []string{"PARTICIPATED_IN", "LOCATED_IN"},
			"direction": "OUT", "from": "2025-04-01T00:00:00Z", "to": "2025-06-01T00:00:00Z", "stance": "DISPUTES", "withNames": true}, "direct", []string{`"picked":[{"id":`}},
		{"truncated", everyField, map[string]any{"id": "iran", "depth": 3, "limit": 9, "withNames": true}, "direct", []string{`"truncated":true`}},
		{"as of", everyField, map[string]any{"id": "muscat-talks", "asOf": seeded.Format(time.RFC3339Nano), "withNames": true}, "direct",
			[]string{`"relations":[{`}},
		{"unknown id", everyField, map[string]any{"id": "nobody", "withNames": true}, "", nil},
		{"out of bounds", everyField, map[string]any{"id": "iran", "limit": 2001, "withNames": true}, "", nil},
		{"unencodable field", `{ neighbourhood(id: "muscat-talks") { relations { id contested } } }`, nil, "executor", nil},
		{"deferred", `{ neighbourhood(id: "muscat-talks") { relations { id ... @defer { type } } } }`, nil, "executor", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			direct.Store(0)
			executor.Store(0)
			got := mustPost(t, directURL, c.query, c.vars)
			want := mustPost(t, executorURL, c.query, c.vars)
			if !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				from := max(i-80, 0)
				t.Fatalf("answers differ at byte %d\ndirect:   …%s\nexecutor: …%s", i, got[from:min(i+80, len(got))], want[from:min(i+80, len(want))])
			}
			for _, h := range c.holds {
				if !bytes.Contains(got, []byte(h)) {
					t.Fatalf("the answer lacks %s", h)
				}
			}
			if c.name == "as of" && bytes.Contains(got, []byte(`"validFrom":"2025-04-12T00:00:00Z"`)) {
				t.Fatal("the answer as of the seed holds what was recorded after it")
			}
			switch {
			case c.answerer == "direct" && (direct.Load() != 0 || executor.Load() == 0):
				t.Fatalf("the executor resolved %d Relation and Evidence fields with DirectSubgraphs, %d without: "+
					"DirectSubgraphs should have answered", direct.Load(), executor.Load())
			case c.answerer == "executor" && direct.Load() == 0:
				t.Fatal("the executor resolved no Relation or Evidence field: it should have answered")
			case c.answerer == "" && !bytes.Contains(got, []byte(`"errors"`)):
				t.Fatalf("no error: %s", got)
			}
		})
	}
}
