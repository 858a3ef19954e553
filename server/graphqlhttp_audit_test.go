package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"eventgraph/server"
)

// The server audit of graphql-http (github.com/graphql/graphql-http, src/audits/
// server.ts), the GraphQL-over-HTTP specification's conformance suite, done in Go
// against the real server: every audit, MUST, SHOULD and MAY, with its id and
// wording. The audit runs in JavaScript with fetch, which sends Accept: */* when a
// request names no Accept header; so do these requests.

const (
	mediaJSON     = "application/json"
	mediaResponse = "application/graphql-response+json"
	// noAccept sends a request without an Accept header at all.
	noAccept = "-"
)

// auditRequest describes one request of an audit.
type auditRequest struct {
	method      string
	accept      string // "" sends */*, as fetch does
	contentType string
	body        *string
	params      url.Values // GET query parameters
}

func (r auditRequest) send(base string) (*http.Response, []byte, error) {
	u := base
	if r.params != nil {
		u += "?" + r.params.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = strings.NewReader(*r.body)
	}
	req, err := http.NewRequest(r.method, u, body)
	if err != nil {
		return nil, nil, err
	}
	switch r.accept {
	case "":
		req.Header.Set("Accept", "*/*")
	case noAccept:
	default:
		req.Header.Set("Accept", r.accept)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

// post is a POST of body as application/json.
func post(accept, body string) auditRequest {
	return auditRequest{method: http.MethodPost, accept: accept, contentType: mediaJSON, body: &body}
}

// postParams is a POST of params encoded as a JSON object.
func postParams(accept string, params map[string]any) auditRequest {
	b, _ := json.Marshal(params)
	return post(accept, string(b))
}

// get is a GET with params in the URL.
func get(accept string, params map[string]string) auditRequest {
	v := url.Values{}
	for k, p := range params {
		v.Set(k, p)
	}
	return auditRequest{method: http.MethodGet, accept: accept, params: v}
}

// expectation checks a response.
type expectation func(resp *http.Response, body []byte) error

func status(want int) expectation {
	return statusBetween(want, want)
}

func statusBetween(lo, hi int) expectation {
	return func(resp *http.Response, _ []byte) error {
		if resp.StatusCode < lo || resp.StatusCode > hi {
			return fmt.Errorf("status %d, want %d–%d", resp.StatusCode, lo, hi)
		}
		return nil
	}
}

func contentType(want string) expectation {
	return func(resp *http.Response, _ []byte) error {
		if got := resp.Header.Get("Content-Type"); !strings.Contains(got, want) {
			return fmt.Errorf("content type %q, want %s", got, want)
		}
		return nil
	}
}

// entry checks whether the body, as a GraphQL execution result, has key.
func entry(key string, want bool) expectation {
	return func(_ *http.Response, body []byte) error {
		var result map[string]json.RawMessage
		if err := json.Unmarshal(body, &result); err != nil {
			return fmt.Errorf("body is not an execution result: %v: %s", err, body)
		}
		if _, has := result[key]; has != want {
			return fmt.Errorf("body has %s: %v, want %v: %s", key, has, want, body)
		}
		return nil
	}
}

var (
	hasErrors = entry("errors", true)
	noErrors  = entry("errors", false)
	noData    = entry("data", false)
)

func utf8Body(_ *http.Response, body []byte) error {
	if !utf8.Valid(body) {
		return errors.New("body is not UTF-8")
	}
	return nil
}

// either passes when the response's content type holds application/json and the
// body has errors, or else when the status is 400.
func errorsOr400(resp *http.Response, body []byte) error {
	if strings.Contains(resp.Header.Get("Content-Type"), mediaJSON) {
		return hasErrors(resp, body)
	}
	return status(http.StatusBadRequest)(resp, body)
}

type audit struct {
	id, name string
	requests []auditRequest // each must meet every expectation
	expect   []expectation
}

func one(id, name string, r auditRequest, expect ...expectation) audit {
	return audit{id: id, name: name, requests: []auditRequest{r}, expect: expect}
}

// serverAudits lists the audits of src/audits/server.ts in its order.
func serverAudits() []audit {
	const typename = `{"query": "{ __typename }"}`
	typeQuery := map[string]any{"query": "query Type($name: String!) { __type(name: $name) { name } }", "variables": map[string]any{"name": "sometype"}}
	invalid := []struct {
		name  string
		value any
	}{{"object", map[string]any{"obj": "ect"}}, {"number", 0}, {"boolean", false}, {"array", []any{"array"}}}
	invalidMaps := []struct {
		name  string
		value any
	}{{"string", "string"}, {"number", 0}, {"boolean", false}, {"array", []any{"array"}}}
	audits := []audit{
		one("22EB", "SHOULD accept application/graphql-response+json and match the content-type",
			post(mediaResponse, typename), status(200), contentType(mediaResponse)),
		one("4655", "MUST accept application/json and match the content-type",
			post(mediaJSON, typename), status(200), contentType(mediaJSON)),
		one("47DE", "SHOULD accept */* and use application/json for the content-type",
			post("*/*", typename), status(200), contentType(mediaJSON)),
		{id: "80D8", name: "SHOULD assume application/json content-type when accept is missing",
			requests: []auditRequest{get("", map[string]string{"query": "{ __typename }"}), get(noAccept, map[string]string{"query": "{ __typename }"})},
			expect:   []expectation{status(200), contentType(mediaJSON)}},
		one("82A3", "MUST use utf-8 encoding when responding", post("", typename), status(200), utf8Body),
		one("BF61", "MUST accept utf-8 encoded request",
			auditRequest{method: http.MethodPost, contentType: "application/json; charset=utf-8", body: ptr(typename)}, status(200)),
		one("78D5", "MUST assume utf-8 in request if encoding is unspecified", post("", typename), status(200)),
		one("2C94", "MUST accept POST requests", post("", typename), status(200)),
		one("5A70", "MAY accept application/x-www-form-urlencoded formatted GET requests",
			get("", map[string]string{"query": "{ __typename }"}), status(200)),
		one("9C48", "MAY NOT allow executing mutations on GET requests",
			get(mediaResponse, map[string]string{"query": "mutation { __typename }"}), statusBetween(400, 499)),
		one("9ABE", "SHOULD respond with 4xx status code if content-type is not supplied on POST requests",
			auditRequest{method: http.MethodPost}, statusBetween(400, 499)),
		one("03D4", "MUST accept application/json POST requests", post("", typename), status(200)),
		one("7267", "MUST require a request body on POST",
			auditRequest{method: http.MethodPost, contentType: mediaJSON}, errorsOr400),
		one("6610", "SHOULD use 400 status code on missing {query} parameter when accepting application/graphql-response+json",
			postParams(mediaResponse, map[string]any{"notquery": "{ __typename }"}), status(400)),
		one("3715", "SHOULD use 200 status code with errors field on missing {query} parameter when accepting application/json",
			postParams(mediaJSON, map[string]any{"notquery": "{ __typename }"}), status(200), hasErrors),
	}
	for i, v := range invalid {
		audits = append(audits, one(fmt.Sprintf("4F5%d", i),
			fmt.Sprintf("SHOULD use 400 status code on %s {query} parameter when accepting application/graphql-response+json", v.name),
			postParams(mediaResponse, map[string]any{"query": v.value}), status(400)))
	}
	for i, v := range invalid {
		audits = append(audits, one(fmt.Sprintf("9FE%d", i),
			fmt.Sprintf("SHOULD use 200 status code with errors field on %s {query} parameter when accepting application/json", v.name),
			postParams(mediaJSON, map[string]any{"query": v.value}), status(200), hasErrors))
	}
	audits = append(audits,
		one("34A2", "SHOULD allow string {query} parameter when accepting application/graphql-response+json",
			post(mediaResponse, typename), status(200)),
		one("13EE", "MUST allow string {query} parameter when accepting application/json",
			post(mediaJSON, typename), status(200), noErrors))
	for i, v := range invalid {
		audits = append(audits, one(fmt.Sprintf("E3E%d", i),
			fmt.Sprintf("SHOULD use 400 status code on %s {operationName} parameter when accepting application/graphql-response+json", v.name),
			postParams(mediaResponse, map[string]any{"operationName": v.value, "query": "{ __typename }"}), status(400)))
	}
	for i, v := range invalid {
		audits = append(audits, one(fmt.Sprintf("FB9%d", i),
			fmt.Sprintf("SHOULD use 200 status code with errors field on %s {operationName} parameter when accepting application/json", v.name),
			postParams(mediaJSON, map[string]any{"operationName": v.value, "query": "{ __typename }"}), status(200), hasErrors))
	}
	named := map[string]any{"operationName": "Query", "query": "query Query { __typename }"}
	audits = append(audits,
		one("8161", "SHOULD allow string {operationName} parameter when accepting application/graphql-response+json",
			postParams(mediaResponse, named), status(200)),
		one("B8B3", "MUST allow string {operationName} parameter when accepting application/json",
			postParams(mediaJSON, named), status(200), noErrors))
	for i, p := range []string{"variables", "operationName", "extensions"} {
		params := map[string]any{"query": "{ __typename }", p: nil}
		audits = append(audits,
			one(fmt.Sprintf("94B%d", i), fmt.Sprintf("SHOULD allow null {%s} parameter when accepting application/graphql-response+json", p),
				postParams(mediaResponse, params), status(200), noErrors),
			one(fmt.Sprintf("022%d", i), fmt.Sprintf("MUST allow null {%s} parameter when accepting application/json", p),
				postParams(mediaJSON, params), status(200), noErrors))
	}
	audits = append(audits, invalidParameterAudits("variables", "69B", "F05", invalidMaps)...)
	audits = append(audits,
		one("2EA1", "SHOULD allow map {variables} parameter when accepting application/graphql-response+json",
			postParams(mediaResponse, typeQuery), status(200)),
		one("28B9", "MUST allow map {variables} parameter when accepting application/json",
			postParams(mediaJSON, typeQuery), status(200), noErrors),
		one("D6D5", "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json",
			get(mediaResponse, map[string]string{"query": typeQuery["query"].(string), "variables": `{"name":"sometype"}`}), status(200)),
		one("6A70", "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json",
			get(mediaJSON, map[string]string{"query": typeQuery["query"].(string), "variables": `{"name":"sometype"}`}), status(200), noErrors))
	audits = append(audits, invalidParameterAudits("extensions", "904", "368", invalidMaps)...)
	const notJSON = `{ "not a JSON`
	typo := map[string]any{"qeury": "{ __typename }"}
	unknownField := map[string]any{"query": "{ 8f31403dfe404bccbb0e835f2629c6a7 }"}
	unparsable := map[string]any{"query": "{"}
	audits = append(audits,
		one("428F", "SHOULD allow map {extensions} parameter when accepting application/graphql-response+json",
			postParams(mediaResponse, map[string]any{"query": "{ __typename }", "extensions": map[string]any{"some": "value"}}), status(200)),
		one("1B7A", "MUST allow map {extensions} parameter when accepting application/json",
			postParams(mediaJSON, map[string]any{"query": "{ __typename }", "extensions": map[string]any{"some": "value"}}), status(200), noErrors),
		one("D477", "SHOULD use 200 status code on JSON parsing failure when accepting application/json",
			post(mediaJSON, notJSON), status(200)),
		one("F5AF", "SHOULD use 200 status code if parameters are invalid when accepting application/json",
			postParams(mediaJSON, typo), status(200)),
		one("572B", "SHOULD use 200 status code on document parsing failure when accepting application/json",
			postParams(mediaJSON, unparsable), status(200)),
		one("FDE2", "SHOULD use 200 status code on document validation failure when accepting application/json",
			postParams(mediaJSON, unknownField), status(200)),
		one("60AA", "SHOULD use 4xx or 5xx status codes on JSON parsing failure when accepting application/graphql-response+json",
			post(mediaResponse, notJSON), statusBetween(400, 499)),
		one("2163", "SHOULD use 400 status code on JSON parsing failure when accepting application/graphql-response+json",
			post(mediaResponse, notJSON), status(400)),
		one("3E36", "SHOULD use 4xx or 5xx status codes if parameters are invalid when accepting application/graphql-response+json",
			postParams(mediaResponse, typo), statusBetween(400, 599)),
		one("17C5", "SHOULD use 400 status code if parameters are invalid when accepting application/graphql-response+json",
			postParams(mediaResponse, typo), status(400)),
		one("34D6", "SHOULD not contain the data entry if parameters are invalid when accepting application/graphql-response+json",
			postParams(mediaResponse, typo), noData),
		one("865D", "SHOULD use 4xx or 5xx status codes on document parsing failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unparsable), statusBetween(400, 599)),
		one("556A", "SHOULD use 400 status code on document parsing failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unparsable), status(400)),
		one("D586", "SHOULD not contain the data entry on document parsing failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unparsable), noData),
		one("51FE", "SHOULD use 4xx or 5xx status codes on document validation failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unknownField), statusBetween(400, 599)),
		one("74FF", "SHOULD use 400 status code on document validation failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unknownField), status(400)),
		one("5E5B", "SHOULD not contain the data entry on document validation failure when accepting application/graphql-response+json",
			postParams(mediaResponse, unknownField), noData),
	)
	return audits
}

// invalidParameterAudits are the audits of a parameter given as each invalid value:
// 400 under graphql-response+json (ids graphQLResponseID0…), 200 with errors under
// application/json (jsonID0…).
func invalidParameterAudits(param, graphQLResponseID, jsonID string, values []struct {
	name  string
	value any
}) []audit {
	var out []audit
	for i, v := range values {
		out = append(out, one(fmt.Sprintf("%s%d", graphQLResponseID, i),
			fmt.Sprintf("SHOULD use 400 status code on %s {%s} parameter when accepting application/graphql-response+json", v.name, param),
			postParams(mediaResponse, map[string]any{"query": "{ __typename }", param: v.value}), status(400)))
	}
	for i, v := range values {
		out = append(out, one(fmt.Sprintf("%s%d", jsonID, i),
			fmt.Sprintf("SHOULD use 200 status code with errors field on %s {%s} parameter when accepting application/json", v.name, param),
			postParams(mediaJSON, map[string]any{"query": "{ __typename }", param: v.value}), status(200), hasErrors))
	}
	return out
}

func ptr(s string) *string { return &s }

// TestGraphQLOverHTTPAudit runs every audit of graphql-http's server audit against
// the server as `eventgraph serve` starts it (introspection on) and requires each to
// pass: the MUSTs, the MAYs the server takes up, and every SHOULD.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	s := mustStart(t, server.Config{Introspection: true}, true)
	passed, total := map[string]int{}, map[string]int{}
	for _, a := range serverAudits() {
		level, _, _ := strings.Cut(a.name, " ")
		total[level]++
		ok := t.Run(a.id+" "+a.name, func(t *testing.T) {
			for _, r := range a.requests {
				resp, body, err := r.send(s.url + "/graphql")
				if err != nil {
					t.Fatal(err)
				}
				for _, check := range a.expect {
					if err := check(resp, body); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
		if ok {
			passed[level]++
		}
	}
	t.Logf("graphql-http server audit: MUST %d/%d, SHOULD %d/%d, MAY %d/%d",
		passed["MUST"], total["MUST"], passed["SHOULD"], total["SHOULD"], passed["MAY"], total["MAY"])
}
