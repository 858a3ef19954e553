package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"
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
	rel := domain.Relation{Type: domain.RelParticipatedIn, From: "oman", To: "muscat-talks", Role: domain.RoleHost, ValidFrom: &from, ValidTo: &to}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	start, end := 47, 59
	b := &store.Batch{
		Nodes:     []domain.Node{&domain.Source{ID: "wire", Title: "Wire", Text: "Oman hosted the talks. Oman did not host them, said a rival."}},
		Relations: []domain.Relation{rel},
		Evidence: []domain.Evidence{
			{Subject: rel.ID, Source: "wire", Quote: "Oman hosted the talks.", Confidence: 0.9, Method: "test"},
			{Subject: rel.ID, Source: "wire", Quote: "Oman did not host them", Confidence: 0.25, Method: "test",
				Stance: domain.EvidenceDisputes, Credibility: 4, Note: "a rival's word"},
			{Subject: rel.ID, Source: "wire", Quote: "said a rival", Start: &start, End: &end, Confidence: 0.5, Method: "test"},
		},
	}
	if _, err := g.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Retract(ctx, domain.EvidenceID(rel.ID, "wire", &start, &end, "said a rival"), "misquoted"); err != nil {
		t.Fatal(err)
	}
	return g, seeded
}

// graphQLServer serves g over loopback HTTP as the server does, with or without
// DirectSubgraphs, counting the Relation and Evidence fields the executor resolves.
func graphQLServer(t *testing.T, g *store.Graph, direct bool) (url string, executed *atomic.Int64) {
	t.Helper()
	schema := Schema(NewResolver(g))
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

// differentialCase is one query of the differential test: its answer with
// DirectSubgraphs and without must be byte for byte equal.
type differentialCase struct {
	name     string
	query    string
	vars     map[string]any
	answerer string // "direct", "executor", or "" for an error before any relation
	holds    []string
}

// differentialCases are the differential test's queries; seeded is a moment between the
// seed's import and the relation mustSeededGraph adds. The queries DirectSubgraphs
// answers must select, between them, exactly the fields it encodes
// (TestDirectSubgraphsEncodeWhatTheDifferentialTestSelects).
func differentialCases(seeded time.Time) []differentialCase {
	return []differentialCase{
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
	}
}

func TestDirectSubgraphsEncodeAsTheExecutorDoes(t *testing.T) {
	g, seeded := mustSeededGraph(t)
	directURL, direct := graphQLServer(t, g, true)
	executorURL, executor := graphQLServer(t, g, false)
	for _, c := range differentialCases(seeded) {
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

// TestDirectSubgraphsEncodeWhatTheDifferentialTestSelects fences the whitelist of
// DirectSubgraphs (subgraphFields): the fields it encodes must be exactly those that
// the differential test's directly answered queries select, on each concrete type. A
// field added to the whitelist without a query comparing its encoding with the
// executor's, or a field the queries select that the encoder no longer takes, fails
// here rather than going unchecked.
func TestDirectSubgraphsEncodeWhatTheDifferentialTestSelects(t *testing.T) {
	schema := Schema(&Resolver{}).Schema()
	selected := map[string]bool{}
	for _, c := range differentialCases(time.Now()) {
		if c.answerer != "direct" {
			continue
		}
		doc, errs := gqlparser.LoadQueryWithRules(schema, c.query, rules.NewDefaultRules())
		if errs != nil {
			t.Fatalf("%s: %v", c.name, errs)
		}
		for _, op := range doc.Operations {
			for _, sel := range op.SelectionSet {
				if f, ok := sel.(*ast.Field); ok && f.Name == "neighbourhood" {
					collectSelected(schema, doc, []string{"Subgraph"}, f.SelectionSet, selected)
				}
			}
		}
	}
	encoded := map[string]bool{}
	for typ, fields := range subgraphFields {
		for f := range fields {
			encoded[typ+"."+f] = true
		}
	}
	var untested, unencoded []string
	for f := range encoded {
		if !selected[f] {
			untested = append(untested, f)
		}
	}
	for f := range selected {
		if !encoded[f] {
			unencoded = append(unencoded, f)
		}
	}
	slices.Sort(untested)
	slices.Sort(unencoded)
	if len(untested) > 0 {
		t.Errorf("DirectSubgraphs encodes fields no directly answered differential query selects: %v", untested)
	}
	if len(unencoded) > 0 {
		t.Errorf("directly answered differential queries select fields DirectSubgraphs does not encode: %v", unencoded)
	}
}

// collectSelected adds to out, as "Type.field", each field sel selects on each of
// types (concrete type names), following fragments to the types they apply to and
// fields into the concrete types they can hold. @skip and @include are ignored: a field
// they guard is still selected.
func collectSelected(schema *ast.Schema, doc *ast.QueryDocument, types []string, sel ast.SelectionSet, out map[string]bool) {
	narrow := func(condition string) []string {
		if condition == "" {
			return types
		}
		return slices.DeleteFunc(slices.Clone(types), func(t string) bool {
			return !slices.ContainsFunc(schema.GetPossibleTypes(schema.Types[condition]), func(d *ast.Definition) bool { return d.Name == t })
		})
	}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			for _, t := range types {
				if s.Name == "__typename" {
					out[t+".__typename"] = true
					continue
				}
				def := schema.Types[t].Fields.ForName(s.Name)
				if def == nil {
					continue
				}
				out[t+"."+s.Name] = true
				var below []string
				for _, d := range schema.GetPossibleTypes(schema.Types[def.Type.Name()]) {
					below = append(below, d.Name)
				}
				collectSelected(schema, doc, below, s.SelectionSet, out)
			}
		case *ast.InlineFragment:
			collectSelected(schema, doc, narrow(s.TypeCondition), s.SelectionSet, out)
		case *ast.FragmentSpread:
			f := doc.Fragments.ForName(s.Name)
			collectSelected(schema, doc, narrow(f.TypeCondition), f.SelectionSet, out)
		}
	}
}
