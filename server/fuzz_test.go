package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"eventgraph/server"
)

// FuzzGraphQLEndpoint sends fuzzed documents and variables to /graphql of the real
// server over the seeded store, under either response media type, and checks what any
// client may rely on: an answer comes (within a generous safety timeout), with a
// documented status, as JSON, every error carrying extensions.code, none an internal
// error. The seeds are the hostile documents of TestHostileDocuments in small and
// typical queries, mutations, variables and broken syntax.
func FuzzGraphQLEndpoint(f *testing.F) {
	s := mustStart(f, server.Config{Introspection: true}, false)
	for _, seed := range []struct {
		query, variables string
	}{
		{`{ node(id: "araghchi") { id ... on Actor { name relations(first: 3) { nodes { type evidence { quote } } } } } }`, ``},
		{`query($id: ID!) { node(id: $id) { id } }`, `{"id": "iran"}`},
		{`query($id: ID!) { node(id: $id) { id } }`, `{"id": 7}`},
		{`{ neighbourhood(id: "iran", depth: 2) { truncated relations { id from { id } to { id } } nodes { id } } }`, ``},
		{`{ paths(from: "iran", to: "oman") { length hops { relation { id } } } }`, ``},
		{`{ search(text: "Araghchi stand firm") { totalCount edges { node { id } highlights { start end } } } }`, ``},
		{`{ timeline(first: 5) { nodes { id } } stances { topic { name } } }`, ``},
		{`mutation { upsertTopic(input: {id: "fuzz", name: "Fuzz"}) { id } }`, ``},
		{`mutation($e: [EvidenceInput!]!) { addRelation(input: {type: ALLIED_WITH, from: "iran", to: "oman", evidence: $e}) { id } }`, `{"e": []}`},
		{`subscription { graphChanged { version } }`, ``},
		{`{ __schema { types { name } } }`, ``},
		{sameAliasDocument(60), ``},
		{repeatedFieldDocument(60), ``},
		{fragmentChainDocument(20), ``},
		{fragmentFanOutDocument(20), ``},
		{`{ ...f } fragment f on Query { ...f }`, ``},
		{`{ node(id: "x") { ... on Actor { id } ... on Actor { id: name } } }`, ``},
		{`{ actors(first: 501) { totalCount } }`, ``},
		{`{`, ``},
		{``, `{}`},
		{`{ __typename }`, `[1, 2]`},
		{`{ __typename }`, `{"unterminated`},
	} {
		f.Add(seed.query, seed.variables, false)
		f.Add(seed.query, seed.variables, true)
	}
	client := http.Client{Timeout: 30 * time.Second}
	f.Fuzz(func(t *testing.T, query, variables string, graphQLResponse bool) {
		body := []byte(`{"query":` + strconv.Quote(query))
		if variables != "" {
			body = append(body, `,"variables":`...)
			body = append(body, variables...)
		}
		body = append(body, '}')
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		media := "application/json"
		if graphQLResponse {
			media = "application/graphql-response+json"
		}
		req.Header.Set("Accept", media)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		switch resp.StatusCode {
		case http.StatusOK, http.StatusRequestEntityTooLarge:
		case http.StatusBadRequest:
			if !graphQLResponse {
				t.Fatalf("status 400 under application/json: %s", raw)
			}
		default:
			t.Fatalf("status %d: %s", resp.StatusCode, raw)
		}
		if got := resp.Header.Get("Content-Type"); got != media {
			t.Fatalf("content type %q, want %s", got, media)
		}
		var answer struct {
			Errors []struct {
				Message    string
				Extensions map[string]any
			}
		}
		if err := json.Unmarshal(raw, &answer); err != nil {
			t.Fatalf("answer is not JSON: %v: %s", err, raw)
		}
		for _, e := range answer.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == "" || code == "INTERNAL" {
				t.Fatalf("error %q has code %q: %s", e.Message, code, raw)
			}
		}
	})
}
