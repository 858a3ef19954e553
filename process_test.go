package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
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

// childTimeout bounds each run of a child process: a safety net, not a measurement.
// A process still running then is killed, which fails the test waiting for it.
const childTimeout = 2 * time.Minute

// childCommand is the eventgraph command running as a child process.
type childCommand struct {
	cmd      *exec.Cmd
	url      string        // the GraphQL endpoint it logged, for startServing
	exited   chan struct{} // closed once it has ended and everything it printed is read
	err      error         // what the process exited with, once exited is closed
	timedOut atomic.Bool

	mu      sync.Mutex
	printed *sync.Cond // signalled for each line printed, and at the end
	lines   []string   // its stdout and stderr, line by line
	readAt  []time.Time
	ended   bool
}

// startCommand runs the eventgraph command with args in a child process; the test's
// end kills it if it still runs.
func startCommand(t *testing.T, args ...string) *childCommand {
	t.Helper()
	c := &childCommand{cmd: exec.Command(os.Args[0], args...), exited: make(chan struct{})}
	c.printed = sync.NewCond(&c.mu)
	c.cmd.Env = append(os.Environ(), runAsCommand+"=1")
	out, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout = c.cmd.Stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	safety := time.AfterFunc(childTimeout, func() {
		c.timedOut.Store(true)
		c.cmd.Process.Kill()
	})
	go func() {
		lines := bufio.NewScanner(out)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			c.mu.Lock()
			c.lines = append(c.lines, lines.Text())
			c.readAt = append(c.readAt, time.Now())
			c.printed.Broadcast()
			c.mu.Unlock()
		}
		// Wait closes the pipe, so it comes after the last read.
		c.err = c.cmd.Wait()
		safety.Stop()
		c.mu.Lock()
		c.ended = true
		c.printed.Broadcast()
		c.mu.Unlock()
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
	var entry struct{ Msg, URL string }
	_, _, ok := c.waitLine(func(line string) bool {
		return json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "serving"
	})
	if !ok {
		t.Fatalf("the command ended before it served: %v\n%s", c.err, c.output())
	}
	c.url = entry.URL
	return c
}

// waitLine waits until the command prints a line match accepts and returns it, with
// when it was read; ok is false when the command ended without printing one.
func (c *childCommand) waitLine(match func(line string) bool) (line string, at time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; ; c.printed.Wait() {
		for ; i < len(c.lines); i++ {
			if match(c.lines[i]) {
				return c.lines[i], c.readAt[i], true
			}
		}
		if c.ended {
			return "", time.Time{}, false
		}
	}
}

// output is everything the command has printed so far.
func (c *childCommand) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
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

// wait waits for the process to end; one the safety net killed fails the test.
func (c *childCommand) wait(t *testing.T) {
	t.Helper()
	<-c.exited
	if c.timedOut.Load() {
		t.Fatalf("the command ran for over %s:\n%s", childTimeout, c.output())
	}
}
