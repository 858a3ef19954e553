package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMainEnv makes the test binary act as the eventgraph command (see TestMain), so a
// test can run the real command as a child process and kill it at any moment.
const runMainEnv = "EVENTGRAPH_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the eventgraph command running as a child process.
type child struct {
	cmd    *exec.Cmd
	stderr io.Reader
	exited chan struct{} // closed when the process has ended
	err    error         // what Wait returned, once exited is closed
}

// startChild starts the eventgraph command with args; the test's end kills it if it
// is still running.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: stderr, exited: make(chan struct{})}
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.exited
	})
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	return c
}

// kill sends SIGKILL and waits for the process to end. A process that ended before
// fails the test.
func (c *child) kill(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
		t.Fatalf("the process ended before it was killed: %v", c.err)
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("a killed process did not end")
	}
}

// mustServe starts `eventgraph serve` on a loopback port over dir and returns the URL
// of its GraphQL endpoint once it listens.
func mustServe(t *testing.T, dir string, args ...string) (*child, string) {
	t.Helper()
	c := startChild(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, args...)...)
	lines := bufio.NewScanner(c.stderr)
	for lines.Scan() {
		var entry struct{ Msg, URL string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "serving" {
			go io.Copy(io.Discard, c.stderr)
			return c, entry.URL
		}
		if !strings.HasPrefix(lines.Text(), "{") {
			t.Logf("serve: %s", lines.Text())
		}
	}
	t.Fatal("serve ended before it listened")
	return nil, ""
}
