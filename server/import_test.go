package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/server"
	"eventgraph/store/domain"
)

// bundledFile is the bundled seed file, which takes its source's text from a text
// file beside it.
const bundledFile = "../seed/data/us-iran-oman-talks.yaml"

// TestImportThroughTheServer sends seed files to POST /import of a running server as
// eventgraph import does: the bundled file with its text file, again without effect,
// a dry run, and files with problems, reported at their lines and leaving the store as
// it was.
func TestImportThroughTheServer(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t)}, true)
	editor := server.Handoff{URL: s.url, Token: editorToken}
	ctx := context.Background()
	set := mustLoad(t, bundledFile)
	want, _, _ := set.Counts()

	t.Run("a dry run writes nothing", func(t *testing.T) {
		stats, err := server.SendImport(ctx, editor, set, true)
		if err != nil || !stats.DryRun || stats.Nodes != want {
			t.Fatalf("dry run: %+v, %v; want %d nodes", stats, err, want)
		}
		if _, err := s.graph.Node(ctx, "araghchi"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a dry run wrote araghchi: %v", err)
		}
	})
	t.Run("an editor imports the bundled file and its text file", func(t *testing.T) {
		stats, err := server.SendImport(ctx, editor, set, false)
		if err != nil || stats.DryRun || stats.Nodes != want || stats.Relations == 0 || stats.Evidence == 0 {
			t.Fatalf("import: %+v, %v; want %d nodes", stats, err, want)
		}
		var data struct{ History []struct{ Author string } }
		s.as(editorToken).mustQuery(t, `{ history(id: "araghchi") { author } }`, nil, &data)
		if len(data.History) != 1 || data.History[0].Author != "Ed Editor" {
			t.Fatalf("history = %+v, want the import by Ed Editor", data.History)
		}
	})
	t.Run("the same file again changes nothing", func(t *testing.T) {
		stats, err := server.SendImport(ctx, editor, set, false)
		if err != nil || stats != (server.ImportStats{}) {
			t.Fatalf("again: %+v, %v", stats, err)
		}
	})
	t.Run("files with problems: nothing written, each problem at its file, line and field", func(t *testing.T) {
		dir := t.TempDir()
		good := writeFile(t, dir, "good.jsonl", `{"record":"actor","key":"new-actor","name":"New Actor","kind":"PERSON"}`+"\n")
		bad := writeFile(t, dir, "sub/bad.yaml", "actors:\n  - key: odd-actor\n    name: Odd\n    kind: ALIEN\n"+
			"relations:\n  - type: LEADS\n    from: araghchi\n    to: nobody\n    evidence:\n      - source: oman-talks-article\n        quote: Araghchi\n        confidence: 0.9\n")
		_, err := server.SendImport(ctx, editor, mustLoad(t, good, bad), false)
		list, ok := seed.AsErrorList(err)
		if !ok || len(list.Errors) < 2 {
			t.Fatalf("err = %v, want its problems", err)
		}
		for i, want := range []string{bad + ":4: kind: ", bad + ":8: to: "} {
			if got := list.Errors[i].Error(); !strings.HasPrefix(got, want) {
				t.Errorf("problem %d = %q, want %q…", i, got, want)
			}
		}
		if _, err := s.graph.Node(ctx, "new-actor"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("the good file of a refused import was written: %v", err)
		}
	})
	t.Run("a text file not sent is reported with the names the client gave", func(t *testing.T) {
		status, body := postParts(t, s.url, editorToken, "file", "sub/source.yaml", "sources:\n  - key: s\n    title: T\n    textFile: ./missing.txt\n")
		var out struct{ Errors []server.ImportError }
		if err := json.Unmarshal(body, &out); err != nil || status != http.StatusUnprocessableEntity || len(out.Errors) != 1 {
			t.Fatalf("%d %s", status, body)
		}
		e := out.Errors[0]
		if e.Extensions.File != "sub/source.yaml" || e.Extensions.Line != 4 || e.Extensions.Field != "textFile" || e.Extensions.Code != "INVALID_INPUT" ||
			!strings.HasPrefix(e.Message, "cannot read sub/missing.txt:") {
			t.Fatalf("%+v", e)
		}
	})
}

// TestImportRefusals: what POST /import refuses, and how.
func TestImportRefusals(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t), MaxImportBytes: 4 << 10}, true)
	set := mustLoad(t, writeFile(t, t.TempDir(), "one.jsonl", `{"record":"actor","key":"new-actor","name":"New Actor","kind":"PERSON"}`+"\n"))
	for _, tc := range []struct {
		name, token string
		code        string
	}{
		{"no token", "", server.CodeUnauthenticated},
		{"a reader's token", readerToken, server.CodeForbidden},
	} {
		_, err := server.SendImport(context.Background(), server.Handoff{URL: s.url, Token: tc.token}, set, false)
		if err == nil || !strings.Contains(err.Error(), tc.code) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}

	post := func(method, contentType string, body io.Reader) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, s.url+"/import", body)
		req.Header.Set("Authorization", "Bearer "+editorToken)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Errors []server.ImportError
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) == 0 {
			t.Fatalf("%s: %d without a JSON error: %v", method, resp.StatusCode, err)
		}
		return resp.StatusCode, out.Errors[0].Extensions.Code, resp.Header
	}
	if status, code, header := post(http.MethodGet, "", nil); status != http.StatusMethodNotAllowed || code != server.CodeMethodNotAllowed || header.Get("Allow") != http.MethodPost {
		t.Errorf("GET: %d %s, Allow %q", status, code, header.Get("Allow"))
	}
	if status, _, _ := post(http.MethodPost, "application/json", strings.NewReader("{}")); status != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d, want 415", status)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "big.jsonl")
	part.Write(bytes.Repeat([]byte(`{"record":"actor","key":"big","name":"Big","kind":"PERSON"}`+"\n"), 100))
	mw.Close()
	if status, code, _ := post(http.MethodPost, mw.FormDataContentType(), &body); status != http.StatusRequestEntityTooLarge || code != server.CodeTooLarge {
		t.Errorf("oversize: %d %s, want 413 %s", status, code, server.CodeTooLarge)
	}
	if _, err := s.graph.Node(context.Background(), "big"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("an oversize import was written: %v", err)
	}
}

func mustLoad(t *testing.T, files ...string) *seed.Set {
	t.Helper()
	set, err := seed.LoadFiles(files...)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// postParts posts a multipart body of parts given as form name, filename and text.
func postParts(t *testing.T, url, token string, parts ...string) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+2 < len(parts); i += 3 {
		w, _ := mw.CreateFormFile(parts[i], parts[i+1])
		io.WriteString(w, parts[i+2])
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, url+"/import", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
