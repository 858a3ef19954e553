package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/store/badgerkv"
	"eventgraph/store/layout"
)

// mustRun runs the eventgraph command with args and returns what it printed.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(context.Background(), args, &out, &errs); err != nil {
		t.Fatalf("eventgraph %s: %v\n%s", strings.Join(args, " "), err, errs.String())
	}
	return out.String(), errs.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodSeed = `sources:
  - key: wire
    title: Wire report
    text: "Envoys from Oman and Iran met in Muscat."
actors:
  - {key: oman, name: Oman, kind: STATE}
  - {key: iran, name: Iran, kind: STATE}
events:
  - {key: meeting, name: Muscat meeting, kind: NEGOTIATION, start: "2026-02"}
relations:
  - type: PARTICIPATED_IN
    from: oman
    to: meeting
    role: HOST
    evidence:
      - {source: wire, quote: "Envoys from Oman", confidence: 0.8}
`

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	good := writeFile(t, dir, "good.yaml", goodSeed)

	t.Run("DryRunWritesNothing", func(t *testing.T) {
		out, _ := mustRun(t, "import", "--data", data, "--dry-run", good)
		if !strings.Contains(out, "would import 4 nodes, 1 relations, 1 evidence") {
			t.Fatalf("dry run said %q", out)
		}
		out, _ = mustRun(t, "import", "--data", data, "--dry-run", good)
		if !strings.Contains(out, "would import 4 nodes") {
			t.Fatalf("a dry run wrote something: second dry run said %q", out)
		}
	})
	t.Run("ImportThenReimport", func(t *testing.T) {
		out, _ := mustRun(t, "import", "--data", data, good)
		if !strings.Contains(out, "imported 4 nodes, 1 relations, 1 evidence") {
			t.Fatalf("import said %q", out)
		}
		out, _ = mustRun(t, "import", "--data", data, good)
		if !strings.Contains(out, "imported 0 nodes, 0 relations, 0 evidence") {
			t.Fatalf("re-import said %q", out)
		}
	})
	t.Run("BadFileNamesFileAndLine", func(t *testing.T) {
		bad := writeFile(t, dir, "bad.yaml", strings.Replace(goodSeed, `quote: "Envoys from Oman"`, `quote: "Envoys from Qatar"`, 1))
		var out, errs bytes.Buffer
		err := run(context.Background(), []string{"import", "--data", data, bad}, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), "bad.yaml:16: evidence[0].quote: not found verbatim") {
			t.Fatalf("import of a bad file = %v", err)
		}
	})
	t.Run("EnvironmentSetsFlags", func(t *testing.T) {
		t.Setenv("EVENTGRAPH_DATA", data)
		t.Setenv("EVENTGRAPH_DRY_RUN", "true")
		out, _ := mustRun(t, "import", good)
		if !strings.Contains(out, "valid; would import 0 nodes") {
			t.Fatalf("EVENTGRAPH_DATA and EVENTGRAPH_DRY_RUN ignored: %q", out)
		}
	})
	t.Run("LockedDataDirectory", func(t *testing.T) {
		s, err := badgerkv.Open(badgerkv.Options{Dir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		err = run(context.Background(), []string{"import", "--data", data, good}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "is in use by another eventgraph process") {
			t.Fatalf("import into a locked directory = %v", err)
		}
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	mustRun(t, "generate", "--relations", "2000", "--seed", "7", "--out", a)
	mustRun(t, "generate", "--relations", "2000", "--seed", "7", "--out", b)
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatal("the same seed generated different files")
	}
	out, _ := mustRun(t, "import", "--data", filepath.Join(dir, "data"), a)
	if !strings.Contains(out, "2000 relations") {
		t.Fatalf("generated file imported as %q", out)
	}
}

// servingCommand is the serve command running in this test's process.
type servingCommand struct {
	url    string // the GraphQL endpoint it logged
	cancel context.CancelFunc
	done   chan error
	logs   chan string // everything it logged, once it has stopped
}

// mustServe runs the serve command with args until it logs that it is serving.
func mustServe(t *testing.T, args ...string) *servingCommand {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &servingCommand{cancel: cancel, done: make(chan error, 1), logs: make(chan string, 1)}
	logs, logw := io.Pipe()
	go func() {
		s.done <- run(ctx, append([]string{"serve"}, args...), io.Discard, logw)
		logw.Close()
	}()
	var seen strings.Builder
	lines := bufio.NewScanner(logs)
	for s.url == "" && lines.Scan() {
		seen.Write(lines.Bytes())
		seen.WriteByte('\n')
		var entry struct{ Msg, URL string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "serving" {
			s.url = entry.URL
		}
	}
	go func() {
		rest, _ := io.ReadAll(logs)
		s.logs <- seen.String() + string(rest)
	}()
	if s.url == "" {
		cancel()
		t.Fatalf("serve never logged its address: %v\n%s", <-s.done, <-s.logs)
	}
	t.Cleanup(cancel)
	return s
}

// mustStop stops the command as SIGINT would and returns what it logged.
func (s *servingCommand) mustStop(t *testing.T) string {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	return <-s.logs
}

// TestServeLoadsSeedAndStops starts the real command on a free loopback port, queries
// the bundled seed data through it, and stops it as SIGINT would.
func TestServeLoadsSeedAndStops(t *testing.T) {
	s := mustServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	url := s.url
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Post(url, "application/json", strings.NewReader(`{"query":"{ node(id: \"araghchi\") { ... on Actor { name } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"name":"Abbas Araghchi"`) {
		t.Fatalf("seeded server answered %s", body)
	}
	out, _ := mustRun(t, "load", "--url", url, "--clients", "2", "--duration", "300ms",
		"--query", `{ node(id: "araghchi") { id ... on Entity { relations(first: 10) { nodes { id evidence { quote } } } } } }`)
	if !strings.Contains(out, "(0 failed) from 2 clients") || !strings.Contains(out, "p99") {
		t.Fatalf("load reported %q", out)
	}
	var errs bytes.Buffer
	if err := run(context.Background(), []string{"load", "--url", url, "--duration", "200ms", "--query", "{ nope }"}, io.Discard, &errs); err == nil {
		t.Fatal("a load of failing queries reported success")
	}
	s.mustStop(t)
}

// mustPost posts a GraphQL query to url and returns the answer's body.
func mustPost(t *testing.T, url, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return string(answer)
}

// TestServeExecutionBounds: --request-timeout and --max-response-bytes reach the
// server, from the command line or from EVENTGRAPH_ variables.
func TestServeExecutionBounds(t *testing.T) {
	t.Setenv("EVENTGRAPH_REQUEST_TIMEOUT", "1ns")
	s := mustServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	if body := mustPost(t, s.url, `{ actors { totalCount } }`); !strings.Contains(body, `"code":"TIMEOUT"`) {
		t.Fatalf("with a deadline of 1ns, a query was answered %s", body)
	}
	s.mustStop(t)
	s = mustServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--request-timeout", "0", "--max-response-bytes", "100")
	if body := mustPost(t, s.url, `{ actors { totalCount } }`); !strings.Contains(body, `"totalCount":13`) {
		t.Fatalf("without a deadline, a small answer was %s", body)
	}
	if body := mustPost(t, s.url, `{ actors { nodes { name } } }`); !strings.Contains(body, `"code":"RESPONSE_TOO_LARGE"`) {
		t.Fatalf("an answer over 100 bytes was sent: %s", body)
	}
	s.mustStop(t)
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "--data", data, writeFile(t, dir, "good.yaml", goodSeed))
	out := filepath.Join(dir, "graph.jsonl")
	if stdout, _ := mustRun(t, "export", "--data", data, "--format", "seed", "--out", out); !strings.Contains(stdout, "exported seed") {
		t.Fatalf("export said %q", stdout)
	}
	stdout, _ := mustRun(t, "import", "--data", filepath.Join(dir, "again"), out)
	if !strings.Contains(stdout, "imported 4 nodes, 1 relations, 1 evidence") {
		t.Fatalf("importing the export said %q", stdout)
	}
	for _, f := range []string{"jsonld", "graphml", "csv"} {
		mustRun(t, "export", "--data", data, "--format", f, "--out", filepath.Join(dir, "graph."+f))
	}
	if err := run(context.Background(), []string{"export", "--data", data, "--format", "pdf", "--out", out}, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown format was accepted")
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	data, restored := filepath.Join(dir, "data"), filepath.Join(dir, "restored")
	mustRun(t, "import", "--data", data, writeFile(t, dir, "good.yaml", goodSeed))
	mustRun(t, "import", "--data", data, writeFile(t, dir, "more.yaml", "topics:\n  - key: later\n    name: Later\n"))
	file := filepath.Join(dir, "graph.backup")
	mustRun(t, "backup", "--data", data, "--out", file)
	mustRun(t, "restore", "--data", restored, file)
	exported := func(data string) string {
		out := filepath.Join(dir, filepath.Base(data)+".jsonl")
		mustRun(t, "export", "--data", data, "--format", "seed", "--out", out)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := exported(restored), exported(data); got != want || !strings.Contains(got, `"later"`) {
		t.Fatalf("the restored graph differs:\n%s\nwant\n%s", got, want)
	}
	versions := func(data string) []uint64 {
		kv, err := badgerkv.Open(badgerkv.Options{Dir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer kv.Close()
		var out []uint64
		kv.History(layout.NodeKey("later"), func(v uint64, _ []byte, _ bool) error { out = append(out, v); return nil })
		return append(out, kv.LatestVersion())
	}
	if got, want := versions(restored), versions(data); !slices.Equal(got, want) {
		t.Fatalf("versions after a restore %v, want %v: history and as-of need them", got, want)
	}
	if err := run(context.Background(), []string{"restore", "--data", data, file}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restoring over a store = %v, want a refusal", err)
	}
}

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "--data", data, mustWriteSeedArticle(t, dir))
	page := writeFile(t, dir, "page.html", `<html><body><nav>Home | Iran | Oman</nav><article>
<p>Abbas Araghchi arrived in Muscat for the Muscat talks.</p><p>Read More: Iran news</p></article></body></html>`)
	args := []string{"ingest", "--data", data, "--title", "Arrival", "--url", "https://example.org/arrival", "--publisher", "BBC", "--published", "2026-02-06", page}
	out, _ := mustRun(t, args...)
	if !strings.Contains(out, "4 mentions (4 new), 1 boilerplate lines skipped") || !strings.Contains(out, "candidates proposed") {
		t.Fatalf("ingest said %q", out)
	}
	if out, _ = mustRun(t, args...); !strings.Contains(out, "(0 new)") {
		t.Fatalf("ingesting again said %q", out)
	}
	out, _ = mustRun(t, "ingest", "--data", data, "--title", "T", "--url", "u", "--publisher", "Nobody Known", page)
	if !strings.Contains(out, "1 entities proposed (1 new)") {
		t.Fatalf("an unknown publisher: ingest said %q, want it proposed", out)
	}
}

// TestStoreFlag gives serve, import, export and ingest a --store that names no TiKV
// cluster: each is refused, saying what --store wants, and nothing is created in --data.
func TestStoreFlag(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	seedFile := writeFile(t, dir, "good.yaml", goodSeed)
	article := writeFile(t, dir, "article.txt", "Envoys met in Muscat.")
	for _, tc := range []struct{ store, want string }{
		{"http://pd:2379", `want tikv://PD1,PD2`},
		{"tikv://", `"" is not a PD server's host:port`},
		{"tikv://pd1:2379,pd2", `"pd2" is not a PD server's host:port`},
		{"tikv://:2379", `":2379" is not a PD server's host:port`},
	} {
		for _, args := range [][]string{
			{"serve", "--addr", "127.0.0.1:0"},
			{"import", seedFile},
			{"export", "--out", filepath.Join(dir, "out.jsonl")},
			{"ingest", "--title", "T", "--url", "https://example.org/a", article},
			{"backup", "--out", filepath.Join(dir, "backup")},
		} {
			args = append([]string{args[0], "--data", data, "--store", tc.store}, args[1:]...)
			err := run(context.Background(), args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("eventgraph %s: %v; want an error saying %s", strings.Join(args, " "), err, tc.want)
			}
		}
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--data %s after refused --store: %v, want absent", data, err)
	}
}
