// Package server serves the eventgraph GraphQL API over HTTP: /graphql (GET and POST,
// GraphQL-over-HTTP), the offline GraphiQL IDE at /, and /healthz.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"eventgraph/graph"
	"eventgraph/store"
)

// Config holds the server's settings; the zero value of each field means its default.
type Config struct {
	// Introspection allows schema introspection queries.
	Introspection bool
	// IDE serves GraphiQL at /.
	IDE bool
	// MaxBodyBytes bounds request bodies; default 1 MiB.
	MaxBodyBytes int64
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
}

// Handler returns the HTTP handler for g.
func Handler(g store.Service, cfg Config) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
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
	schema := graph.Schema(&graph.Resolver{Graph: g})
	gql := handler.New(schema)
	gql.AddTransport(overHTTP{})
	// Subscriptions: graphql-transport-ws and graphql-ws. The WebSocket library refuses
	// cross-origin browser connections unless they come from the server's own host.
	ws := transport.Websocket{KeepAlivePingInterval: 15 * time.Second}
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
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(graph.WithRequest(ctx, g))
	})
	if cfg.Tokens != nil {
		gql.AroundOperations(authorize)
	}
	gql.AroundRootFields(graph.AtRootField(g))
	gql.AroundRootFields(graph.DirectSubgraphs(schema))

	mux := http.NewServeMux()
	var api, download http.Handler = http.MaxBytesHandler(gql, cfg.MaxBodyBytes), exportHandler(g, cfg.Logger)
	if cfg.Tokens != nil {
		api = authenticate(cfg.Tokens, cfg.OpenReads, api)
		download = authenticate(cfg.Tokens, cfg.OpenReads, download)
	}
	mux.Handle("/graphql", api)
	mux.Handle("GET /export", download)
	if cfg.Backup != nil {
		var h http.Handler = backupHandler(cfg.Backup, cfg.Logger)
		if cfg.Tokens != nil {
			h = authenticate(cfg.Tokens, false, requireRole(RoleAdmin, h))
		}
		mux.Handle("GET /backup", h)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"status": "ok"})
	})
	if cfg.IDE {
		ide := IDEHandler("eventgraph", "/graphql")
		mux.Handle("/", ide)
		mux.Handle("/ide/", ide)
	}
	return logRequests(cfg.Logger, mux)
}

// statusRecorder remembers the status a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
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

// Serve answers on ln until ctx is cancelled, then shuts down gracefully, letting
// requests in flight finish for up to 10 seconds.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
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
