package workbench_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"eventgraph/server/workbench"
)

func mustGet(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

var assetRE = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// TestPageAndAssets: the page is revalidated on every load and names its script and
// stylesheet by paths that change with their content, which are then cached for a year,
// each with its own content type. (That the page requests nothing beyond loopback is
// checked in the browser: see TestBrowser.)
func TestPageAndAssets(t *testing.T) {
	h := workbench.Handler()
	res, page := mustGet(t, h, "/")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET /: Cache-Control %q, want no-cache", cc)
	}
	if res.Header.Get("Content-Security-Policy") != workbench.CSP || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("GET /: CSP %q, X-Frame-Options %q", res.Header.Get("Content-Security-Policy"), res.Header.Get("X-Frame-Options"))
	}
	wantType := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	seen := map[string]bool{}
	for _, m := range assetRE.FindAllStringSubmatch(page, -1) {
		ref := m[1]
		if strings.HasPrefix(ref, "data:") {
			continue
		}
		t.Run(ref, func(t *testing.T) {
			if !regexp.MustCompile(`^/assets/main-[A-Z0-9]{8}\.(js|css)$`).MatchString(ref) {
				t.Fatalf("%s is not a content-hashed asset of this server", ref)
			}
			ext := ref[strings.LastIndexByte(ref, '.'):]
			seen[ext] = true
			res, body := mustGet(t, h, ref)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != wantType[ext] {
				t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", cc)
			}
			if len(body) < 100 {
				t.Errorf("%d bytes", len(body))
			}
		})
	}
	if !seen[".js"] || !seen[".css"] {
		t.Errorf("the page names no script or no stylesheet: %s", page)
	}
}

func TestLicences(t *testing.T) {
	res, text := mustGet(t, workbench.Handler(), "/licenses.txt")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, pkg := range []string{"preact@", "@preact/signals@", "sigma@", "graphology@", "graphology-layout-forceatlas2@"} {
		if !strings.Contains(text, "==== "+pkg) {
			t.Errorf("licenses.txt lacks %s", pkg)
		}
	}
	if !strings.Contains(text, "Permission is hereby granted") {
		t.Error("licenses.txt holds no licence text")
	}
}

func TestNotFound(t *testing.T) {
	h := workbench.Handler()
	for _, target := range []string{"/assets/", "/assets/missing.js", "/assets/..%2fworkbench.go", "/index.html", "/assets/sub/x.js", "/src/main.tsx"} {
		res, body := mustGet(t, h, target)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", target, res.StatusCode)
		}
		if strings.Contains(res.Header.Get("Cache-Control"), "immutable") || strings.Contains(body, "package workbench") {
			t.Errorf("GET %s: Cache-Control %q, body %.40q", target, res.Header.Get("Cache-Control"), body)
		}
	}
}
