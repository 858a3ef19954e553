package workbench_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"eventgraph/server"
	"eventgraph/store/storetest"
)

// chromiumPath is Debian's Chromium, which .ci/run installs; EVENTGRAPH_CHROMIUM names
// another.
func chromiumPath() string {
	if p := os.Getenv("EVENTGRAPH_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// TestBrowser runs the browser tests (test/*.test.mjs, node --test) against the real
// server on a loopback port over the bundled seed, and a second one where reads need a
// token: an analyst's sign-in, searches, expansions and evidence in headless Chromium. Without Node, Chromium or node_modules it fails rather
// than skip: a check that does not run is a defect. EVENTGRAPH_BROWSER_TESTS, a glob
// relative to this directory, runs fewer of them while working on one view.
func TestBrowser(t *testing.T) {
	node := mustNode(t)
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Fatalf("no Chromium at %s: install it (apt-get install chromium) or run bash .ci/run", chromiumPath())
	}
	pattern := "test/*.test.mjs"
	if p := os.Getenv("EVENTGRAPH_BROWSER_TESTS"); p != "" {
		pattern = p
	}
	tests, err := filepath.Glob(pattern)
	if err != nil || len(tests) == 0 {
		t.Fatalf("no browser tests match %s: %v", pattern, err)
	}

	url := mustServeSeed(t, nil)
	// A second server, over its own copy of the seed, where reads need a token: the
	// sign-in tests, whose retraction must not change what the other tests see.
	tokens, err := server.ParseTokens("tokens", strings.NewReader(
		"reader "+readerToken+" Rita Reader\neditor "+editorToken+" Ed Editor\n"))
	if err != nil {
		t.Fatal(err)
	}
	tokensURL := mustServeSeed(t, tokens)
	screenshots := filepath.Join(os.TempDir(), "eventgraph-workbench-screenshots")
	t.Logf("screenshots go to %s", screenshots)
	// The 37 browser tests took 4 minutes on two cores beside other work, and ran past
	// 5 beside a whole test run; the bound is for a hung browser, inside go test's ten
	// minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"--test", "--test-reporter=spec", "--test-concurrency=1"}, tests...)...)
	cmd.Env = append(os.Environ(),
		"EVENTGRAPH_URL="+url,
		"EVENTGRAPH_TOKENS_URL="+tokensURL,
		"EVENTGRAPH_READER_TOKEN="+readerToken,
		"EVENTGRAPH_EDITOR_TOKEN="+editorToken,
		"EVENTGRAPH_CHROMIUM="+chromiumPath(),
		"EVENTGRAPH_SCREENSHOTS="+screenshots,
		"NO_COLOR=1",
	)
	out := lineLogger(t)
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	err = cmd.Run()
	out.Close()
	t.Logf("browser tests took %s", time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("node --test: %v (its output is above)", err)
	}
}

// mustNode returns the path of node, failing the test when Node or the workbench's
// node_modules is missing: the checks that need them are never skipped.
func mustNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the workbench's checks need Node 20 or newer (bash .ci/run installs it)")
	}
	if _, err := os.Stat("node_modules/.package-lock.json"); err != nil {
		t.Fatal("node_modules is missing: run npm ci --prefix server/workbench (or bash .ci/run)")
	}
	return node
}

// TestTypes type-checks the sources (tsc, tsconfig.json), which the bundler does not.
func TestTypes(t *testing.T) {
	out, err := exec.Command(mustNode(t), "node_modules/typescript/bin/tsc", "-p", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}
}

// hubAllies is how many alliances the hub the tests add to the seed has: more than one
// expansion draws.
const hubAllies = 1200

// The tokens of the server that needs them: a reader's and an editor's.
const (
	readerToken = "reader-token-0123456789"
	editorToken = "editor-token-0123456789"
)

// mustServeSeed serves the bundled seed, and an actor "hub" allied with hubAllies others,
// as serve does with its defaults (with tokens, when given, as serve --tokens does), on
// a loopback port until the test ends, and returns the server's URL.
func mustServeSeed(t *testing.T, tokens *server.Tokens) string {
	t.Helper()
	g := storetest.MustSeeded(t)
	storetest.MustApply(t, g, storetest.AlliedHub(hubAllies, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := server.Config{IDE: true, Introspection: true, Tokens: tokens, Logger: slog.New(slog.DiscardHandler)}
	go func() { done <- server.Serve(ctx, ln, g, cfg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// lineLogger is a writer that logs each line written to it as it comes, so the output
// of a long child process streams under go test -v.
func lineLogger(t *testing.T) io.WriteCloser {
	r, w := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			t.Log(strings.TrimRight(sc.Text(), " "))
		}
	}()
	return closer{w, &wg}
}

type closer struct {
	*io.PipeWriter
	wg *sync.WaitGroup
}

func (c closer) Close() error {
	err := c.PipeWriter.Close()
	c.wg.Wait()
	return err
}
