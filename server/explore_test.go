package server_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"eventgraph/graph"
	"eventgraph/server"
	"eventgraph/store/storetest"
)

func TestPathsCiteEveryHop(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var data struct {
		Paths []struct {
			Length int
			Hops   []struct {
				Forward  bool
				Relation struct {
					Type     string
					From, To struct{ ID string }
					Evidence []evidenceJSON
				}
			}
		}
	}
	s.mustQuery(t, `{ paths(from: "kushner", to: "araghchi", maxHops: 4, first: 3) { length hops { forward relation { type from { id } to { id } `+evidenceFields+` } } } }`, nil, &data)
	if len(data.Paths) == 0 {
		t.Fatal("no path from Kushner to Araghchi")
	}
	prev := 0
	for _, p := range data.Paths {
		if p.Length != len(p.Hops) || p.Length < prev {
			t.Fatalf("path lengths out of order or wrong: %+v", data.Paths)
		}
		prev = p.Length
		at := "kushner"
		for _, h := range p.Hops {
			from, to := h.Relation.From.ID, h.Relation.To.ID
			if !h.Forward {
				from, to = to, from
			}
			if from != at {
				t.Fatalf("hop %s %s→%s does not continue from %s", h.Relation.Type, from, to, at)
			}
			at = to
			checkEvidence(t, "hop "+h.Relation.Type, h.Relation.Evidence)
		}
		if at != "araghchi" {
			t.Fatalf("path ends at %s", at)
		}
	}
	var none struct{ Paths []struct{ Length int } }
	s.mustQuery(t, `{ paths(from: "kushner", to: "araghchi", maxHops: 1) { length } }`, nil, &none)
	if len(none.Paths) != 0 {
		t.Fatalf("paths within 1 hop = %+v, want an empty list", none.Paths)
	}
}

func TestNeighbourhood(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type subgraph struct {
		Neighbourhood struct {
			Nodes     []struct{ ID string }
			Relations []struct {
				Type     string
				Evidence []evidenceJSON
			}
			Truncated bool
		}
	}
	q := `query($id: ID!, $depth: Int, $types: [RelationType!], $limit: Int) {
		neighbourhood(id: $id, depth: $depth, types: $types, limit: $limit) {
			nodes { id } relations { type ` + evidenceFields + ` } truncated } }`
	var one subgraph
	s.mustQuery(t, q, map[string]any{"id": "muscat-talks", "types": []string{"PARTICIPATED_IN"}}, &one)
	n := one.Neighbourhood
	// Oman takes part twice (mediator, host), so there are fewer nodes than relations + 1.
	if n.Truncated || len(n.Relations) < 5 || len(n.Nodes) < 5 || len(n.Nodes) > len(n.Relations)+1 {
		t.Fatalf("participants of the talks: %d relations, %d nodes, truncated %v", len(n.Relations), len(n.Nodes), n.Truncated)
	}
	for _, r := range n.Relations {
		if r.Type != "PARTICIPATED_IN" {
			t.Fatalf("type filter let %s through", r.Type)
		}
		checkEvidence(t, "relation", r.Evidence)
	}
	var wide subgraph
	s.mustQuery(t, q, map[string]any{"id": "muscat-talks", "depth": 2, "limit": 7}, &wide)
	if len(wide.Neighbourhood.Relations) != 7 || !wide.Neighbourhood.Truncated {
		t.Fatalf("depth 2 limit 7: %d relations, truncated %v", len(wide.Neighbourhood.Relations), wide.Neighbourhood.Truncated)
	}
}

func TestExplorationBounds(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	for name, q := range map[string]string{
		"depth":   `{ neighbourhood(id: "iran", depth: 4) { truncated } }`,
		"limit":   `{ neighbourhood(id: "iran", limit: 2001) { truncated } }`,
		"maxHops": `{ paths(from: "iran", to: "oman", maxHops: 7) { length } }`,
		"first":   `{ paths(from: "iran", to: "oman", first: 11) { length } }`,
		"text":    `{ search(text: "` + strings.Repeat("iran oman ", 10) + manyWords(graph.MaxSearchWords-1) + `") { totalCount } }`,
	} {
		t.Run(name, func(t *testing.T) {
			out := s.mustFail(t, "QUERY_TOO_COMPLEX", q, nil)
			if out.Errors[0].Extensions["max"] == nil {
				t.Fatalf("the error does not tell the bound: %+v", out.Errors[0])
			}
		})
	}
	t.Run("text within the bound", func(t *testing.T) {
		var data map[string]any
		s.mustQuery(t, `{ search(text: "iran iran `+manyWords(graph.MaxSearchWords-1)+`") { totalCount } }`, nil, &data)
	})
}

// manyWords returns n distinct words.
func manyWords(n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	return strings.Join(words, " ")
}

func TestNeighbourhoodOfNothing(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	s.mustFail(t, "NOT_FOUND", `{ neighbourhood(id: "nobody") { truncated } }`, nil)
	s.mustFail(t, "NOT_FOUND", `{ neighbourhood(id: "oman-talks-article") { truncated } }`, nil)
}

func TestStancesShowConflicts(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var data struct {
		Stances struct {
			Rows []struct {
				Topic struct{ ID string }
				Cells []struct {
					Actor     struct{ ID string }
					Positions []struct {
						Stance   string
						Evidence []evidenceJSON
					}
				}
				Conflicts []struct {
					A, B struct {
						Stance string
						Holder struct{ ID string }
					}
				}
			}
		}
	}
	s.mustQuery(t, `{ stances(topics: ["ballistic-missiles", "support-for-regional-groups"], actors: ["united-states", "iran"]) {
		rows { topic { id } cells { actor { id } positions { stance `+evidenceFields+` } }
		conflicts { a { stance holder { id } } b { stance holder { id } } } } } }`, nil, &data)
	rows := data.Stances.Rows
	if len(rows) != 2 || rows[0].Topic.ID != "ballistic-missiles" {
		t.Fatalf("rows = %+v", rows)
	}
	missiles := rows[0]
	if len(missiles.Cells) != 2 || missiles.Cells[0].Actor.ID != "united-states" || missiles.Cells[1].Actor.ID != "iran" {
		t.Fatalf("cells = %+v", missiles.Cells)
	}
	for _, c := range missiles.Cells {
		for _, p := range c.Positions {
			checkEvidence(t, c.Actor.ID+" on missiles", p.Evidence)
		}
	}
	if len(missiles.Conflicts) != 1 || missiles.Conflicts[0].A.Stance != "DEMANDS" || missiles.Conflicts[0].B.Stance != "RULES_OUT" {
		t.Fatalf("missile conflicts = %+v; want the US demand against Iran ruling it out", missiles.Conflicts)
	}
	groups := rows[1]
	if len(groups.Cells[1].Positions) != 0 || len(groups.Conflicts) != 0 {
		t.Fatalf("regional groups: the article gives no Iranian position, yet %+v", groups)
	}

	var all struct {
		Stances struct {
			Rows []struct{ Topic struct{ ID string } }
		}
	}
	s.mustQuery(t, `{ stances { rows { topic { id } } } }`, nil, &all)
	if len(all.Stances.Rows) != 5 {
		t.Fatalf("every topic with positions: %d rows, want 5", len(all.Stances.Rows))
	}
	s.mustFail(t, "NOT_FOUND", `{ stances(topics: ["nowhere"]) { rows { topic { id } } } }`, nil)
}

func TestTimelineOrdersByPrecision(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	upsert := `mutation($in: EventInput!) { upsertEvent(input: $in) { id } }`
	for _, ev := range []map[string]any{
		{"id": "unknown", "name": "Undated", "kind": "OTHER"},
		{"id": "day-13", "name": "13 June", "kind": "OTHER", "start": "2025-06-13T00:00:00Z", "precision": "DAY"},
		{"id": "june", "name": "June", "kind": "WAR", "start": "2025-06-01T00:00:00Z", "precision": "MONTH"},
		{"id": "may-20", "name": "20 May", "kind": "OTHER", "start": "2025-05-20T00:00:00Z", "precision": "DAY"},
		{"id": "year", "name": "2025", "kind": "OTHER", "start": "2025-01-01T00:00:00Z", "precision": "YEAR"},
		{"id": "june-1", "name": "1 June", "kind": "OTHER", "start": "2025-06-01T00:00:00Z", "precision": "DAY"},
	} {
		var out struct{ UpsertEvent struct{ ID string } }
		s.mustQuery(t, upsert, map[string]any{"in": ev}, &out)
	}
	var data struct {
		Timeline struct {
			Nodes []struct {
				ID   string
				When *string
			}
		}
	}
	s.mustQuery(t, `{ timeline { nodes { id when } } }`, nil, &data)
	var got []string
	for _, n := range data.Timeline.Nodes {
		got = append(got, n.ID)
	}
	want := "[year may-20 june june-1 day-13 unknown]"
	if fmt.Sprint(got) != want {
		t.Fatalf("timeline order = %v, want %s (coarser spans ahead of the days in them, unknown last)", got, want)
	}
	if w := data.Timeline.Nodes[2].When; w == nil || *w != "2025-06" {
		t.Fatalf("a month-precision event displays as %v, want 2025-06", w)
	}
	var june struct {
		Timeline struct{ Nodes []struct{ ID string } }
	}
	s.mustQuery(t, `{ timeline(from: "2025-06-10T00:00:00Z", to: "2025-06-20T00:00:00Z") { nodes { id } } }`, nil, &june)
	got = nil
	for _, n := range june.Timeline.Nodes {
		got = append(got, n.ID)
	}
	if fmt.Sprint(got) != "[year june day-13]" {
		t.Fatalf("events overlapping 10–20 June = %v; the year and the month span it", got)
	}
}

func TestTimelineFilters(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	ids := func(q string) []string {
		var data struct {
			Timeline struct{ Nodes []struct{ ID string } }
		}
		s.mustQuery(t, q, nil, &data)
		var out []string
		for _, n := range data.Timeline.Nodes {
			out = append(out, n.ID)
		}
		return out
	}
	if got := ids(`{ timeline(place: "oman-country") { nodes { id } } }`); !slices.Contains(got, "muscat-talks") {
		t.Fatalf("events in Oman = %v; the Muscat talks are in Muscat, within Oman", got)
	}
	if got := ids(`{ timeline(entity: "araghchi") { nodes { id } } }`); fmt.Sprint(got) != "[muscat-talks]" {
		t.Fatalf("events linked to Araghchi = %v", got)
	}
	if got := ids(`{ timeline(topic: "iran-nuclear-programme", entity: "witkoff") { nodes { id } } }`); fmt.Sprint(got) != "[muscat-talks]" {
		t.Fatalf("events about the nuclear programme with Witkoff = %v", got)
	}
	s.mustFail(t, "NOT_FOUND", `{ timeline(place: "atlantis") { totalCount } }`, nil)
}

func TestAggregatesAndCentral(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type count struct {
		Key   string
		Count int
	}
	var data struct {
		Aggregates struct {
			EventsByKind, EventsByMonth, RelationsByType, SourcesByPublisher []count
		}
		Central []struct {
			Entity      struct{ ID string }
			Degree      int
			Betweenness *float64
		}
	}
	s.mustQuery(t, `{ aggregates { eventsByKind { key count } eventsByMonth { key count } relationsByType { key count } sourcesByPublisher { key count } }
		central(kinds: [ACTOR], first: 3) { entity { id } degree betweenness } }`, nil, &data)
	sum := func(cs []count) int {
		n := 0
		for _, c := range cs {
			n += c.Count
		}
		return n
	}
	a := data.Aggregates
	if sum(a.EventsByKind) != 11 || sum(a.EventsByMonth) != 11 || sum(a.RelationsByType) != 63 {
		t.Fatalf("aggregates: %d events by kind, %d by month, %d relations; want 11, 11, 63", sum(a.EventsByKind), sum(a.EventsByMonth), sum(a.RelationsByType))
	}
	if !slices.Contains(a.EventsByMonth, count{"2025-06", 2}) || fmt.Sprint(a.SourcesByPublisher) != "[{unknown 1}]" {
		t.Fatalf("by month %v, by publisher %v", a.EventsByMonth, a.SourcesByPublisher)
	}
	c := data.Central
	if len(c) != 3 || c[0].Degree < c[1].Degree || c[1].Degree < c[2].Degree || c[0].Entity.ID != "united-states" {
		t.Fatalf("central actors = %+v; the United States is the most connected in the article", c)
	}
	var deg struct {
		Node struct{ Relations struct{ TotalCount int } }
	}
	s.mustQuery(t, `{ node(id: "united-states") { ... on Entity { relations { totalCount } } } }`, nil, &deg)
	if deg.Node.Relations.TotalCount != c[0].Degree {
		t.Fatalf("degree %d but the US has %d relations", c[0].Degree, deg.Node.Relations.TotalCount)
	}
}

// mustDegrees is the maintained degree of each of the 100 best connected entities,
// in the window args (", from: …, to: …", or "") selects.
func (s *testServer) mustDegrees(t *testing.T, args string) map[string]int {
	t.Helper()
	var data struct {
		Central []struct {
			Entity struct{ ID string }
			Degree int
		}
	}
	s.mustQuery(t, `{ central(first: 100`+args+`) { entity { id } degree } }`, nil, &data)
	out := map[string]int{}
	for _, c := range data.Central {
		out[c.Entity.ID] = c.Degree
	}
	return out
}

// mustRelationsOfType is how many relations of type the graph's aggregates count.
func (s *testServer) mustRelationsOfType(t *testing.T, relationType string) int {
	t.Helper()
	var data struct {
		Aggregates struct {
			RelationsByType []struct {
				Key   string
				Count int
			}
		}
	}
	s.mustQuery(t, `{ aggregates { relationsByType { key count } } }`, nil, &data)
	for _, c := range data.Aggregates.RelationsByType {
		if c.Key == relationType {
			return c.Count
		}
	}
	return 0
}

// TestCentralFollowsMutations checks over HTTP that degrees, windows and counts move with
// each write: a relation valid from 2030 counts in windows reaching 2030 only.
func TestCentralFollowsMutations(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	degrees := func(window string) map[string]int { return s.mustDegrees(t, window) }
	allied := func() int { return s.mustRelationsOfType(t, "ALLIED_WITH") }
	windows := []string{"", `, to: "2030-01-01T00:00:00Z"`, `, from: "2029-01-01T00:00:00Z", to: "2031-01-01T00:00:00Z"`, `, from: "2030-07-01T00:00:00Z"`}
	var before []map[string]int
	for _, w := range windows {
		before = append(before, degrees(w))
	}
	alliedBefore := allied()
	add := func(validTo any) {
		s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
			"type": "ALLIED_WITH", "from": "oman", "to": "iran", "validFrom": "2030-01-01T00:00:00Z", "validTo": validTo,
			"evidence": []any{map[string]any{"source": "oman-talks-article", "quote": "Oman's role", "confidence": 0.5}}}}, &struct{}{})
	}
	check := func(step string, gained []int) {
		t.Helper()
		for i, w := range windows {
			now := degrees(w)
			for _, id := range []string{"oman", "iran"} {
				if now[id] != before[i][id]+gained[i] {
					t.Errorf("%s: central(%s) gives %s degree %d, was %d; want +%d", step, w, id, now[id], before[i][id], gained[i])
				}
			}
		}
	}
	add(nil)
	check("added from 2030", []int{1, 0, 1, 1})
	add("2030-06-01T00:00:00Z")
	check("ended mid 2030", []int{1, 0, 1, 0})
	if n := allied(); n != alliedBefore+1 {
		t.Errorf("ALLIED_WITH count %d, was %d; want one more", n, alliedBefore)
	}
}

// TestRelationsInAWindow checks over HTTP that an entity's relations, windowed by valid
// time, are its neighbourhood's in the same window, page after page, and that the
// window drops a relation valid only after it.
func TestRelationsInAWindow(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var added struct{ AddRelation struct{ ID string } }
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "ALLIED_WITH", "from": "oman", "to": "iran", "validFrom": "2030-01-01T00:00:00Z", "validTo": "2030-06-01T00:00:00Z",
		"evidence": []any{map[string]any{"source": "oman-talks-article", "quote": "Oman's role", "confidence": 0.5}}}}, &added)
	later := added.AddRelation.ID
	for _, w := range []struct {
		vars      map[string]any
		withLater bool
	}{
		{map[string]any{}, true},
		{map[string]any{"to": "2029"}, false},
		{map[string]any{"from": "2030-03", "to": "2031"}, true},
		{map[string]any{"from": "2030-06"}, false},
	} {
		var hood struct {
			Neighbourhood struct{ Relations []struct{ ID string } }
		}
		s.mustQuery(t, `query($from: Time, $to: Time) { neighbourhood(id: "oman", from: $from, to: $to, limit: 2000) { relations { id } } }`, w.vars, &hood)
		var want []string
		for _, r := range hood.Neighbourhood.Relations {
			want = append(want, r.ID)
		}
		var got []string
		var total int
		after := any(nil)
		for {
			var page struct {
				Node struct {
					Relations struct {
						TotalCount int
						PageInfo   struct {
							HasNextPage bool
							EndCursor   string
						}
						Nodes []struct{ ID string }
					}
				}
			}
			vars := map[string]any{"after": after}
			maps.Copy(vars, w.vars)
			s.mustQuery(t, `query($from: Time, $to: Time, $after: String) { node(id: "oman") { ... on Entity {
				relations(from: $from, to: $to, first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }`, vars, &page)
			rels := page.Node.Relations
			total = rels.TotalCount
			for _, r := range rels.Nodes {
				got = append(got, r.ID)
			}
			if !rels.PageInfo.HasNextPage {
				break
			}
			after = rels.PageInfo.EndCursor
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || total != len(want) {
			t.Errorf("window %v: relations %v (total %d), neighbourhood %v", w.vars, got, total, want)
		}
		if slices.Contains(got, later) != w.withLater {
			t.Errorf("window %v: the relation valid in 2030 is listed: %v, want %v", w.vars, !w.withLater, w.withLater)
		}
	}
}

func TestRelationsPageAsLargeAsANeighbourhood(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	const allies = 1200
	storetest.MustApply(t, s.graph, storetest.AlliedHub(allies, nil))
	type page struct {
		Node struct {
			Relations struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []struct{ ID string }
			}
		}
	}
	const pageOf = `query($first: Int, $after: String) { node(id: "hub") { ... on Entity {
		relations(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }`
	var paged []string
	for after := any(nil); ; {
		var p page
		s.mustQuery(t, pageOf, map[string]any{"first": graph.MaxPageSize, "after": after}, &p)
		for _, r := range p.Node.Relations.Nodes {
			paged = append(paged, r.ID)
		}
		if !p.Node.Relations.PageInfo.HasNextPage {
			break
		}
		after = p.Node.Relations.PageInfo.EndCursor
	}
	var whole page
	s.mustQuery(t, pageOf, map[string]any{"first": graph.MaxRelationsPageSize}, &whole)
	var once []string
	for _, r := range whole.Node.Relations.Nodes {
		once = append(once, r.ID)
	}
	if len(once) != allies || whole.Node.Relations.TotalCount != allies || whole.Node.Relations.PageInfo.HasNextPage {
		t.Fatalf("first %d: %d relations of %d, hasNextPage %v; want all %d", graph.MaxRelationsPageSize, len(once), whole.Node.Relations.TotalCount, whole.Node.Relations.PageInfo.HasNextPage, allies)
	}
	if !slices.Equal(once, paged) {
		t.Errorf("one page of %d lists the relations otherwise than pages of %d", graph.MaxRelationsPageSize, graph.MaxPageSize)
	}
	s.mustFail(t, "INVALID_INPUT", pageOf, map[string]any{"first": graph.MaxRelationsPageSize + 1})
	s.mustFail(t, "INVALID_INPUT", `query($first: Int) { node(id: "hub") { ... on Entity { mentions(first: $first) { totalCount } } } }`,
		map[string]any{"first": graph.MaxPageSize + 1})
	s.mustFail(t, "QUERY_TOO_COMPLEX", `query($first: Int) { node(id: "hub") { ... on Entity {
		relations(first: $first) { nodes { id evidence { quote source { title } } } } } } }`, map[string]any{"first": graph.MaxRelationsPageSize})
}
