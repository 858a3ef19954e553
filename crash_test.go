package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
)

// runMainEnv makes the test binary run as the eventgraph command (TestMain), so that
// the crash test kills real eventgraph processes.
const runMainEnv = "EVENTGRAPH_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
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
				prefix    string
				count     *int
				withValue bool
			}{{"n\x00", &state.Nodes, true}, {"r\x00", &state.Relations, true}, {"e\x00", &state.Evidence, false}} {
				err := r.Iterate(kv.IterOptions{Prefix: []byte(part.prefix), KeysOnly: !part.withValue}, func(k, v []byte) error {
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

// child is an eventgraph command running as a child process.
type child struct {
	cmd    *exec.Cmd
	ready  chan struct{} // closed when stderr shows the line it waits for
	done   chan error
	stderr bytes.Buffer
}

// mustStart starts eventgraph with args; ready closes once a line of its stderr
// starts with readyLine ("" closes it at once).
func mustStart(t *testing.T, readyLine string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), ready: make(chan struct{}), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), runMainEnv+"=1")
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if readyLine == "" {
		close(c.ready)
	}
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			c.stderr.WriteString(lines.Text() + "\n")
			if readyLine != "" && strings.HasPrefix(lines.Text(), readyLine) {
				close(c.ready)
				readyLine = ""
			}
		}
		c.done <- c.cmd.Wait()
	}()
	return c
}

// mustFinish waits for the child to exit on its own, successfully.
func (c *child) mustFinish(t *testing.T) {
	t.Helper()
	if err := <-c.done; err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(c.cmd.Args[1:], " "), err, c.stderr.String())
	}
}

// mustTime runs eventgraph with args to its end and returns how long it took from the
// line of its stderr that starts with readyLine ("" from its start).
func mustTime(t *testing.T, readyLine string, args ...string) time.Duration {
	t.Helper()
	c := mustStart(t, readyLine, args...)
	<-c.ready
	start := time.Now()
	c.mustFinish(t)
	return time.Since(start)
}

// killAfter kills the child with SIGKILL delay after it is ready, and reports whether
// it had exited on its own first.
func (c *child) killAfter(t *testing.T, delay time.Duration) (finished bool) {
	t.Helper()
	<-c.ready
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(c.cmd.Args[1:], " "), err, c.stderr.String())
		}
		return true
	case <-time.After(delay):
	}
	c.cmd.Process.Kill()
	err := <-c.done
	return err == nil
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
				finished := mustStart(t, "seed: importing", "import", "--data", data, file).killAfter(t, delay)
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
			finished := mustStart(t, "", "restore", "--data", target, backup).killAfter(t, delay)
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
