package server

import (
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

// exportHandler serves GET /export?format=seed|jsonld|graphml|csv, the whole graph or,
// with id (and depth, 1 to 3), the neighbourhood of that entity, as a download read
// from one snapshot.
func exportHandler(g Graph, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := export.ParseFormat(q.Get("format"))
		if err != nil {
			writeError(w, "application/json", http.StatusBadRequest, err.Error(), "INVALID_INPUT")
			return
		}
		ctx := g.Pin(r.Context(), 0)
		var sub *explore.Subgraph
		name := "eventgraph"
		if id := q.Get("id"); id != "" {
			depth := 1
			if d := q.Get("depth"); d != "" {
				if depth, err = strconv.Atoi(d); err != nil || depth < 1 || depth > 3 {
					writeError(w, "application/json", http.StatusBadRequest, "depth must be 1, 2 or 3", "INVALID_INPUT")
					return
				}
			}
			sub, err = g.Neighbourhood(ctx, id, depth, domain.Walk{}, 1<<30)
			if errors.Is(err, domain.ErrNotFound) {
				writeError(w, "application/json", http.StatusNotFound, err.Error(), "NOT_FOUND")
				return
			}
			if err != nil {
				writeError(w, "application/json", http.StatusInternalServerError, "internal error", "INTERNAL")
				return
			}
			name += "-" + id
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
