package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"eventgraph/server"
)

// mustGetWithHost sends GET path with the Host header host and returns the response
// with its body read.
func (s *testServer) mustGetWithHost(t *testing.T, path, host string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestHostHeader: a request naming another host (as a page whose name was rebound to
// this server's address does) is refused; the loopback addresses, localhost and the
// allowed hosts are answered.
func TestHostHeader(t *testing.T) {
	s := mustStart(t, server.Config{AllowedHosts: []string{"Graph.Example"}}, true)
	port := s.url[strings.LastIndexByte(s.url, ':'):]
	for _, host := range []string{"", "localhost" + port, "LOCALHOST.", "127.0.0.2" + port, "[::1]" + port, "graph.example" + port, "graph.example."} {
		if resp, body := s.mustGetWithHost(t, "/healthz", host); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %q: %d %s", host, resp.StatusCode, body)
		}
	}
	for _, host := range []string{"rebound.example" + port, "rebound.example", "graph.example.evil" + port, "192.0.2.1" + port, "localhost.evil"} {
		t.Run(host, func(t *testing.T) {
			resp, body := s.mustGetWithHost(t, "/graphql?query={__typename}", host)
			var out gqlResponse
			if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != http.StatusMisdirectedRequest ||
				len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != server.CodeHostNotAllowed || !strings.Contains(out.Errors[0].Message, "--allowed-hosts") {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
	t.Run("WebSocket", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
			&websocket.DialOptions{Host: "rebound.example" + port, Subprotocols: []string{"graphql-transport-ws"}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusMisdirectedRequest {
			t.Fatalf("a WebSocket naming another host: %v %v", resp, err)
		}
	})
	t.Run("AnyHost", func(t *testing.T) {
		s := mustStart(t, server.Config{AllowedHosts: []string{"*"}}, true)
		if resp, body := s.mustGetWithHost(t, "/healthz", "rebound.example"); resp.StatusCode != http.StatusOK {
			t.Fatalf("with --allowed-hosts '*': %d %s", resp.StatusCode, body)
		}
	})
}

// TestWebSocketInitTimeout: a WebSocket that never sends connection_init is closed by
// the server, with tokens on or off.
func TestWebSocketInitTimeout(t *testing.T) {
	for name, cfg := range map[string]server.Config{"TokensOff": {}, "Tokens": {Tokens: mustTokens(t)}} {
		s := mustStart(t, cfg, true)
		for _, protocol := range []string{"graphql-transport-ws", "graphql-ws"} {
			t.Run(name+"/"+protocol, func(t *testing.T) {
				t.Parallel()
				// A safety bound far above the server's timeout: without the timeout the
				// read below waits until this deadline and fails.
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
					&websocket.DialOptions{Subprotocols: []string{protocol}})
				if err != nil {
					t.Fatal(err)
				}
				defer conn.CloseNow()
				if _, msg, err := conn.Read(ctx); websocket.CloseStatus(err) == -1 {
					t.Fatalf("a silent connection got %q, %v; want it closed", msg, err)
				}
			})
		}
	}
}

// TestSecurityHeaders: every answer forbids content sniffing; neither page (the
// workbench at /, GraphiQL at /graphiql) may be framed, and each runs only its own
// scripts: the workbench has no inline script or style at all, GraphiQL's inline ones are
// named by hash in its policy.
func TestSecurityHeaders(t *testing.T) {
	s := mustStart(t, server.Config{IDE: true}, true)
	for _, path := range []string{"/", "/graphiql", "/licenses.txt", "/healthz", "/graphql?query={__typename}", "/ide/graphiql.min.js?v=4.1.2", "/nowhere"} {
		if resp, _ := s.mustGetWithHost(t, path, ""); resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", path, resp.Header.Get("X-Content-Type-Options"))
		}
	}
	inlineRE := regexp.MustCompile(`(?s)<(script|style)>(.*?)</(?:script|style)>`)
	for _, tc := range []struct {
		path string
		// inline: the page has inline scripts or styles, each to be named by its hash.
		inline bool
	}{{"/", false}, {"/graphiql", true}} {
		t.Run(tc.path, func(t *testing.T) {
			resp, page := s.mustGetWithHost(t, tc.path, "")
			csp := resp.Header.Get("Content-Security-Policy")
			directives := map[string]string{}
			for _, d := range strings.Split(csp, ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
				directives[name] = value
			}
			for name, want := range map[string]string{"default-src": "'none'", "frame-ancestors": "'none'", "connect-src": "'self'", "base-uri": "'none'", "form-action": "'none'"} {
				if directives[name] != want {
					t.Errorf("Content-Security-Policy %s is %q, want %q (%s)", name, directives[name], want, csp)
				}
			}
			if resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("X-Frame-Options %q", resp.Header.Get("X-Frame-Options"))
			}
			inline := inlineRE.FindAllStringSubmatch(string(page), -1)
			if !tc.inline {
				if len(inline) > 0 {
					t.Errorf("the page has inline %ss; its policy allows none", inline[0][1])
				}
				for _, name := range []string{"script-src", "style-src"} {
					if directives[name] != "'self'" {
						t.Errorf("%s %q, want 'self' only", name, directives[name])
					}
				}
				return
			}
			if len(inline) == 0 {
				t.Fatal("the page has no inline script or style to check")
			}
			for _, m := range inline {
				sum := sha256.Sum256([]byte(m[2]))
				hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
				if src := directives[m[1]+"-src"]; !strings.Contains(src, hash) || strings.Contains(src, "unsafe-inline") {
					t.Errorf("%s-src %q does not allow exactly the page's inline %s (%s)", m[1], src, m[1], hash)
				}
			}
		})
	}
}

// TestIntrospectionOffIsCoded: with introspection off, every shape of introspection
// query is refused with INTROSPECTION_DISABLED, never INTERNAL, and the rest of the
// query is still answered.
func TestIntrospectionOffIsCoded(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	for _, query := range []string{
		`{ __schema { types { name } } }`,
		`{ a: __schema { types { name } } }`,
		`{ t: __type(name: "Actor") { name } }`,
		`{ ... on Query { s: __schema { queryType { name } } } }`,
		`query Q { ...F } fragment F on Query { x: __type(name: "Query") { name } }`,
		`{ actors { totalCount } t: __type(name: "Actor") { name } }`,
	} {
		t.Run(query, func(t *testing.T) {
			out := s.mustFail(t, "INTROSPECTION_DISABLED", query, nil)
			for _, e := range out.Errors {
				if e.Extensions["code"] != "INTROSPECTION_DISABLED" {
					t.Errorf("error %+v", e)
				}
			}
			if strings.Contains(query, "actors") && !strings.Contains(string(out.Data), `"totalCount":0`) {
				t.Errorf("the rest of the query was not answered: %s", out.Data)
			}
		})
	}
}

// TestRefusedCharactersOverGraphQL: a mutation carrying a bidirectional override or a
// control character is refused with INVALID_INPUT naming the field, and writes
// nothing.
func TestRefusedCharactersOverGraphQL(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	for field, input := range map[string]map[string]any{
		"name":        {"id": "spoof", "name": "Iran\u202e", "kind": "STATE"},
		"aliases[0]":  {"id": "spoof", "name": "Iran", "kind": "STATE", "aliases": []string{"\u2066Oman"}},
		"description": {"id": "spoof", "name": "Iran", "kind": "STATE", "description": "a\x00b"},
	} {
		t.Run(field, func(t *testing.T) {
			out := s.mustFail(t, "INVALID_INPUT", `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`, map[string]any{"in": input})
			if got := out.Errors[0].Extensions["field"]; got != "input."+field || !strings.Contains(out.Errors[0].Message, "U+") {
				t.Fatalf("refusal names %v: %+v", got, out.Errors)
			}
		})
	}
	var data struct{ Node *struct{ ID string } }
	s.mustQuery(t, `{ node(id: "spoof") { id } }`, nil, &data)
	if data.Node != nil {
		t.Fatalf("a refused mutation wrote %+v", data.Node)
	}
}
