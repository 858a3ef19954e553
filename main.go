// Command eventgraph serves and loads the eventgraph knowledge graph.
//
//	eventgraph serve    [--addr 127.0.0.1:8080] [--data DIR] [--no-seed] [--introspection=true] [--ide=true] [--tokens FILE [--open-reads]]
//	eventgraph import   [--data DIR] [--dry-run] FILE...
//	eventgraph ingest   [--data DIR] --title T --url U [--publisher P] [--published DATE] [--key K] FILE
//	eventgraph export   [--data DIR] --format seed|jsonld|graphml|csv --out PATH [--id ID [--depth N]]
//	eventgraph backup   [--data DIR] --out FILE
//	eventgraph restore  [--data DIR] FILE
//	eventgraph generate --relations N [--seed S] --out FILE
//	eventgraph load     [--url URL] [--clients 8] [--duration 10s] --query Q | --queries FILE
//
// Every flag can also be set through an environment variable: EVENTGRAPH_ and the flag
// name in upper case with '-' as '_' (EVENTGRAPH_ADDR, EVENTGRAPH_DATA, EVENTGRAPH_NO_SEED).
// A flag on the command line wins over the environment.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"eventgraph/seed"
	"eventgraph/server"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "eventgraph:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  eventgraph serve    [--addr 127.0.0.1:8080] [--data DIR] [--no-seed] [--introspection=true] [--ide=true] [--tokens FILE [--open-reads]]
  eventgraph import   [--data DIR] [--dry-run] FILE...
  eventgraph ingest   [--data DIR] --title T --url U [--publisher P] [--published DATE] [--key K] FILE
  eventgraph export   [--data DIR] --format seed|jsonld|graphml|csv --out PATH [--id ID [--depth N]]
  eventgraph backup   [--data DIR] --out FILE
  eventgraph restore  [--data DIR] FILE
  eventgraph generate --relations N [--seed S] --out FILE
  eventgraph load     [--url URL] [--clients 8] [--duration 10s] --query Q | --queries FILE
Run 'eventgraph COMMAND -h' for a command's flags`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve": serve, "import": importFiles, "ingest": ingestArticle, "export": exportGraph, "backup": backup, "restore": restore, "generate": generate, "load": load,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

// parse parses args, then fills every flag not given on the command line from its
// EVENTGRAPH_* environment variable.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := "EVENTGRAPH_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && !given[f.Name] && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
		}
	})
	return err
}

// defaultDataDir is $XDG_DATA_HOME/eventgraph, else ~/.local/share/eventgraph, else ./data.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "eventgraph")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "eventgraph")
	}
	return "data"
}

// openGraph opens (creating) the Badger store in dir, bringing its derived indexes up
// to date.
func openGraph(ctx context.Context, dir string, log *slog.Logger) (*store.Graph, func() error, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, nil, err
	}
	kv, err := badgerkv.Open(badgerkv.Options{Dir: dir, Logger: log})
	if errors.Is(err, store.ErrLocked) {
		return nil, nil, fmt.Errorf("data directory %s is in use by another eventgraph process; stop it or choose another --data", dir)
	}
	if err != nil {
		return nil, nil, err
	}
	g, err := store.Open(ctx, kv)
	if err != nil {
		kv.Close()
		return nil, nil, err
	}
	return g, kv.Close, nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback by default)")
	data := fs.String("data", defaultDataDir(), "data directory")
	noSeed := fs.Bool("no-seed", false, "do not load the bundled seed data into an empty store")
	introspection := fs.Bool("introspection", true, "allow GraphQL introspection")
	ide := fs.Bool("ide", true, "serve the GraphiQL IDE at /")
	maxBody := fs.Int64("max-body-bytes", 1<<20, "largest request body accepted")
	maxComplexity := fs.Int("max-complexity", 50_000, "largest query cost accepted")
	tokensFile := fs.String("tokens", "", `file of "ROLE TOKEN NAME" lines (roles reader, editor, admin): writes then need an editor's bearer token, reads a reader's`)
	openReads := fs.Bool("open-reads", false, "with --tokens, let clients without a token read")
	if err := parse(fs, args); err != nil {
		return err
	}
	var tokens *server.Tokens
	if *tokensFile != "" {
		f, err := os.Open(*tokensFile)
		if err != nil {
			return err
		}
		tokens, err = server.ParseTokens(*tokensFile, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	g, closeStore, err := openGraph(ctx, *data, log)
	if err != nil {
		return err
	}
	defer closeStore()
	if !*noSeed {
		if err := seedIfEmpty(ctx, g, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/graphql", "data", *data)
	cfg := server.Config{Introspection: *introspection, IDE: *ide,
		MaxBodyBytes: *maxBody, MaxComplexity: *maxComplexity, Logger: log, Tokens: tokens, OpenReads: *openReads}
	if b, ok := g.KV().(interface{ Backup(io.Writer) error }); ok {
		cfg.Backup = b.Backup
	}
	h := server.Handler(g, cfg)
	err = server.Serve(ctx, ln, h)
	log.Info("stopped")
	return err
}

// seedIfEmpty imports the bundled seed data when the store holds no sources yet.
func seedIfEmpty(ctx context.Context, g *store.Graph, log *slog.Logger) error {
	p, err := g.List(ctx, store.KindSource, store.NodeFilter{}, store.PageArgs{First: 1})
	if err != nil || p.Total > 0 {
		return err
	}
	set, err := seed.Bundled()
	if err != nil {
		return err
	}
	stats, err := seed.Import(ctx, g, set, seed.Options{})
	if err != nil {
		return fmt.Errorf("bundled seed data: %w", err)
	}
	log.Info("loaded bundled seed data", "nodes", stats.Nodes, "relations", stats.Relations, "evidence", stats.Evidence)
	return nil
}

func importFiles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	dryRun := fs.Bool("dry-run", false, "validate only; write nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("import: name at least one seed file")
	}
	set, err := seed.Options{Progress: stderr}.LoadFiles(fs.Args()...)
	if err != nil {
		return err
	}
	g, closeStore, err := openGraph(ctx, *data, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	stats, err := seed.Import(ctx, g, set, seed.Options{DryRun: *dryRun, Progress: stderr})
	if err != nil {
		return err
	}
	verb := "imported"
	if *dryRun {
		verb = "valid; would import"
	}
	fmt.Fprintf(stdout, "%s %d nodes, %d relations, %d evidence records\n", verb, stats.Nodes, stats.Relations, stats.Evidence)
	return nil
}

func generate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	relations := fs.Int("relations", 10_000, "number of relations to generate")
	seedValue := fs.Int64("seed", 1, "random seed; the same seed gives the same file")
	out := fs.String("out", "", "output file (JSON Lines seed format)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("generate: --out is required")
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := seed.Generate(w, *relations, *seedValue); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
