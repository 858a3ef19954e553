package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"eventgraph/graph"
	"eventgraph/graph/model"
	"eventgraph/store"
)

// Role is what a token allows; each role allows what the ones before it do.
type Role int

// Roles, weakest first.
const (
	RoleReader Role = iota + 1 // queries and subscriptions
	RoleEditor                 // and mutations
	RoleAdmin                  // and administration (backup and restore over HTTP)
)

var roleNames = map[string]Role{"reader": RoleReader, "editor": RoleEditor, "admin": RoleAdmin}

// Identity is who a request's token names.
type Identity struct {
	Role Role
	Name string
}

// Tokens maps tokens to identities. Tokens are held only as SHA-256 digests, so
// neither a heap dump nor a lookup's timing gives one away, and are never logged.
type Tokens struct {
	byDigest map[[32]byte]Identity
}

// minTokenLength refuses tokens short enough to guess.
const minTokenLength = 16

// ParseTokens reads a tokens file: one "ROLE TOKEN NAME" per line (roles reader,
// editor, admin; the name is the rest of the line and is what history records as the
// author), blank lines and lines starting with # ignored. Errors name the line.
func ParseTokens(name string, r io.Reader) (*Tokens, error) {
	t := &Tokens{byDigest: map[[32]byte]Identity{}}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want ROLE TOKEN NAME", name, line)
		}
		role, ok := roleNames[fields[0]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: role %q is not reader, editor or admin", name, line, fields[0])
		}
		if err := t.Add(fields[1], Identity{Role: role, Name: strings.Join(fields[2:], " ")}); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(t.byDigest) == 0 {
		return nil, fmt.Errorf("%s: no tokens", name)
	}
	return t, nil
}

// Add lets token in as id: a tokens file's line, or the token the server hands its own
// command line (see eventgraph's serving file). Errors: a token shorter than 16
// characters, or one already given.
func (t *Tokens) Add(token string, id Identity) error {
	if len(token) < minTokenLength {
		return fmt.Errorf("the token is shorter than %d characters", minTokenLength)
	}
	digest := sha256.Sum256([]byte(token))
	if _, dup := t.byDigest[digest]; dup {
		return errors.New("the token is given twice")
	}
	t.byDigest[digest] = id
	return nil
}

// identify returns the identity behind an "Authorization: Bearer <token>" value; ok is
// false when a token was given and is unknown.
func (t *Tokens) identify(authorization string) (id Identity, given, ok bool) {
	token, found := strings.CutPrefix(authorization, "Bearer ")
	if !found || token == "" {
		return Identity{}, false, true
	}
	id, ok = t.byDigest[sha256.Sum256([]byte(strings.TrimSpace(token)))]
	return id, true, ok
}

type identityKey struct{}

func withIdentity(ctx context.Context, id Identity) context.Context {
	if id.Name != "" {
		ctx = store.WithAuthor(ctx, id.Name)
	}
	return context.WithValue(ctx, identityKey{}, id)
}

// withViewer tells the GraphQL viewer query who ctx's caller is: without tokens, an
// anonymous admin; with them, the token's holder, or an anonymous reader where reads
// are open (a caller without a token gets no further where they are not).
func withViewer(ctx context.Context, tokensRequired bool) context.Context {
	roles := map[Role]model.Role{RoleReader: model.RoleReader, RoleEditor: model.RoleEditor, RoleAdmin: model.RoleAdmin}
	id, ok := identityFrom(ctx)
	switch {
	case !tokensRequired:
		return graph.WithViewer(ctx, "", model.RoleAdmin, false)
	case ok:
		return graph.WithViewer(ctx, id.Name, roles[id.Role], true)
	}
	return graph.WithViewer(ctx, "", model.RoleReader, true)
}

func identityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// Error codes of access control, in extensions.code.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

// guard lets a request reach a route only with the role the route needs. With tokens
// configured, an unknown token is refused with 401 wherever one is read, a caller
// without a token is a reader when reads are open and nobody otherwise, and a caller
// below the route's role gets 401 without a token and 403 with one. Without tokens
// every route is open. The identity of a known token travels in the context, for
// authorize and for history's author.
func guard(tokens *Tokens, openReads bool, rt route, next http.Handler) http.Handler {
	if tokens == nil || rt.role == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, given, ok := tokens.identify(r.Header.Get("Authorization"))
		switch {
		case !ok:
			unauthenticated(w, true)
			return
		case given:
			r = r.WithContext(withIdentity(r.Context(), id))
		case openReads:
			id.Role = RoleReader
		}
		switch {
		case id.Role >= rt.role, !given && rt.websocket && websocketUpgrade(r):
			next.ServeHTTP(w, r)
		case !given:
			unauthenticated(w, false)
		default:
			writeError(w, mediaJSON, http.StatusForbidden,
				fmt.Sprintf("%s's token is %s's: this needs %s's", id.Name, aRole(id.Role), aRole(rt.role)), CodeForbidden)
		}
	})
}

// websocketUpgrade reports a WebSocket handshake: browsers cannot set headers on it,
// so its token comes in the connection_init payload instead (see websocketInit).
func websocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func unauthenticated(w http.ResponseWriter, given bool) {
	msg := "a bearer token is required"
	if given {
		msg = "the bearer token is not known"
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="eventgraph"`)
	writeError(w, "application/json", http.StatusUnauthorized, msg, CodeUnauthenticated)
}

// websocketInit authenticates a WebSocket connection from its connection_init payload
// ({"Authorization": "Bearer <token>"}), or from the handshake's header.
func websocketInit(tokens *Tokens, openReads bool) func(ctx context.Context, p map[string]any) (context.Context, error) {
	return func(ctx context.Context, p map[string]any) (context.Context, error) {
		if _, ok := identityFrom(ctx); ok {
			return ctx, nil
		}
		auth, _ := p["Authorization"].(string)
		if auth == "" {
			auth, _ = p["authorization"].(string)
		}
		id, given, ok := tokens.identify(auth)
		switch {
		case !ok:
			return ctx, fmt.Errorf("the bearer token is not known")
		case !given && !openReads:
			return ctx, fmt.Errorf("a bearer token is required")
		case given:
			ctx = withIdentity(ctx, id)
		}
		return ctx, nil
	}
}

// authorize refuses operations the caller's role does not allow when tokens are
// configured: mutations need an editor, queries and subscriptions a reader unless
// reads are open. The HTTP routes check the same before a request gets here; this
// check is the one a WebSocket's operations meet.
func authorize(openReads bool) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		if op.Operation == nil {
			return next(ctx)
		}
		need, what := RoleReader, "reading"
		if op.Operation.Operation == ast.Mutation {
			need, what = RoleEditor, "writing"
		}
		id, ok := identityFrom(ctx)
		if ok && id.Role >= need || !ok && need == RoleReader && openReads {
			return next(ctx)
		}
		code, msg := CodeUnauthenticated, fmt.Sprintf("%s needs %s's bearer token", what, aRole(need))
		if ok {
			code, msg = CodeForbidden, fmt.Sprintf("%s's token is %s's: %s needs %s's", id.Name, aRole(id.Role), what, aRole(need))
		}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}})
	}
}

// aRole names a role with its article: "a reader", "an editor", "an admin".
func aRole(r Role) string {
	for name, role := range roleNames {
		if role == r {
			if strings.ContainsRune("aeiou", rune(name[0])) {
				return "an " + name
			}
			return "a " + name
		}
	}
	return "nobody"
}
