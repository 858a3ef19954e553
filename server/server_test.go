package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"eventgraph/seed"
	"eventgraph/server"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/storetest/testkv"
)

// testServer is the real server on a loopback port over a new store of the backend the
// tests run on (testkv).
type testServer struct {
	url   string
	graph *store.Graph
	token string // sent as a bearer token when set
}

// moment is now on the store's clock, as a GraphQL Time: every commit so far is at or
// before it, every later one after it. A moment read from this process's clock would
// not do: on TiKV a commit's time is PD's millisecond, so a commit made just after such
// a moment may be dated inside the millisecond before it.
func (s *testServer) moment() string {
	return kv.VersionTime(s.graph.KV().LatestVersion()).UTC().Format(time.RFC3339Nano)
}

// as returns the server seen by a client holding token.
func (s *testServer) as(token string) *testServer {
	c := *s
	c.token = token
	return &c
}

// mustStart opens a store (testkv.OpenOnDisk: Badger in a temp dir unless the tests run
// on memkv), loads the bundled seed unless empty is set, and serves it until the test
// ends.
func mustStart(t testing.TB, cfg server.Config, empty bool) *testServer {
	t.Helper()
	return mustServe(t, cfg, empty, testkv.OpenOnDisk(t), nil)
}

// mustStartOver is mustStart with the graph over wrap of the store.
func mustStartOver(t testing.TB, cfg server.Config, empty bool, wrap func(kv.Store) kv.Store) *testServer {
	t.Helper()
	return mustServe(t, cfg, empty, testkv.OpenOnDisk(t), wrap)
}

// mustStartWithBackups is mustStart over a store that writes backups, which GET
// /backup needs: the backend the tests run on when it does (Badger, TiKV), else Badger.
func mustStartWithBackups(t testing.TB, cfg server.Config, empty bool) *testServer {
	t.Helper()
	s := testkv.OpenOnDisk(t)
	if _, ok := s.(interface{ Backup(io.Writer) error }); !ok {
		s = testkv.OpenBadger(t)
	}
	return mustServe(t, cfg, empty, s, nil)
}

// mustServe serves s, the graph over wrap(s) when wrap is set, with GET /backup when s
// writes backups, as serve does.
func mustServe(t testing.TB, cfg server.Config, empty bool, s kv.Store, wrap func(kv.Store) kv.Store) *testServer {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if b, ok := s.(interface{ Backup(io.Writer) error }); ok {
		cfg.Backup = b.Backup
	}
	if wrap != nil {
		s = wrap(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g, err := store.Open(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !empty {
		set, err := seed.Bundled()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Import(ctx, g, set, seed.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- server.Serve(ctx, ln, g, cfg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &testServer{url: "http://" + ln.Addr().String(), graph: g}
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends a GraphQL request and returns the HTTP status and decoded body.
func (s *testServer) post(t *testing.T, accept, query string, vars map[string]any) (int, gqlResponse, http.Header) {
	t.Helper()
	return s.postContext(context.Background(), t, accept, query, vars)
}

// postContext is post, giving up when ctx is done.
func (s *testServer) postContext(ctx context.Context, t *testing.T, accept, query string, vars map[string]any) (int, gqlResponse, http.Header) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %s", raw)
	}
	return resp.StatusCode, out, resp.Header
}

// mustQuery runs a query that must succeed and decodes its data into v.
func (s *testServer) mustQuery(t *testing.T, query string, vars map[string]any, v any) {
	t.Helper()
	status, out, _ := s.post(t, "application/graphql-response+json", query, vars)
	if status != http.StatusOK || len(out.Errors) > 0 {
		t.Fatalf("query failed: status %d, errors %+v", status, out.Errors)
	}
	if err := json.Unmarshal(out.Data, v); err != nil {
		t.Fatal(err)
	}
}

// mustFail runs a query that must fail with the GraphQL error code.
func (s *testServer) mustFail(t *testing.T, code, query string, vars map[string]any) gqlResponse {
	t.Helper()
	_, out, _ := s.post(t, "application/json", query, vars)
	if len(out.Errors) == 0 {
		t.Fatalf("query succeeded; want error %s", code)
	}
	if got := out.Errors[0].Extensions["code"]; got != code {
		t.Fatalf("error code = %v, want %s (%+v)", got, code, out.Errors)
	}
	return out
}

type evidenceJSON struct {
	Quote  string `json:"quote"`
	Start  *int   `json:"start"`
	End    *int   `json:"end"`
	Source struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"source"`
}

func checkEvidence(t *testing.T, what string, evs []evidenceJSON) {
	t.Helper()
	if len(evs) == 0 {
		t.Errorf("%s has no evidence", what)
	}
	for _, ev := range evs {
		text := []rune(ev.Source.Text)
		if ev.Start == nil || ev.End == nil || *ev.End > len(text) || string(text[*ev.Start:*ev.End]) != ev.Quote {
			t.Errorf("%s: quote %q is not the source text at its offsets", what, ev.Quote)
		}
	}
}

const evidenceFields = `evidence { quote start end source { id text } }`

func TestSeedGraphIsComplete(t *testing.T) {
	s := mustStart(t, server.Config{MaxComplexity: 1 << 30}, false)
	var data struct {
		Actors struct {
			TotalCount int
			Nodes      []struct {
				ID        string
				Relations struct {
					TotalCount int
					Nodes      []struct {
						ID       string
						Type     string
						Evidence []evidenceJSON
					}
				}
			}
		}
		Events    struct{ TotalCount int }
		Topics    struct{ TotalCount int }
		Places    struct{ TotalCount int }
		Positions []struct {
			ID       string
			Evidence []evidenceJSON
		}
	}
	s.mustQuery(t, `{
		actors(first: 500) { totalCount nodes { id relations(first: 500, direction: OUT) { totalCount nodes { id type `+evidenceFields+` } } } }
		events { totalCount } topics { totalCount } places { totalCount }
		positions { id `+evidenceFields+` }
	}`, nil, &data)
	if data.Actors.TotalCount < 10 || data.Events.TotalCount < 8 || data.Topics.TotalCount != 5 || data.Places.TotalCount < 4 {
		t.Fatalf("seed graph too small: %d actors, %d events, %d topics, %d places",
			data.Actors.TotalCount, data.Events.TotalCount, data.Topics.TotalCount, data.Places.TotalCount)
	}
	relations := 0
	for _, a := range data.Actors.Nodes {
		for _, r := range a.Relations.Nodes {
			relations++
			checkEvidence(t, "relation "+r.ID, r.Evidence)
		}
	}
	if relations < 20 {
		t.Fatalf("only %d relations from actors", relations)
	}
	if len(data.Positions) < 8 {
		t.Fatalf("only %d positions", len(data.Positions))
	}
	for _, p := range data.Positions {
		checkEvidence(t, "position "+p.ID, p.Evidence)
	}
}

func TestSearchFoldsCaseAndAccents(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	for _, text := range []string{"araghchi", "ARAGHCHI", "Seyyed Abbas Araghchi", "Araghchí", "abbas"} {
		t.Run(text, func(t *testing.T) {
			var data struct {
				Search struct {
					Edges []struct {
						Score   float64
						Snippet string
						Node    struct{ ID, Name string }
					}
				}
			}
			s.mustQuery(t, `query($t: String!) { search(text: $t, kinds: [ACTOR]) { edges { score snippet node { id ... on Actor { name } } } } }`,
				map[string]any{"t": text}, &data)
			if len(data.Search.Edges) != 1 || data.Search.Edges[0].Node.ID != "araghchi" {
				t.Fatalf("search %q = %+v, want exactly the actor araghchi", text, data.Search.Edges)
			}
		})
	}
}

func TestPaginationVisitsEveryRelationOnce(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	for _, id := range []string{"iran", "united-states", "june-war"} {
		t.Run(id, func(t *testing.T) {
			var all struct {
				Node struct {
					Relations struct {
						TotalCount int
						Nodes      []struct{ ID string }
					}
				}
			}
			q := `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Entity {
				relations(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }`
			s.mustQuery(t, q, map[string]any{"id": id, "first": 500}, &all)
			want := all.Node.Relations.TotalCount
			if want < 3 || len(all.Node.Relations.Nodes) != want {
				t.Fatalf("%s: %d relations listed, totalCount %d", id, len(all.Node.Relations.Nodes), want)
			}
			seen := map[string]int{}
			var after any
			for pages := 0; ; pages++ {
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
				s.mustQuery(t, q, map[string]any{"id": id, "first": 2, "after": after}, &page)
				r := page.Node.Relations
				if r.TotalCount != want {
					t.Fatalf("totalCount changed between pages: %d != %d", r.TotalCount, want)
				}
				for _, n := range r.Nodes {
					seen[n.ID]++
				}
				if !r.PageInfo.HasNextPage {
					break
				}
				if pages > want {
					t.Fatal("pagination does not end")
				}
				after = r.PageInfo.EndCursor
			}
			if len(seen) != want {
				t.Fatalf("paging saw %d distinct relations, want %d", len(seen), want)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("relation %s seen %d times", id, n)
				}
			}
		})
	}
}

const addRelation = `mutation($in: RelationInput!) { addRelation(input: $in) { id type from { id } to { id } evidence { quote start end } } }`

func TestMutationsValidate(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	t.Run("EvidenceRequired", func(t *testing.T) {
		s.mustFail(t, "EVIDENCE_REQUIRED", addRelation, map[string]any{"in": map[string]any{
			"type": "ALLIED_WITH", "from": "oman", "to": "iran", "evidence": []any{}}})
	})
	t.Run("QuoteNotInSource", func(t *testing.T) {
		out := s.mustFail(t, "INVALID_INPUT", addRelation, map[string]any{"in": map[string]any{
			"type": "ALLIED_WITH", "from": "oman", "to": "iran", "evidence": []any{
				map[string]any{"source": "oman-talks-article", "quote": "Oman and Iran are allies", "confidence": 0.5}}}})
		if f := out.Errors[0].Extensions["field"]; f != "input.evidence[0].quote" {
			t.Fatalf("field = %v", f)
		}
	})
	t.Run("UnknownNode", func(t *testing.T) {
		s.mustFail(t, "INVALID_INPUT", addRelation, map[string]any{"in": map[string]any{
			"type": "ALLIED_WITH", "from": "nobody", "to": "iran", "evidence": []any{
				map[string]any{"source": "oman-talks-article", "quote": "Oman's role", "confidence": 0.5}}}})
	})
	t.Run("WrongEndKind", func(t *testing.T) {
		s.mustFail(t, "INVALID_INPUT", addRelation, map[string]any{"in": map[string]any{
			"type": "PARTICIPATED_IN", "from": "oman", "to": "iran", "evidence": []any{
				map[string]any{"source": "oman-talks-article", "quote": "Oman's role", "confidence": 0.5}}}})
	})
	t.Run("AddAndReadBack", func(t *testing.T) {
		var data struct {
			AddRelation struct {
				ID       string
				Evidence []struct {
					Quote      string
					Start, End int
				}
			}
		}
		s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
			"type": "LOCATED_IN", "from": "oman", "to": "arabian-peninsula", "evidence": []any{
				map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.9}}}}, &data)
		if len(data.AddRelation.Evidence) != 1 || data.AddRelation.Evidence[0].End-data.AddRelation.Evidence[0].Start != len("strategically located on the Arabian Peninsula") {
			t.Fatalf("added relation = %+v", data.AddRelation)
		}
	})
	t.Run("NotFoundIsNull", func(t *testing.T) {
		var data struct{ Node *struct{ ID string } }
		s.mustQuery(t, `{ node(id: "nobody") { id } }`, nil, &data)
		if data.Node != nil {
			t.Fatal("node(id: nobody) is not null")
		}
	})
}

// TestMutationFieldsStandAlone sends one document of three writes, the second refused:
// each field commits on its own, so the answer keeps the first one's result beside the
// second's null and error, the third still runs, and the writes are there to read.
func TestMutationFieldsStandAlone(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	const doc = `mutation {
		first: upsertActor(input: {id: "gulf-envoy", name: "Gulf envoy", kind: PERSON}) { id name }
		second: addRelation(input: {type: ALLIED_WITH, from: "gulf-envoy", to: "oman", evidence: []}) { id }
		third: upsertTopic(input: {id: "gulf-shipping", name: "Gulf shipping"}) { id }
	}`
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		t.Run(accept, func(t *testing.T) {
			status, out, _ := s.post(t, accept, doc, nil)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			var data map[string]json.RawMessage
			if err := json.Unmarshal(out.Data, &data); err != nil {
				t.Fatalf("data %s: %v", out.Data, err)
			}
			want := map[string]string{"first": `{"id":"gulf-envoy","name":"Gulf envoy"}`, "second": `null`, "third": `{"id":"gulf-shipping"}`}
			for field, w := range want {
				if string(data[field]) != w {
					t.Errorf("data.%s = %s, want %s", field, data[field], w)
				}
			}
			if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "EVIDENCE_REQUIRED" ||
				len(out.Errors[0].Path) != 1 || out.Errors[0].Path[0] != "second" {
				t.Errorf("errors %+v, want one EVIDENCE_REQUIRED at [second]", out.Errors)
			}
		})
	}
	var after struct {
		Actor, Topic *struct{ ID string }
	}
	s.mustQuery(t, `{ actor: node(id: "gulf-envoy") { id } topic: node(id: "gulf-shipping") { id } }`, nil, &after)
	if after.Actor == nil || after.Topic == nil {
		t.Fatalf("after the document: %+v, want the first and third writes committed", after)
	}
	var rels struct {
		Node struct{ Relations struct{ TotalCount int } }
	}
	s.mustQuery(t, `{ node(id: "gulf-envoy") { ... on Actor { relations { totalCount } } } }`, nil, &rels)
	if rels.Node.Relations.TotalCount != 0 {
		t.Fatalf("the refused relation was written: %+v", rels)
	}
}

func TestConcurrentMutationsLoseNothing(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	const writers, each = 6, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("analyst-%d-%d", w, i)
				var out struct{ UpsertActor struct{ ID string } }
				s.mustQuery(t, `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`,
					map[string]any{"in": map[string]any{"id": id, "name": "Analyst " + id, "kind": "PERSON"}}, &out)
				var rel struct{ AddRelation struct{ ID string } }
				s.mustQuery(t, addRelation, map[string]any{"in": map[string]any{
					"type": "MEMBER_OF", "from": id, "to": "iran", "evidence": []any{
						map[string]any{"source": "oman-talks-article", "quote": "Iran", "occurrence": 1 + w*each + i, "confidence": 0.1}}}}, &rel)
			}
		}()
	}
	wg.Wait()
	var data struct {
		Actors struct{ Nodes []struct{ ID string } }
		Node   struct{ Relations struct{ TotalCount int } }
	}
	s.mustQuery(t, `{ actors(first: 500) { nodes { id } } node(id: "iran") { ... on Actor { relations(types: [MEMBER_OF], direction: IN) { totalCount } } } }`, nil, &data)
	n := 0
	for _, a := range data.Actors.Nodes {
		if strings.HasPrefix(a.ID, "analyst-") {
			n++
		}
	}
	if n != writers*each || data.Node.Relations.TotalCount != writers*each {
		t.Fatalf("%d analysts and %d MEMBER_OF relations, want %d of each", n, data.Node.Relations.TotalCount, writers*each)
	}
}

func TestDataloadersBatchReads(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	b := &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Wire", Text: "Delegates met."}}}
	for i := range 50 {
		id := fmt.Sprintf("event-%02d", i)
		actor := fmt.Sprintf("actor-%02d", i)
		b.Nodes = append(b.Nodes,
			&domain.Event{EntityBase: domain.EntityBase{ID: id, Name: "Meeting " + id}, Kind: domain.EventNegotiation},
			&domain.Actor{EntityBase: domain.EntityBase{ID: actor, Name: "Delegate " + actor}, Kind: domain.ActorPerson})
		rel := domain.Relation{Type: domain.RelParticipatedIn, From: actor, To: id, Role: domain.RoleParticipant}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "Delegates met.", Confidence: 1, Method: "test"})
	}
	if _, err := s.graph.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	before := s.graph.Reads()
	var data struct {
		Events struct {
			Nodes []struct {
				Participants []struct {
					Actor struct{ Name string }
					Role  string
				}
			}
		}
	}
	s.mustQuery(t, `{ events(first: 50) { nodes { participants { role actor { name } } } } }`, nil, &data)
	reads := s.graph.Reads() - before
	if len(data.Events.Nodes) != 50 {
		t.Fatalf("%d events", len(data.Events.Nodes))
	}
	for _, e := range data.Events.Nodes {
		if len(e.Participants) != 1 || !strings.HasPrefix(e.Participants[0].Actor.Name, "Delegate ") {
			t.Fatalf("participants = %+v", e.Participants)
		}
	}
	// One read lists the events, one reads every event's participations (a batch
	// resolver hands all 50 events to one loader call), one reads their actors.
	if reads != 3 {
		t.Fatalf("50 events with participants took %d store reads; dataloaders should batch them", reads)
	}
	t.Logf("50 events with participants: %d store reads", reads)
}

func TestGraphQLOverHTTP(t *testing.T) {
	s := mustStart(t, server.Config{MaxBodyBytes: 4096, MaxComplexity: 5000}, true)
	t.Run("ValidationErrorJSONIs200", func(t *testing.T) {
		status, out, h := s.post(t, "application/json", `{ nope }`, nil)
		if status != 200 || h.Get("Content-Type") != "application/json" || len(out.Errors) == 0 {
			t.Fatalf("status %d, type %s, errors %v", status, h.Get("Content-Type"), out.Errors)
		}
		if out.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("code = %v", out.Errors[0].Extensions["code"])
		}
	})
	t.Run("ValidationErrorGraphQLResponseIs400WithoutData", func(t *testing.T) {
		body, _ := json.Marshal(map[string]any{"query": "{ nope }"})
		req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m map[string]any
		json.Unmarshal(raw, &m)
		if _, has := m["data"]; resp.StatusCode != 400 || has || resp.Header.Get("Content-Type") != "application/graphql-response+json" {
			t.Fatalf("status %d, body %s", resp.StatusCode, raw)
		}
	})
	t.Run("GetQuery", func(t *testing.T) {
		resp, err := http.Get(s.url + "/graphql?query=" + "%7Bactors%7BtotalCount%7D%7D")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(raw), `"totalCount":0`) {
			t.Fatalf("status %d, body %s", resp.StatusCode, raw)
		}
	})
	t.Run("GetMutationRefused", func(t *testing.T) {
		resp, err := http.Get(s.url + "/graphql?query=" + "mutation%7BupsertTopic(input:%7Bid:%22x%22,name:%22X%22%7D)%7Bid%7D%7D")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("BodyTooLarge", func(t *testing.T) {
		status, _, _ := s.post(t, "", `{ actors { totalCount } }`+strings.Repeat(" ", 5000), nil)
		if status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("SubscriptionOverPOSTRefused", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		status, out, _ := s.postContext(ctx, t, "application/graphql-response+json", `subscription { graphChanged { version } }`, nil)
		if status != http.StatusBadRequest || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_REQUEST" {
			t.Fatalf("status %d, errors %+v; want 400 BAD_REQUEST", status, out.Errors)
		}
	})
	t.Run("TrailingDataRefused", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", strings.NewReader(`{"query": "{ __typename }"} {"query": "{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
	})
	t.Run("NotAcceptable", func(t *testing.T) {
		status, _, _ := s.post(t, "text/html", `{ actors { totalCount } }`, nil)
		if status != http.StatusNotAcceptable {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("TooComplex", func(t *testing.T) {
		s.mustFail(t, "QUERY_TOO_COMPLEX", `{ actors(first: 500) { nodes { relations(first: 500) { nodes { id } } } } }`, nil)
	})
	t.Run("PageTooLarge", func(t *testing.T) {
		s.mustFail(t, "INVALID_INPUT", `{ actors(first: 501) { totalCount } }`, nil)
	})
	t.Run("IntrospectionOff", func(t *testing.T) {
		s.mustFail(t, "INTROSPECTION_DISABLED", `{ __schema { types { name } } }`, nil)
	})
	t.Run("IDEOff", func(t *testing.T) {
		for _, path := range []string{"/", "/graphiql", "/licenses.txt"} {
			resp, err := http.Get(s.url + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s with IDE off: %d, want 404", path, resp.StatusCode)
			}
		}
	})
	t.Run("Healthz", func(t *testing.T) {
		resp, err := http.Get(s.url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("healthz %d", resp.StatusCode)
		}
	})
}

func TestIntrospectionAndIDEOn(t *testing.T) {
	s := mustStart(t, server.Config{Introspection: true, IDE: true}, true)
	var data struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	s.mustQuery(t, `{ __schema { types { name } } }`, nil, &data)
	names := []string{}
	for _, ty := range data.Schema.Types {
		names = append(names, ty.Name)
	}
	for _, want := range []string{"Actor", "Relation", "Evidence", "Position", "Stance"} {
		if !slices.Contains(names, want) {
			t.Errorf("schema lacks %s", want)
		}
	}
	client := http.Client{Timeout: 5 * time.Second}
	for _, path := range []string{"/", "/graphiql"} {
		resp, err := client.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
	}
}

func TestNamedResolvesAliases(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	for _, tc := range []struct {
		name  string
		kinds []string
		want  []string
	}{
		{"Seyyed Abbás ARAGHCHI", nil, []string{"araghchi"}},
		{"araghchi", []string{"ACTOR"}, []string{"araghchi"}},
		{"Oman", []string{"ACTOR"}, []string{"oman"}},
		{"Abbas", nil, nil},
		// Other transliterations of a name, as other outlets spell it.
		{"Abbas Araqchi", nil, []string{"araghchi"}},
		{"Arakchi", []string{"ACTOR"}, []string{"araghchi"}},
		{"Omani", nil, nil},
		{"Witkopf", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var data struct{ Named []struct{ ID string } }
			s.mustQuery(t, `query($n: String!, $k: [NodeKind!]) { named(name: $n, kinds: $k) { id } }`,
				map[string]any{"n": tc.name, "k": tc.kinds}, &data)
			var got []string
			for _, n := range data.Named {
				got = append(got, n.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("named(%q) = %v, want %v (a word of a name is not the name)", tc.name, got, tc.want)
			}
		})
	}
}

// TestSearchToleratesTyposOverHTTP: a typo and another transliteration both find the name.
func TestSearchToleratesTyposOverHTTP(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var data struct {
		Search struct {
			Edges []struct {
				Score float64
				Node  struct{ ID string }
			}
		}
	}
	for _, text := range []string{"Araghchy", "Araqchi", "Abbas Arakchi"} {
		s.mustQuery(t, `query($q: String!) { search(text: $q) { edges { score node { id } } } }`, map[string]any{"q": text}, &data)
		if len(data.Search.Edges) == 0 || data.Search.Edges[0].Node.ID != "araghchi" {
			t.Fatalf("search %s = %+v; want Araghchi despite the spelling", text, data.Search.Edges)
		}
	}
}

func TestFullTextSearchOverHTTP(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type edge struct {
		Score      float64
		Field      string
		Snippet    string
		Highlights []struct{ Start, End int }
		Evidence   []struct {
			Quote   string
			Subject struct{ ID string }
		}
		Node struct{ ID string }
	}
	search := func(t *testing.T, args string) []edge {
		var data struct{ Search struct{ Edges []edge } }
		s.mustQuery(t, `{ search(`+args+`) { edges { score field snippet highlights { start end } evidence { quote subject { id } } node { id } } } }`, nil, &data)
		return data.Search.Edges
	}
	t.Run("quotes and texts, highlighted", func(t *testing.T) {
		edges := search(t, `text: "violent repression", first: 50`)
		var source *edge
		for i, e := range edges {
			if text := e.Field != "NAME" && e.Field != "ALIAS" && e.Field != "TITLE"; text && (e.Score <= 0 || e.Score >= 0.3) || len(e.Highlights) == 0 {
				t.Errorf("hit %+v: want highlights, and a score in (0, 0.3) for a text match", e)
			}
			for _, h := range e.Highlights {
				if w := strings.ToLower(string([]rune(e.Snippet)[h.Start:h.End])); w != "violent" && w != "repression" {
					t.Errorf("highlight %q in %q", w, e.Snippet)
				}
			}
			if e.Field == "TEXT" {
				source = &edges[i]
			}
		}
		if source == nil || source.Node.ID != "oman-talks-article" {
			t.Fatalf("the article's text holds the words: %+v", edges)
		}
		if len(source.Evidence) < 3 {
			t.Fatalf("the article has at least three quotes with both words; got %+v", source.Evidence)
		}
		for _, ev := range source.Evidence {
			if !strings.Contains(strings.ToLower(ev.Quote), "violent repression") || ev.Subject.ID == "" {
				t.Errorf("evidence %+v", ev)
			}
		}
	})
	t.Run("typo in a text word", func(t *testing.T) {
		edges := search(t, `text: "represion", kinds: [SOURCE]`)
		if len(edges) != 1 || edges[0].Node.ID != "oman-talks-article" {
			t.Fatalf("search represion = %+v", edges)
		}
	})
	t.Run("time window", func(t *testing.T) {
		all := search(t, `text: "war", first: 50`)
		june := search(t, `text: "war", from: "2025-06-01T00:00:00Z", to: "2025-07-01T00:00:00Z", first: 50`)
		if len(june) == 0 || len(june) >= len(all) {
			t.Fatalf("a window must keep some and drop some: %d of %d", len(june), len(all))
		}
		for _, e := range june {
			var data struct {
				Node struct{ When string }
			}
			s.mustQuery(t, `query($id: ID!) { node(id: $id) { ... on Event { when } } }`, map[string]any{"id": e.Node.ID}, &data)
			if w := data.Node.When; w != "2025" && !strings.HasPrefix(w, "2025-06") {
				t.Errorf("%s happened %q, outside June 2025", e.Node.ID, w)
			}
		}
	})
}

// TestRelationListsReadAhead checks that a list of relations is read ahead for the
// fields its query selects: the evidence of all of them in one read, and the entities
// at their ends in one more (none for a neighbourhood, which holds them already).
func TestRelationListsReadAhead(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	b := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "src", Title: "Wire", Text: "Delegates met."},
		&domain.Event{EntityBase: domain.EntityBase{ID: "summit", Name: "Summit"}, Kind: domain.EventNegotiation},
	}}
	for i := range 60 {
		actor := fmt.Sprintf("actor-%02d", i)
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: actor, Name: "Delegate " + actor}, Kind: domain.ActorPerson})
		rel := domain.Relation{Type: domain.RelParticipatedIn, From: actor, To: "summit", Role: domain.RoleParticipant}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "Delegates met.", Confidence: 1, Method: "test"})
	}
	if _, err := s.graph.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	type relation struct {
		From, To struct{ Name string }
		Evidence []struct{ Quote string }
	}
	mustUnmarshal := func(t *testing.T, raw json.RawMessage, v any) {
		t.Helper()
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	mustRelations := func(t *testing.T, rels []relation) {
		t.Helper()
		if len(rels) != 60 {
			t.Fatalf("%d relations", len(rels))
		}
		for _, r := range rels {
			if !strings.HasPrefix(r.From.Name, "Delegate ") || r.To.Name != "Summit" || len(r.Evidence) != 1 || r.Evidence[0].Quote != "Delegates met." {
				t.Fatalf("relation = %+v", r)
			}
		}
	}
	cases := []struct {
		name, query string
		reads       int64 // the listing's own reads, then evidence, then ends
		relations   func(data map[string]json.RawMessage) []relation
	}{
		{"Neighbourhood", `{ n: neighbourhood(id: "summit") { relations { ...ends evidence { quote } } } }
			fragment ends on Relation { from { name } to { name } }`, 2, func(d map[string]json.RawMessage) []relation {
			var n struct{ Relations []relation }
			mustUnmarshal(t, d["n"], &n)
			return n.Relations
		}},
		{"Connection", `{ n: node(id: "summit") { ... on Event { relations(first: 60) { edges { node { from { name } to { name } } } nodes { evidence { quote } } } } } }`, 4, func(d map[string]json.RawMessage) []relation {
			var n struct {
				Relations struct {
					Edges []struct{ Node relation }
					Nodes []relation
				}
			}
			mustUnmarshal(t, d["n"], &n)
			var out []relation
			for i, e := range n.Relations.Edges {
				e.Node.Evidence = n.Relations.Nodes[i].Evidence
				out = append(out, e.Node)
			}
			return out
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.graph.Reads()
			var data map[string]json.RawMessage
			s.mustQuery(t, c.query, nil, &data)
			reads := s.graph.Reads() - before
			mustRelations(t, c.relations(data))
			if reads != c.reads {
				t.Fatalf("%d store reads, want %d", reads, c.reads)
			}
		})
	}
}
