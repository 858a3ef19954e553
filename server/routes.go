package server

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// route is one path the server answers: the methods it answers there and the role a
// caller needs once tokens are on. Each route checks its own role; nothing in front of
// the routes lets a request through on the strength of a header.
type route struct {
	// pattern is a ServeMux path pattern without a method: "/graphql", "/ide/", "/{$}".
	pattern string
	// methods are the only methods answered; any other gets 405 with Allow.
	methods []string
	// role is what a caller needs when tokens are on; 0 makes the route public (it
	// reads no Authorization header).
	role Role
	// websocket marks the route that takes WebSocket connections (the GraphQL
	// endpoint). Their handshake is a GET that may come without a token: browsers
	// cannot set headers on it, so the token comes in connection_init, where
	// websocketInit checks it.
	websocket bool
	handler   http.Handler
}

// Error codes of the HTTP layer, in extensions.code.
const (
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeNotFound         = "NOT_FOUND"
	// CodeHostNotAllowed: the Host header names neither the address the request
	// reached nor an allowed host (see Config.AllowedHosts).
	CodeHostNotAllowed = "HOST_NOT_ALLOWED"
)

// serveRoutes answers each route's methods through its access check, and every other
// method with 405 and Allow, and unknown paths with 404, all as JSON errors.
func serveRoutes(routes []route, tokens *Tokens, openReads bool) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := guard(tokens, openReads, rt, rt.handler)
		allow := strings.Join(rt.methods, ", ")
		mux.Handle(rt.pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case !slices.Contains(rt.methods, r.Method):
				methodNotAllowed(w, r, allow)
				return
			case rt.websocket && websocketUpgrade(r) && r.Method != http.MethodGet:
				methodNotAllowed(w, r, http.MethodGet)
				return
			}
			h.ServeHTTP(w, r)
		}))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, mediaJSON, http.StatusNotFound, fmt.Sprintf("nothing is served at %s", r.URL.Path), CodeNotFound)
	})
	return mux
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, mediaJSON, http.StatusMethodNotAllowed, fmt.Sprintf("%s answers %s only", r.URL.Path, allow), CodeMethodNotAllowed)
}

// checkHost refuses, with 421, a request whose Host header names neither the address
// it reached, nor localhost, nor one of allowed: a web page whose own name an attacker
// made resolve to this server (DNS rebinding) sends its own name as Host, so its
// requests are refused even though the browser treats them as same-origin. A "*" in
// allowed turns the check off.
func checkHost(allowed []string, next http.Handler) http.Handler {
	names := map[string]bool{"localhost": true}
	for _, h := range allowed {
		names[normalHost(h)] = true
	}
	if names["*"] {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if !hostAllowed(r.Host, local, names) {
			writeError(w, mediaJSON, http.StatusMisdirectedRequest,
				fmt.Sprintf("Host %q is not a name of this server; add it to --allowed-hosts if it is", r.Host), CodeHostNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether a Host header value names this server: a name in names,
// or the IP address the connection reached at local, or any loopback address when that
// one is loopback. An IP literal cannot be rebound, but one that is not the address
// reached is still not this server's name.
func hostAllowed(hostport string, local net.Addr, names map[string]bool) bool {
	host := normalHost(hostport)
	if host == "" {
		return false
	}
	if names[host] {
		return true
	}
	ip := net.ParseIP(host)
	tcp, ok := local.(*net.TCPAddr)
	if ip == nil || !ok {
		return false
	}
	return ip.Equal(tcp.IP) || ip.IsLoopback() && tcp.IP.IsLoopback()
}

// normalHost is the host of a Host header value or host name: without port, brackets,
// zone or trailing dot, in lower case.
func normalHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i]
	}
	return strings.ToLower(host)
}

// securityHeaders forbids content sniffing on every response, so a JSON answer that
// quotes a hostile string is never run as a page.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
