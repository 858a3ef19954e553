package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
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
// specification where stock gqlgen does not: under application/json every well-formed
// request is answered 200, and under application/graphql-response+json a request that
// fails to parse or validate is answered 400 without a data entry.
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
	w.Header().Set("Content-Type", media)
	writeResponse(w, responses(ctx))
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

// negotiate picks the response media type from Accept headers: graphql-response+json
// when asked for or for wildcards, application/json when asked for or when there is no
// Accept header at all (as the specification advises for older clients).
func negotiate(accept []string) (string, bool) {
	if len(accept) == 0 {
		return mediaJSON, true
	}
	json := false
	for _, h := range accept {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || params["q"] == "0" {
				continue
			}
			switch mt {
			case mediaGraphQLResponse, "*/*", "application/*":
				return mediaGraphQLResponse, true
			case mediaJSON:
				json = true
			}
		}
	}
	return mediaJSON, json
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
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != mediaJSON {
			return nil, http.StatusUnsupportedMediaType, "send the request body as " + mediaJSON
		}
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(params); err != nil {
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

// writeRequestError answers a malformed request with a GraphQL-shaped error body.
func writeRequestError(w http.ResponseWriter, media string, status int, msg string) {
	writeError(w, media, status, msg, "BAD_REQUEST")
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
