package server_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"eventgraph/server"
)

// view is a set of entities on an analyst's canvas.
var view = []string{"witkoff", "kushner", "araghchi", "united-states", "iran", "muscat-talks"}

// TestBetween draws a view again from its entities over HTTP: the relations among them
// are exactly those of their neighbourhoods with both ends in the view.
func TestBetween(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type rel struct {
		ID       string
		From, To struct{ ID string }
	}
	var between struct {
		Between struct {
			Nodes     []struct{ ID string }
			Relations []rel
			Truncated bool
		}
	}
	s.mustQuery(t, `query($ids: [ID!]!) { between(ids: $ids) { nodes { id } relations { id from { id } to { id } } truncated } }`,
		map[string]any{"ids": view}, &between)
	want := map[string]bool{}
	for _, id := range view {
		var around struct{ Neighbourhood struct{ Relations []rel } }
		s.mustQuery(t, `query($id: ID!) { neighbourhood(id: $id) { relations { id from { id } to { id } } } }`, map[string]any{"id": id}, &around)
		for _, r := range around.Neighbourhood.Relations {
			if slices.Contains(view, r.From.ID) && slices.Contains(view, r.To.ID) {
				want[r.ID] = true
			}
		}
	}
	var got []string
	for _, r := range between.Between.Relations {
		got = append(got, r.ID)
	}
	if len(got) == 0 || len(got) != len(want) || slices.ContainsFunc(got, func(id string) bool { return !want[id] }) ||
		len(between.Between.Nodes) != len(view) || between.Between.Truncated {
		t.Fatalf("between %v: %d nodes, relations %v; want the %d relations %v", view, len(between.Between.Nodes), got, len(want), want)
	}
	s.mustFail(t, "NOT_FOUND", `{ between(ids: ["iran", "nobody"]) { truncated } }`, nil)
	many := make([]string, 501)
	for i := range many {
		many[i] = "iran"
	}
	s.mustFail(t, "QUERY_TOO_COMPLEX", `query($ids: [ID!]!) { between(ids: $ids) { truncated } }`, map[string]any{"ids": many})
}

// TestExportAView downloads a view's subgraph, an entity's neighbourhood at a past
// moment, and refuses what it cannot answer.
func TestExportAView(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	get := func(query string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(s.url + "/export?" + query)
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
	// records counts a seed export's lines by record kind, and lists its relations.
	records := func(body []byte) (map[string]int, []string) {
		t.Helper()
		counts := map[string]int{}
		var rels []string
		lines := bufio.NewScanner(strings.NewReader(string(body)))
		lines.Buffer(nil, 1<<24)
		for lines.Scan() {
			var rec struct{ Record, Type, From, To string }
			if err := json.Unmarshal(lines.Bytes(), &rec); err != nil {
				t.Fatalf("%v in %.200s", err, lines.Text())
			}
			counts[rec.Record]++
			if rec.Record == "relation" {
				rels = append(rels, rec.From+" "+rec.Type+" "+rec.To)
			}
		}
		return counts, rels
	}
	ids := url.Values{"format": {"seed"}, "depth": {"0"}, "id": view}

	resp, body := get(ids.Encode())
	counts, rels := records(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "eventgraph-witkoff-and-5.jsonl") {
		t.Fatalf("view export: %d %v", resp.StatusCode, resp.Header)
	}
	var between struct {
		Between struct {
			Relations []struct {
				Type     string
				From, To struct{ ID string }
			}
		}
	}
	s.mustQuery(t, `query($ids: [ID!]!) { between(ids: $ids) { relations { type from { id } to { id } } } }`, map[string]any{"ids": view}, &between)
	var want []string
	for _, r := range between.Between.Relations {
		want = append(want, r.From.ID+" "+r.Type+" "+r.To.ID)
	}
	slices.Sort(rels)
	slices.Sort(want)
	if !slices.Equal(rels, want) || counts["actor"]+counts["event"] != len(view) {
		t.Fatalf("view export: records %v, relations %v; want %d entities and relations %v", counts, rels, len(view), want)
	}

	resp, body = get("format=seed&id=iran&id=araghchi&depth=1")
	union, _ := records(body)
	_, iranBody := get("format=seed&id=iran&depth=1")
	iran, _ := records(iranBody)
	if resp.StatusCode != http.StatusOK || union["relation"] <= iran["relation"] {
		t.Fatalf("two neighbourhoods: %d %v, want more relations than Iran's alone %v", resp.StatusCode, union, iran)
	}

	if resp, body := get("format=seed&id=iran&asOf=2020"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("Iran as known in 2020, before the seed was loaded: %d %.200s, want 404", resp.StatusCode, body)
	}
	if resp, body := get("format=seed&asOf=2020"); resp.StatusCode != http.StatusOK || len(strings.TrimSpace(string(body))) != 0 {
		t.Fatalf("the graph as known in 2020: %d %.200s, want an empty export", resp.StatusCode, body)
	}
	for _, bad := range []string{"format=seed&depth=0", "format=seed&asOf=2020-13", "format=seed&id=iran&depth=4", "format=seed&id=iran&depth=-1",
		"format=seed&" + strings.Repeat("id=iran&", 501)} {
		if resp, body := get(bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "INVALID_INPUT") {
			t.Errorf("%.60s: %d %.200s, want 400 INVALID_INPUT", bad, resp.StatusCode, body)
		}
	}
}
