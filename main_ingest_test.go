package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"eventgraph/seed"
	"eventgraph/seed/ingest"
	"eventgraph/seed/ingest/ingesttest"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
)

// mustWriteSeedArticle copies the bundled seed file of the us-iran-oman-talks article,
// and the article's text it reads, into dir, and returns the seed file's path.
func mustWriteSeedArticle(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"us-iran-oman-talks.yaml", "us-iran-oman-talks.txt"} {
		b, err := fs.ReadFile(seed.BundledFS(), "data/"+name)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, name, string(b))
	}
	return filepath.Join(dir, "us-iran-oman-talks.yaml")
}

// ingestRun is how one `eventgraph ingest` process ended.
type ingestRun struct {
	output string // stdout and stderr
	state  *os.ProcessState
	// ingesting is the time from the process saying it is ingesting to its exit.
	ingesting time.Duration
	// signalled is the time from the signal to the exit; 0 when none was sent before
	// the exit.
	signalled time.Duration
}

func (r ingestRun) killed() bool {
	ws, ok := r.state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// maxRSS is the most memory the process held, in MiB.
func (r ingestRun) maxRSS() int64 {
	if u, ok := r.state.SysUsage().(*syscall.Rusage); ok {
		return u.Maxrss >> 10 // Linux reports KiB
	}
	return 0
}

// mustIngestChild runs the eventgraph command to ingest article into data as source
// key. When sig is not nil it is sent delay after the process says it is ingesting
// (it has opened the store and installed its signal handler by then).
func mustIngestChild(t *testing.T, data, article, key string, sig os.Signal, delay time.Duration) ingestRun {
	t.Helper()
	c := startCommand(t, "ingest", "--data", data, "--title", "Long read", "--url", "https://example.org/"+key, "--key", key, article)
	_, begun, ok := c.waitLine(func(line string) bool { return strings.HasPrefix(line, "ingesting ") })
	if !ok {
		t.Fatalf("eventgraph ingest ended without ingesting: %s", c.output())
	}
	var signal *time.Timer
	sent := make(chan time.Time, 1) // when the signal was sent; the zero time if it was not
	if sig != nil {
		signal = time.AfterFunc(delay, func() {
			var at time.Time
			if c.cmd.Process.Signal(sig) == nil {
				at = time.Now()
			}
			sent <- at
		})
	}
	c.wait(t)
	exited := time.Now()
	run := ingestRun{output: c.output(), state: c.cmd.ProcessState, ingesting: exited.Sub(begun)}
	if signal != nil && !signal.Stop() {
		if at := <-sent; !at.IsZero() {
			run.signalled = exited.Sub(at)
		}
	}
	return run
}

// ingestedState is what the store holds of one ingested source.
type ingestedState struct {
	source   bool
	mentions int // evidence citing the source
	pending  int // pending candidates, of every source
}

// mustIngestedState opens the data directory, as the next process to use it would
// (rolling back any write a killed process left unfinished), and reads what it holds
// of source key.
func mustIngestedState(t *testing.T, data, key string) ingestedState {
	t.Helper()
	ctx := context.Background()
	kv, err := badgerkv.Open(badgerkv.Options{Dir: data})
	if err != nil {
		t.Fatalf("opening the store after the process ended: %v", err)
	}
	defer kv.Close()
	g, err := store.Open(ctx, kv)
	if err != nil {
		t.Fatal(err)
	}
	var st ingestedState
	_, err = g.Node(ctx, key)
	if st.source = err == nil; err != nil && !errors.Is(err, domain.ErrNotFound) {
		t.Fatal(err)
	}
	ev, err := g.EvidenceBySource(ctx, key, "", domain.PageArgs{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := g.Candidates(ctx, domain.CandidatePending, domain.PageArgs{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	st.mentions, st.pending = ev.Total, pending.Total
	return st
}

// ingestedLine is what the ingest command prints when it is done.
var ingestedLine = regexp.MustCompile(`: (\d+) mentions \(\d+ new\), \d+ boilerplate lines skipped, \d+ candidates proposed \((\d+) new\)`)

// TestIngestCrashSafety runs the eventgraph command on a 250 KB article and ends
// it at points spread over its ingestion: with SIGKILL (a crash), after which the
// store must hold the article's source, mentions and candidates all or none of them;
// and with SIGTERM, after which the process must stop (within the generous
// childTimeout) having written none of them, or, signalled too late, all.
func TestIngestCrashSafety(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "--data", data, mustWriteSeedArticle(t, dir))
	article := writeFile(t, dir, "article.txt", ingesttest.MustLongArticle(t, 250<<10))

	// An uninterrupted run says what a complete ingestion holds and how long it takes.
	before := mustIngestedState(t, data, "baseline")
	base := mustIngestChild(t, data, article, "baseline", nil, 0)
	m := ingestedLine.FindStringSubmatch(base.output)
	if !base.state.Success() || m == nil {
		t.Fatalf("eventgraph ingest: %v\n%s", base.state, base.output)
	}
	mentions, _ := strconv.Atoi(m[1])
	proposed, _ := strconv.Atoi(m[2])
	if got, want := mustIngestedState(t, data, "baseline"), (ingestedState{true, mentions, before.pending + proposed}); got != want || mentions == 0 || proposed == 0 {
		t.Fatalf("after a complete ingestion the store holds %+v, want %+v", got, want)
	}
	t.Logf("uninterrupted: %d mentions, %d candidates, ingested in %s, max RSS %d MiB", mentions, proposed, base.ingesting.Round(time.Millisecond), base.maxRSS())

	// trial ingests the article as source key, ending it with sig delay after it
	// began, and checks the store holds all of the source or none of it.
	trial := func(t *testing.T, key string, sig os.Signal, delay time.Duration) (run ingestRun, complete bool) {
		t.Helper()
		was := mustIngestedState(t, data, key)
		run = mustIngestChild(t, data, article, key, sig, delay)
		now := mustIngestedState(t, data, key)
		none, all := was, ingestedState{true, mentions, was.pending + proposed}
		if now != none && now != all {
			t.Fatalf("%s after %s: the store holds %+v of the article, want all %+v or none %+v\n%s", sig, delay, now, all, none, run.output)
		}
		return run, now == all
	}
	rng := rand.New(rand.NewPCG(13, 6))
	t.Run("Kill", func(t *testing.T) {
		const trials = 10
		outcomes := map[string]int{}
		for i := range trials {
			delay := time.Duration(rng.Int64N(int64(base.ingesting)))
			run, complete := trial(t, fmt.Sprintf("kill-%d", i), os.Kill, delay)
			outcomes[fmt.Sprintf("killed=%v complete=%v", run.killed(), complete)]++
		}
		t.Logf("%d kills over %s: %v", trials, base.ingesting.Round(time.Millisecond), outcomes)
	})
	t.Run("Terminate", func(t *testing.T) {
		interrupted := 0
		for i, share := range []float64{0, 0.1, 0.25, 0.5, 0.75} {
			delay := time.Duration(share * float64(base.ingesting))
			run, complete := trial(t, fmt.Sprintf("term-%d", i), syscall.SIGTERM, delay)
			switch {
			case run.state.Success() && complete:
				t.Logf("SIGTERM after %s came too late: the ingestion was complete", delay.Round(time.Millisecond))
			case run.state.ExitCode() == 1 && !complete && strings.Contains(run.output, "ingest interrupted; nothing was written"):
				interrupted++
				t.Logf("SIGTERM after %s: stopped %s later, nothing written", delay.Round(time.Millisecond), run.signalled.Round(time.Millisecond))
			default:
				t.Fatalf("SIGTERM after %s: %v, complete %v\n%s", delay, run.state, complete, run.output)
			}
		}
		if interrupted == 0 {
			t.Fatal("no SIGTERM arrived while the article was being ingested")
		}
	})
}

// TestIngestCommandRefusesLargeArticles checks that the ingest command refuses a text
// over ingest.MaxTextBytes, and a file over ingest.MaxHTMLBytes without reading all
// of it (a sparse file of 1 GiB; what the command allocates is measured, with a
// generous margin), writing nothing.
func TestIngestCommandRefusesLargeArticles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "--data", data, mustWriteSeedArticle(t, dir))
	huge := filepath.Join(dir, "huge.txt")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, file string }{
		{"TextOverMaxTextBytes", writeFile(t, dir, "long.txt", strings.Repeat("word ", ingest.MaxTextBytes/5+1))},
		{"FileOverMaxHTMLBytes", huge},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := strings.ToLower(c.name)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := run(context.Background(), []string{"ingest", "--data", data, "--title", "Large", "--url", "https://example.org/" + key, "--key", key, c.file}, io.Discard, io.Discard)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ingest.ErrTooLarge) {
				t.Fatalf("ingest = %v, want ingest.ErrTooLarge", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
				t.Fatalf("refusing the article allocated %d MiB", alloc>>20)
			}
			if st := mustIngestedState(t, data, key); st.source || st.mentions > 0 {
				t.Fatalf("a refused article left %+v in the store", st)
			}
		})
	}
}
