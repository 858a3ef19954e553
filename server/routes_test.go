package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"eventgraph/server"
)

// Columns of the route matrix: the answer with tokens off (to any caller), then with
// tokens on to an anonymous caller, to one under --open-reads, and to a reader, an
// editor, an admin and a caller with an unknown token. docs/trust.md shows the same
// table.
const (
	colOff = iota
	colAnonymous
	colAnonymousOpenReads
	colReader
	colEditor
	colAdmin
	colUnknown
)

// routeCase is one request of the route matrix and its documented answers: an HTTP
// status, followed by the GraphQL error code when a 200 answer carries one; for a
// WebSocket, whether connection_init is acknowledged.
type routeCase struct {
	name   string
	method string // "WS" opens a graphql-transport-ws connection
	target string
	body   string
	header map[string]string
	want   [7]string
}

var (
	readQuery     = url.QueryEscape(`{ actors { totalCount } }`)
	upgradeHeader = map[string]string{"Upgrade": "websocket", "Connection": "Upgrade"}
	public        = [7]string{"200", "200", "200", "200", "200", "200", "200"}
	reads         = [7]string{"200", "401", "200", "200", "200", "200", "401"}
	adminOnly     = [7]string{"200", "401", "401", "403", "403", "200", "401"}
	notAllowed    = [7]string{"405", "405", "405", "405", "405", "405", "405"}
)

var routeMatrix = []routeCase{
	{name: "query over GET", method: "GET", target: "/graphql?query=" + readQuery, want: reads},
	{name: "query over POST", method: "POST", target: "/graphql", body: `{ actors { totalCount } }`, want: reads},
	{name: "introspection over POST", method: "POST", target: "/graphql", body: `{ __schema { queryType { name } } }`, want: reads},
	{name: "mutation over POST", method: "POST", target: "/graphql", body: renameOman,
		want: [7]string{"200", "401", "200 UNAUTHENTICATED", "200 FORBIDDEN", "200", "200", "401"}},
	{name: "mutation over GET", method: "GET", target: "/graphql?query=" + url.QueryEscape(renameOman),
		want: [7]string{"405", "401", "405", "405", "405", "405", "401"}},
	{name: "subscription over WebSocket", method: "WS", target: "/graphql",
		want: [7]string{"ack", "refused", "ack", "ack", "ack", "ack", "refused"}},
	{name: "forged WebSocket handshake", method: "GET", target: "/graphql?query=" + readQuery, header: upgradeHeader,
		want: [7]string{"400", "400", "400", "400", "400", "400", "401"}},
	{name: "WebSocket handshake over POST", method: "POST", target: "/graphql", body: `{ actors { totalCount } }`, header: upgradeHeader,
		want: [7]string{"405", "405", "405", "405", "405", "405", "405"}},
	{name: "export", method: "GET", target: "/export?format=csv", want: reads},
	{name: "export with an Upgrade header", method: "GET", target: "/export?format=csv", header: upgradeHeader, want: reads},
	// A JSON body is refused as not multipart, once the caller may import.
	{name: "import", method: "POST", target: "/import", body: `{ actors { totalCount } }`,
		want: [7]string{"415", "401", "401", "403", "415", "415", "401"}},
	{name: "backup", method: "GET", target: "/backup", want: adminOnly},
	{name: "backup with an Upgrade header", method: "GET", target: "/backup", header: upgradeHeader, want: adminOnly},
	{name: "health", method: "GET", target: "/healthz", want: public},
	{name: "workbench page", method: "GET", target: "/", want: public},
	{name: "workbench licences", method: "GET", target: "/licenses.txt", want: public},
	{name: "IDE page", method: "GET", target: "/graphiql", want: public},
	{name: "IDE asset", method: "GET", target: "/ide/graphiql.min.css?v=4.1.2", want: public},
	{name: "PUT /graphql", method: "PUT", target: "/graphql", body: `{ actors { totalCount } }`, want: notAllowed},
	{name: "DELETE /graphql", method: "DELETE", target: "/graphql", want: notAllowed},
	{name: "OPTIONS /graphql", method: "OPTIONS", target: "/graphql", want: notAllowed},
	{name: "POST /export", method: "POST", target: "/export?format=csv", want: notAllowed},
	{name: "GET /import", method: "GET", target: "/import", want: notAllowed},
	{name: "PUT /backup", method: "PUT", target: "/backup", want: notAllowed},
	{name: "HEAD /backup", method: "HEAD", target: "/backup", want: notAllowed},
	{name: "DELETE /healthz", method: "DELETE", target: "/healthz", want: notAllowed},
	{name: "OPTIONS /", method: "OPTIONS", target: "/", want: notAllowed},
	{name: "POST /graphiql", method: "POST", target: "/graphiql", want: notAllowed},
	{name: "unknown path", method: "GET", target: "/admin", want: [7]string{"404", "404", "404", "404", "404", "404", "404"}},
}

// TestRouteMatrix walks every route and method with every kind of caller, with tokens
// off, on, and on with open reads, and checks the documented answer.
func TestRouteMatrix(t *testing.T) {
	callers := []struct {
		name, token string
		col         int
	}{
		{"anonymous", "", colAnonymous}, {"reader", readerToken, colReader}, {"editor", editorToken, colEditor},
		{"admin", adminToken, colAdmin}, {"unknown token", "not-a-known-token-at-all", colUnknown},
	}
	configs := []struct {
		name string
		cfg  server.Config
		// column gives the matrix column of a caller's answers.
		column func(caller int) int
	}{
		{"TokensOff", server.Config{IDE: true, Introspection: true}, func(int) int { return colOff }},
		{"Tokens", server.Config{IDE: true, Introspection: true, Tokens: mustTokens(t)}, func(c int) int { return c }},
		{"TokensOpenReads", server.Config{IDE: true, Introspection: true, Tokens: mustTokens(t), OpenReads: true}, func(c int) int {
			if c == colAnonymous {
				return colAnonymousOpenReads
			}
			return c
		}},
	}
	for _, config := range configs {
		t.Run(config.name, func(t *testing.T) {
			s := mustStartWithBackups(t, config.cfg, false)
			for _, c := range callers {
				t.Run(c.name, func(t *testing.T) {
					for _, rc := range routeMatrix {
						if got, want := s.as(c.token).mustAnswer(t, rc), rc.want[config.column(c.col)]; got != want {
							t.Errorf("%s (%s %s): %s, want %s", rc.name, rc.method, rc.target, got, want)
						}
					}
				})
			}
		})
	}
}

// mustAnswer sends rc and describes the answer as the route matrix does.
func (s *testServer) mustAnswer(t *testing.T, rc routeCase) string {
	t.Helper()
	if rc.method == "WS" {
		return s.mustInitWebSocket(t)
	}
	var body io.Reader
	if rc.body != "" {
		b, _ := json.Marshal(map[string]string{"query": rc.body})
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(rc.method, s.url+rc.target, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rc.header {
		req.Header.Set(k, v)
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	answer := resp.Status[:3]
	if resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
		answer += " without Allow"
	}
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var out gqlResponse
		if err := json.Unmarshal(raw, &out); err == nil && len(out.Errors) > 0 {
			answer += fmt.Sprint(" ", out.Errors[0].Extensions["code"])
		}
	}
	return answer
}

// mustInitWebSocket opens a graphql-transport-ws connection, sends the token (if any)
// in connection_init as browsers do, and reports "ack" or "refused"; a refused
// handshake is its HTTP status.
func (s *testServer) mustInitWebSocket(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		if resp != nil {
			return resp.Status[:3]
		}
		t.Fatal(err)
	}
	defer conn.Close(websocket.StatusNormalClosure, "")
	init := map[string]any{"type": "connection_init"}
	if s.token != "" {
		init["payload"] = map[string]any{"Authorization": "Bearer " + s.token}
	}
	if err := wsjson.Write(ctx, conn, init); err != nil {
		t.Fatal(err)
	}
	var m struct{ Type string }
	err = wsjson.Read(ctx, conn, &m)
	switch {
	case err == nil && m.Type == "connection_ack":
		return "ack"
	case err == nil && m.Type == "connection_error", websocket.CloseStatus(err) != -1:
		return "refused"
	}
	t.Fatalf("connection_init answered %q, %v", m.Type, err)
	return ""
}
