package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"eventgraph/server"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
)

const (
	readerToken = "reader-token-0123456789"
	editorToken = "editor-token-0123456789"
	adminToken  = "admin-token-01234567890"
	tokensFile  = "# role token name\nreader " + readerToken + " Rita Reader\neditor " + editorToken + " Ed Editor\nadmin " + adminToken + " Ada Admin\n"
)

func mustTokens(t *testing.T) *server.Tokens {
	t.Helper()
	tokens, err := server.ParseTokens("tokens", strings.NewReader(tokensFile))
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

const renameOman = `mutation { upsertActor(input: {id: "oman", name: "Oman", kind: STATE, aliases: ["Sultanate of Oman"]}) { id } }`

func TestTokensEnforceRoles(t *testing.T) {
	var logs bytes.Buffer
	s := mustStart(t, server.Config{Tokens: mustTokens(t), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, false)
	const read = `{ node(id: "oman") { id } }`

	status, out, header := s.post(t, "application/json", read, nil)
	if status != http.StatusUnauthorized || len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != server.CodeUnauthenticated ||
		!strings.HasPrefix(header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("anonymous read with reads closed: %d %+v", status, out)
	}
	if status, _, _ := s.as("not-a-known-token-at-all").post(t, "application/json", read, nil); status != http.StatusUnauthorized {
		t.Fatalf("unknown token: status %d", status)
	}
	s.as(readerToken).mustQuery(t, read, nil, &struct{}{})
	s.as(readerToken).mustFail(t, server.CodeForbidden, renameOman, nil)
	s.as(editorToken).mustQuery(t, renameOman, nil, &struct{}{})

	var data struct{ History []struct{ Author string } }
	s.as(readerToken).mustQuery(t, `{ history(id: "oman") { author } }`, nil, &data)
	if n := len(data.History); n != 2 || data.History[n-1].Author != "Ed Editor" {
		t.Fatalf("history = %+v, want the edit by Ed Editor", data.History)
	}
	for _, token := range []string{readerToken, editorToken, "not-a-known-token-at-all"} {
		if strings.Contains(logs.String(), token) {
			t.Fatalf("a token reached the log")
		}
	}
	if !strings.Contains(logs.String(), `"status":401`) {
		t.Fatalf("the log misses the refused requests: %s", logs.String())
	}
}

func TestOpenReads(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t), OpenReads: true}, false)
	s.mustQuery(t, `{ node(id: "oman") { id } }`, nil, &struct{}{})
	s.mustFail(t, server.CodeUnauthenticated, renameOman, nil)
	s.as(editorToken).mustQuery(t, renameOman, nil, &struct{}{})
}

func TestParseTokens(t *testing.T) {
	for file, want := range map[string]string{
		"reader short Name\n":                            "tokens:1: the token is shorter than 16 characters",
		"\nwriter " + readerToken + " W\n":               "tokens:2: role \"writer\" is not reader, editor or admin",
		"reader " + readerToken + "\n":                   "tokens:1: want ROLE TOKEN NAME",
		tokensFile + "admin " + readerToken + " Again\n": "tokens:5: the token is given twice",
		"# nothing\n":                                    "tokens: no tokens",
	} {
		if _, err := server.ParseTokens("tokens", strings.NewReader(file)); err == nil || err.Error() != want {
			t.Errorf("ParseTokens(%q) = %v, want %s", file, err, want)
		}
	}
}

func TestExportDownload(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t)}, false)
	get := func(token, query string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.url+"/export?"+query, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := get("", "format=seed"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous download: %d", resp.StatusCode)
	}
	resp := get(readerToken, "format=graphml&id=araghchi&depth=1")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/graphml+xml" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "eventgraph-araghchi.graphml") || !bytes.Contains(body, []byte(`<node id="araghchi">`)) {
		t.Fatalf("neighbourhood download: %d %v %.200s", resp.StatusCode, resp.Header, body)
	}
	if resp := get(readerToken, "format=pdf"); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown format: %d", resp.StatusCode)
	}
	if resp := get(readerToken, "format=seed&id=nobody"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown id: %d", resp.StatusCode)
	}
}

func TestBackupDownload(t *testing.T) {
	s := mustStartWithBackups(t, server.Config{Tokens: mustTokens(t)}, false)
	get := func(token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.url+"/backup", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := get(editorToken); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an editor downloaded a backup: %d", resp.StatusCode)
	}
	resp := get(adminToken)
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := badgerkv.Restore(context.Background(), badgerkv.Options{Dir: dir}, resp.Body, nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("restoring the download: %d %v", resp.StatusCode, err)
	}
	kv, err := badgerkv.Open(badgerkv.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer kv.Close()
	if n, err := store.New(kv).Node(context.Background(), "araghchi"); err != nil || n.(*domain.Actor).Name != "Abbas Araghchi" {
		t.Fatalf("the restored store: %v, %v", n, err)
	}
}
