// Command eventgraph serves and loads the eventgraph knowledge graph.
//
//	eventgraph serve    [--addr 127.0.0.1:8080] [--data DIR] [--no-seed] [--introspection=true] [--ide=true] [--tokens FILE [--open-reads]]
//	                    [--allowed-hosts H,…] [--insecure-open]
//	eventgraph import   [--data DIR] [--dry-run] FILE...
//	eventgraph ingest   [--data DIR] --title T --url U [--publisher P] [--published DATE] [--key K] FILE
//	eventgraph export   [--data DIR] --format seed|jsonld|graphml|csv --out PATH [--id ID [--depth N]]
//	eventgraph backup   [--data DIR] --out FILE
//	eventgraph restore  [--data DIR] FILE
//	eventgraph generate --relations N [--seed S] [--hub-spread K] --out FILE
//	eventgraph load     [--url URL] [--clients 8] [--duration 10s] --query Q | --queries FILE
//
// Every flag can also be set through an environment variable: EVENTGRAPH_ and the flag
// name in upper case with '-' as '_' (EVENTGRAPH_ADDR, EVENTGRAPH_DATA, EVENTGRAPH_NO_SEED).
// A flag on the command line wins over the environment.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"eventgraph/seed"
	"eventgraph/seed/export"
	"eventgraph/seed/ingest"
	"eventgraph/server"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
)

func main() {
	// SIGINT and SIGTERM cancel the command's context and stay caught until the process
	// exits: a signal that comes once the work is done, while the process is ending,
	// must not turn a finished command into one killed by a signal.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "eventgraph:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  eventgraph serve    [--addr 127.0.0.1:8080] [--data DIR] [--no-seed] [--introspection=true] [--ide=true]
                      [--max-body-bytes 1048576] [--max-complexity 50000] [--tokens FILE [--open-reads]]
                      [--allowed-hosts H,…] [--insecure-open]
                      [--request-timeout 5s] [--max-response-bytes 67108864] [--direct-encoding=true]
  eventgraph import   [--data DIR] [--dry-run] FILE...
  eventgraph ingest   [--data DIR] --title T --url U [--publisher P] [--published DATE] [--key K] FILE
  eventgraph export   [--data DIR] --format seed|jsonld|graphml|csv --out PATH [--id ID [--depth N]]
  eventgraph backup   [--data DIR] --out FILE
  eventgraph restore  [--data DIR] FILE
  eventgraph generate --relations N [--seed S] [--hub-spread K] --out FILE
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
	requestTimeout := fs.Duration("request-timeout", server.DefaultRequestTimeout, "longest a query may run; longer ones are answered TIMEOUT (0: no limit)")
	maxResponse := fs.Int64("max-response-bytes", server.DefaultMaxResponseBytes, "largest answer sent; larger ones are answered RESPONSE_TOO_LARGE (0: no limit)")
	tokensFile := fs.String("tokens", "", `file of "ROLE TOKEN NAME" lines (roles reader, editor, admin): writes then need an editor's bearer token, reads a reader's`)
	openReads := fs.Bool("open-reads", false, "with --tokens, let clients without a token read")
	allowedHosts := fs.String("allowed-hosts", "", `comma-separated host names clients may reach the server by, besides localhost and its IP address ("*": any)`)
	insecureOpen := fs.Bool("insecure-open", false, "serve without --tokens on an address other machines can reach")
	directEncoding := fs.Bool("direct-encoding", true, "encode neighbourhood answers directly, twice as fast as gqlgen's executor (false: the executor answers, and field middleware sees every field)")
	if err := parse(fs, args); err != nil {
		return err
	}
	exposed, err := reachableFromOtherMachines(ctx, *addr)
	if err != nil {
		return err
	}
	if exposed && *tokensFile == "" && !*insecureOpen {
		return fmt.Errorf("serve: --addr %s can be reached from other machines, and without --tokens anyone who reaches it can read, write and download backups; give --tokens FILE, or --insecure-open to serve it open anyway", *addr)
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
	defer logEverythingTo(log)()
	if exposed && *tokensFile == "" {
		log.Warn("INSECURE: serving without tokens on an address other machines can reach; anyone who reaches it can read, write and download backups", "addr", *addr)
	}
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
		MaxBodyBytes: *maxBody, MaxComplexity: *maxComplexity, Logger: log, Tokens: tokens, OpenReads: *openReads,
		AllowedHosts:   allowedHostList(*allowedHosts, *addr),
		RequestTimeout: unlimitedIfZero(*requestTimeout), MaxResponseBytes: unlimitedIfZero(*maxResponse),
		NoDirectEncoding: !*directEncoding}
	if b, ok := g.KV().(interface{ Backup(io.Writer) error }); ok {
		cfg.Backup = b.Backup
	}
	h := server.Handler(g, cfg)
	err = server.Serve(ctx, ln, h)
	log.Info("stopped")
	return err
}

// logEverythingTo makes l the default logger of slog and of the log package, so that
// whatever else logs while serving (the HTTP server, gqlgen through the log package)
// writes JSON lines too, until the function it returns puts the previous ones back.
func logEverythingTo(l *slog.Logger) (restore func()) {
	prev, out, flags := slog.Default(), stdlog.Writer(), stdlog.Flags()
	slog.SetDefault(l)
	return func() {
		slog.SetDefault(prev)
		stdlog.SetOutput(out)
		stdlog.SetFlags(flags)
	}
}

// reachableFromOtherMachines reports whether a listen address takes connections from
// other machines: it names all interfaces (":8080", "0.0.0.0:8080") or an address,
// or a name resolving to one, that is not loopback.
func reachableFromOtherMachines(ctx context.Context, addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("serve: --addr %s: %w", addr, err)
	}
	if host == "" {
		return true, nil
	}
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip", host)
	if err != nil {
		return false, fmt.Errorf("serve: --addr %s: %w", addr, err)
	}
	return slices.ContainsFunc(ips, func(ip net.IP) bool { return !ip.IsLoopback() }), nil
}

// allowedHostList is the --allowed-hosts list, with the listen address's host when it
// is a name: clients reach a server listening on graph.example:8080 by that name.
func allowedHostList(list, addr string) []string {
	var hosts []string
	for _, h := range strings.Split(list, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" && net.ParseIP(host) == nil {
		hosts = append(hosts, host)
	}
	return hosts
}

// unlimitedIfZero turns a flag's 0, which means no limit, into the negative value
// that means it in server.Config, where 0 means the default.
func unlimitedIfZero[T ~int64](v T) T {
	if v == 0 {
		return -1
	}
	return v
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
	hubSpread := fs.Int("hub-spread", 1, "spread the hubs' share of relations over this many times as many hubs")
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
	if err := seed.Generate(w, seed.GenerateOptions{Relations: *relations, Seed: *seedValue, HubSpread: *hubSpread}); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadRequest is one GraphQL request of a load mix.
type loadRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// load sends GraphQL requests from concurrent clients for a while and reports
// throughput and latency percentiles: the load generator behind the figures in the
// README. Requests come from --query, or round-robin from a JSON Lines file of
// {"query": …, "variables": …} objects.
func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to send requests")
	query := fs.String("query", "", "the query to send")
	file := fs.String("queries", "", "JSON Lines file of requests to send round-robin")
	if err := parse(fs, args); err != nil {
		return err
	}
	var reqs []loadRequest
	switch {
	case *query != "":
		reqs = []loadRequest{{Query: *query}}
	case *file != "":
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		lines := bufio.NewScanner(f)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			var r loadRequest
			if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
				return fmt.Errorf("%s: %w", *file, err)
			}
			reqs = append(reqs, r)
		}
		if err := lines.Err(); err != nil {
			return err
		}
	}
	if len(reqs) == 0 {
		return errors.New("load: give --query or --queries")
	}
	bodies := make([][]byte, len(reqs))
	for i, r := range reqs {
		bodies[i], _ = json.Marshal(r)
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	var mu sync.Mutex
	var latencies []time.Duration
	failures := 0
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := c; ctx.Err() == nil; i += *clients {
				t0 := time.Now()
				ok := send(ctx, client, *url, bodies[i%len(bodies)])
				if ctx.Err() != nil {
					break
				}
				if ok {
					mine = append(mine, time.Since(t0))
				} else {
					bad++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return fmt.Errorf("load: no request succeeded (%d failed)", failures)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	fmt.Fprintf(stdout, "%d requests (%d failed) from %d clients in %s: %.0f/s; p50 %s p90 %s p99 %s max %s\n",
		len(latencies), failures, *clients, elapsed.Round(time.Millisecond), float64(len(latencies))/elapsed.Seconds(),
		pct(0.5).Round(time.Microsecond), pct(0.9).Round(time.Microsecond), pct(0.99).Round(time.Microsecond),
		latencies[len(latencies)-1].Round(time.Microsecond))
	return nil
}

// send posts one request; it succeeds on a 200 answer without errors.
func send(ctx context.Context, client *http.Client, url string, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK && !bytes.Contains(out, []byte(`"errors"`))
}

// exportGraph writes the graph, or the neighbourhood of --id, to --out in --format.
// The file appears whole or not at all (writeWhole).
func exportGraph(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	format := fs.String("format", "seed", "seed, jsonld, graphml or csv (a zip of three tables)")
	out := fs.String("out", "", "output file")
	id := fs.String("id", "", "export only the neighbourhood of this entity")
	depth := fs.Int("depth", 1, "with --id, how many hops (at most 3)")
	if err := parse(fs, args); err != nil {
		return err
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("export: --out is required")
	}
	g, closeStore, err := openGraph(ctx, *data, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	var sub *store.Subgraph
	if *id != "" {
		if *depth < 1 || *depth > 3 {
			return fmt.Errorf("export: --depth %d is not 1, 2 or 3", *depth)
		}
		if sub, err = g.Neighbourhood(ctx, *id, *depth, store.Walk{}, 1<<30); err != nil {
			return err
		}
	}
	err = writeWhole(*out, func(w io.Writer) error { return export.Write(ctx, g, w, f, sub) })
	if err == nil {
		fmt.Fprintf(stdout, "exported %s to %s\n", f, *out)
	}
	return err
}

// ingestArticle adds an article (plain text or HTML) as a source with its mentions and
// proposes candidate relations for review.
func ingestArticle(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	title := fs.String("title", "", "the article's title")
	url := fs.String("url", "", "where the article was published")
	publisher := fs.String("publisher", "", "the publisher: an actor's id or name")
	published := fs.String("published", "", "publication date or time (2026-02-06, RFC 3339)")
	key := fs.String("key", "", "the source's id (default: derived from the URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *title == "" || *url == "" {
		return errors.New("ingest: give --title, --url and one article file")
	}
	raw, err := readAtMost(fs.Arg(0), ingest.MaxHTMLBytes)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	text := string(raw)
	if ext := strings.ToLower(filepath.Ext(fs.Arg(0))); ext == ".html" || ext == ".htm" || strings.HasPrefix(http.DetectContentType(raw), "text/html") {
		if text, err = ingest.HTMLText(bytes.NewReader(raw)); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	src := store.Source{ID: *key, Title: *title, URL: *url, Text: text, Language: "en"}
	if src.ID == "" {
		src.ID = store.SourceKey(*url)
	}
	if *published != "" {
		t, err := parseDate(*published)
		if err != nil {
			return fmt.Errorf("ingest: --published: %w", err)
		}
		src.PublishedAt = &t
	}
	now := time.Now().UTC()
	src.RetrievedAt = &now
	g, closeStore, err := openGraph(ctx, *data, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	if *publisher != "" {
		if src.Publisher, err = resolveActor(ctx, g, *publisher); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "ingesting %s (%d bytes of text) as %s\n", fs.Arg(0), len(text), src.ID)
	res, err := ingest.Ingest(store.WithAuthor(ctx, "ingest:"+filepath.Base(fs.Arg(0))), g, ingest.Article{Source: src})
	if ctx.Err() != nil && err != nil {
		return fmt.Errorf("ingest interrupted; nothing was written: %w", err)
	}
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	fmt.Fprintf(stdout, "ingested %s as %s: %d mentions (%d new), %d boilerplate lines skipped, %d candidates proposed (%d new)\n",
		fs.Arg(0), src.ID, len(res.Mentions), res.Stats.Evidence, len(res.Boilerplate), len(res.Candidates), res.Stats.Candidates)
	return nil
}

// readAtMost reads the file at path, refusing one over limit bytes with
// ingest.ErrTooLarge before reading it all.
func readAtMost(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err == nil && len(b) > limit {
		err = fmt.Errorf("%w: %s is over %d bytes", ingest.ErrTooLarge, path, limit)
	}
	return b, err
}

// parseDate reads 2026-02-06 or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// resolveActor finds the actor with id s, or else the one actor called s.
func resolveActor(ctx context.Context, g *store.Graph, s string) (string, error) {
	if n, err := g.Node(ctx, s); err == nil && n.NodeKind() == store.KindActor {
		return s, nil
	}
	named, err := g.Named(ctx, s, []store.Kind{store.KindActor})
	switch {
	case err != nil:
		return "", err
	case len(named) == 1:
		return named[0].NodeID(), nil
	case len(named) > 1:
		return "", fmt.Errorf("ingest: --publisher %q names %d actors; give an id", s, len(named))
	}
	return "", fmt.Errorf("ingest: --publisher %q names no actor; add it first", s)
}

// backup writes a backup of the data directory (every version of every key: history
// and "as of" survive a restore). The store must not be in use by a server; a running
// server offers GET /backup to an admin instead.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	out := fs.String("out", "", "backup file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: --out is required")
	}
	kv, err := badgerkv.Open(badgerkv.Options{Dir: *data})
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("data directory %s is in use by another eventgraph process; stop it, or download GET /backup from the server with an admin token", *data)
	}
	if err != nil {
		return err
	}
	defer kv.Close()
	err = writeWhole(*out, kv.Backup)
	if err == nil {
		fmt.Fprintf(stdout, "backed up %s to %s\n", *data, *out)
	}
	return err
}

// restore loads a backup into a data directory that must be empty or absent, refusing
// a file that is not a whole backup and a store that breaks the evidence rule.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory to create (empty or absent)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: name one backup file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := badgerkv.Restore(badgerkv.Options{Dir: *data}, f, func(s kv.Store) error {
		g, err := store.Open(ctx, s)
		if err != nil {
			return err
		}
		if err := g.CheckEvidence(ctx); err != nil {
			return fmt.Errorf("the backup's store breaks the store's rules: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d keys in %d versions, as of %s\n", fs.Arg(0), *data, info.Keys, info.Versions,
		time.Unix(0, int64(info.AsOf)).UTC().Format(time.RFC3339))
	return nil
}

// writeWhole writes a file through write so that it appears whole or not at all: it is
// written beside path and renamed.
func writeWhole(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".eventgraph-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}
