package server_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"eventgraph/server"
)

// TestChangesSince reads back, over HTTP, what an editor changed after a moment: each
// commit in order with its author and what it wrote (a new actor, a relation, a graded
// and a retracted evidence record's claim), within windows, pages and an asOf.
func TestChangesSince(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t)}, false)
	editor := s.as(editorToken)
	type change struct {
		Version, At, Author string
		Kinds               []string
		NodeIDs             []string `json:"nodeIds"`
		RelationIDs         []string `json:"relationIds"`
		NodeCount           int
		RelationCount       int
		EvidenceCount       int
	}
	type page struct {
		Changes struct {
			Nodes      []change
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	const changes = `query($since: Time!, $until: Time, $first: Int, $after: String, $asOf: Time) {
		changes(since: $since, until: $until, first: $first, after: $after, asOf: $asOf) {
			nodes { version at author kinds nodeIds relationIds nodeCount relationCount evidenceCount }
			totalCount pageInfo { hasNextPage endCursor } } }`
	read := func(vars map[string]any) page {
		t.Helper()
		var p page
		s.as(readerToken).mustQuery(t, changes, vars, &p)
		return p
	}

	seeded := read(map[string]any{"since": "1970"})
	if n := len(seeded.Changes.Nodes); n == 0 || seeded.Changes.Nodes[0].Author != "seed:us-iran-oman-talks.yaml" {
		t.Fatalf("the commits since 1970 start with %+v, want the seed import", seeded.Changes.Nodes)
	}
	if seeded.Changes.PageInfo.HasNextPage {
		t.Fatalf("the seed import's commits fill more than a page: %+v", seeded.Changes.PageInfo)
	}
	// before is the moment after the seed import's last commit, read from the server: a
	// commit's time is the store's clock, which on TiKV counts milliseconds (PD's), so a
	// moment read from this process's clock may fall inside the millisecond of a commit
	// made after it.
	lastSeeded, err := time.Parse(time.RFC3339Nano, seeded.Changes.Nodes[len(seeded.Changes.Nodes)-1].At)
	if err != nil {
		t.Fatal(err)
	}
	before := lastSeeded.Add(time.Nanosecond).Format(time.RFC3339Nano)
	if got := read(map[string]any{"since": before}); got.Changes.TotalCount != 0 {
		t.Fatalf("changes since now: %+v, want none", got)
	}

	editor.mustQuery(t, `mutation { upsertActor(input: {id: "grossi", name: "Rafael Grossi", kind: PERSON}) { id } }`, nil, &struct{}{})
	var added struct{ AddRelation struct{ ID string } }
	editor.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &added)
	rel := added.AddRelation.ID
	var evidence struct{ AddEvidence []struct{ ID string } }
	editor.mustQuery(t, addEvidenceQuery, map[string]any{"s": rel, "e": []any{
		map[string]any{"source": "oman-talks-article", "quote": "Oman", "occurrence": 1, "confidence": 0.5}}}, &evidence)
	ev := evidence.AddEvidence[0].ID
	editor.mustQuery(t, `mutation($rel: ID!, $ev: ID!) { setCredibility(subject: $rel, evidence: $ev, credibility: 2) { id } }`,
		map[string]any{"rel": rel, "ev": ev}, &struct{}{})
	editor.mustQuery(t, `mutation($id: ID!) { retract(id: $id, reason: "a mention, not support") { id } }`, map[string]any{"id": ev}, &struct{}{})

	all := read(map[string]any{"since": before})
	got := all.Changes.Nodes
	if len(got) != 5 || all.Changes.TotalCount != 5 || all.Changes.PageInfo.HasNextPage {
		t.Fatalf("changes since %s: %+v, want the editor's 5 commits", before, all.Changes)
	}
	want := []struct {
		nodes, relations []string
		counts           [3]int
	}{
		{nodes: []string{"grossi"}, counts: [3]int{1, 0, 0}},
		{relations: []string{rel}, counts: [3]int{0, 1, 1}},
		{relations: []string{rel}, counts: [3]int{0, 0, 1}},
		{relations: []string{rel}, counts: [3]int{0, 0, 1}},
		{relations: []string{rel}, counts: [3]int{0, 0, 1}},
	}
	for i, c := range got {
		w := want[i]
		if c.Author != "Ed Editor" || !slices.Equal(c.NodeIDs, w.nodes) || !slices.Equal(c.RelationIDs, w.relations) ||
			[3]int{c.NodeCount, c.RelationCount, c.EvidenceCount} != w.counts {
			t.Errorf("commit %d: %+v, want by Ed Editor nodes %v relations %v counts %v", i, c, w.nodes, w.relations, w.counts)
		}
		if i > 0 && must(strconv.ParseUint(c.Version, 10, 64)) <= must(strconv.ParseUint(got[i-1].Version, 10, 64)) {
			t.Errorf("commit %d (%s) is not after commit %d (%s)", i, c.Version, i-1, got[i-1].Version)
		}
	}
	if !slices.Equal(got[1].Kinds, []string{"ACTOR", "PLACE"}) {
		t.Errorf("the relation's commit names kinds %v, want its ends' kinds", got[1].Kinds)
	}

	t.Run("window", func(t *testing.T) {
		p := read(map[string]any{"since": got[1].At, "until": got[3].At})
		if n := p.Changes.Nodes; len(n) != 2 || n[0].Version != got[1].Version || n[1].Version != got[2].Version {
			t.Fatalf("changes in [%s, %s): %+v, want commits 1 and 2", got[1].At, got[3].At, n)
		}
	})
	t.Run("pages", func(t *testing.T) {
		first := read(map[string]any{"since": before, "first": 2})
		if len(first.Changes.Nodes) != 2 || !first.Changes.PageInfo.HasNextPage || first.Changes.TotalCount != 5 {
			t.Fatalf("first page: %+v", first.Changes)
		}
		rest := read(map[string]any{"since": before, "after": *first.Changes.PageInfo.EndCursor})
		if len(rest.Changes.Nodes) != 3 || rest.Changes.Nodes[0].Version != got[2].Version || rest.Changes.PageInfo.HasNextPage {
			t.Fatalf("after %s: %+v, want commits 2 to 4", *first.Changes.PageInfo.EndCursor, rest.Changes)
		}
	})
	t.Run("asOf", func(t *testing.T) {
		p := read(map[string]any{"since": before, "asOf": got[1].At})
		if n := p.Changes.Nodes; len(n) != 2 || n[1].Version != got[1].Version {
			t.Fatalf("as of commit 1: %+v, want commits 0 and 1", n)
		}
	})
	t.Run("refused", func(t *testing.T) {
		s.as(readerToken).mustFail(t, "INVALID_INPUT", changes, map[string]any{"since": "2026-06", "until": "2025"})
		s.as(readerToken).mustFail(t, "INVALID_INPUT", changes, map[string]any{"since": "2025", "after": "not-a-version"})
		s.mustFail(t, server.CodeUnauthenticated, changes, map[string]any{"since": "2025"})
	})
}
