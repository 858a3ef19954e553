// Command build bundles the workbench's sources (../src) into ../dist: one minified
// script and one stylesheet named by the hash of their content, index.html naming them,
// and licenses.txt holding the licence of every npm package the bundle includes. The
// output depends only on the sources and node_modules, so a rebuild of unchanged
// sources changes no file. `go generate ./server/workbench` runs it from the package
// directory; node_modules must be installed (npm ci --prefix server/workbench).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

const (
	srcDir  = "src"
	distDir = "dist"
	// assetsDir is where the hashed files go, under distDir; the server caches them for
	// a year.
	assetsDir = "assets"
)

func main() {
	log.SetFlags(0)
	if err := build(); err != nil {
		log.Fatalf("build: %v", err)
	}
}

func build() error {
	if _, err := os.Stat("node_modules"); err != nil {
		return errors.New("node_modules is missing: run npm ci --prefix server/workbench")
	}
	result := api.Build(api.BuildOptions{
		EntryPoints:       []string{filepath.Join(srcDir, "main.tsx")},
		Bundle:            true,
		Outdir:            filepath.Join(distDir, assetsDir),
		EntryNames:        "[name]-[hash]",
		AssetNames:        "[name]-[hash]",
		Format:            api.FormatESModule,
		Target:            api.ES2022,
		JSX:               api.JSXAutomatic,
		JSXImportSource:   "preact",
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		Metafile:          true,
		Write:             false,
		LogLevel:          api.LogLevelWarning,
		Charset:           api.CharsetUTF8,
	})
	if len(result.Errors) > 0 {
		msgs := api.FormatMessages(result.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return errors.New(strings.Join(msgs, "\n"))
	}
	if err := os.RemoveAll(distDir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(distDir, assetsDir), 0o755); err != nil {
		return err
	}
	absDist, err := filepath.Abs(distDir)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, f := range result.OutputFiles {
		rel, err := filepath.Rel(absDist, f.Path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		names[path.Ext(rel)] = "/" + rel
		if err := os.WriteFile(filepath.Join(distDir, rel), f.Contents, 0o644); err != nil {
			return err
		}
	}
	if names[".js"] == "" || names[".css"] == "" {
		return fmt.Errorf("the bundle lacks a script or a stylesheet: %v", names)
	}
	page, err := os.ReadFile(filepath.Join(srcDir, "index.html"))
	if err != nil {
		return err
	}
	page = bytes.ReplaceAll(page, []byte("{{script}}"), []byte(names[".js"]))
	page = bytes.ReplaceAll(page, []byte("{{stylesheet}}"), []byte(names[".css"]))
	if err := os.WriteFile(filepath.Join(distDir, "index.html"), page, 0o644); err != nil {
		return err
	}
	licences, err := licenceTexts(result.Metafile)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(distDir, "licenses.txt"), licences, 0o644)
}

// licenceTexts returns the licence files of every npm package with a file in the
// bundle, by package name, each under a heading naming the package and its version. A
// bundled package without a licence file is an error: its terms could not be shipped.
func licenceTexts(metafile string) ([]byte, error) {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil {
		return nil, err
	}
	packages := map[string]bool{}
	for input := range meta.Inputs {
		if dir := packageDir(input); dir != "" {
			packages[dir] = true
		}
	}
	var out bytes.Buffer
	out.WriteString("The workbench's script bundles these npm packages, under these licences.\n")
	for _, dir := range slices.Sorted(maps.Keys(packages)) {
		var pkg struct{ Name, Version, License string }
		data, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &pkg); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		files, err := filepath.Glob(filepath.Join(dir, "LICEN[CS]E*"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s@%s (%s) has no licence file to ship", pkg.Name, pkg.Version, pkg.License)
		}
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&out, "\n==== %s@%s (%s): %s ====\n\n%s\n", pkg.Name, pkg.Version, pkg.License, filepath.Base(f), bytes.TrimSpace(text))
		}
	}
	return out.Bytes(), nil
}

// packageDir is the directory of the npm package an esbuild input path lies in
// ("node_modules/@preact/signals" for "node_modules/@preact/signals/dist/x.mjs"), or ""
// for the workbench's own sources.
func packageDir(input string) string {
	parts := strings.Split(input, "/")
	// The last node_modules: a package may nest its own copy of another.
	i := -1
	for j, p := range parts {
		if p == "node_modules" {
			i = j
		}
	}
	if i < 0 || i+1 >= len(parts) {
		return ""
	}
	n := i + 2
	if strings.HasPrefix(parts[i+1], "@") {
		n++
	}
	if n > len(parts) {
		return ""
	}
	return strings.Join(parts[:n], "/")
}
