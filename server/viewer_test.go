package server_test

import (
	"net/http"
	"testing"

	"eventgraph/server"
)

// TestViewer asks the server who is asking, as each kind of caller: what a client
// needs to show editing actions or a sign-in prompt.
func TestViewer(t *testing.T) {
	type viewer struct {
		Name           *string
		Role           string
		CanWrite       bool
		TokensRequired bool
	}
	ask := func(t *testing.T, s *testServer) viewer {
		t.Helper()
		var data struct{ Viewer viewer }
		s.mustQuery(t, `{ viewer { name role canWrite tokensRequired } }`, nil, &data)
		return data.Viewer
	}
	named := func(n string) *string { return &n }
	same := func(a, b viewer) bool {
		return a.Role == b.Role && a.CanWrite == b.CanWrite && a.TokensRequired == b.TokensRequired &&
			(a.Name == nil) == (b.Name == nil) && (a.Name == nil || *a.Name == *b.Name)
	}
	check := func(t *testing.T, s *testServer, want viewer) {
		t.Helper()
		if got := ask(t, s); !same(got, want) {
			t.Errorf("viewer %+v (name %v), want %+v (name %v)", got, got.Name, want, want.Name)
		}
	}

	t.Run("without tokens", func(t *testing.T) {
		check(t, mustStart(t, server.Config{}, true), viewer{Role: "ADMIN", CanWrite: true})
	})
	t.Run("with tokens", func(t *testing.T) {
		s := mustStart(t, server.Config{Tokens: mustTokens(t)}, true)
		check(t, s.as(readerToken), viewer{Name: named("Rita Reader"), Role: "READER", TokensRequired: true})
		check(t, s.as(editorToken), viewer{Name: named("Ed Editor"), Role: "EDITOR", CanWrite: true, TokensRequired: true})
		check(t, s.as(adminToken), viewer{Name: named("Ada Admin"), Role: "ADMIN", CanWrite: true, TokensRequired: true})
		if status, out, _ := s.post(t, "application/json", `{ viewer { role } }`, nil); status != http.StatusUnauthorized ||
			len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != server.CodeUnauthenticated {
			t.Errorf("anonymous viewer with reads closed: %d %+v, want 401 UNAUTHENTICATED", status, out)
		}
	})
	t.Run("with open reads", func(t *testing.T) {
		check(t, mustStart(t, server.Config{Tokens: mustTokens(t), OpenReads: true}, true), viewer{Role: "READER", TokensRequired: true})
	})
}
