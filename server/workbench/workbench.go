// Package workbench serves the analyst's workbench: a single page (dist/index.html)
// and its script, stylesheet and licence texts, all embedded, built from src/ by
// `go generate` (see build/). The page reads and writes only through the public API.
package workbench

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
)

//go:embed dist
var dist embed.FS

// contentTypes fixes the content types of the embedded files rather than relying on the
// system MIME table, which varies between hosts.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

// Paths are where Handler answers; the caller mounts it at each.
var Paths = []string{"/{$}", "/assets/", "/licenses.txt"}

// CSP is the Content-Security-Policy of the page: its own script and stylesheet only
// (no inline script or style element), requests to its own origin only (the API and its
// WebSocket), images from itself or data: URLs (the exported PNG), and no framing.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; " +
	"worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the page at "/" and licences at "/licenses.txt", both revalidated on
// every load so an upgrade shows at once, and the files under "/assets/", whose names
// carry a hash of their content, cached for a year. Any other path is 404.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", CSP)
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		serve(w, r, "dist/index.html", "no-cache")
	})
	mux.HandleFunc("GET /licenses.txt", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "dist/licenses.txt", "no-cache")
	})
	mux.HandleFunc("GET /assets/{file}", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "dist/assets/"+r.PathValue("file"), "public, max-age=31536000, immutable")
	})
	return mux
}

// serve answers with the embedded file name, or 404 (without the cache header) when
// there is none or its type is not one the page uses.
func serve(w http.ResponseWriter, r *http.Request, name, cache string) {
	ctype, ok := contentTypes[path.Ext(name)]
	// fs.Stat also refuses names that are not valid paths, such as one smuggling "..".
	if _, err := fs.Stat(dist, name); !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", cache)
	http.ServeFileFS(w, r, dist, name)
}
