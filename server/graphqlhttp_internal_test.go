package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestWriteResponseWritesWhatEncodingJSONWrites(t *testing.T) {
	more := true
	for name, resp := range map[string]*graphql.Response{
		"data":      {Data: json.RawMessage(`{"node":{"id":"iran","aliases":["Islamic Republic of Iran"]}}`)},
		"no data":   {Errors: gqlerror.List{{Message: "no node has id \"nobody\"", Path: ast.Path{ast.PathName("node")}, Extensions: map[string]any{"code": "NOT_FOUND"}}}},
		"both":      {Errors: gqlerror.List{{Message: "partial"}}, Data: json.RawMessage(`{"a":1,"b":null}`), Extensions: map[string]any{"cost": 3}},
		"increment": {Data: json.RawMessage(`{"x":[]}`), Label: "later", Path: ast.Path{ast.PathName("a"), ast.PathIndex(2)}, HasNext: &more},
	} {
		t.Run(name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := json.NewEncoder(&want).Encode(resp); err != nil {
				t.Fatal(err)
			}
			writeResponse(&got, resp)
			if got.String() != want.String() {
				t.Fatalf("wrote  %s\nwanted %s", got.String(), want.String())
			}
		})
	}
	t.Run("markup", func(t *testing.T) {
		resp := &graphql.Response{Data: json.RawMessage(`{"quote":"US & Iran <talks>"}`)}
		var got bytes.Buffer
		writeResponse(&got, resp)
		want, _ := json.Marshal(resp)
		var g, w any
		if err := json.Unmarshal(got.Bytes(), &g); err != nil {
			t.Fatalf("%s: %v", got.Bytes(), err)
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("wrote %s, which does not decode as %s does", got.Bytes(), want)
		}
	})
}

func TestNegotiate(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                      mediaJSON,
		"*/*":                                   mediaJSON,
		"application/*":                         mediaJSON,
		mediaJSON:                               mediaJSON,
		mediaGraphQLResponse:                    mediaGraphQLResponse,
		mediaJSON + ", " + mediaGraphQLResponse: mediaGraphQLResponse,
		mediaGraphQLResponse + ", " + mediaJSON + ";q=0.9":             mediaGraphQLResponse,
		mediaGraphQLResponse + ";q=0.5, " + mediaJSON:                  mediaJSON,
		mediaGraphQLResponse + ", */*":                                 mediaGraphQLResponse,
		"*/*, " + mediaJSON + ";q=0":                                   mediaGraphQLResponse,
		"*/*;q=0.8, " + mediaJSON + ";q=0.5":                           mediaGraphQLResponse,
		"text/html, */*;q=0.1":                                         mediaJSON,
		"text/html":                                                    "not acceptable",
		mediaJSON + ";q=0":                                             "not acceptable",
		"*/*, " + mediaJSON + ";q=0, " + mediaGraphQLResponse + ";q=0": "not acceptable",
	} {
		var header []string
		if accept != "" {
			header = []string{accept}
		}
		got, ok := negotiate(header)
		if !ok {
			got = "not acceptable"
		}
		if got != want {
			t.Errorf("Accept %q: %s, want %s", accept, got, want)
		}
	}
}
