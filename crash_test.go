package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
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

// storeState is what a data directory holds as the graph sees it: counts, and a
// SHA-256 of every node and relation record and every evidence id (evidence records
// carry the time they were recorded, which differs from one import to the next).
type storeState struct {
	Nodes, Relations, Evidence int
	Sum                        string
}

func (s storeState) String() string {
	return fmt.Sprintf("%d nodes, %d relations, %d evidence (%.12s)", s.Nodes, s.Relations, s.Evidence, s.Sum)
}

// mustState opens the data directory dir as eventgraph does (recovering from an
// interrupted write), checks the evidence rule, and returns what it holds. A missing
// or empty directory holds nothing.
func mustState(t *testing.T, dir string) storeState {
	t.Helper()
	var state storeState
	h := sha256.New()
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		s, err := badgerkv.Open(badgerkv.Options{Dir: dir})
		if err != nil {
			t.Fatalf("open %s: %v", dir, err)
		}
		defer s.Close()
		ctx := context.Background()
		g, err := store.Open(ctx, s)
		if err != nil {
			t.Fatalf("open the graph in %s: %v", dir, err)
		}
		if err := g.CheckEvidence(ctx); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
		err = s.View(kv.Latest, func(r kv.Reader) error {
			for _, part := range []struct {
				prefix    []byte
				count     *int
				withValue bool
			}{{layout.Nodes(), &state.Nodes, true}, {layout.Relations(), &state.Relations, true}, {layout.AllEvidence(), &state.Evidence, false}} {
				err := r.Iterate(kv.IterOptions{Prefix: part.prefix, KeysOnly: !part.withValue}, func(k, v []byte) error {
					*part.count++
					h.Write(k)
					h.Write(v)
					return nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	state.Sum = hex.EncodeToString(h.Sum(nil))
	return state
}

// trialOutcomes tallies how the trials of a kind ended.
type trialOutcomes map[string]int

func (o trialOutcomes) String() string {
	var parts []string
	for _, name := range []string{"as before", "complete", "complete, exited before the kill"} {
		if o[name] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", o[name], name))
		}
	}
	return strings.Join(parts, ", ")
}

// TestCrashSafety kills eventgraph import and eventgraph restore with SIGKILL at
// random moments of their work and checks that each data directory is afterwards
// either as it was before or complete, and keeps the evidence rule.
func TestCrashSafety(t *testing.T) {
	seedValue := time.Now().UnixNano()
	random := rand.New(rand.NewPCG(uint64(seedValue), 0))
	t.Logf("random seed %d", seedValue)
	dir := t.TempDir()
	generated := func(relations int) string {
		file := filepath.Join(dir, fmt.Sprintf("generated-%d.jsonl", relations))
		mustRun(t, "generate", "--relations", strconv.Itoa(relations), "--out", file)
		return file
	}
	small := filepath.Join(dir, "data-small")
	mustRun(t, "import", "--data", small, writeFile(t, dir, "small.yaml", goodSeed))
	copyOf := func(src, name string) string {
		dst := filepath.Join(dir, name)
		if src != "" {
			if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
		}
		return dst
	}
	trials := func(n int) int {
		if testing.Short() {
			return 2
		}
		return n
	}

	// An import into an empty store streams its tables and commits them at once; one
	// into a store that holds data goes through Badger's write batches, which reach
	// the disk as they fill (every hundred thousand keys or so), so it has more
	// relations: a kill between two batches is what the rollback on open undoes.
	var complete string // a data directory with an import complete, for restore
	for _, v := range []struct {
		name, before      string
		relations, trials int
	}{
		{"import into an empty store", "", 10_000, trials(3)},
		{"import into a store", small, 20_000, trials(4)},
	} {
		t.Run(v.name, func(t *testing.T) {
			file := generated(v.relations)
			before := mustState(t, v.before)
			full := copyOf(v.before, strings.ReplaceAll(v.name, " ", "-"))
			// Most of an import is reading and validating, which a kill cannot harm; the
			// kills are aimed at its writing, after the time a dry run takes.
			validating := mustTime(t, "seed: validating", "import", "--dry-run", "--data", full, file)
			took := mustTime(t, "seed: importing", "import", "--data", full, file)
			after := mustState(t, full)
			if complete == "" {
				complete = full
			}
			from, to := validating, max(took, validating*6/5)
			outcomes := trialOutcomes{}
			for i := range v.trials {
				data := copyOf(v.before, fmt.Sprintf("%s-%d", filepath.Base(full), i))
				delay := from + time.Duration(random.Int64N(int64(to-from)))
				finished := startCommand(t, "import", "--data", data, file).killAfter(t, "seed: importing", delay)
				switch got := mustState(t, data); {
				case got == before:
					outcomes["as before"]++
				case got == after && finished:
					outcomes["complete, exited before the kill"]++
				case got == after:
					outcomes["complete"]++
				default:
					t.Errorf("killed %s after validation began, the store holds %v; before it held %v, complete %v", delay, got, before, after)
				}
			}
			t.Logf("%d trials of %d relations killed %s to %s after validation began: %v (before: %v; complete: %v)",
				v.trials, v.relations, from.Round(time.Millisecond), to.Round(time.Millisecond), outcomes, before, after)
		})
	}

	t.Run("restore", func(t *testing.T) {
		if complete == "" { // the imports were not run
			complete = filepath.Join(dir, "complete")
			mustRun(t, "import", "--data", complete, generated(10_000))
		}
		backup := filepath.Join(dir, "complete.backup")
		mustRun(t, "backup", "--data", complete, "--out", backup)
		want := mustState(t, complete)
		target := filepath.Join(dir, "restored")
		took := mustTime(t, "", "restore", "--data", target, backup)
		if got := mustState(t, target); got != want {
			t.Fatalf("restored %v, want %v", got, want)
		}
		outcomes := trialOutcomes{}
		staged := ""
		restores := trials(3)
		for i := range restores {
			target := filepath.Join(dir, fmt.Sprintf("restored-%d", i))
			delay := time.Duration(random.Int64N(int64(took)))
			finished := startCommand(t, "restore", "--data", target, backup).killAfter(t, "", delay)
			switch got := mustState(t, target); {
			case got == mustState(t, ""):
				outcomes["as before"]++
				if _, err := os.Stat(target + ".restoring"); err == nil {
					staged = target
				}
			case got == want && finished:
				outcomes["complete, exited before the kill"]++
			case got == want:
				outcomes["complete"]++
			default:
				t.Errorf("killed %s into a restore, the target holds %v, want nothing or %v", delay, got, want)
			}
		}
		t.Logf("%d trials killed within %s: %v", restores, took.Round(time.Millisecond), outcomes)
		// What a killed restore leaves beside the target does not stand in the way
		// of the next one.
		if staged != "" {
			mustRun(t, "restore", "--data", staged, backup)
			if got := mustState(t, staged); got != want {
				t.Errorf("restored over a killed restore's staging: %v, want %v", got, want)
			}
			if _, err := os.Stat(staged + ".restoring"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the staging directory is still there: %v", err)
			}
		}
	})
}
