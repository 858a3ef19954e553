package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// gql sends one GraphQL request and decodes its answer; ok is false when the request
// failed or the answer carries errors.
func gql(client *http.Client, url, query string, vars map[string]any, data any) (ok bool) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []any
	}
	if json.NewDecoder(resp.Body).Decode(&out) != nil || resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		return false
	}
	return data == nil || json.Unmarshal(out.Data, data) == nil
}

// TestKilledServerKeepsAcknowledgedWrites kills a real `eventgraph serve` (SIGKILL)
// while eight clients write, restarts it on the same data directory and requires every
// write it acknowledged to be there: actors, and relations with their evidence.
func TestKilledServerKeepsAcknowledgedWrites(t *testing.T) {
	const trials, writers = 3, 8
	dir := t.TempDir()
	client := &http.Client{Timeout: 10 * time.Second}
	proc := startServing(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--no-seed")
	url := proc.url
	setup := `mutation {
		upsertSource(input: {id: "wire", title: "Wire", text: "Envoys met in Muscat."}) { id }
		upsertActor(input: {id: "oman", name: "Oman", kind: STATE}) { id }
	}`
	if !gql(client, url, setup, nil, nil) {
		t.Fatal("setting up the source failed")
	}
	var actors, relations []string
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range trials {
		var mu sync.Mutex
		var wg sync.WaitGroup
		written := 0
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					id := fmt.Sprintf("t%d-w%d-%d", trial, w, i)
					if !gql(client, url, `mutation($id: ID!) { upsertActor(input: {id: $id, name: "Envoy", kind: PERSON}) { id } }`, map[string]any{"id": id}, nil) {
						return
					}
					mu.Lock()
					actors = append(actors, id)
					written++
					mu.Unlock()
					var rel struct{ AddRelation struct{ ID string } }
					if !gql(client, url, `mutation($id: ID!) { addRelation(input: {type: MEMBER_OF, from: $id, to: "oman",
						evidence: [{source: "wire", quote: "Envoys met", confidence: 0.5}]}) { id } }`, map[string]any{"id": id}, &rel) {
						return
					}
					mu.Lock()
					relations = append(relations, rel.AddRelation.ID)
					mu.Unlock()
				}
			}()
		}
		// Kill at a random moment once writes are flowing.
		for {
			time.Sleep(time.Duration(50+rng.IntN(200)) * time.Millisecond)
			mu.Lock()
			n := written
			mu.Unlock()
			if n >= 20 {
				break
			}
		}
		proc.kill(t)
		wg.Wait()
		proc = startServing(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--no-seed")
		url = proc.url
		missing := missingAfterRestart(t, client, url, actors, relations)
		t.Logf("trial %d: %d actors and %d relations acknowledged in all, %d missing after the kill", trial, len(actors), len(relations), len(missing))
		if len(missing) > 0 {
			t.Fatalf("acknowledged writes missing after a kill: %s", strings.Join(missing[:min(len(missing), 10)], ", "))
		}
	}
	proc.mustStop(t)
}

// missingAfterRestart asks the server for each actor and relation, a hundred to a
// request, and returns those it does not hold (relations without evidence count as
// missing).
func missingAfterRestart(t *testing.T, client *http.Client, url string, actors, relations []string) []string {
	t.Helper()
	var missing []string
	check := func(ids []string, field, selection string) {
		for len(ids) > 0 {
			batch := ids[:min(len(ids), 100)]
			ids = ids[len(batch):]
			var q strings.Builder
			q.WriteString("{")
			for i, id := range batch {
				fmt.Fprintf(&q, " a%d: %s(id: %q) { %s }", i, field, id, selection)
			}
			q.WriteString(" }")
			var data map[string]json.RawMessage
			if !gql(client, url, q.String(), nil, &data) {
				t.Fatal("the restarted server did not answer")
			}
			for i, id := range batch {
				raw := string(data[fmt.Sprintf("a%d", i)])
				if raw == "null" || raw == "" || (field == "relation" && strings.Contains(raw, `"evidence":[]`)) {
					missing = append(missing, id)
				}
			}
		}
	}
	check(actors, "node", "id")
	check(relations, "relation", "id evidence { id }")
	return missing
}
