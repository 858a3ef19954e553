// Package server serves the eventgraph GraphQL API over HTTP: /graphql (GET and POST,
// GraphQL-over-HTTP), the analyst's workbench at / (package workbench), the offline
// GraphiQL IDE at /graphiql, /import, /export, /backup and /healthz.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"eventgraph/graph"
	"eventgraph/seed"
	"eventgraph/seed/export"
	"eventgraph/server/workbench"
)

// Config holds the server's settings; the zero value of each field means its default.
type Config struct {
	// Introspection allows schema introspection queries.
	Introspection bool
	// IDE serves the workbench at / and GraphiQL at /graphiql.
	IDE bool
	// MaxBodyBytes bounds request bodies; default 1 MiB.
	MaxBodyBytes int64
	// MaxImportBytes bounds the body of POST /import, all its seed and text files;
	// default DefaultMaxImportBytes, negative for none.
	MaxImportBytes int64
	// ImportDir is where POST /import writes the files it is sent while it imports
	// them, each import in a folder of its own that it removes when done; default
	// os.TempDir(). eventgraph serve gives its data directory (see RemoveImportSpools).
	ImportDir string
	// MaxComplexity bounds a query's cost (see graph.Schema); default 50,000.
	MaxComplexity int
	// RequestTimeout bounds how long a query may run (see deadline); default
	// DefaultRequestTimeout, negative for none.
	RequestTimeout time.Duration
	// MaxResponseBytes bounds an answer's size (see boundAnswers); default
	// DefaultMaxResponseBytes, negative for none.
	MaxResponseBytes int64
	// Logger receives request logs; default slog.Default().
	Logger *slog.Logger
	// Tokens, when set, require a bearer token for writes (an editor's) and, unless
	// OpenReads, for reads; nil leaves the API open to whoever can reach it.
	Tokens    *Tokens
	OpenReads bool
	// Backup, when set, serves GET /backup (an admin's token when tokens are on): a
	// backup of the store as of the request, for restore.
	Backup func(io.Writer) error
	// AllowedHosts are host names, besides localhost and the address a request
	// reached, that its Host header may give; "*" allows any (see checkHost).
	AllowedHosts []string
	// NoDirectEncoding has gqlgen's executor answer every neighbourhood query, instead
	// of graph.DirectSubgraphs encoding the ones it can (twice as fast). The answers are
	// the same; only with it set do field middleware see the fields of those answers.
	NoDirectEncoding bool
}

// websocketInitTimeout is how long a WebSocket may stay open without sending
// connection_init (graphql-ws's own default): a client that opens sockets and says
// nothing holds no goroutine or file descriptor for longer.
const websocketInitTimeout = 3 * time.Second

// Graph is what the server serves: the graph the GraphQL API reads and writes, what
// an export reads and what an import writes, and the commits other servers make.
type Graph interface {
	graph.Graph
	export.Graph
	seed.Importer
	// FollowOthers hands the commits other processes make to the store to the
	// graph's subscribers until ctx ends (store.Graph.FollowOthers).
	FollowOthers(ctx context.Context, report func(error))
}

// Handler returns the HTTP handler for g.
func Handler(g Graph, cfg Config) http.Handler {
	cfg = cfg.withDefaults()
	gql := graphQL(g, cfg)

	routes := []route{
		{pattern: "/graphql", methods: []string{http.MethodGet, http.MethodPost}, role: RoleReader, websocket: true,
			handler: http.MaxBytesHandler(gql, cfg.MaxBodyBytes)},
		{pattern: "/import", methods: []string{http.MethodPost}, role: RoleEditor, handler: importHandler(g, cfg)},
		{pattern: "/export", methods: []string{http.MethodGet}, role: RoleReader, handler: exportHandler(g, cfg.Logger)},
		{pattern: "/healthz", methods: []string{http.MethodGet, http.MethodHead}, handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"status": "ok"})
		})},
	}
	if cfg.Backup != nil {
		routes = append(routes, route{pattern: "/backup", methods: []string{http.MethodGet}, role: RoleAdmin, handler: backupHandler(cfg.Backup, cfg.Logger)})
	}
	if cfg.IDE {
		ide := IDEHandler("eventgraph", "/graphql")
		for _, pattern := range []string{"/graphiql", "/ide/"} {
			routes = append(routes, route{pattern: pattern, methods: []string{http.MethodGet, http.MethodHead}, handler: ide})
		}
		page := workbench.Handler()
		for _, pattern := range workbench.Paths {
			routes = append(routes, route{pattern: pattern, methods: []string{http.MethodGet, http.MethodHead}, handler: page})
		}
	}
	return logRequests(cfg.Logger, securityHeaders(checkHost(cfg.AllowedHosts, serveRoutes(routes, cfg.Tokens, cfg.OpenReads))))
}

// withDefaults returns cfg with each zero field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxImportBytes == 0 {
		cfg.MaxImportBytes = DefaultMaxImportBytes
	}
	if cfg.MaxComplexity <= 0 {
		cfg.MaxComplexity = 50_000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return cfg
}

// graphQL returns the GraphQL handler Handler serves at /graphql, for cfg with its
// defaults set.
func graphQL(g Graph, cfg Config) *handler.Server {
	schema := graph.Schema(graph.NewResolver(g))
	gql := handler.New(schema)
	gql.AddTransport(overHTTP{})
	// Subscriptions: graphql-transport-ws and graphql-ws. The WebSocket library refuses
	// cross-origin browser connections unless they come from the server's own host.
	ws := transport.Websocket{KeepAlivePingInterval: 15 * time.Second, InitTimeout: websocketInitTimeout}
	if cfg.Tokens != nil {
		ws.InitFunc = func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx, err := websocketInit(cfg.Tokens, cfg.OpenReads)(ctx, p)
			return ctx, nil, err
		}
	}
	gql.AddTransport(ws)
	cache := lru.New[*ast.QueryDocument](1000)
	gql.SetQueryCache(cache)
	limitRequests(gql, cache, cfg)
	gql.Use(extension.FixedComplexityLimit(cfg.MaxComplexity))
	if cfg.Introspection {
		gql.Use(extension.Introspection{})
	}
	gql.SetErrorPresenter(graph.PresentError)
	gql.SetRecoverFunc(recoverOperation(cfg.Logger))
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withViewer(graph.WithRequest(ctx, g), cfg.Tokens != nil))
	})
	if cfg.Tokens != nil {
		gql.AroundOperations(authorize(cfg.OpenReads))
	}
	gql.AroundRootFields(graph.AtRootField(g))
	// Field middleware (gql.AroundFields, or an extension that is a
	// graphql.FieldInterceptor) goes here, and needs NoDirectEncoding: DirectSubgraphs
	// calls the resolvers of the fields it encodes itself, so no field middleware runs
	// for them. gqlgen does not tell a root field middleware whether field middleware is
	// installed, so DirectSubgraphs cannot step aside by itself.
	if !cfg.NoDirectEncoding {
		gql.AroundRootFields(graph.DirectSubgraphs(schema))
	}
	return gql
}

// statusRecorder remembers the status a handler sent, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status  int
	written bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.written {
		s.status, s.written = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.written = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, as WebSocket upgrades need.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs one line per request. Query texts and headers are not logged: they
// may carry tokens or sensitive search terms.
func logRequests(l *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		l.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)))
	})
}

// recoverOperation answers a resolver's panic with an INTERNAL error and logs it, with
// its stack, as one JSON line (gqlgen's default prints both to stderr as plain text).
func recoverOperation(l *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		l.ErrorContext(ctx, "graphql panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": graph.CodeInternal}}
	}
}

// Serve answers for g with cfg (Handler) on ln until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish for up to 10 seconds. On a store other
// processes write too (a TiKV cluster), it hands their commits to this server's
// subscribers meanwhile (Graph.FollowOthers; a look that fails is logged and made
// again). The HTTP server's own messages go to slog.Default().
func Serve(ctx context.Context, ln net.Listener, g Graph, cfg Config) error {
	cfg = cfg.withDefaults()
	following, stopFollowing := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		g.FollowOthers(following, func(err error) { cfg.Logger.Warn("following other processes' commits", "err", err) })
	}()
	defer func() {
		stopFollowing()
		<-followed
	}()
	srv := &http.Server{
		Handler:           Handler(g, cfg),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// The server's own complaints (a handler's panic, a connection it cannot read)
		// become JSON log lines like every other.
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
