package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"

	"github.com/99designs/gqlgen/graphql/playground"
)

// ideAssets holds GraphiQL and React, copied verbatim from the npm packages
// graphiql@4.1.2 (graphiql.min.{js,css}) and react@18.2.0 / react-dom@18.2.0
// (umd/*.production.min.js). gqlgen's playground loads exactly these files
// from a CDN; embedding them lets the IDE work without internet access.
//
//go:embed ide/*
var ideAssets embed.FS

// Subresource Integrity hashes of the embedded files. They double as a
// guard: if a file in ide/ is replaced without updating its hash here, the
// browser refuses to run it, so a mismatch cannot go unnoticed. The files are
// byte-identical to the ones gqlgen pins by sha256 in its playground package.
const (
	graphiqlJSSRI  = "sha384-9XdHu7ajgGJziD4J1zNBKQ842Q/+zZfDv+ib1eMhZWBH6hPAs806x+Jbcf0yNO6B"
	graphiqlCSSSRI = "sha384-1el1QShFBnnXTx9x/Cprg82hZWKt0ry29OAYIXt05swbi0KcZDFoj0CWguMpopJr"
	reactSRI       = "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"
	reactDOMSRI    = "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"
)

// The version query strings are cache busters: assets are cached as
// immutable, so an upgrade must change the URL, or browsers would keep the
// old file and then reject it for failing the new integrity hash.
const (
	graphiqlVersion = "?v=4.1.2"
	reactVersion    = "?v=18.2.0"
)

// assetTypes fixes the content types of the embedded files rather than
// relying on the system MIME table, which varies between hosts.
var assetTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// IDEHandler serves a GraphiQL IDE for the GraphQL API at endpoint that works
// offline: the page is gqlgen's playground page, but its scripts and styles
// are served from this binary instead of a CDN.
//
// The handler answers two kinds of paths, and the caller mounts it for both
// "/graphiql" and "/ide/":
//
//   - "/graphiql" serves the HTML page;
//   - "/ide/<file>" serves the embedded assets, with long-lived caching.
//
// Anything else under those prefixes is 404.
func IDEHandler(title, endpoint string) http.Handler {
	page := playground.Handler(title, endpoint,
		playground.WithGraphiqlVersion(
			"/ide/graphiql.min.js"+graphiqlVersion,
			"/ide/graphiql.min.css"+graphiqlVersion,
			graphiqlJSSRI, graphiqlCSSSRI,
		),
		playground.WithGraphiqlReactVersion(
			"/ide/react.production.min.js"+reactVersion,
			"/ide/react-dom.production.min.js"+reactVersion,
			reactSRI, reactDOMSRI,
		),
	)

	mux := http.NewServeMux()
	mux.Handle("GET /graphiql", framelessPage(page))
	mux.HandleFunc("GET /ide/{file}", serveIDEAsset)
	return mux
}

// inlineRE finds the page's inline scripts and styles (those without a src).
var inlineRE = regexp.MustCompile(`(?s)<(script|style)>(.*?)</(?:script|style)>`)

// framelessPage serves page, which must not vary between requests, with a
// Content-Security-Policy that lets it load only its own assets and run only its own
// inline script and style (named by hash), talk only to its own origin, and be framed
// by no other page (and X-Frame-Options for browsers without frame-ancestors).
func framelessPage(page http.Handler) http.Handler {
	rendered := &renderedPage{header: http.Header{}}
	page.ServeHTTP(rendered, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/graphiql"}, Header: http.Header{}})
	hashes := map[string]string{}
	for _, m := range inlineRE.FindAllStringSubmatch(rendered.body.String(), -1) {
		sum := sha256.Sum256([]byte(m[2]))
		hashes[m[1]] += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	csp := "default-src 'none'; script-src 'self'" + hashes["script"] + "; style-src 'self'" + hashes["style"] +
		"; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		page.ServeHTTP(w, r)
	})
}

// renderedPage keeps what a handler writes.
type renderedPage struct {
	header http.Header
	body   bytes.Buffer
}

func (p *renderedPage) Header() http.Header         { return p.header }
func (p *renderedPage) Write(b []byte) (int, error) { return p.body.Write(b) }
func (p *renderedPage) WriteHeader(int)             {}

// serveIDEAsset serves one embedded file. It checks that the file exists
// first so that 404s do not carry the long Cache-Control header.
func serveIDEAsset(w http.ResponseWriter, r *http.Request) {
	name := "ide/" + r.PathValue("file")
	ctype, ok := assetTypes[path.Ext(name)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	// fs.Stat also rejects names that are not valid fs paths, such as
	// "ide/../x" smuggled in through an escaped slash.
	if _, err := fs.Stat(ideAssets, name); err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeFileFS(w, r, ideAssets, name)
}
