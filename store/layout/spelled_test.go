package layout

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// declaredPrefixes reads the key prefixes keys.go declares: the constants of type prefix.
func declaredPrefixes(t *testing.T) map[byte]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[byte]string{}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "prefix" {
				continue
			}
			for i, name := range vs.Names {
				lit := vs.Values[i].(*ast.BasicLit)
				r, _, _, err := strconv.UnquoteChar(strings.Trim(lit.Value, "'"), '\'')
				if err != nil {
					t.Fatal(err)
				}
				out[byte(r)] = name.Name
			}
		}
	}
	return out
}

// spelledPrefixes returns where the Go file src spells a key prefix: a character literal
// that is one, or a string literal made bytes ([]byte(…)) that starts with one and a
// separator (a string elsewhere is a text). Only files
// that reach the storage are looked at: a letter
// elsewhere is only a letter. (Storage is the kv seam, its backends, the layout, and
// the test graphs of storetest.)
func spelledPrefixes(name string, src []byte, prefixes map[byte]string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	touches := false
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		switch p {
		case "eventgraph/store/kv", "eventgraph/store/layout", "eventgraph/store/badgerkv", "eventgraph/store/memkv", "eventgraph/store/storetest":
			touches = true
		}
	}
	if !touches {
		return nil, nil
	}
	var out []string
	var visit func(n ast.Node, asBytes bool)
	visit = func(n ast.Node, asBytes bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if call, ok := c.(*ast.CallExpr); ok && c != n && isByteSlice(call.Fun) {
				for _, arg := range call.Args {
					visit(arg, true)
				}
				return false
			}
			lit, ok := c.(*ast.BasicLit)
			if !ok {
				return true
			}
			var spelled string
			switch lit.Kind {
			case token.CHAR:
				r, _, _, err := strconv.UnquoteChar(strings.Trim(lit.Value, "'"), '\'')
				if p, ok := prefixes[byte(r)]; ok && err == nil && r < 0x80 {
					spelled = p
				}
			case token.STRING:
				s, err := strconv.Unquote(lit.Value)
				if p, ok := prefixes[firstByte(s)]; ok && asBytes && err == nil && len(s) > 1 && s[1] == sep {
					spelled = p
				}
			}
			if spelled != "" {
				out = append(out, fmt.Sprintf("%s: %s spells %s", fset.Position(lit.Pos()), lit.Value, spelled))
			}
			return true
		})
	}
	visit(f, false)
	return out, nil
}

// isByteSlice reports whether e is the type []byte, as in a conversion to it.
func isByteSlice(e ast.Expr) bool {
	at, ok := e.(*ast.ArrayType)
	if !ok || at.Len != nil {
		return false
	}
	elt, ok := at.Elt.(*ast.Ident)
	return ok && elt.Name == "byte"
}

func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// TestOnlyTheLayoutSpellsPrefixes checks every Go file of the module, tests included,
// but this package's and the storage backends' (which know nothing of the graph's
// keys): none may spell a key prefix, so that the layout is all in one place.
func TestOnlyTheLayoutSpellsPrefixes(t *testing.T) {
	prefixes := declaredPrefixes(t)
	if len(prefixes) < 20 {
		t.Fatalf("found %d prefixes in keys.go: the declarations are not read", len(prefixes))
	}
	root := filepath.Join("..", "..")
	skip := map[string]bool{"store/layout": true, "store/kv": true, "store/kv/kvtest": true, "store/badgerkv": true, "store/memkv": true}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skip[rel] || rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		files++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		spelled, err := spelledPrefixes(rel, src, prefixes)
		for _, s := range spelled {
			t.Error(s)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("looked at %d files: the walk of the module is broken", files)
	}
}

// TestSpelledPrefixesAreFound checks the check, on files that spell a prefix and files
// that do not.
func TestSpelledPrefixesAreFound(t *testing.T) {
	prefixes := declaredPrefixes(t)
	const storage = "package p\nimport \"eventgraph/store/kv\"\nvar _ kv.Reader\n"
	for _, c := range []struct {
		src  string
		want int
	}{
		{storage + `var k = []byte{'o', 0}`, 1},
		{storage + `var k = []byte("i\x00d\x00ALLIED_WITH")`, 1},
		{storage + `var k = append([]byte{'x'}, "\x00word"...)`, 1},
		{storage + `var s = "ok"; var c = '!'`, 0},
		{storage + `var text = "a\x00b"`, 0}, // a text holding a NUL, not a key
		{"package p\nvar c = 'a'", 0},        // a file that does not touch the store
	} {
		spelled, err := spelledPrefixes("p.go", []byte(c.src), prefixes)
		if err != nil {
			t.Fatal(err)
		}
		if len(spelled) != c.want {
			t.Errorf("%q: found %v, want %d", c.src, spelled, c.want)
		}
	}
}
