package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"eventgraph/seed/export"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
)

// exportHandler serves GET /export?format=seed|jsonld|graphml|csv: the whole graph or,
// with id, a part of it: the neighbourhood of the entity within depth hops (1 to 3,
// default 1), of each entity when id is given several times, or with depth=0 the
// entities themselves and the relations among them (a view's subgraph, as the between
// query gives it). asOf (a date or an RFC 3339 time, as in GraphQL) exports the graph
// as it was known then. Everything is read from one snapshot.
func exportHandler(g Graph, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		badRequest := func(msg string) {
			writeError(w, "application/json", http.StatusBadRequest, msg, "INVALID_INPUT")
		}
		f, err := export.ParseFormat(q.Get("format"))
		if err != nil {
			badRequest(err.Error())
			return
		}
		version := uint64(0)
		if a := q.Get("asOf"); a != "" {
			p, err := domain.ParsePeriod(a)
			if err != nil {
				badRequest("asOf: " + err.Error())
				return
			}
			version = g.VersionAt(p.Last())
		}
		ctx := g.Pin(r.Context(), version)
		ids := q["id"]
		if len(ids) > maxExportIDs {
			badRequest(fmt.Sprintf("id may be given at most %d times, got %d", maxExportIDs, len(ids)))
			return
		}
		depth := 1
		if d := q.Get("depth"); d != "" {
			if depth, err = strconv.Atoi(d); err != nil || depth < 0 || depth > 3 || depth == 0 && len(ids) == 0 {
				badRequest("depth must be 1, 2 or 3, or 0 with id")
				return
			}
		}
		var sub *explore.Subgraph
		name := "eventgraph"
		if len(ids) > 0 {
			sub, err = exportPart(ctx, g, ids, depth)
			if errors.Is(err, domain.ErrNotFound) {
				writeError(w, "application/json", http.StatusNotFound, err.Error(), "NOT_FOUND")
				return
			}
			if err != nil {
				writeError(w, "application/json", http.StatusInternalServerError, "internal error", "INTERNAL")
				return
			}
			name += "-" + ids[0]
			if len(ids) > 1 {
				name += fmt.Sprintf("-and-%d", len(ids)-1)
			}
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+f.Extension()))
		// Once the body has begun, a failure can only cut it short; the client sees a
		// truncated download, and the log has the error.
		if err := export.Write(ctx, g, w, f, sub); err != nil {
			log.ErrorContext(ctx, "export failed", "format", f, "err", err)
			panic(http.ErrAbortHandler)
		}
	})
}

// maxExportIDs bounds the entities one export request names, as the between query does.
const maxExportIDs = 500

// exportPart is the part of the graph an export with ids asks for: the entities and the
// relations among them (depth 0), or every relation within depth hops of one of them.
//
// Errors: domain.ErrNotFound when an id names no entity.
func exportPart(ctx context.Context, g Graph, ids []string, depth int) (*explore.Subgraph, error) {
	if depth == 0 {
		return g.Between(ctx, ids, domain.Walk{}, 1<<30)
	}
	parts := make([]*explore.Subgraph, len(ids))
	for i, id := range ids {
		var err error
		if parts[i], err = g.Neighbourhood(ctx, id, depth, domain.Walk{}, 1<<30); err != nil {
			return nil, err
		}
	}
	return explore.Union(parts...), nil
}

// backupHandler serves GET /backup: the store's backup stream as a download.
func backupHandler(backup func(io.Writer) error, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="eventgraph.backup"`)
		if err := backup(w); err != nil {
			log.ErrorContext(r.Context(), "backup failed", "err", err)
			panic(http.ErrAbortHandler)
		}
	})
}
