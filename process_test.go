package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runAsCommand makes the test binary act as the eventgraph command (see TestMain), so
// a test can run the real command as a child process: watch everything the process
// prints, from outside the command's logger too, and kill it at any moment.
const runAsCommand = "RUN_AS_EVENTGRAPH_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(runAsCommand) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childCommand is the eventgraph command running as a child process.
type childCommand struct {
	cmd     *exec.Cmd
	url     string      // the GraphQL endpoint it logged, for startServing
	serving chan string // receives that endpoint when it is logged
	exited  chan struct{}
	err     error // what the process exited with, once exited is closed

	mu      sync.Mutex
	printed strings.Builder // its stdout and stderr
}

// startCommand runs the eventgraph command with args in a child process; the test's
// end kills it if it still runs.
func startCommand(t *testing.T, args ...string) *childCommand {
	t.Helper()
	c := &childCommand{cmd: exec.Command(os.Args[0], args...), serving: make(chan string, 1), exited: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), runAsCommand+"=1")
	out, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout = c.cmd.Stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		lines := bufio.NewScanner(out)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			c.mu.Lock()
			c.printed.Write(lines.Bytes())
			c.printed.WriteByte('\n')
			c.mu.Unlock()
			var entry struct{ Msg, URL string }
			if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "serving" {
				c.serving <- entry.URL
			}
		}
		// Wait closes the pipe, so it comes after the last read.
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
	return c
}

// startServing runs the eventgraph command with args until it logs that it is serving.
func startServing(t *testing.T, args ...string) *childCommand {
	t.Helper()
	c := startCommand(t, args...)
	select {
	case c.url = <-c.serving:
	case <-c.exited:
		t.Fatalf("the command ended before it served: %v\n%s", c.err, c.output())
	case <-time.After(time.Minute):
		t.Fatalf("the command never logged its address:\n%s", c.output())
	}
	return c
}

// output is everything the command has printed so far.
func (c *childCommand) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.printed.String()
}

// kill sends SIGKILL and waits for the process to end. A process that had ended
// already fails the test.
func (c *childCommand) kill(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
		t.Fatalf("the process ended before it was killed: %v\n%s", c.err, c.output())
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.wait(t)
}

// mustStop stops the command as Ctrl-C would, requires it to exit cleanly and returns
// everything it printed.
func (c *childCommand) mustStop(t *testing.T) string {
	t.Helper()
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	c.wait(t)
	if c.err != nil {
		t.Fatalf("the command exited with %v:\n%s", c.err, c.output())
	}
	return c.output()
}

func (c *childCommand) wait(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the command did not end:\n%s", c.output())
	}
}
