package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"eventgraph/server"
)

var update = flag.Bool("update", false, "rewrite the expected answers of docs/examples, and the copies of them in the documentation, from the server's answers")

// The documentation's GraphQL examples live in docs/examples, one per name:
//
//	NAME.graphql            the document, as the documentation shows it
//	NAME.json               the server's answer to it, over the bundled seed data
//	NAME.variables.json     its variables, when it has any
//	NAME.trigger.graphql    for a subscription: the mutation that sets off the change
//	                        its answer shows
//
// Every ```graphql block in README.md and docs/*.md must be one of these documents,
// and the ```json blocks that follow it, up to the next ```graphql block or heading,
// must be its variables (if it has any) and then its answer, so no example in the
// documentation goes unchecked.
const (
	examplesDir = "../docs/examples"
	readmePath  = "../README.md"
	docsDir     = "../docs"
)

// nondeterministic maps the fields whose values differ from run to run (the times and
// versions of writes) to what expected answers show instead. Nothing else is
// normalised: cursors, ids and hashes are derived from the data and must match.
var nondeterministic = map[string]string{
	"at":         "<commit time>",
	"recordedAt": "<recording time>",
	"proposedAt": "<proposal time>",
	"version":    "<commit version>",
}

// example is one documented GraphQL example.
type example struct {
	name      string
	document  string
	variables map[string]any
	varsText  string // the variables file as written
	trigger   string // for a subscription
	operation ast.Operation
}

// mustLoadExamples reads docs/examples.
func mustLoadExamples(t *testing.T) []example {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples in %s: %v", examplesDir, err)
	}
	var out []example
	for _, f := range files {
		if strings.HasSuffix(f, ".trigger.graphql") {
			continue
		}
		ex := example{name: strings.TrimSuffix(filepath.Base(f), ".graphql"), document: mustRead(t, f)}
		doc, gerr := parser.ParseQuery(&ast.Source{Name: f, Input: ex.document})
		if gerr != nil || len(doc.Operations) != 1 {
			t.Fatalf("%s: want one operation: %v", f, gerr)
		}
		ex.operation = doc.Operations[0].Operation
		if b, err := os.ReadFile(strings.TrimSuffix(f, ".graphql") + ".variables.json"); err == nil {
			ex.varsText = string(b)
			if err := json.Unmarshal(b, &ex.variables); err != nil {
				t.Fatalf("%s variables: %v", ex.name, err)
			}
		}
		if ex.operation == ast.Subscription {
			ex.trigger = mustRead(t, strings.TrimSuffix(f, ".graphql")+".trigger.graphql")
		}
		out = append(out, ex)
	}
	all, err := filepath.Glob(filepath.Join(examplesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		name, _, _ := strings.Cut(filepath.Base(f), ".")
		if !slices.ContainsFunc(out, func(ex example) bool { return ex.name == name }) {
			t.Errorf("%s belongs to no example: there is no %s.graphql", f, name)
		}
	}
	return out
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDocumentationExamples runs every example against the real server over the
// bundled seed data and compares its answer with the expected one, exactly but for
// the nondeterministic fields. Queries share one server; each mutation and
// subscription gets a fresh one, so no example sees another's writes. -update
// rewrites the expected answers, and the answers shown in the documentation.
func TestDocumentationExamples(t *testing.T) {
	examples := mustLoadExamples(t)
	cfg := server.Config{Introspection: true}
	shared := mustStart(t, cfg, false)
	answers := map[string]string{}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			var raw []byte
			switch ex.operation {
			case ast.Query:
				raw = shared.mustPostRaw(t, ex.document, ex.variables)
			case ast.Mutation:
				raw = mustStart(t, cfg, false).mustPostRaw(t, ex.document, ex.variables)
			case ast.Subscription:
				raw = mustStart(t, cfg, false).mustFirstChange(t, ex)
			}
			got, err := normalised(raw)
			if err != nil {
				t.Fatalf("answer is not JSON: %v\n%s", err, raw)
			}
			answers[ex.name] = got
			path := filepath.Join(examplesDir, ex.name+".json")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := mustRead(t, path); got != want {
				t.Errorf("%s.graphql answers differently from %s (go test ./server -run TestDocumentationExamples -update rewrites it):\n%s",
					ex.name, path, lineDifference(want, got))
			}
		})
	}
	t.Run("DocumentationShowsOnlyExamples", func(t *testing.T) {
		for _, doc := range mustDocumentationFiles(t) {
			text := mustRead(t, doc)
			checked, problems := checkExampleBlocks(text, examples, answers)
			for _, p := range problems {
				t.Errorf("%s: %s", doc, p)
			}
			if *update && checked != text {
				if err := os.WriteFile(doc, []byte(checked), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// mustDocumentationFiles lists README.md and docs/*.md.
func mustDocumentationFiles(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{readmePath}, docs...)
}

// fence is a fenced code block of a Markdown text: its language and the byte range of
// its content.
type fence struct {
	lang       string
	start, end int
}

var fenceLine = regexp.MustCompile("(?m)^```([a-z]*)\n")

// fences lists the fenced code blocks of text, and the byte offsets of its headings.
func fences(text string) (blocks []fence, headings []int) {
	for _, m := range regexp.MustCompile(`(?m)^#+ `).FindAllStringIndex(text, -1) {
		headings = append(headings, m[0])
	}
	for at := 0; ; {
		open := fenceLine.FindStringSubmatchIndex(text[at:])
		if open == nil {
			return blocks, headings
		}
		start := at + open[1]
		end := strings.Index(text[start:], "```")
		if end < 0 {
			return blocks, headings
		}
		blocks = append(blocks, fence{lang: text[at+open[2] : at+open[3]], start: start, end: start + end})
		at = start + end + 3
	}
}

// checkExampleBlocks checks that every graphql block of a Markdown text is an
// example's document and that the json blocks after it are the example's variables
// and answer. It returns the text with those json blocks replaced by the answers the
// server gave (for -update), and the problems found.
func checkExampleBlocks(text string, examples []example, answers map[string]string) (string, []string) {
	blocks, headings := fences(text)
	var problems []string
	var replaced strings.Builder
	copied := 0
	for i, b := range blocks {
		if b.lang != "graphql" {
			continue
		}
		j := slices.IndexFunc(examples, func(ex example) bool { return ex.document == text[b.start:b.end] })
		if j < 0 {
			problems = append(problems, fmt.Sprintf("a graphql block at byte %d is none of the files in docs/examples:\n%s", b.start, text[b.start:b.end]))
			continue
		}
		ex := examples[j]
		want := []string{answers[ex.name]}
		if ex.varsText != "" {
			want = []string{ex.varsText, answers[ex.name]}
		}
		next := len(text)
		if k := slices.IndexFunc(headings, func(h int) bool { return h > b.end }); k >= 0 {
			next = headings[k]
		}
		shown := 0
		for _, jb := range blocks[i+1:] {
			if jb.start > next || jb.lang == "graphql" {
				break
			}
			if jb.lang != "json" {
				continue
			}
			if shown == len(want) {
				problems = append(problems, fmt.Sprintf("%s.graphql is followed by more json blocks than its variables and answer", ex.name))
				break
			}
			if got := text[jb.start:jb.end]; got != want[shown] {
				problems = append(problems, fmt.Sprintf("the json block %d after %s.graphql is not its %s:\n%s",
					shown+1, ex.name, map[bool]string{true: "variables", false: "answer"}[shown == 0 && ex.varsText != ""],
					lineDifference(want[shown], got)))
				replaced.WriteString(text[copied:jb.start])
				replaced.WriteString(want[shown])
				copied = jb.end
			}
			shown++
		}
	}
	replaced.WriteString(text[copied:])
	return replaced.String(), problems
}

// lineDifference shows the first line where got differs from want.
func lineDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return ""
}

// mustPostRaw posts a GraphQL request as application/json and returns the answer's
// body as sent.
func (s *testServer) mustPostRaw(t *testing.T, query string, vars map[string]any) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(s.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v: %s", resp.StatusCode, err, raw)
	}
	return raw
}

// mustFirstChange subscribes to ex over graphql-transport-ws and returns the payload
// of the first change delivered after its trigger runs. The protocol does not
// acknowledge a subscription, so the trigger is sent again, with $attempt set to 1,
// 2, …, until a change arrives; each attempt must write the same kinds and ids, so the
// answer does not depend on which one it was.
func (s *testServer) mustFirstChange(t *testing.T, ex example) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(websocket.StatusNormalClosure, "")
	type message struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	for _, m := range []message{{Type: "connection_init"}, {ID: "1", Type: "subscribe",
		Payload: json.RawMessage(must(json.Marshal(map[string]any{"query": ex.document, "variables": ex.variables})))}} {
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	received := make(chan message)
	go func() {
		defer close(received)
		for {
			var m message
			if wsjson.Read(ctx, conn, &m) != nil {
				return
			}
			if m.Type != "ping" && m.Type != "connection_ack" {
				received <- m
			}
		}
	}()
	for attempt := 1; ; attempt++ {
		s.mustPostRaw(t, ex.trigger, map[string]any{"attempt": fmt.Sprint("attempt ", attempt)})
		select {
		case m, ok := <-received:
			if !ok || m.Type != "next" {
				t.Fatalf("waiting for a change: %s %s (%v)", m.Type, m.Payload, ctx.Err())
			}
			return m.Payload
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// normalised is a JSON answer indented by two spaces, keys in the order sent, with the
// values of nondeterministic fields replaced.
func normalised(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b strings.Builder
	if err := writeNormalised(dec, &b, "", ""); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", fmt.Errorf("data after the answer")
	}
	b.WriteByte('\n')
	return b.String(), nil
}

// writeNormalised writes the next JSON value of dec, the value of field key, at the
// given indentation.
func writeNormalised(dec *json.Decoder, b *strings.Builder, key, indent string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		end := map[json.Delim]string{'{': "}", '[': "]"}[v]
		b.WriteString(v.String())
		n := 0
		for ; dec.More(); n++ {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n" + indent + "  ")
			field := ""
			if v == '{' {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				field = k.(string)
				writeString(b, field)
				b.WriteString(": ")
			}
			if err := writeNormalised(dec, b, field, indent+"  "); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		if n > 0 {
			b.WriteString("\n" + indent)
		}
		b.WriteString(end)
	case string:
		if placeholder, ok := nondeterministic[key]; ok {
			v = placeholder
		}
		writeString(b, v)
	case json.Number:
		b.WriteString(v.String())
	case bool:
		fmt.Fprint(b, v)
	case nil:
		b.WriteString("null")
	}
	return nil
}

// writeString writes s as a JSON string, escaping no more than JSON requires.
func writeString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
