package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"eventgraph/seed/ingest"
	"eventgraph/server"
	"eventgraph/store/domain"
)

// TestCorroborationAndDisputes follows one claim as evidence arrives: a second source
// raises corroboration, a declared copy of it does not, two sources attributing the
// claim to one originator count it once, and a dispute makes the claim contested.
func TestCorroborationAndDisputes(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	write := func(query string, vars map[string]any) {
		t.Helper()
		s.mustQuery(t, query, vars, &struct{}{})
	}
	const (
		upsertActor  = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`
		upsertSource = `mutation($in: SourceInput!) { upsertSource(input: $in) { id } }`
		addEvidence  = addEvidenceQuery
	)
	var added struct{ AddRelation struct{ ID string } }
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &added)
	rel := added.AddRelation.ID

	type corroboration struct {
		Sources, Publishers int
		FirstSeen, LastSeen *string
	}
	claim := func() (c corroboration, contested bool, disputes int) {
		t.Helper()
		var data struct {
			Relation struct {
				Corroboration corroboration
				Contested     bool
				Disputes      []struct{ Stance string }
			}
		}
		s.mustQuery(t, `query($id: ID!) { relation(id: $id) { corroboration { sources publishers firstSeen lastSeen }
			contested disputes: evidence(stance: DISPUTES) { stance } } }`, map[string]any{"id": rel}, &data)
		return data.Relation.Corroboration, data.Relation.Contested, len(data.Relation.Disputes)
	}
	want := func(step string, sources, publishers int) {
		t.Helper()
		c, _, _ := claim()
		if c.Sources != sources || c.Publishers != publishers {
			t.Fatalf("%s: corroboration %+v, want %d sources and %d publishers", step, c, sources, publishers)
		}
	}
	want("one source", 1, 0)

	write(upsertActor, map[string]any{"in": map[string]any{"id": "wire", "name": "Wire Service", "kind": "MEDIA", "reliability": "B"}})
	write(upsertSource, map[string]any{"in": map[string]any{"id": "wire-report", "title": "Oman profile", "publisher": "wire",
		"publishedAt": "2026-01-10T00:00:00Z", "text": "Oman lies on the Arabian Peninsula, officials said."}})
	write(addEvidence, map[string]any{"s": rel, "e": []any{map[string]any{"source": "wire-report", "quote": "Oman lies on the Arabian Peninsula", "confidence": 0.8}}})
	want("a second source", 2, 1)
	if c, _, _ := claim(); c.FirstSeen == nil || *c.FirstSeen != "2026-01-10T00:00:00Z" || c.LastSeen == nil || *c.LastSeen == *c.FirstSeen {
		t.Fatalf("first and last seen: %+v", c)
	}

	write(upsertSource, map[string]any{"in": map[string]any{"id": "paper-reprint", "title": "Oman profile (reprint)", "copyOf": "wire-report",
		"publishedAt": "2026-01-11T00:00:00Z", "text": "Oman lies on the Arabian Peninsula, officials said."}})
	write(addEvidence, map[string]any{"s": rel, "e": []any{map[string]any{"source": "paper-reprint", "quote": "Oman lies on the Arabian Peninsula", "confidence": 0.8}}})
	want("a declared copy", 2, 1)

	write(upsertActor, map[string]any{"in": map[string]any{"id": "broadcaster", "name": "Broadcaster", "kind": "MEDIA"}})
	for _, blog := range []string{"blog-a", "blog-b"} {
		write(upsertSource, map[string]any{"in": map[string]any{"id": blog, "title": blog,
			"text": "As reported by the Broadcaster, Oman sits on the Arabian Peninsula."}})
		write(addEvidence, map[string]any{"s": rel, "e": []any{map[string]any{"source": blog, "quote": "Oman sits on the Arabian Peninsula",
			"attributedTo": "broadcaster", "confidence": 0.6}}})
	}
	want("two sources attributing it to one originator", 3, 2)

	if _, contested, _ := claim(); contested {
		t.Fatal("contested before any dispute")
	}
	write(upsertSource, map[string]any{"in": map[string]any{"id": "geo-atlas", "title": "Atlas",
		"text": "Oman is not on the Arabian Peninsula, some maps claim."}})
	write(addEvidence, map[string]any{"s": rel, "e": []any{map[string]any{"source": "geo-atlas", "quote": "Oman is not on the Arabian Peninsula",
		"stance": "DISPUTES", "confidence": 0.3}}})
	c, contested, disputes := claim()
	if !contested || disputes != 1 || c.Sources != 3 {
		t.Fatalf("after a dispute: contested %v, %d disputing, corroboration %+v", contested, disputes, c)
	}
	var list struct {
		Contested struct {
			TotalCount int
			Nodes      []struct{ ID string }
		}
	}
	s.mustQuery(t, `{ contested { totalCount nodes { id } } }`, nil, &list)
	if list.Contested.TotalCount != 1 || list.Contested.Nodes[0].ID != rel {
		t.Fatalf("contested = %+v", list.Contested)
	}

	s.mustFail(t, "EVIDENCE_REQUIRED", addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "muscat", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "geo-atlas", "quote": "Oman is not on the Arabian Peninsula", "stance": "DISPUTES", "confidence": 0.3}}}})
}

func TestGrades(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var evs struct {
		Relation *struct {
			Evidence []struct{ ID string }
		}
	}
	var rels struct {
		Node struct {
			Relations struct{ Nodes []struct{ ID string } }
		}
	}
	s.mustQuery(t, `{ node(id: "araghchi") { ... on Actor { relations(first: 1) { nodes { id } } } } }`, nil, &rels)
	rel := rels.Node.Relations.Nodes[0].ID
	s.mustQuery(t, `query($id: ID!) { relation(id: $id) { evidence { id } } }`, map[string]any{"id": rel}, &evs)
	ev := evs.Relation.Evidence[0].ID

	var graded struct {
		SetCredibility struct{ Credibility *int }
		SetReliability struct{ Reliability *string }
	}
	s.mustQuery(t, `mutation($rel: ID!, $ev: ID!) { setCredibility(subject: $rel, evidence: $ev, credibility: 2) { credibility }
		setReliability(actor: "iran", reliability: C) { reliability } }`, map[string]any{"rel": rel, "ev": ev}, &graded)
	if graded.SetCredibility.Credibility == nil || *graded.SetCredibility.Credibility != 2 ||
		graded.SetReliability.Reliability == nil || *graded.SetReliability.Reliability != "C" {
		t.Fatalf("grades = %+v", graded)
	}
	var back struct {
		Relation struct{ Evidence []struct{ Credibility *int } }
		Node     struct{ Reliability *string }
	}
	s.mustQuery(t, `query($rel: ID!) { relation(id: $rel) { evidence { credibility } } node(id: "iran") { ... on Actor { reliability } } }`,
		map[string]any{"rel": rel}, &back)
	if back.Relation.Evidence[0].Credibility == nil || *back.Relation.Evidence[0].Credibility != 2 || back.Node.Reliability == nil || *back.Node.Reliability != "C" {
		t.Fatalf("grades read back as %+v", back)
	}
	s.mustFail(t, "INVALID_INPUT", `mutation($rel: ID!, $ev: ID!) { setCredibility(subject: $rel, evidence: $ev, credibility: 7) { id } }`,
		map[string]any{"rel": rel, "ev": ev})
	s.mustFail(t, "NOT_FOUND", `mutation { setReliability(actor: "nobody", reliability: A) { id } }`, nil)
}

func TestDuplicates(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	s.mustQuery(t, `mutation { upsertActor(input: {id: "araqchi", name: "Abbas Araqchi", kind: PERSON}) { id } }`, nil, &struct{}{})
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "PARTICIPATED_IN", "from": "araqchi", "to": "muscat-talks", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "Foreign Minister Abbas Araghchi, signals", "confidence": 0.5}}}}, &struct{}{})
	type pair struct {
		A, B             struct{ ID string }
		Score            float64
		NameSimilarity   float64
		SharedNeighbours int
	}
	var data struct{ Actors, Places []pair }
	s.mustQuery(t, `{ actors: duplicates(kind: ACTOR, first: 5) { a { id } b { id } score nameSimilarity sharedNeighbours }
		places: duplicates(kind: PLACE) { a { id } b { id } } }`, nil, &data)
	if len(data.Actors) == 0 {
		t.Fatal("no duplicate candidates")
	}
	top := data.Actors[0]
	if top.A.ID != "araghchi" || top.B.ID != "araqchi" || top.NameSimilarity < 0.8 || top.SharedNeighbours < 1 || top.Score <= 0.75 {
		t.Fatalf("top candidate = %+v, want araghchi and araqchi with alike names and a shared neighbour", top)
	}
	for _, p := range data.Places {
		if p.A.ID == "araghchi" || p.B.ID == "araqchi" {
			t.Fatalf("a place search suggested actors: %+v", p)
		}
	}
}

func TestReviewQueueOverHTTP(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	text := "Abbas Araghchi arrived in Muscat for the US-Iran talks in Oman.\n"
	if _, err := ingest.Ingest(context.Background(), s.graph, ingest.Article{Source: domain.Source{ID: "arrival", Title: "Arrival",
		URL: "https://example.org/arrival", Text: text}}); err != nil {
		t.Fatal(err)
	}
	var queue struct {
		Candidates struct {
			TotalCount int
			Nodes      []struct {
				ID, Quote     string
				SuggestedType *string
				From, To      struct{ ID string }
			}
		}
	}
	s.mustQuery(t, `{ candidates { totalCount nodes { id quote suggestedType from { id } to { id } } } }`, nil, &queue)
	var pick string
	for _, c := range queue.Candidates.Nodes {
		if c.From.ID == "araghchi" && c.To.ID == "muscat-talks" && c.SuggestedType != nil && *c.SuggestedType == "PARTICIPATED_IN" {
			pick = c.ID
		}
	}
	if pick == "" || queue.Candidates.Nodes[0].Quote != strings.TrimSpace(text) {
		t.Fatalf("review queue = %+v", queue.Candidates)
	}
	var accepted struct {
		Accept struct {
			Type     string
			Evidence []struct {
				Quote      string
				Start, End int
				Source     struct{ ID string }
			}
		}
	}
	s.mustQuery(t, `mutation($id: ID!) { accept(id: $id, confidence: 0.7) { type evidence { quote start end source { id } } } }`, map[string]any{"id": pick}, &accepted)
	var found bool
	for _, ev := range accepted.Accept.Evidence {
		found = found || ev.Source.ID == "arrival" && ev.Quote == strings.TrimSpace(text) && ev.Start == 0 && ev.End == len(strings.TrimSpace(text))
	}
	if accepted.Accept.Type != "PARTICIPATED_IN" || !found {
		t.Fatalf("accepted = %+v", accepted.Accept)
	}
	s.mustFail(t, "INVALID_INPUT", `mutation($id: ID!) { accept(id: $id) { id } }`, map[string]any{"id": pick})
	var rejected struct {
		Reject struct{ Status, Reason string }
	}
	other := queue.Candidates.Nodes[0].ID
	if other == pick {
		other = queue.Candidates.Nodes[1].ID
	}
	s.mustQuery(t, `mutation($id: ID!) { reject(id: $id, reason: "not what the sentence says") { status reason } }`, map[string]any{"id": other}, &rejected)
	if rejected.Reject.Status != "REJECTED" {
		t.Fatalf("rejected = %+v", rejected)
	}
	var mentions struct {
		Node struct {
			Mentions struct {
				Nodes []struct {
					Quote, Stance string
					Source        struct{ ID string }
				}
			}
		}
	}
	s.mustQuery(t, `{ node(id: "araghchi") { ... on Actor { mentions { nodes { quote stance source { id } } } } } }`, nil, &mentions)
	if m := mentions.Node.Mentions.Nodes; len(m) != 1 || m[0].Quote != "Abbas Araghchi" || m[0].Stance != "MENTIONS" || m[0].Source.ID != "arrival" {
		t.Fatalf("mentions of araghchi = %+v", m)
	}
}

// TestRetract withdraws a relation, a position and an evidence record: each leaves
// current answers, stays visible with includeRetracted, and shows in history.
func TestRetract(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var rels struct {
		Node struct {
			Relations struct {
				TotalCount int
				Nodes      []struct {
					ID, Type string
					To       struct{ ID string }
				}
			}
		}
	}
	relations := func(include bool) (int, []string) {
		s.mustQuery(t, `query($inc: Boolean) { node(id: "araghchi") { ... on Actor { relations(first: 100, includeRetracted: $inc) { totalCount nodes { id type to { id } } } } } }`,
			map[string]any{"inc": include}, &rels)
		var ids []string
		for _, n := range rels.Node.Relations.Nodes {
			ids = append(ids, n.ID)
		}
		return rels.Node.Relations.TotalCount, ids
	}
	before, ids := relations(false)
	target := ids[0]
	var retracted struct {
		Retract struct {
			ID        string
			Retracted struct{ Reason, Author string }
		}
	}
	s.mustQuery(t, `mutation($id: ID!) { retract(id: $id, reason: "misread the article") { id ... on Relation { retracted { reason author } } } }`,
		map[string]any{"id": target}, &retracted)
	if retracted.Retract.Retracted.Reason != "misread the article" || retracted.Retract.Retracted.Author != "api" {
		t.Fatalf("retract answered %+v", retracted)
	}
	if n, ids := relations(false); n != before-1 || slices.Contains(ids, target) {
		t.Fatalf("after retracting %s: %d relations %v, want %d without it", target, n, ids, before-1)
	}
	if n, ids := relations(true); n != before || !slices.Contains(ids, target) {
		t.Fatalf("includeRetracted: %d relations, want %d with %s", n, before, target)
	}
	var hist struct {
		History []struct {
			Change  string
			Changed []string
		}
	}
	s.mustQuery(t, `query($id: ID!) { history(id: $id) { change changed } }`, map[string]any{"id": target}, &hist)
	if n := len(hist.History); n != 2 || !slices.Equal(hist.History[1].Changed, []string{"retracted"}) {
		t.Fatalf("history of the retracted relation = %+v", hist.History)
	}
	s.mustFail(t, "INVALID_INPUT", `mutation($id: ID!) { retract(id: $id, reason: "again") { id } }`, map[string]any{"id": target})

	var positions struct{ Positions []struct{ ID string } }
	s.mustQuery(t, `{ positions { id } }`, nil, &positions)
	pos := positions.Positions[0].ID
	s.mustQuery(t, `mutation($id: ID!) { retract(id: $id, reason: "withdrawn by the source") { id } }`, map[string]any{"id": pos}, &struct{}{})
	count := func(q string) int {
		var data struct{ Positions []struct{ ID string } }
		s.mustQuery(t, q, nil, &data)
		return len(data.Positions)
	}
	if all, live := count(`{ positions(includeRetracted: true) { id } }`), count(`{ positions { id } }`); live != len(positions.Positions)-1 || all != len(positions.Positions) {
		t.Fatalf("after retracting a position: %d live, %d in all, of %d", live, all, len(positions.Positions))
	}

	// Evidence: the last support of a live claim cannot go; one of two can.
	var claim struct {
		Relation struct {
			Evidence []struct{ ID string }
		}
	}
	var added struct{ AddRelation struct{ ID string } }
	s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
		"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
			map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &added)
	single := added.AddRelation.ID
	s.mustQuery(t, `query($id: ID!) { relation(id: $id) { evidence { id } } }`, map[string]any{"id": single}, &claim)
	s.mustFail(t, "EVIDENCE_REQUIRED", `mutation($id: ID!) { retract(id: $id, reason: "x") { id } }`, map[string]any{"id": claim.Relation.Evidence[0].ID})
	s.mustQuery(t, addEvidenceQuery, map[string]any{"s": single, "e": []any{map[string]any{
		"source": "oman-talks-article", "quote": "Oman's role as a mediator in US-Iran relations is not new.", "confidence": 0.4}}}, &struct{}{})
	s.mustQuery(t, `mutation($id: ID!) { retract(id: $id, reason: "quoted out of context") { id } }`, map[string]any{"id": claim.Relation.Evidence[0].ID}, &struct{}{})
	var after struct {
		Relation struct {
			Live, All     []struct{ ID string }
			Corroboration struct{ Sources int }
		}
	}
	s.mustQuery(t, `query($id: ID!) { relation(id: $id) { live: evidence { id } all: evidence(includeRetracted: true) { id } corroboration { sources } } }`,
		map[string]any{"id": single}, &after)
	if len(after.Relation.Live) != 1 || len(after.Relation.All) != 2 || after.Relation.Live[0].ID == claim.Relation.Evidence[0].ID {
		t.Fatalf("after retracting evidence: %+v", after.Relation)
	}
}

const addEvidenceQuery = `mutation($s: ID!, $e: [EvidenceInput!]!) { addEvidence(subject: $s, evidence: $e) { id } }`

// TestMergeThenUnmerge merges two actors, checks that the old id resolves to the merged
// one and that relations moved, then unmerges and checks that every list answers as
// before the merge.
func TestMergeThenUnmerge(t *testing.T) {
	s := mustStart(t, server.Config{MaxComplexity: 1 << 30}, false)
	dump := func() string { return s.mustDumpWithCounts(t, "Trump administration") }
	before := dump()
	var merged struct {
		Merge struct {
			ID   string
			Into struct {
				ID      string
				Aliases []string
			}
		}
	}
	s.mustQuery(t, `mutation { merge(into: "trump", from: ["trump-administration"]) { id into { id aliases } } }`, nil, &merged)
	if merged.Merge.Into.ID != "trump" || !slices.Contains(merged.Merge.Into.Aliases, "Trump administration") && !slices.ContainsFunc(merged.Merge.Into.Aliases, func(a string) bool { return strings.Contains(strings.ToLower(a), "administration") }) {
		t.Fatalf("merge answered %+v", merged.Merge)
	}
	var old struct {
		Node struct {
			ID        string
			Relations struct {
				Nodes []struct{ From, To struct{ ID string } }
			}
		}
	}
	s.mustQuery(t, `{ node(id: "trump-administration") { id ... on Actor { relations(first: 100) { nodes { from { id } to { id } } } } } }`, nil, &old)
	if old.Node.ID != "trump" {
		t.Fatalf("the merged id resolves to %q, want trump", old.Node.ID)
	}
	for _, r := range old.Node.Relations.Nodes {
		if r.From.ID == "trump-administration" || r.To.ID == "trump-administration" {
			t.Fatalf("a relation still names the merged actor: %+v", r)
		}
	}
	while := dump()
	if while == before || strings.Contains(while, `"id":"trump-administration"`) {
		t.Fatal("the merge changed nothing, or left the merged actor in a list")
	}
	var undone struct{ Unmerge []struct{ ID string } }
	s.mustQuery(t, `mutation($m: ID!) { unmerge(merge: $m) { id } }`, map[string]any{"m": merged.Merge.ID}, &undone)
	if len(undone.Unmerge) != 2 || undone.Unmerge[0].ID != "trump" || undone.Unmerge[1].ID != "trump-administration" {
		t.Fatalf("unmerge answered %+v", undone.Unmerge)
	}
	if after := dump(); after != before {
		t.Fatalf("after unmerge the graph differs from before the merge:\n%s\nwant\n%s", after, before)
	}
	s.mustFail(t, "INVALID_INPUT", `mutation($m: ID!) { unmerge(merge: $m) { id } }`, map[string]any{"m": merged.Merge.ID})
	s.mustFail(t, "INVALID_INPUT", `mutation { merge(into: "trump", from: ["muscat"]) { id } }`, nil)
}
