package server

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
)

var (
	tagRE  = regexp.MustCompile(`(?is)<(?:script|link)\b[^>]*>`)
	attrRE = regexp.MustCompile(`(?is)\b([a-z-]+)\s*=\s*"([^"]*)"`)
)

// ideRef is a script or stylesheet referenced by the IDE page.
type ideRef struct {
	url, integrity string
}

// getIDE performs a GET against h and returns the response and its body.
func getIDE(t *testing.T, h http.Handler, target string) (*http.Response, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// pageRefs returns the src/href of every script and link tag in page.
func pageRefs(t *testing.T, page string) []ideRef {
	t.Helper()
	var refs []ideRef
	for _, tag := range tagRE.FindAllString(page, -1) {
		attrs := map[string]string{}
		for _, m := range attrRE.FindAllStringSubmatch(tag, -1) {
			attrs[strings.ToLower(m[1])] = html.UnescapeString(m[2])
		}
		u := attrs["src"]
		if u == "" {
			u = attrs["href"]
		}
		if u == "" {
			continue // inline script
		}
		refs = append(refs, ideRef{url: u, integrity: attrs["integrity"]})
	}
	return refs
}

func TestIDEPageIsSelfContained(t *testing.T) {
	res, body := getIDE(t, IDEHandler("Test IDE", "/graphql"), "/graphiql")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /graphiql: status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET /graphiql: Content-Type %q, want text/html", ct)
	}
	page := string(body)
	for _, scheme := range []string{"http://", "https://"} {
		if strings.Contains(page, scheme) {
			t.Errorf("page contains %q; it must not reference external hosts", scheme)
		}
	}

	refs := pageRefs(t, page)
	if len(refs) != 4 {
		t.Fatalf("page references %d assets, want 4 (GraphiQL js+css, React, ReactDOM): %v", len(refs), refs)
	}
	for _, ref := range refs {
		u, err := url.Parse(ref.url)
		if err != nil {
			t.Errorf("bad asset URL %q: %v", ref.url, err)
			continue
		}
		if u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/ide/") {
			t.Errorf("asset %q is not a same-origin /ide/ path", ref.url)
		}
	}
}

func TestIDEAssetsMatchPage(t *testing.T) {
	h := IDEHandler("Test IDE", "/graphql")
	_, body := getIDE(t, h, "/graphiql")

	wantType := map[string]string{".js": "text/javascript", ".css": "text/css"}
	for _, ref := range pageRefs(t, string(body)) {
		t.Run(ref.url, func(t *testing.T) {
			res, asset := getIDE(t, h, ref.url)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			u, _ := url.Parse(ref.url)
			want := wantType[path.Ext(u.Path)]
			if ct := res.Header.Get("Content-Type"); want == "" || !strings.HasPrefix(ct, want) {
				t.Errorf("Content-Type %q, want %q", ct, want)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
				t.Errorf("Cache-Control %q, want a max-age", cc)
			}
			if ref.integrity == "" {
				return
			}
			alg, _, _ := strings.Cut(ref.integrity, "-")
			var hf hash.Hash
			switch alg {
			case "sha256":
				hf = sha256.New()
			case "sha384":
				hf = sha512.New384()
			case "sha512":
				hf = sha512.New()
			default:
				t.Fatalf("unknown integrity algorithm in %q", ref.integrity)
			}
			hf.Write(asset)
			if got := alg + "-" + base64.StdEncoding.EncodeToString(hf.Sum(nil)); got != ref.integrity {
				t.Errorf("body hash %s does not match integrity attribute %s", got, ref.integrity)
			}
		})
	}
}

func TestIDENotFound(t *testing.T) {
	h := IDEHandler("Test IDE", "/graphql")
	for _, target := range []string{
		"/ide/missing.js",
		"/ide/",
		"/ide/graphiql.min.js.map",
		"/ide/sub/graphiql.min.js",
		"/elsewhere",
		"/",
		"/graphiql/",
	} {
		res, _ := getIDE(t, h, target)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: 404 carries Cache-Control %q", target, cc)
		}
	}
	// An escaped traversal must never reach outside the embedded directory.
	res, body := getIDE(t, h, "/ide/..%2fide.go")
	if res.StatusCode == http.StatusOK || strings.Contains(string(body), "package server") {
		t.Errorf("GET /ide/..%%2fide.go: status %d, leaked source", res.StatusCode)
	}
}
