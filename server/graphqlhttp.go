package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of the GraphQL-over-HTTP specification.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// overHTTP is a gqlgen transport for GET and POST that follows the GraphQL-over-HTTP
// specification where stock gqlgen does not: under application/json every request
// that reaches GraphQL is answered 200, malformed parameters included, and under
// application/graphql-response+json a request whose parameters are malformed or whose
// document fails to parse or validate is answered 400 without a data entry.
type overHTTP struct{}

var _ graphql.Transport = overHTTP{}

func (overHTTP) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && (r.Method == http.MethodGet || r.Method == http.MethodPost)
}

func (overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		writeRequestError(w, mediaJSON, http.StatusNotAcceptable, "accept "+mediaGraphQLResponse+" or "+mediaJSON)
		return
	}
	params, status, msg := readParams(r)
	if status != 0 {
		writeRequestError(w, media, status, msg)
		return
	}
	params.Headers = r.Header
	ctx := r.Context()
	start := graphql.Now()
	params.ReadTime = graphql.TraceTiming{Start: start, End: start}
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs == nil && r.Method == http.MethodGet && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeRequestError(w, media, http.StatusMethodNotAllowed, "only queries may be sent with GET; use POST")
		return
	}
	if errs == nil && rc.Operation.Operation == ast.Subscription {
		writeRequestError(w, media, http.StatusBadRequest, "subscriptions are served over WebSocket (graphql-transport-ws or graphql-ws) at this URL")
		return
	}
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		w.Header().Set("Content-Type", media)
		if media == mediaGraphQLResponse {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(struct {
				Errors     gqlerror.List  `json:"errors"`
				Extensions map[string]any `json:"extensions,omitempty"`
			}{resp.Errors, resp.Extensions})
			return
		}
		writeResponse(w, resp)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil {
		// The client went away before its answer was ready; nobody is left to tell.
		return
	}
	w.Header().Set("Content-Type", media)
	writeResponse(w, resp)
}

// writeResponse writes resp as encoding/json would, except that data is copied as the
// executor wrote it: compact JSON already, and validating it again costs a tenth of a
// 500-relation graph view's answer. Unlike encoding/json it leaves <, > and & in
// strings unescaped, as JSON allows; responses are never served as HTML.
func writeResponse(w io.Writer, resp *graphql.Response) {
	data := resp.Data
	if data == nil {
		data = json.RawMessage("null")
	}
	head, _ := json.Marshal(struct {
		Errors gqlerror.List `json:"errors,omitempty"`
	}{resp.Errors})
	tail, _ := json.Marshal(struct {
		Label      string         `json:"label,omitempty"`
		Path       ast.Path       `json:"path,omitempty"`
		HasNext    *bool          `json:"hasNext,omitempty"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Label, resp.Path, resp.HasNext, resp.Extensions})
	var b bytes.Buffer
	b.Grow(len(head) + len(data) + len(tail) + 16)
	b.Write(head[:len(head)-1])
	if len(head) > 2 {
		b.WriteByte(',')
	}
	b.WriteString(`"data":`)
	b.Write(data)
	if len(tail) > 2 {
		b.WriteByte(',')
		b.Write(tail[1:])
	} else {
		b.WriteByte('}')
	}
	b.WriteByte('\n')
	w.Write(b.Bytes())
}

// negotiate picks the response media type from Accept headers by quality (RFC 9110:
// the most specific range matching a type gives its quality), then by how specific
// the range is: a type named outright wins over one a wildcard matches. Named alike,
// graphql-response+json wins; matched by the same wildcard (*/*, what fetch sends by
// default), application/json does, as does a request without Accept, as the
// specification asks while older clients are about. An Accept header that admits
// neither type is not acceptable.
func negotiate(accept []string) (string, bool) {
	if len(accept) == 0 {
		return mediaJSON, true
	}
	g, j := rankIn(accept, mediaGraphQLResponse), rankIn(accept, mediaJSON)
	switch {
	case g.q == 0 && j.q == 0:
		return mediaJSON, false
	case g.better(j), g == j && g.specificity == named:
		return mediaGraphQLResponse, true
	}
	return mediaJSON, true
}

// acceptRank is how an Accept header ranks one media type: the quality of the most
// specific range that matches it, and how specific that range is.
type acceptRank struct {
	q           float64
	specificity int
}

// Specificities of the ranges of an Accept header.
const (
	noRange = iota - 1
	anyType // */*
	subtype // application/*
	named   // application/json
)

func (a acceptRank) better(b acceptRank) bool {
	if a.q != b.q {
		return a.q > b.q
	}
	return a.specificity > b.specificity
}

// rankIn ranks media in the Accept header values; q is 0 when no range matches it.
func rankIn(accept []string, media string) acceptRank {
	typ, _, _ := strings.Cut(media, "/")
	best := acceptRank{specificity: noRange}
	for _, h := range accept {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			specificity := noRange
			switch mt {
			case media:
				specificity = named
			case typ + "/*":
				specificity = subtype
			case "*/*":
				specificity = anyType
			}
			if specificity <= best.specificity {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(v, 64); err != nil || q < 0 || q > 1 {
					continue
				}
			}
			best = acceptRank{q: q, specificity: specificity}
		}
	}
	return best
}

// readParams reads a GET query string or a POST JSON body; a non-zero status means
// the request is malformed.
func readParams(r *http.Request) (*graphql.RawParams, int, string) {
	params := &graphql.RawParams{}
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		params.Query, params.OperationName = q.Get("query"), q.Get("operationName")
		for name, dst := range map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
			if v := q.Get(name); v != "" {
				if err := json.Unmarshal([]byte(v), dst); err != nil {
					return nil, http.StatusBadRequest, name + " is not a JSON object"
				}
			}
		}
	} else {
		mt, typeParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if charset, ok := typeParams["charset"]; err != nil || mt != mediaJSON || ok && !strings.EqualFold(charset, "utf-8") {
			return nil, http.StatusUnsupportedMediaType, "send the request body as " + mediaJSON + " in UTF-8"
		}
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		err = dec.Decode(params)
		if err == nil {
			err = atEnd(dec)
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, http.StatusRequestEntityTooLarge, "request body is larger than the server accepts"
			}
			return nil, http.StatusBadRequest, "request body is not a JSON object with a query: " + err.Error()
		}
	}
	if params.Query == "" {
		return nil, http.StatusBadRequest, "query is required"
	}
	return params, 0, ""
}

// atEnd reads the rest of a request body, which must be nothing but white space. The
// server notices a client going away only once the body has been read to its end, so
// reading it all lets the request's context be cancelled when its client leaves.
func atEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("more follows the JSON object")
		}
		return err
	}
	return nil
}

// codeBadRequest is the code of a request the server cannot read as GraphQL.
const codeBadRequest = "BAD_REQUEST"

// writeRequestError answers a malformed request with a GraphQL-shaped error body.
// Under application/json a malformed request is answered 200, as the specification
// advises for that media type, unless status says the request never reached GraphQL
// (its body too large, or not JSON at all).
func writeRequestError(w http.ResponseWriter, media string, status int, msg string) {
	if media == mediaJSON && status == http.StatusBadRequest {
		status = http.StatusOK
	}
	writeError(w, media, status, msg, codeBadRequest)
}

// writeError answers a request that cannot be run with a GraphQL-shaped error body.
func writeError(w http.ResponseWriter, media string, status int, msg, code string) {
	w.Header().Set("Content-Type", media)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message":    msg,
		"extensions": map[string]any{"code": code},
	}}})
}
