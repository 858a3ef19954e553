// Command eventgraph serves and loads the eventgraph knowledge graph.
//
// Run "eventgraph help" for its commands and "eventgraph help COMMAND" for a command's
// flags; docs/cli.md holds the same, generated from the flag definitions in this file.
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
	"runtime/debug"
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
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/kv"
	"eventgraph/store/tikvkv"
)

func main() {
	// SIGINT and SIGTERM cancel the command's context and stay caught until the process
	// exits: a signal that comes once the work is done, while the process is ending,
	// must not turn a finished command into one killed by a signal.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "eventgraph:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// command is one of eventgraph's commands. Its flags are defined in one place, define,
// from which the usage, each command's help and docs/cli.md are all generated.
type command struct {
	name    string
	summary string // one line, for the list of commands
	// args is what the synopsis shows after [flags]: positional arguments and the flags
	// that are required ("--out FILE"), in the form a user types them.
	args  string
	about string // what the command does, for its help and docs/cli.md
	// define defines the command's flags on fs and returns what runs the command once
	// fs has parsed the command line (fs.Args() are the positional arguments).
	define func(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error
}

// commands are eventgraph's commands, in the order usage lists them.
var commands = []command{
	{name: "serve", define: serve, summary: "serve the GraphQL API, the analyst's workbench and GraphiQL over a data directory",
		about: `Opens the data directory (creating it), loads the bundled seed data when the store holds no source yet, and serves /graphql (GET and POST, and WebSocket for subscriptions), the analyst's workbench at /, the offline GraphiQL IDE at /graphiql, /import, /export, /backup and /healthz until SIGINT or SIGTERM. It listens on loopback unless told otherwise, and refuses an address other machines can reach without --tokens (or --insecure-open). It logs JSON lines to stderr, never query texts or headers.`},
	{name: "import", define: importFiles, args: "FILE...", summary: "validate seed files and load them into a data directory",
		about: `Loads seed files (YAML or JSON Lines; see seed/FORMAT.md). Everything is validated before anything is written: each problem is reported as file:line: field: what is wrong, all of them are listed, nothing is written and the exit status is 1. Importing the same files again changes nothing. Progress goes to stderr. While a server holds the data directory, the files (with the text files they name) are sent to its /import, found through the serving.json it leaves there (see ingest), which checks and writes them alike.`},
	{name: "ingest", define: ingestArticle, args: "--title TITLE --url URL FILE", summary: "add an article as a source, with its mentions and candidate relations",
		about: `Adds an article (plain text, or HTML: its article, main or body without navigation, asides and boilerplate) as a source. Every run of words naming a known entity becomes a MENTIONS evidence record at its exact code point offsets; what a sentence states between two of them (a title, a participation's verb, an event's place) becomes a candidate relation in the review queue (the candidates query, the accept and reject mutations). The source, its mentions and its candidates are one atomic write; ingesting the same article again changes nothing. A text over 2 MiB or a file over 4 MiB is refused. While a server holds the data directory, the article is handed to it through the ingest mutation: the server leaves serving.json in the directory (its address and, when it checks tokens, a token it accepts as an editor, recorded in history as "eventgraph command line"; readable by the directory's owner only) and removes it when it stops.`},
	{name: "export", define: exportGraph, args: "--out PATH", summary: "write the graph, or an entity's neighbourhood, as seed, JSON-LD, GraphML or CSV",
		about: `Writes the whole graph, or with --id the neighbourhood of one entity, to a file that appears whole or not at all. seed is JSON Lines in the seed format (importing it into an empty store gives the same graph); jsonld uses the PROV-O and Web Annotation vocabularies; graphml is for Gephi and yEd; csv is a zip of nodes.csv, relations.csv and evidence.csv. A running server offers the same at GET /export.`},
	{name: "backup", define: backup, args: "--out FILE", summary: "write a backup of a data directory or TiKV cluster, every version of every key",
		about: `Writes every version of every key of the data directory (or of the TiKV cluster --store names) in key order, so history and asOf survive, framed by a header and an end record with counts and a SHA-256. A data directory it needs to itself: a running server gives the same backup to an admin at GET /backup. A cluster's backup is written while servers run, as of the moment it began, in the same format: restore loads it into a data directory (docs/tikv.md).`},
	{name: "restore", define: restore, args: "FILE", summary: "load a backup into an empty data directory",
		about: `Loads a backup into a data directory that must be empty or absent: it is loaded beside it and renamed into place, so the directory holds the whole backup or nothing. A backup is written straight into Badger's tables, in bounded memory. A file cut short, corrupted or with data after its end is refused, and so is a store in which a relation or position has no live supporting evidence.`},
	{name: "generate", define: generate, args: "--out FILE", summary: "write a synthetic data set in the JSON Lines seed format",
		about: `Writes a deterministic synthetic data set (the same --seed gives the same file), skewed like real data: a few hubs with a fixed share of all relations, most entities with under 20, every relation with evidence quoting generated source texts. 1,000,000 relations take about 3 s.`},
	{name: "load", define: load, args: "--query QUERY | --queries FILE", summary: "send GraphQL requests from concurrent clients and report latencies",
		about: `Sends one query, or a round-robin mix from a JSON Lines file of {"query", "variables"} objects, from concurrent clients for a while, then prints the rate and the p50, p90, p99 and maximum latencies. A request counts as failed unless answered 200 without errors; a run in which none succeeded exits with status 1.`},
}

// errUsage marks errors in how the command was called: no command, an unknown one, a
// flag that is not the command's. main exits with status 2 for them, 1 for failures.
var errUsage = errors.New("usage")

// usageError is a mistake in the command line, with the usage that says how it goes.
type usageError struct {
	problem string
	usage   string
}

func (e *usageError) Error() string     { return e.problem + "\n" + strings.TrimSuffix(e.usage, "\n") }
func (e *usageError) Is(err error) bool { return err == errUsage }

// run runs the command args name. "help", "-h" and "--help" print the usage, and
// "help COMMAND" and "COMMAND -h" a command's, to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{"no command given", usage()}
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 {
			_, err := io.WriteString(stdout, usage())
			return err
		}
		cmd, ok := lookupCommand(args[1])
		if !ok || len(args) > 2 {
			return &usageError{fmt.Sprintf("help: no command %q", strings.Join(args[1:], " ")), usage()}
		}
		_, err := io.WriteString(stdout, cmd.help())
		return err
	}
	cmd, ok := lookupCommand(args[0])
	if !ok {
		return &usageError{fmt.Sprintf("unknown command %q", args[0]), usage()}
	}
	fs, runCommand := cmd.flags()
	err := parse(fs, args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, err := io.WriteString(stdout, cmd.help())
		return err
	case err != nil:
		return &usageError{fmt.Sprintf("%s: %v", cmd.name, err), cmd.synopsis() + "\nRun 'eventgraph help " + cmd.name + "' for its flags."}
	}
	return runCommand(ctx, stdout, stderr)
}

func lookupCommand(name string) (command, bool) {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands[i], true
}

// flags returns the command's flag set, its flags defined, and what runs the command.
// Parse errors are returned, not printed: run reports them.
func (c command) flags() (*flag.FlagSet, func(context.Context, io.Writer, io.Writer) error) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs, c.define(fs)
}

// synopsis is the command's line of usage: "eventgraph import [flags] FILE...".
func (c command) synopsis() string {
	return strings.TrimSpace("eventgraph " + c.name + " [flags] " + c.args)
}

// usage is the top-level usage: every command with its summary.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: eventgraph COMMAND [flags] [arguments]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "  %-9s %s\n", "help", "print this, or with a command's name that command's flags")
	b.WriteString("\n" + environmentRule + "\nRun 'eventgraph help COMMAND' for a command's flags.\n")
	return b.String()
}

// environmentRule says how flags come from the environment (see parse).
const environmentRule = `Every flag can also be set in the environment: EVENTGRAPH_ and the flag's name in
upper case with - as _ (EVENTGRAPH_DATA for --data). A flag on the command line wins.`

// help is a command's usage: its synopsis, what it does, and every flag with its
// default and environment variable.
func (c command) help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n\n%s\n\nflags:\n", c.synopsis(), wrap(c.about, 88))
	fs, _ := c.flags()
	fs.VisitAll(func(f *flag.Flag) {
		value, text := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "  --%s", f.Name)
		if value != "" {
			fmt.Fprintf(&b, " %s", value)
		}
		fmt.Fprintf(&b, "    (%s", environmentVariable(f.Name))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(&b, "; default %s", f.DefValue)
		}
		fmt.Fprintf(&b, ")\n%s\n", indent(wrap(text, 80), "        "))
	})
	return b.String()
}

// environmentVariable is the EVENTGRAPH_ variable that sets the flag name.
func environmentVariable(name string) string {
	return "EVENTGRAPH_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// wrap breaks text into lines of at most width bytes at spaces (a longer word gets a
// line of its own).
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
		case line+1+len(word) > width:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}

func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix)
}

// parse parses args, then fills every flag not given on the command line from its
// EVENTGRAPH_* environment variable, and an empty --data with defaultDataDir().
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := environmentVariable(f.Name)
		if v, ok := os.LookupEnv(env); ok && !given[f.Name] && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
		}
	})
	if f := fs.Lookup("data"); err == nil && f != nil && f.Value.String() == "" {
		err = f.Value.Set(defaultDataDir())
	}
	return err
}

// dataFlag defines --data, the data directory. Its default is left empty for parse to
// fill in, so that usage and docs/cli.md state the rule rather than this machine's path.
func dataFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("data", "", usage+" (default: $XDG_DATA_HOME/eventgraph, else ~/.local/share/eventgraph, else ./data)")
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

// storeFlags are --data, --store and --mapped-pages: where a command finds the graph,
// and how much of a Badger store's mapped files it keeps resident.
type storeFlags struct {
	data, store *string
	mappedPages *int64
	// memTableSize is Badger's memtable size (badgerkv.Options); 0: Badger's default.
	memTableSize int64
}

// defineStoreFlags defines --data, --store and --mapped-pages, whose default is
// mappedPages, on fs.
func defineStoreFlags(fs *flag.FlagSet, mappedPages int64) storeFlags {
	return storeFlags{
		data:        dataFlag(fs, "data directory: the Badger store; with --store only serve uses it, for its import spools and hand-off file"),
		store:       fs.String("store", "", "the store: empty for Badger in --data, or tikv://PD1,PD2,... for a TiKV cluster, by its PD servers' host:port (docs/tikv.md)"),
		mappedPages: mappedPagesFlag(fs, mappedPages),
	}
}

// defaultMappedPages is --mapped-pages but for serve: 256 MiB. Badger maps every table
// file it writes or reads, and the pages stay in the process's resident set until the
// kernel needs the memory: 5.8 GB of them at the end of a ten-million-relation import,
// which never reads them again. Past the limit the store's coldest pages go back to the
// kernel (badgerkv.Options MappedPagesLimit), and a later read brings a page back from
// the file.
const defaultMappedPages = 256 << 20

// serveMappedPages is serve's --mapped-pages: 512 MiB. At 10M relations, neighbourhoods
// of depth 2 answered with a p99 of 12 ms under it, 21–24 ms under 256 MiB, and 16 ms
// with no limit (docs/performance.md); the server then holds some 1.2 GB in all.
const serveMappedPages = 512 << 20

// mappedPagesFlag defines --mapped-pages with the default given.
func mappedPagesFlag(fs *flag.FlagSet, def int64) *int64 {
	return fs.Int64("mapped-pages", def, "bytes of mapped files the command keeps resident, past which the pages of the Badger store's files it read or wrote longest ago go back to the kernel, to be read from disk again when needed (0: no limit; Linux only)")
}

// openGraph opens the graph where f says: the Badger store in --data (created when
// absent), or the TiKV cluster --store names; its derived indexes are brought up to
// date.
func openGraph(ctx context.Context, f storeFlags, log *slog.Logger) (*store.Graph, func() error, error) {
	kv, err := openStore(f, log)
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

// openStore opens the Badger store in --data when --store is empty, else the TiKV
// cluster --store names (tikv://PD1,PD2,...). Reaching a cluster's PD is bounded by its
// client: it gives up after 100 s.
func openStore(f storeFlags, log *slog.Logger) (kv.Store, error) {
	if *f.store != "" {
		return openCluster(*f.store)
	}
	dir := *f.data
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	s, err := badgerkv.Open(badgerkv.Options{Dir: dir, Logger: log, MappedPagesLimit: *f.mappedPages, MemTableSize: f.memTableSize})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("data directory %s is in use by another eventgraph process; stop it or choose another --data: %w", dir, err)
	}
	return s, err
}

// openCluster opens the TiKV cluster location names (tikv://PD1,PD2,...).
func openCluster(location string) (*tikvkv.Store, error) {
	pd, err := tikvAddresses(location)
	if err != nil {
		return nil, err
	}
	return tikvkv.Open(pd, tikvkv.Journal(store.Journaled()...))
}

// tikvAddresses are the PD servers' addresses a --store of tikv://PD1,PD2,... names.
func tikvAddresses(location string) ([]string, error) {
	list, ok := strings.CutPrefix(location, "tikv://")
	if !ok {
		return nil, fmt.Errorf("--store %q: want tikv://PD1,PD2,... (a TiKV cluster's PD servers, host:port), or no --store for Badger in --data", location)
	}
	var pd []string
	for _, a := range strings.Split(list, ",") {
		if host, port, err := net.SplitHostPort(a); err != nil || host == "" || port == "" {
			return nil, fmt.Errorf("--store %q: %q is not a PD server's host:port", location, a)
		}
		pd = append(pd, a)
	}
	return pd, nil
}

func serve(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback by default)")
	where := defineStoreFlags(fs, serveMappedPages)
	data := where.data
	noSeed := fs.Bool("no-seed", false, "do not load the bundled seed data into an empty store")
	introspection := fs.Bool("introspection", true, "allow GraphQL introspection")
	ide := fs.Bool("ide", true, "serve the analyst's workbench at / and the GraphiQL IDE at /graphiql")
	maxBody := fs.Int64("max-body-bytes", 1<<20, "largest request body accepted")
	maxImport := fs.Int64("max-import-bytes", server.DefaultMaxImportBytes, "largest import accepted at /import, all its files together (0: no limit)")
	maxComplexity := fs.Int("max-complexity", 50_000, "largest query cost accepted")
	requestTimeout := fs.Duration("request-timeout", server.DefaultRequestTimeout, "longest a query may run; longer ones are answered TIMEOUT (0: no limit)")
	maxResponse := fs.Int64("max-response-bytes", server.DefaultMaxResponseBytes, "largest answer sent; larger ones are answered RESPONSE_TOO_LARGE (0: no limit)")
	tokensFile := fs.String("tokens", "", `file of "ROLE TOKEN NAME" lines (roles reader, editor, admin): writes then need an editor's bearer token, reads a reader's`)
	openReads := fs.Bool("open-reads", false, "with --tokens, let clients without a token read")
	allowedHosts := fs.String("allowed-hosts", "", `comma-separated host names clients may reach the server by, besides localhost and its IP address ("*": any)`)
	insecureOpen := fs.Bool("insecure-open", false, "serve without --tokens on an address other machines can reach")
	directEncoding := fs.Bool("direct-encoding", true, "encode neighbourhood answers directly, twice as fast as gqlgen's executor (false: the executor answers, and field middleware sees every field)")
	limitMemory := memoryLimitFlag(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		limitMemory()
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
		g, closeStore, err := openGraph(ctx, where, log)
		if err != nil {
			return err
		}
		defer closeStore()
		// Imports are spooled in the data directory (server.Config.ImportDir); one a
		// killed server left there is no longer anyone's.
		if err := server.RemoveImportSpools(*data); err != nil {
			return err
		}
		if !*noSeed {
			if err := seedIfEmpty(ctx, g, log); err != nil {
				return err
			}
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		// The command line hands a running server its work (ingest, import) through
		// this file.
		handoff, err := server.NewHandoff(ln.Addr(), tokens)
		if err != nil {
			return err
		}
		removeHandoff, err := handoff.Write(*data)
		if err != nil {
			return err
		}
		defer removeHandoff()
		log.Info("serving", "url", "http://"+ln.Addr().String()+"/graphql", "data", *data)
		cfg := server.Config{Introspection: *introspection, IDE: *ide,
			MaxBodyBytes: *maxBody, MaxImportBytes: unlimitedIfZero(*maxImport), ImportDir: *data, MaxComplexity: *maxComplexity, Logger: log, Tokens: tokens, OpenReads: *openReads,
			AllowedHosts:   allowedHostList(*allowedHosts, *addr),
			RequestTimeout: unlimitedIfZero(*requestTimeout), MaxResponseBytes: unlimitedIfZero(*maxResponse),
			NoDirectEncoding: !*directEncoding}
		if b, ok := g.KV().(backerUp); ok {
			cfg.Backup = b.Backup
		}
		err = server.Serve(ctx, ln, g, cfg)
		log.Info("stopped")
		return err
	}
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
	p, err := g.List(ctx, domain.KindSource, domain.NodeFilter{}, domain.PageArgs{First: 1})
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

// defaultMemoryLimit is --memory-limit: 1.5 GiB. An import of ten million relations
// holds about 1.2 GB, and a server rebuilding a derived index on open, like a restore,
// keeps Badger's memtables, table building and compactions busy, which leave more
// garbage than is live; without a limit the garbage collector lets the heap grow to
// twice what is live before it collects. A server answering queries holds well under
// the limit, so it costs it nothing.
const defaultMemoryLimit = 1536 << 20

// memoryLimitFlag defines --memory-limit, for the commands that stream a whole store or
// seed (import, export, backup, restore) and for serve, which may rebuild a derived
// index on open, and returns what applies it.
func memoryLimitFlag(fs *flag.FlagSet) (apply func()) {
	limit := fs.Int64("memory-limit", defaultMemoryLimit, "soft limit in bytes on the command's heap, past which the garbage collector works harder (0: none; the GOMEMLIMIT environment variable, when set, wins)")
	return func() {
		if _, set := os.LookupEnv("GOMEMLIMIT"); !set && *limit > 0 {
			debug.SetMemoryLimit(*limit)
		}
	}
}

// newStoreMemTable is Badger's memtable size for an import into a data directory that
// holds no database yet: 8 MB, where Badger's default is 64 MB. Such an import writes
// its tables through a StreamWriter, past the memtables, but Badger allocates the first
// one on the heap at open (83 MB at the default), where under --memory-limit it only
// made the collector run more often: at 10M relations, 1,168 collections using 94 s of
// processor time and 408 s in all, against 801 collections, 48 s and 368 s with 8 MB.
// An import into a store that holds data writes through the memtables, and took 40%
// longer with 8 MB ones, so it keeps the default.
const newStoreMemTable = 8 << 20

func importFiles(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	where := defineStoreFlags(fs, defaultMappedPages)
	data := where.data
	dryRun := fs.Bool("dry-run", false, "validate only; write nothing")
	limitMemory := memoryLimitFlag(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		if fs.NArg() == 0 {
			return errors.New("import: name at least one seed file")
		}
		limitMemory()
		if *where.store == "" {
			held, err := badgerkv.HoldsDatabase(*data)
			if err != nil {
				return err
			}
			if !held {
				where.memTableSize = newStoreMemTable
			}
		}
		var stats store.WriteStats
		g, closeStore, err := openGraph(ctx, where, nil)
		if errors.Is(err, store.ErrLocked) {
			// A server holds the directory: send it the files, once they load.
			h, herr := server.ReadHandoff(*data)
			if herr != nil {
				return errors.Join(err, herr)
			}
			set, err := seed.Options{Progress: stderr}.LoadFiles(fs.Args()...)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "importing %s through the server at %s\n", strings.Join(set.Files(), ", "), h.URL)
			sent, err := server.SendImport(ctx, h, set, *dryRun)
			if err != nil {
				return err
			}
			stats = store.WriteStats{Nodes: sent.Nodes, Relations: sent.Relations, Evidence: sent.Evidence}
		} else {
			if err != nil {
				return err
			}
			defer closeStore()
			if stats, err = (seed.Options{DryRun: *dryRun, Progress: stderr}).ImportFiles(ctx, g, fs.Args()...); err != nil {
				return err
			}
		}
		verb := "imported"
		if *dryRun {
			verb = "valid; would import"
		}
		fmt.Fprintf(stdout, "%s %d nodes, %d relations, %d evidence records\n", verb, stats.Nodes, stats.Relations, stats.Evidence)
		return nil
	}
}

func generate(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	relations := fs.Int("relations", 10_000, "number of relations to generate")
	seedValue := fs.Int64("seed", 1, "random seed; the same seed gives the same file")
	out := fs.String("out", "", "output file (JSON Lines seed format)")
	hubSpread := fs.Int("hub-spread", 1, "spread the hubs' share of relations over this many times as many hubs")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
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
}

// loadRequest is one GraphQL request of a load mix.
type loadRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// load sends GraphQL requests from concurrent clients for a while and reports
// throughput and latency percentiles: the load generator behind the figures in
// docs/performance.md. Requests come from --query, or round-robin from a JSON Lines file of
// {"query": …, "variables": …} objects.
func load(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	url := fs.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to send requests")
	query := fs.String("query", "", "the query to send")
	file := fs.String("queries", "", "JSON Lines file of requests to send round-robin")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
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
func exportGraph(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	where := defineStoreFlags(fs, defaultMappedPages)
	format := fs.String("format", "seed", "seed, jsonld, graphml or csv (a zip of three tables)")
	out := fs.String("out", "", "output file")
	id := fs.String("id", "", "export only the neighbourhood of this entity")
	depth := fs.Int("depth", 1, "with --id, how many hops (at most 3)")
	limitMemory := memoryLimitFlag(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		limitMemory()
		f, err := export.ParseFormat(*format)
		if err != nil {
			return err
		}
		if *out == "" {
			return errors.New("export: --out is required")
		}
		g, closeStore, err := openGraph(ctx, where, nil)
		if err != nil {
			return err
		}
		defer closeStore()
		var sub *explore.Subgraph
		if *id != "" {
			if *depth < 1 || *depth > 3 {
				return fmt.Errorf("export: --depth %d is not 1, 2 or 3", *depth)
			}
			if sub, err = g.Neighbourhood(ctx, *id, *depth, domain.Walk{}, 1<<30); err != nil {
				return err
			}
		}
		err = writeWhole(*out, func(w io.Writer) error { return export.Write(ctx, g, w, f, sub) })
		if err == nil {
			fmt.Fprintf(stdout, "exported %s to %s\n", f, *out)
		}
		return err
	}
}

// ingestArticle adds an article (plain text or HTML) as a source with its mentions and
// proposes candidate relations for review.
func ingestArticle(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	where := defineStoreFlags(fs, defaultMappedPages)
	data := where.data
	title := fs.String("title", "", "the article's title")
	url := fs.String("url", "", "where the article was published")
	publisher := fs.String("publisher", "", "the publisher: an actor's id or name")
	published := fs.String("published", "", "publication date or time (2026-02-06, RFC 3339)")
	key := fs.String("key", "", "the source's id (default: derived from the URL)")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		if fs.NArg() != 1 || *title == "" || *url == "" {
			return errors.New("ingest: give --title, --url and one article file")
		}
		raw, err := readAtMost(fs.Arg(0), ingest.MaxHTMLBytes)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		sub := ingest.Submission{Key: *key, Title: *title, URL: *url, Publisher: *publisher, Text: string(raw)}
		if ext := strings.ToLower(filepath.Ext(fs.Arg(0))); ext == ".html" || ext == ".htm" || strings.HasPrefix(http.DetectContentType(raw), "text/html") {
			sub.Text, sub.HTML = "", string(raw)
		}
		if *published != "" {
			t, err := parseDate(*published)
			if err != nil {
				return fmt.Errorf("ingest: --published: %w", err)
			}
			sub.PublishedAt = &t
		}
		g, closeStore, err := openGraph(ctx, where, nil)
		if errors.Is(err, store.ErrLocked) {
			// A server holds the directory: hand it the article.
			h, herr := server.ReadHandoff(*data)
			if herr != nil {
				return errors.Join(err, herr)
			}
			fmt.Fprintf(stderr, "ingesting %s (%d bytes) through the server at %s\n", fs.Arg(0), len(raw), h.URL)
			sum, err := ingestThrough(ctx, h, sub)
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			sum.report(stdout, fs.Arg(0))
			return nil
		}
		if err != nil {
			return err
		}
		defer closeStore()
		fmt.Fprintf(stderr, "ingesting %s (%d bytes)\n", fs.Arg(0), len(raw))
		res, err := ingest.Submit(store.WithAuthor(ctx, "ingest:"+filepath.Base(fs.Arg(0))), g, sub, time.Now().UTC())
		if ctx.Err() != nil && err != nil {
			return fmt.Errorf("ingest interrupted; nothing was written: %w", err)
		}
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		ingested{res.Source.ID, len(res.Mentions), res.Stats.Evidence, len(res.Boilerplate), len(res.Candidates), res.Stats.Candidates,
			len(res.Proposals), res.Stats.Proposals}.report(stdout, fs.Arg(0))
		return nil
	}
}

// ingested is what the command says of an ingestion, made in the process or by a server.
type ingested struct {
	source                             string
	mentions, newMentions, boilerplate int
	candidates, newCandidates          int
	proposals, newProposals            int
}

// report prints what ingesting file did.
func (s ingested) report(w io.Writer, file string) {
	fmt.Fprintf(w, "ingested %s as %s: %d mentions (%d new), %d boilerplate lines skipped, %d candidates proposed (%d new), %d entities proposed (%d new)\n",
		file, s.source, s.mentions, s.newMentions, s.boilerplate, s.candidates, s.newCandidates, s.proposals, s.newProposals)
}

// ingestThrough hands an article to the server h describes, through its ingest mutation.
func ingestThrough(ctx context.Context, h server.Handoff, sub ingest.Submission) (ingested, error) {
	article := map[string]any{"title": sub.Title, "url": sub.URL}
	for k, v := range map[string]string{"key": sub.Key, "publisher": sub.Publisher, "language": sub.Language, "text": sub.Text, "html": sub.HTML} {
		if v != "" {
			article[k] = v
		}
	}
	if sub.PublishedAt != nil {
		article["publishedAt"] = sub.PublishedAt.Format(time.RFC3339)
	}
	body, err := json.Marshal(map[string]any{
		"query":     `mutation($a: ArticleInput!) { ingest(article: $a) { source { id } mentions { id } candidates { id } proposals { id } boilerplate { start } newMentions newCandidates newProposals } }`,
		"variables": map[string]any{"a": article},
	})
	if err != nil {
		return ingested{}, err
	}
	var out struct {
		Data struct {
			Ingest *struct {
				Source                                   struct{ ID string }
				Mentions, Candidates, Proposals          []struct{ ID string }
				Boilerplate                              []struct{ Start int }
				NewMentions, NewCandidates, NewProposals int
			}
		}
		Errors []struct {
			Message    string
			Extensions struct{ Code, Field string }
		}
	}
	resp, err := h.Post(ctx, "/graphql", "application/json", bytes.NewReader(body), &out)
	if err != nil {
		return ingested{}, err
	}
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		return ingested{}, fmt.Errorf("the server refused the article (%s %s): %s", e.Extensions.Code, e.Extensions.Field, e.Message)
	}
	if out.Data.Ingest == nil {
		return ingested{}, fmt.Errorf("the server at %s answered %s without a result", h.URL, resp.Status)
	}
	in := out.Data.Ingest
	return ingested{in.Source.ID, len(in.Mentions), in.NewMentions, len(in.Boilerplate), len(in.Candidates), in.NewCandidates,
		len(in.Proposals), in.NewProposals}, nil
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

// backup writes a backup of the data directory (every version of every key: history
// and "as of" survive a restore). The store must not be in use by a server; a running
// server offers GET /backup to an admin instead.
func backup(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	where := defineStoreFlags(fs, defaultMappedPages)
	out := fs.String("out", "", "backup file to write")
	limitMemory := memoryLimitFlag(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		limitMemory()
		if *out == "" {
			return errors.New("backup: --out is required")
		}
		var s interface {
			backerUp
			Close() error
		}
		var err error
		from := *where.data
		if *where.store != "" {
			from = *where.store
			s, err = openCluster(*where.store)
		} else {
			s, err = badgerkv.Open(badgerkv.Options{Dir: *where.data, MappedPagesLimit: *where.mappedPages})
			if errors.Is(err, store.ErrLocked) {
				return fmt.Errorf("data directory %s is in use by another eventgraph process; stop it, or download GET /backup from the server with an admin token", *where.data)
			}
		}
		if err != nil {
			return err
		}
		defer s.Close()
		err = writeWhole(*out, s.Backup)
		if err == nil {
			fmt.Fprintf(stdout, "backed up %s to %s\n", from, *out)
		}
		return err
	}
}

// backerUp is a store that writes backups in the format restore loads: Badger's, and
// TiKV's in Badger's format.
type backerUp interface {
	Backup(io.Writer) error
}

// restore loads a backup into a data directory that must be empty or absent, refusing
// a file that is not a whole backup and a store that breaks the evidence rule.
func restore(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	data := dataFlag(fs, "data directory to create (empty or absent)")
	mappedPages := mappedPagesFlag(fs, defaultMappedPages)
	limitMemory := memoryLimitFlag(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		limitMemory()
		if fs.NArg() != 1 {
			return errors.New("restore: name one backup file")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		info, err := badgerkv.Restore(ctx, badgerkv.Options{Dir: *data, MappedPagesLimit: *mappedPages}, f, func(s kv.Store) error {
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
