package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"eventgraph/server"
	"eventgraph/store/kv"
	"eventgraph/store/storetest"
)

// Hostile documents: each small, each once able to take gigabytes or minutes.

// sameAliasDocument selects node under one alias n times, each with another id.
func sameAliasDocument(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, ` a: node(id: "x%d") { id }`, i)
	}
	return b.String() + " }"
}

// repeatedFieldDocument selects __typename n times.
func repeatedFieldDocument(n int) string {
	return "{" + strings.Repeat(" __typename", n) + " }"
}

// distinctFieldsDocument selects __typename under n aliases.
func distinctFieldsDocument(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	return b.String() + " }"
}

// fragmentChainDocument spreads f0, which spreads f1, … down to fn.
func fragmentChainDocument(n int) string {
	var b strings.Builder
	b.WriteString("{ ...f0 }")
	for i := range n {
		fmt.Fprintf(&b, " fragment f%d on Query { ...f%d }", i, i+1)
	}
	fmt.Fprintf(&b, " fragment f%d on Query { __typename }", n)
	return b.String()
}

// fragmentFanOutDocument spreads f0, which spreads f1 twice, … : 2ⁿ fields expanded.
func fragmentFanOutDocument(n int) string {
	var b strings.Builder
	b.WriteString("{ ...f0 }")
	for i := range n {
		fmt.Fprintf(&b, " fragment f%d on Query { ...f%d ...f%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment f%d on Query { __typename }", n)
	return b.String()
}

// allocatedBy returns the bytes the process (client and server alike) allocated
// while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileDocuments: documents that reach a bound are refused with
// QUERY_TOO_LARGE naming it, before validation, within a few megabytes; documents at
// the bound are answered. Each refused case once cost gigabytes or minutes: 1,500
// copies of an alias 2.2 GB, 40,000 copies of a field 57 s of processor time, a chain
// of 10,000 fragments 3.4 GB, 30 fragments each spreading the next twice forever.
func TestHostileDocuments(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	// mustRefuse sends query and requires QUERY_TOO_LARGE for bound, cheaply.
	mustRefuse := func(t *testing.T, bound string, max int, query string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var status int
		var out gqlResponse
		allocated := allocatedBy(func() { status, out, _ = s.postContext(ctx, t, "application/json", query, nil) })
		if status != http.StatusOK || len(out.Errors) != 1 || string(out.Data) != "null" {
			t.Fatalf("status %d, data %s, %d errors; want 200, no data, one error", status, out.Data, len(out.Errors))
		}
		ext := out.Errors[0].Extensions
		if ext["code"] != "QUERY_TOO_LARGE" || ext["limit"] != bound || ext["max"] != float64(max) {
			t.Fatalf("error %q %v; want QUERY_TOO_LARGE for %s, max %d", out.Errors[0].Message, ext, bound, max)
		}
		const budget = 64 << 20
		if allocated > budget {
			t.Fatalf("refusing a %d-byte document allocated %d MB; want under %d MB", len(query), allocated>>20, budget>>20)
		}
		t.Logf("%d-byte document refused: %q, %.1f MB allocated", len(query), out.Errors[0].Message, float64(allocated)/(1<<20))
	}
	// mustAnswer sends query and requires an answer without errors.
	mustAnswer := func(t *testing.T, query string) {
		t.Helper()
		var data map[string]any
		s.mustQuery(t, query, nil, &data)
	}
	t.Run("one alias with different arguments", func(t *testing.T) {
		mustRefuse(t, "fieldsOfOneName", server.MaxFieldsOfOneName, sameAliasDocument(1500))
		mustRefuse(t, "fieldsOfOneName", server.MaxFieldsOfOneName, sameAliasDocument(server.MaxFieldsOfOneName+1))
	})
	t.Run("one field repeated", func(t *testing.T) {
		mustRefuse(t, "tokens", server.MaxTokens, repeatedFieldDocument(40_000))
		mustRefuse(t, "fieldsOfOneName", server.MaxFieldsOfOneName, repeatedFieldDocument(server.MaxFieldsOfOneName+1))
		mustAnswer(t, repeatedFieldDocument(server.MaxFieldsOfOneName))
	})
	t.Run("one name through inline fragments and fragment spreads", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{ node(id: "iran") {`)
		for i := range server.MaxFieldsOfOneName / 2 {
			fmt.Fprintf(&b, ` ... on Actor { id } ...f%d`, i)
		}
		b.WriteString(" } }")
		for i := range server.MaxFieldsOfOneName / 2 {
			fmt.Fprintf(&b, " fragment f%d on Node { id }", i)
		}
		mustAnswer(t, b.String())
		mustRefuse(t, "fieldsOfOneName", server.MaxFieldsOfOneName, strings.Replace(b.String(), "{ id }", "{ id id }", 1))
	})
	t.Run("fields", func(t *testing.T) {
		mustAnswer(t, distinctFieldsDocument(server.MaxFields))
		mustRefuse(t, "fields", server.MaxFields, distinctFieldsDocument(server.MaxFields+1))
	})
	t.Run("fragment chain", func(t *testing.T) {
		mustRefuse(t, "tokens", server.MaxTokens, fragmentChainDocument(10_000))
		mustRefuse(t, "fragments", server.MaxFragments, fragmentChainDocument(server.MaxFragments))
		mustAnswer(t, fragmentChainDocument(server.MaxFragments-1))
	})
	t.Run("fragments spreading fragments twice", func(t *testing.T) {
		mustRefuse(t, "fields", server.MaxFields, fragmentFanOutDocument(60))
		mustAnswer(t, fragmentFanOutDocument(5))
	})
	t.Run("conflicts at every bound", func(t *testing.T) {
		// Groups of MaxFieldsOfOneName fields under one alias, alternately two fields:
		// as many pairs that cannot be merged as the bounds allow.
		var b strings.Builder
		b.WriteString(`{ node(id: "iran") { ... on Actor {`)
		for i := range server.MaxFields - 10 {
			fmt.Fprintf(&b, " a%d: %s", i/server.MaxFieldsOfOneName, []string{"name", "id"}[i%2])
		}
		b.WriteString(" } } }")
		var out gqlResponse
		allocated := allocatedBy(func() { _, out, _ = s.post(t, "application/json", b.String(), nil) })
		if len(out.Errors) != server.MaxErrors+1 || out.Errors[server.MaxErrors].Extensions["code"] != "TOO_MANY_ERRORS" {
			t.Fatalf("%d errors; want %d and TOO_MANY_ERRORS", len(out.Errors), server.MaxErrors)
		}
		const budget = 100 << 20
		if allocated > budget {
			t.Fatalf("validating a %d-byte document allocated %d MB; want under %d MB", b.Len(), allocated>>20, budget>>20)
		}
		t.Logf("%d-byte document refused by validation, %.1f MB allocated", b.Len(), float64(allocated)/(1<<20))
	})
	t.Run("a document under the body limit", func(t *testing.T) {
		mustRefuse(t, "tokens", server.MaxTokens, sameAliasDocument(25_000))
	})
}

// TestIntrospectionQueryIsWithinBounds: GraphiQL's introspection query, the largest
// document a tool sends unprompted, is answered.
func TestIntrospectionQueryIsWithinBounds(t *testing.T) {
	s := mustStart(t, server.Config{Introspection: true}, true)
	var data struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	s.mustQuery(t, introspectionQuery, nil, &data)
	if len(data.Schema.Types) < 20 {
		t.Fatalf("introspection listed %d types", len(data.Schema.Types))
	}
}

// introspectionQuery is the query GraphiQL sends to learn the schema.
const introspectionQuery = `query IntrospectionQuery { __schema { queryType { name } mutationType { name }
  subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description
  args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue }
  interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`

// TestTooManyErrorsAreCut: 50 copies of an alias with different arguments are within
// the bounds but conflict pairwise, 1,225 validation errors; the answer reports the
// first MaxErrors and one TOO_MANY_ERRORS error saying there were more.
func TestTooManyErrorsAreCut(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	_, out, _ := s.post(t, "application/json", sameAliasDocument(server.MaxFieldsOfOneName), nil)
	if len(out.Errors) != server.MaxErrors+1 {
		t.Fatalf("%d errors reported; want %d and one saying how many there were", len(out.Errors), server.MaxErrors)
	}
	for _, e := range out.Errors[:server.MaxErrors] {
		if e.Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("error %q: code %v", e.Message, e.Extensions["code"])
		}
	}
	last := out.Errors[server.MaxErrors]
	if last.Extensions["code"] != "TOO_MANY_ERRORS" || last.Extensions["max"] != float64(server.MaxErrors) {
		t.Fatalf("last error %q %v; want TOO_MANY_ERRORS", last.Message, last.Extensions)
	}
}

// TestQueryDeadline: a query still running at its deadline is answered with one
// TIMEOUT error and no data; mutations and subscriptions are not timed.
func TestQueryDeadline(t *testing.T) {
	s := mustStart(t, server.Config{RequestTimeout: time.Nanosecond}, true)
	t.Run("query", func(t *testing.T) {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			status, out, _ := s.post(t, accept, `{ actors { totalCount } }`, nil)
			if status != http.StatusOK || string(out.Data) != "null" || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "TIMEOUT" {
				t.Fatalf("%s: status %d, data %s, errors %+v; want 200, no data, TIMEOUT", accept, status, out.Data, out.Errors)
			}
		}
	})
	t.Run("mutation", func(t *testing.T) {
		var out struct{ UpsertTopic struct{ ID string } }
		s.mustQuery(t, `mutation { upsertTopic(input: {id: "sanctions", name: "Sanctions"}) { id } }`, nil, &out)
		if out.UpsertTopic.ID != "sanctions" {
			t.Fatalf("mutation answered %+v", out)
		}
	})
	t.Run("subscription", func(t *testing.T) { mustSeeActorChanges(t, s) })
}

// TestResponseSizeBound: an answer to a query larger than MaxResponseBytes is
// replaced by one RESPONSE_TOO_LARGE error; smaller ones are sent, and so is a
// mutation's answer of any size, its write being done.
func TestResponseSizeBound(t *testing.T) {
	s := mustStart(t, server.Config{MaxResponseBytes: 2000}, false)
	var small map[string]any
	s.mustQuery(t, `{ actors(first: 2) { nodes { id } } }`, nil, &small)
	status, out, _ := s.post(t, "application/json", `{ actors { nodes { id name aliases description } } }`, nil)
	if status != http.StatusOK || string(out.Data) != "null" || len(out.Errors) != 1 ||
		out.Errors[0].Extensions["code"] != "RESPONSE_TOO_LARGE" || out.Errors[0].Extensions["max"] != float64(2000) {
		t.Fatalf("status %d, data %s, errors %+v; want no data and RESPONSE_TOO_LARGE", status, out.Data, out.Errors)
	}
	var written struct{ UpsertTopic struct{ Description string } }
	s.mustQuery(t, `mutation($d: String) { upsertTopic(input: {id: "long", name: "Long", description: $d}) { description } }`,
		map[string]any{"d": strings.Repeat("long ", 1000)}, &written)
	if len(written.UpsertTopic.Description) != 5000 {
		t.Fatalf("the mutation answered a description of %d bytes, want 5000", len(written.UpsertTopic.Description))
	}
}

// requestsDone is a slog handler that signals each request the server has finished.
type requestsDone chan string

func (d requestsDone) Enabled(context.Context, slog.Level) bool { return true }
func (d requestsDone) WithAttrs([]slog.Attr) slog.Handler       { return d }
func (d requestsDone) WithGroup(string) slog.Handler            { return d }
func (d requestsDone) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "request" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "path" {
				d <- a.Value.String()
			}
			return true
		})
	}
	return nil
}

// TestDisconnectedClientStopsItsQuery: when the client of a long query goes away, the
// store's reads for it stop once the server notices, instead of reading on to the end
// for nobody. The query asks which of a hub's 5,000 alliances held in 2020, and none
// did: the answer is one walk over the hub's relations. The test counts the keys the
// walk reads, then asks again and closes the connection from inside the server's
// reading at a twentieth of the walk, after which each key takes 100 µs more to read,
// as from a slow disk, so the rest of the walk would last half a second: the server
// notices within milliseconds, and the bound, half the walk, is generous.
func TestDisconnectedClientStopsItsQuery(t *testing.T) {
	var keys *storetest.KeyCounter
	done := make(requestsDone, 16)
	s := mustStartOver(t, server.Config{Logger: slog.New(done)}, true, func(s kv.Store) kv.Store {
		keys = storetest.CountKeys(s)
		return keys
	})
	ended := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.graph.Import(context.Background(), storetest.AlliedHub(5000, &ended)); err != nil {
		t.Fatal(err)
	}
	const query = `query($hub: ID!) { neighbourhood(id: $hub, from: "2020-01-01T00:00:00Z") { relations { id } } }`
	vars := map[string]any{"hub": "hub"}
	keys.Reset(0, nil, 0)
	var answer struct{ Neighbourhood struct{ Relations []any } }
	s.mustQuery(t, query, vars, &answer)
	<-done
	if len(answer.Neighbourhood.Relations) != 0 {
		t.Fatalf("%d alliances held in 2020; the hub's all ended in 2000", len(answer.Neighbourhood.Relations))
	}
	whole := keys.Visited()

	host := strings.TrimPrefix(s.url, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	keys.Reset(whole/20, func() { conn.Close() }, 100*time.Microsecond)
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", host, len(body), body)
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the server did not finish the request within a minute of its client leaving")
	}
	switch read := keys.Visited(); {
	case read < whole/20:
		t.Fatalf("the server read %d keys of the walk; it never reached the key at which its client leaves", read)
	case read > whole/2:
		t.Fatalf("the walk reads %d keys; after its client left at key %d, it read on to key %d", whole, whole/20, read)
	default:
		t.Logf("the walk reads %d keys; its client left at key %d and the server stopped at key %d", whole, whole/20, read)
	}
}
