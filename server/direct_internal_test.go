package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"eventgraph/store/storetest"
)

// TestNoDirectEncodingHandsNeighbourhoodsToTheExecutor serves the GraphQL handler
// Handler builds, with a field middleware counting the Relation and Evidence fields
// gqlgen's executor resolves: by default graph.DirectSubgraphs answers a neighbourhood
// and the middleware sees none of its fields; with NoDirectEncoding the executor
// answers, and the middleware sees them. The answer is the same either way.
func TestNoDirectEncodingHandsNeighbourhoodsToTheExecutor(t *testing.T) {
	g := storetest.MustSeeded(t)
	const query = `{ neighbourhood(id: "muscat-talks") { nodes { id } relations { id type evidence { quote } } } }`
	answers := map[bool][]byte{}
	for _, off := range []bool{false, true} {
		gql := graphQL(g, Config{NoDirectEncoding: off, Logger: slog.New(slog.DiscardHandler)}.withDefaults())
		var executed atomic.Int64
		gql.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
			if o := graphql.GetFieldContext(ctx).Object; o == "Relation" || o == "Evidence" {
				executed.Add(1)
			}
			return next(ctx)
		})
		srv := httptest.NewServer(gql)
		defer srv.Close()
		body, _ := json.Marshal(map[string]any{"query": query})
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`"quote":`)) {
			t.Fatalf("NoDirectEncoding %v: %d %s %v", off, resp.StatusCode, answer, err)
		}
		answers[off] = answer
		switch {
		case !off && executed.Load() != 0:
			t.Errorf("by default the executor resolved %d Relation and Evidence fields: DirectSubgraphs should have answered", executed.Load())
		case off && executed.Load() == 0:
			t.Error("with NoDirectEncoding the executor resolved no Relation or Evidence field: DirectSubgraphs answered")
		}
	}
	if !bytes.Equal(answers[false], answers[true]) {
		t.Fatalf("the answers differ:\ndirect:   %s\nexecutor: %s", answers[false], answers[true])
	}
}
