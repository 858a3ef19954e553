package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"eventgraph/server"
	"eventgraph/store/domain"
)

// TestServeExposure: without tokens the command refuses an address other machines can
// reach unless told --insecure-open, and then warns; loopback addresses, and any
// address with tokens, serve without a warning. Nothing here sends traffic to a
// non-loopback address.
func TestServeExposure(t *testing.T) {
	const warning = "INSECURE"
	// mustRefuse runs serve with args, stopping it after a while should it serve.
	mustRefuse := func(t *testing.T, args ...string) error {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := run(ctx, append([]string{"serve"}, args...), io.Discard, io.Discard)
		if err == nil {
			t.Fatalf("serve %s served", strings.Join(args, " "))
		}
		return err
	}
	t.Run("Refused", func(t *testing.T) {
		for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
			data := filepath.Join(t.TempDir(), "data")
			err := mustRefuse(t, "--addr", addr, "--data", data)
			if err == nil || !strings.Contains(err.Error(), "--insecure-open") || !strings.Contains(err.Error(), "--tokens") {
				t.Errorf("serve --addr %s without tokens = %v", addr, err)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("serve --addr %s was refused only after opening the data directory", addr)
			}
		}
	})
	t.Run("RefusedFromTheEnvironment", func(t *testing.T) {
		t.Setenv("EVENTGRAPH_ADDR", "0.0.0.0:0")
		if err := mustRefuse(t, "--data", t.TempDir()); !strings.Contains(err.Error(), "--insecure-open") {
			t.Fatalf("EVENTGRAPH_ADDR=0.0.0.0:0 without tokens = %v", err)
		}
	})
	t.Run("InsecureOpenWarns", func(t *testing.T) {
		t.Setenv("EVENTGRAPH_INSECURE_OPEN", "true")
		logs := mustServe(t, "--addr", "0.0.0.0:0", "--data", t.TempDir(), "--no-seed").mustStop(t)
		if !strings.Contains(logs, `"level":"WARN","msg":"`+warning) {
			t.Fatalf("no warning in:\n%s", logs)
		}
	})
	t.Run("TokensServeQuietly", func(t *testing.T) {
		tokens := writeFile(t, t.TempDir(), "tokens", "admin admin-token-01234567890 Ada\n")
		if logs := mustServe(t, "--addr", "0.0.0.0:0", "--data", t.TempDir(), "--no-seed", "--tokens", tokens).mustStop(t); strings.Contains(logs, warning) {
			t.Fatalf("a warning with tokens on:\n%s", logs)
		}
	})
	t.Run("LoopbackServesQuietly", func(t *testing.T) {
		for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
			if logs := mustServe(t, "--addr", addr, "--data", t.TempDir(), "--no-seed").mustStop(t); strings.Contains(logs, warning) {
				t.Fatalf("a warning on %s:\n%s", addr, logs)
			}
		}
	})
}

// TestServeAllowedHosts: --allowed-hosts adds names clients may reach the server by;
// other names are refused.
func TestServeAllowedHosts(t *testing.T) {
	s := mustServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--no-seed", "--allowed-hosts", "graph.example, other.example")
	defer s.mustStop(t)
	for host, want := range map[string]int{"graph.example": 200, "other.example:80": 200, "rebound.example": 421} {
		req, _ := http.NewRequest(http.MethodGet, strings.TrimSuffix(s.url, "/graphql")+"/healthz", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestServeLogsOnlyJSON sends the server requests that make the HTTP server, gqlgen
// and the error presenter complain, and checks that every line the process printed
// is a JSON object with a level and a message.
func TestServeLogsOnlyJSON(t *testing.T) {
	s := startServing(t, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--no-seed", "--introspection=false")
	base := strings.TrimSuffix(s.url, "/graphql")
	client := http.Client{Timeout: 5 * time.Second}
	send := func(method, path string, header map[string]string, body string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		for k, v := range header {
			if k == "Host" {
				req.Host = v
			}
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// A WebSocket handshake gqlgen cannot accept: it logs through the log package and
	// writes a second status.
	send("GET", "/graphql", map[string]string{"Upgrade": "websocket", "Connection": "Upgrade"}, "")
	// An aliased introspection field while introspection is off.
	send("POST", "/graphql", map[string]string{"Content-Type": "application/json"}, `{"query":"{ a: __schema { queryType { name } } }"}`)
	send("GET", "/healthz", map[string]string{"Host": "rebound.example"}, "")
	send("PUT", "/graphql", nil, "")
	// Bytes that are not HTTP: a TLS ClientHello's start, and a malformed request.
	for _, raw := range []string{"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(raw))
		conn.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, conn)
		conn.Close()
	}
	logs := s.mustStop(t)
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	for _, line := range lines {
		var entry struct{ Level, Msg string }
		if err := json.NewDecoder(bytes.NewReader([]byte(line))).Decode(&entry); err != nil || entry.Level == "" || entry.Msg == "" {
			t.Errorf("a log line is not a JSON entry: %s", line)
		}
	}
	if n := strings.Count(logs, `"msg":"request"`); n < 4 {
		t.Fatalf("%d requests logged, want the 4 sent:\n%s", n, logs)
	}
}

// TestIngestThroughARunningServer: while a server holds the data directory, the ingest
// command hands it the article through the handoff it left there, with the token it
// accepts when it checks tokens; the handoff is gone once the server stops.
func TestIngestThroughARunningServer(t *testing.T) {
	for _, withTokens := range []bool{false, true} {
		t.Run(fmt.Sprintf("tokens %v", withTokens), func(t *testing.T) {
			data := t.TempDir()
			args := []string{"serve", "--addr", "127.0.0.1:0", "--data", data}
			reader := "reader-token-0123456789"
			if withTokens {
				tokens := filepath.Join(t.TempDir(), "tokens")
				if err := os.WriteFile(tokens, []byte("reader "+reader+" Rita\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--tokens", tokens)
			}
			s := startServing(t, args...)
			info, err := os.Stat(filepath.Join(data, server.HandoffFile))
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("the handoff: %v, mode %v", err, info)
			}
			article := filepath.Join(t.TempDir(), "article.txt")
			if err := os.WriteFile(article, []byte("Abbas Araqchi met Steve Witkoff in Muscat on Saturday.\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			err = run(context.Background(), []string{"ingest", "--data", data, "--title", "Envoys meet", "--url", "https://gulfwire.example/a", article}, &stdout, &stderr)
			if err != nil || !strings.Contains(stderr.String(), "through the server at") || !strings.Contains(stdout.String(), "mentions (3 new)") {
				t.Fatalf("ingest: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
			}
			// The server has the article, and history names who wrote it.
			body := `{"query":"{ node(id: \"araghchi\") { ... on Actor { mentions(first: 5) { totalCount } } } history(id: \"` + domain.SourceKey("https://gulfwire.example/a") + `\") { author } }"}`
			req, _ := http.NewRequest("POST", s.url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if withTokens {
				req.Header.Set("Authorization", "Bearer "+reader)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := `"author":"eventgraph command line"`
			if !withTokens {
				want = `"author":"api"`
			}
			if !strings.Contains(string(answer), `"totalCount":1`) || !strings.Contains(string(answer), want) {
				t.Fatalf("after ingesting through the server: %s", answer)
			}
			s.mustStop(t)
			if _, err := os.Stat(filepath.Join(data, server.HandoffFile)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the handoff outlived the server: %v", err)
			}
		})
	}
}

// TestImportThroughARunningServer: while a server holds the data directory, the import
// command sends it the files, with the token its handoff gives: it prints what it
// prints offline, and the server's problems with the files as file:line lines; the
// server leaves none of the files behind.
func TestImportThroughARunningServer(t *testing.T) {
	data := t.TempDir()
	tokens := filepath.Join(t.TempDir(), "tokens")
	reader := "reader-token-0123456789"
	if err := os.WriteFile(tokens, []byte("reader "+reader+" Rita\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// What a killed server's import left is removed when the next one starts.
	if err := os.Mkdir(filepath.Join(data, ".import-123"), 0o700); err != nil {
		t.Fatal(err)
	}
	s := startServing(t, "serve", "--addr", "127.0.0.1:0", "--data", data, "--tokens", tokens)
	if _, err := os.Stat(filepath.Join(data, ".import-123")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a spool folder outlived its server: %v", err)
	}
	dir := t.TempDir()
	good := writeFile(t, dir, "new.jsonl", `{"record":"actor","key":"new-actor","name":"New Actor","kind":"PERSON"}`+"\n")
	bad := writeFile(t, dir, "bad.yaml", "actors:\n  - key: odd-actor\n    name: Odd\n    kind: ALIEN\n")
	importing := func(args ...string) (string, error) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"import", "--data", data}, args...), &stdout, &stderr)
		if !strings.Contains(stderr.String(), "through the server at "+strings.TrimSuffix(s.url, "/graphql")) {
			t.Fatalf("import %v did not say it went through the server: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), err
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--dry-run", good}, "valid; would import 1 nodes, 0 relations, 0 evidence records\n"},
		{[]string{good}, "imported 1 nodes, 0 relations, 0 evidence records\n"},
		{[]string{good}, "imported 0 nodes, 0 relations, 0 evidence records\n"},
	} {
		if out, err := importing(c.args...); err != nil || out != c.want {
			t.Fatalf("import %v: %q, %v; want %q", c.args, out, err, c.want)
		}
	}
	if out, err := importing(bad, good); err == nil || out != "" || !strings.HasPrefix(err.Error(), bad+`:4: kind: "ALIEN" is not one of`) {
		t.Fatalf("import of a bad file: %q, %v", out, err)
	}
	body := `{"query":"{ history(id: \"new-actor\") { author } odd: node(id: \"odd-actor\") { id } }"}`
	req, _ := http.NewRequest("POST", s.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+reader)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(answer), `"history":[{"author":"eventgraph command line"}]`) || !strings.Contains(string(answer), `"odd":null`) {
		t.Fatalf("after importing through the server: %s", answer)
	}
	s.mustStop(t)
	if left, _ := filepath.Glob(filepath.Join(data, ".import-*")); len(left) > 0 {
		t.Fatalf("imports left their files: %v", left)
	}
}
