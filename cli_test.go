package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/cli.md from the command's flag definitions")

// cliReference is docs/cli.md: the commands and their flags, generated from the same
// definitions as the command's own usage and help.
func cliReference() string {
	var b strings.Builder
	b.WriteString("# Command reference\n\n<!-- Generated from the flag definitions in main.go by `go test -run TestCLIReference . -update`: edit main.go, not this file. -->\n\n")
	b.WriteString(wrap("`eventgraph COMMAND [flags] [arguments]`. `eventgraph help`, `eventgraph -h` and "+
		"`eventgraph --help` print the list of commands; `eventgraph help COMMAND` and `eventgraph COMMAND -h` "+
		"print a command's flags, all to standard output. The exit status is 0 on success, 1 when the command "+
		"fails and 2 when the command line is wrong (no command, an unknown one, a flag the command does not define).", 88))
	b.WriteString("\n\n" + wrap(environmentRule, 88) + "\n\n| command | what it does |\n|---|---|\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "| [%s](#%s) | %s |\n", c.name, c.name, c.summary)
	}
	for _, c := range commands {
		fmt.Fprintf(&b, "\n## %s\n\n```\n%s\n```\n\n%s\n\n| flag | default | environment | meaning |\n|---|---|---|---|\n",
			c.name, c.synopsis(), wrap(c.about, 88))
		fs, _ := c.flags()
		fs.VisitAll(func(f *flag.Flag) {
			value, text := flag.UnquoteUsage(f)
			def := ""
			if f.DefValue != "" {
				def = "`" + f.DefValue + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", strings.TrimSpace("--"+f.Name+" "+value), def,
				environmentVariable(f.Name), strings.ReplaceAll(text, "|", `\|`))
		})
	}
	return b.String()
}

// TestCLIReference: docs/cli.md is what the flag definitions generate (-update
// rewrites it), and each command's synopsis and description name only its own flags.
func TestCLIReference(t *testing.T) {
	t.Run("MatchesFlagDefinitions", func(t *testing.T) {
		want := cliReference()
		if *update {
			if err := os.WriteFile("docs/cli.md", []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile("docs/cli.md")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("docs/cli.md is not what the flag definitions generate; run go test -run TestCLIReference . -update\n%s", firstDifference(string(got), want))
		}
	})
	t.Run("SynopsesNameDefinedFlags", func(t *testing.T) {
		for _, c := range commands {
			fs, _ := c.flags()
			for _, m := range regexp.MustCompile(`--([a-z-]+)`).FindAllStringSubmatch(c.args+" "+c.about, -1) {
				if fs.Lookup(m[1]) == nil {
					t.Errorf("%s names --%s, which it does not define", c.name, m[1])
				}
			}
		}
	})
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  has:  %q\n  want: %q", i+1, gl, wl)
		}
	}
	return ""
}

// mustRunChild runs the eventgraph command in a child process and returns what it
// printed to stdout and stderr, and its exit status.
func mustRunChild(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsCommand+"=1")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errs.String(), status
}

// TestHelp: help, -h and --help print the usage to stdout and exit 0, for the command
// and for each command; a wrong command line prints the problem and the usage to
// stderr and exits 2.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, status := mustRunChild(t, args...)
			if status != 0 || stdout != usage() || stderr != "" {
				t.Fatalf("exit status %d, stdout:\n%s\nstderr:\n%s", status, stdout, stderr)
			}
			for _, c := range commands {
				if !strings.Contains(stdout, "  "+c.name+" ") {
					t.Errorf("usage does not list %s", c.name)
				}
			}
		})
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				stdout, stderr, status := mustRunChild(t, args...)
				if status != 0 || stdout != c.help() || stderr != "" {
					t.Fatalf("exit status %d, stdout:\n%s\nstderr:\n%s", status, stdout, stderr)
				}
				fs, _ := c.flags()
				fs.VisitAll(func(f *flag.Flag) {
					if !strings.Contains(stdout, "  --"+f.Name+" ") {
						t.Errorf("help does not list --%s", f.Name)
					}
				})
			})
		}
	}
	for _, args := range [][]string{{}, {"nonsense"}, {"help", "nonsense"}, {"import", "--nonsense", "x.yaml"}} {
		t.Run("wrong "+strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, status := mustRunChild(t, args...)
			if status != 2 || stdout != "" || !strings.Contains(stderr, "usage") && !strings.Contains(stderr, "eventgraph help import") {
				t.Fatalf("exit status %d, stdout:\n%s\nstderr:\n%s", status, stdout, stderr)
			}
		})
	}
}
