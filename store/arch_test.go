package store_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the import path of the repository's root package.
const module = "eventgraph"

// storeImports lists, for each package under store/, the packages of this module it may
// import (its tests aside): the directions of docs/architecture.md. An entry ending in
// "/..." allows every package under that path; a package under store/ that is not
// listed breaks the rules until it is placed.
var storeImports = map[string][]string{
	"store/domain":    nil,
	"store/kv":        nil,
	"store/spill":     nil,
	"store/kv/kvtest": {"store/kv"},
	"store/badgerkv":  {"store/kv"},
	"store/memkv":     {"store/kv"},
	// tikvkv writes its backups in Badger's format (badgerkv.BackupWriter), which
	// restore loads: a backup is a stream of Badger's table entries.
	"store/tikvkv":           {"store/kv", "store/badgerkv"},
	"store/layout":           {"store/domain", "store/kv"},
	"store/index":            {"store/domain", "store/kv", "store/layout"},
	"store/index/...":        {"store/domain", "store/kv", "store/layout", "store/index"},
	"store/explore":          {"store/domain", "store/kv", "store/layout", "store/index/..."},
	"store/analytics":        {"store/domain", "store/kv", "store/layout", "store/index/..."},
	"store/search":           {"store/domain", "store/kv", "store/layout", "store/index/..."},
	"store":                  {"store/domain", "store/kv", "store/layout", "store/index", "store/index/...", "store/explore", "store/analytics", "store/search", "store/spill"},
	"store/storetest":        {"store", "store/domain", "store/kv", "store/storetest/testkv", "seed"},
	"store/storetest/testkv": {"store/kv", "store/badgerkv", "store/memkv", "store/tikvkv", "store/layout"},
}

// internalToStore are the packages only the store's own packages may import: how the
// graph lies in storage is the store's business, not its callers'.
var internalToStore = []string{"store/layout", "store/index", "store/index/..."}

// allows reports whether the entry (a path, or a path ending in "/...") covers pkg.
func allows(entry, pkg string) bool {
	if under, ok := strings.CutSuffix(entry, "/..."); ok {
		return strings.HasPrefix(pkg, under+"/")
	}
	return entry == pkg
}

// ruleFor returns the imports allowed to a package under store/: its own entry, else
// the "/..." entry of the nearest path above it that has one.
func ruleFor(pkg string) ([]string, bool) {
	if allowed, ok := storeImports[pkg]; ok {
		return allowed, true
	}
	for dir := pkg; strings.Contains(dir, "/"); {
		dir = dir[:strings.LastIndex(dir, "/")]
		if allowed, ok := storeImports[dir+"/..."]; ok {
			return allowed, true
		}
	}
	return nil, false
}

// modulePackages returns the module's packages, by path relative to the module root,
// with the module's packages each imports (tests aside).
func modulePackages(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(path, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		var ours []string
		for _, imp := range p.Imports {
			if imp == module {
				ours = append(ours, ".")
			} else if local, ok := strings.CutPrefix(imp, module+"/"); ok {
				ours = append(ours, local)
			}
		}
		out[rel] = ours
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// importProblems lists every import that breaks the rules.
func importProblems(packages map[string][]string) []string {
	var problems []string
	for pkg, imports := range packages {
		if pkg == "store" || strings.HasPrefix(pkg, "store/") {
			allowed, placed := ruleFor(pkg)
			if !placed {
				problems = append(problems, pkg+" has no place in the package map (store/arch_test.go, docs/architecture.md)")
				continue
			}
			for _, imp := range imports {
				if !slices.ContainsFunc(allowed, func(entry string) bool { return allows(entry, imp) }) {
					problems = append(problems, pkg+" imports "+imp)
				}
			}
			continue
		}
		for _, imp := range imports {
			if slices.ContainsFunc(internalToStore, func(entry string) bool { return allows(entry, imp) }) {
				problems = append(problems, pkg+" imports "+imp+", which is the store's own")
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// TestImportDirections checks the package map of docs/architecture.md: the model
// imports no storage, the layout only the model and the kv seam, an index neither
// another index nor the store, the questions no backend and not each other, nothing
// under store imports the API, the server or the seed (but storetest, which seeds), and
// nothing outside store reaches the layout or the indexes.
func TestImportDirections(t *testing.T) {
	packages := modulePackages(t, "..")
	for _, want := range []string{"store", "store/domain", "store/layout", "store/index/counters", "store/explore", "graph"} {
		if _, ok := packages[want]; !ok {
			t.Fatalf("package %s not found: the walk of the module is broken", want)
		}
	}
	for _, p := range importProblems(packages) {
		t.Error(p)
	}
}

// TestImportRulesCatchBreaches checks that the rules above refuse what they should, on
// a made-up module, so that a rule written too loosely fails here.
func TestImportRulesCatchBreaches(t *testing.T) {
	for _, c := range []struct {
		pkg, imports string
	}{
		{"store/domain", "store/kv"},
		{"store/layout", "store/index"},
		{"store/index/fulltext", "store/index/counters"},
		{"store/index/counters", "store"},
		{"store/explore", "store/badgerkv"},
		{"store/explore", "store/search"},
		{"store/analytics", "store"},
		{"store", "store/badgerkv"},
		{"store", "graph"},
		{"store/newthing", "store/domain"},
		{"graph", "store/layout"},
		{"server", "store/index/fulltext"},
	} {
		if problems := importProblems(map[string][]string{c.pkg: {c.imports}}); len(problems) == 0 {
			t.Errorf("%s importing %s breaks no rule", c.pkg, c.imports)
		}
	}
	allowed := map[string][]string{
		"store/explore":        {"store/domain", "store/kv", "store/layout", "store/index/fulltext"},
		"store/index/counters": {"store/index", "store/layout"},
		"store":                {"store/explore", "store/index/evidenceids"},
		"graph":                {"store", "store/domain", "store/explore"},
	}
	if problems := importProblems(allowed); len(problems) != 0 {
		t.Errorf("allowed imports refused: %v", problems)
	}
}
