package graph_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/errcode"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	"gopkg.in/yaml.v3"

	"eventgraph/graph"
	"eventgraph/store/domain"
)

// The fixed lists of values are written in several places: the GraphQL schema, the Go
// types gqlgen.yml binds each enum to, the seed format's JSON Schema and its
// documentation (seed/FORMAT.md), and, for error codes, the API guide. The tests in
// this file check that every copy agrees with the GraphQL schema, the list clients see.
const (
	gqlgenConfig = "../gqlgen.yml"
	seedSchema   = "../seed/schema.json"
	seedFormat   = "../seed/FORMAT.md"
	apiGuide     = "../docs/api.md"
	modulePath   = "eventgraph"
)

// goOnly are Go constants of an enum's type that the GraphQL enum leaves out, with why.
var goOnly = map[string][]string{
	// What Relation and Evidence answer to NodeKind(): both are looked up by id like
	// nodes, but are neither stored nor listed as nodes, so no query takes them as a kind.
	"NodeKind": {string(domain.KindRelation), string(domain.KindEvidence)},
}

// goSubsets are exported Go lists that hold a chosen part of their enum on purpose, with
// why; the test checks that they hold only values of the enum, in its order.
var goSubsets = map[string]bool{
	// The kinds of the nodes relations connect: sources and positions are nodes no
	// relation has as an end.
	"EntityKinds": true,
	// The relation types between actors whose to end is narrowed to some actor kinds.
	"ActorEnds": true,
}

// seedField is a field of the seed format that takes an enum's values.
type seedField struct {
	schemaPath  string // where seed/schema.json lists its values: "actor.kind" for $defs.actor.properties.kind
	formatField string // its row in the Values table of seed/FORMAT.md; "" for relation types, which have a table of their own
	enum        string
	without     []string // values of the enum that seed files do not take
}

var seedFields = []seedField{
	{"actor.kind", "actors: kind", "ActorKind", nil},
	{"actor.reliability", "actors: reliability", "Reliability", nil},
	{"place.kind", "places: kind", "PlaceKind", nil},
	{"event.kind", "events: kind", "EventKind", nil},
	{"event.precision", "events: precision", "Precision", nil},
	{"position.stance", "positions: stance", "Stance", nil},
	{"relation.type", "", "RelationType", nil},
	{"relation.role", "relations: role", "ParticipantRole", nil},
	// MENTIONS records a name found in an article by ingestion, not a claim a seed file states.
	{"evidence.stance", "evidence: stance", "EvidenceStance", []string{string(domain.EvidenceMentions)}},
}

// schemaEnums are the GraphQL schema's enums (not introspection's), by name.
func schemaEnums() map[string][]string {
	enums := map[string][]string{}
	for name, def := range graph.NewExecutableSchema(graph.Config{}).Schema().Types {
		if def.Kind != gqlast.Enum || def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		for _, v := range def.EnumValues {
			enums[name] = append(enums[name], v.Name)
		}
	}
	return enums
}

// differences says how got differs from want, the GraphQL enum's values; "" when not.
func differences(got, want []string) string {
	if slices.Equal(got, want) {
		return ""
	}
	var missing, extra []string
	for _, v := range want {
		if !slices.Contains(got, v) {
			missing = append(missing, v)
		}
	}
	for _, v := range got {
		if !slices.Contains(want, v) {
			extra = append(extra, v)
		}
	}
	if missing == nil && extra == nil {
		return fmt.Sprintf("the same values in another order: %v, where the GraphQL schema has %v", got, want)
	}
	return fmt.Sprintf("%v, where the GraphQL schema has %v: missing %v, extra %v", got, want, missing, extra)
}

func without(values, left []string) []string {
	return slices.DeleteFunc(slices.Clone(values), func(v string) bool { return slices.Contains(left, v) })
}

// TestEnumsAgree: every GraphQL enum has the same values, in the same order, as the Go
// constants of the type gqlgen.yml binds it to and every Go list of that type, and as
// seed/schema.json and seed/FORMAT.md where seed files take it.
func TestEnumsAgree(t *testing.T) {
	enums := schemaEnums()
	t.Run("Go", func(t *testing.T) {
		bindings := mustEnumBindings(t)
		for name, values := range enums {
			binding, ok := bindings[name]
			if !ok {
				continue // gqlgen generates the Go type from the schema: one list
			}
			decls := mustGoDeclarations(t, binding.dir)
			consts := decls.consts[binding.typ]
			if len(consts) == 0 {
				t.Errorf("%s: no Go constants of type %s", name, binding)
				continue
			}
			if d := differences(without(constValues(consts), goOnly[name]), values); d != "" {
				t.Errorf("%s: the constants of Go type %s are %s", name, binding, d)
			}
			for _, list := range decls.lists[binding.typ] {
				got, err := list.resolve(consts)
				want := values
				if goSubsets[list.name] {
					want = slices.DeleteFunc(slices.Clone(values), func(v string) bool { return !slices.Contains(got, v) })
				}
				if err != nil {
					t.Errorf("%s: Go list %s: %v", name, list.name, err)
				} else if d := differences(got, want); d != "" {
					t.Errorf("%s: Go list %s of %s is %s", name, list.name, binding, d)
				}
			}
		}
	})
	t.Run("SeedSchema", func(t *testing.T) {
		found := mustSchemaJSONEnums(t)
		for _, f := range seedFields {
			got, ok := found[f.schemaPath]
			if !ok {
				t.Errorf("%s lists no values for %s (%s)", seedSchema, f.schemaPath, f.enum)
			} else if d := differences(got, without(enums[f.enum], f.without)); d != "" {
				t.Errorf("%s: %s in %s is %s", f.enum, f.schemaPath, seedSchema, d)
			}
			delete(found, f.schemaPath)
		}
		for path, values := range found {
			t.Errorf("%s lists values %v for %s, which no GraphQL enum is known to match: add it to seedFields", seedSchema, values, path)
		}
	})
	t.Run("SeedFormat", func(t *testing.T) {
		text := mustReadFile(t, seedFormat)
		rows := markdownTable(text, "### Values")
		for _, f := range seedFields {
			if f.formatField == "" {
				continue
			}
			row, ok := rows[f.formatField]
			if !ok {
				t.Errorf("the Values table of %s has no row %q (%s)", seedFormat, f.formatField, f.enum)
				continue
			}
			if row[0] != f.enum {
				t.Errorf("%s: the Values row %q names enum %s, not %s", seedFormat, f.formatField, row[0], f.enum)
			}
			if d := differences(codeSpans(row[1]), without(enums[f.enum], f.without)); d != "" {
				t.Errorf("%s: the Values row %q of %s is %s", f.enum, f.formatField, seedFormat, d)
			}
			delete(rows, f.formatField)
		}
		for field := range rows {
			t.Errorf("the Values table of %s has a row %q that no test knows: add it to seedFields", seedFormat, field)
		}
		types := markdownTable(text, "### Relation types")
		var typeNames []string
		for cell, row := range types {
			typ := strings.Trim(cell, "`")
			typeNames = append(typeNames, typ)
			ends, ok := domain.RelationTypes[domain.RelationType(typ)]
			if !ok {
				continue // reported below
			}
			for i, want := range [][]domain.Kind{ends.From, ends.To} {
				if got := kindsOf(row[i]); !sameKinds(got, want) {
					t.Errorf("%s: %s relations go %s %v, where the store has %v", seedFormat, typ, []string{"from", "to"}[i], got, want)
				}
			}
		}
		want := enums["RelationType"]
		sort.Strings(typeNames)
		if d := differences(typeNames, slices.Sorted(slices.Values(want))); d != "" {
			t.Errorf("RelationType: the Relation types table of %s (sorted) is %s", seedFormat, d)
		}
	})
}

// TestDocumentedNamesExist: every `UPPER_CASE` name the seed format and the API guide
// write is a value of an enum or an error code, so a renamed value cannot linger in
// the documentation.
func TestDocumentedNamesExist(t *testing.T) {
	known := mustErrorCodes(t)
	for _, values := range schemaEnums() {
		known = append(known, values...)
	}
	for _, doc := range []string{seedFormat, apiGuide} {
		for _, span := range regexp.MustCompile("`([A-Z][A-Z_]*)`").FindAllStringSubmatch(mustReadFile(t, doc), -1) {
			if !slices.Contains(known, span[1]) {
				t.Errorf("%s names `%s`, which is no enum value or error code", doc, span[1])
			}
		}
	}
}

// TestErrorCodesAreDocumented: the error codes table of docs/api.md lists exactly the
// codes the server gives: the Code constants of packages graph and server, and
// gqlgen's parse and validation codes.
func TestErrorCodesAreDocumented(t *testing.T) {
	codes := mustErrorCodes(t)
	var documented []string
	for code := range markdownTable(mustReadFile(t, apiGuide), "### Error codes") {
		documented = append(documented, strings.Trim(code, "`"))
	}
	slices.Sort(documented)
	if !slices.Equal(documented, codes) {
		var missing, extra []string
		for _, c := range codes {
			if !slices.Contains(documented, c) {
				missing = append(missing, c)
			}
		}
		for _, c := range documented {
			if !slices.Contains(codes, c) {
				extra = append(extra, c)
			}
		}
		t.Errorf("the error codes table of %s misses %v and lists %v, which the server never gives", apiGuide, missing, extra)
	}
}

// mustErrorCodes lists, sorted, the codes the server gives: the Code constants of
// packages graph and server, and gqlgen's parse and validation codes.
func mustErrorCodes(t *testing.T) []string {
	t.Helper()
	codes := []string{errcode.ParseFailed, errcode.ValidationFailed}
	for _, dir := range []string{".", "../server"} {
		for name, c := range mustGoDeclarations(t, dir).named {
			if strings.HasPrefix(strings.ToLower(name), "code") {
				codes = append(codes, c)
			}
		}
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

func mustReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// binding is the Go type gqlgen.yml binds an enum to.
type binding struct {
	dir, typ string // the package's directory from here, and the type's name
	path     string // as gqlgen.yml writes it
}

func (b binding) String() string { return b.path }

// mustEnumBindings reads the models of gqlgen.yml bound to types of this module.
func mustEnumBindings(t *testing.T) map[string]binding {
	t.Helper()
	var cfg struct {
		Models map[string]struct {
			Model yaml.Node `yaml:"model"`
		} `yaml:"models"`
	}
	if err := yaml.Unmarshal([]byte(mustReadFile(t, gqlgenConfig)), &cfg); err != nil {
		t.Fatal(err)
	}
	out := map[string]binding{}
	for name, m := range cfg.Models {
		var model string
		if m.Model.Decode(&model) != nil {
			continue // a list of models: scalars
		}
		rel, inModule := strings.CutPrefix(model, modulePath+"/")
		dot := strings.LastIndex(rel, ".")
		if !inModule || dot < 0 {
			continue
		}
		out[name] = binding{dir: filepath.Join("..", filepath.FromSlash(rel[:dot])), typ: rel[dot+1:], path: model}
	}
	return out
}

// goConst is a string constant: its name and value.
type goConst struct{ name, value string }

func constValues(cs []goConst) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.value
	}
	return out
}

// goList is an exported package-level slice of a type, or map keyed by it, such as
// domain.ActorKinds: the names of the constants it holds, in order. Unexported lists are
// chosen subsets (the stances that conflict), not lists of every value.
type goList struct {
	name     string
	elements []string
}

func (l goList) resolve(consts []goConst) ([]string, error) {
	out := make([]string, len(l.elements))
	for i, e := range l.elements {
		j := slices.IndexFunc(consts, func(c goConst) bool { return c.name == e })
		if j < 0 {
			return nil, fmt.Errorf("%s is not a constant of its type", e)
		}
		out[i] = consts[j].value
	}
	return out, nil
}

// goDeclarations are a package's typed string constants and its exported lists of them.
type goDeclarations struct {
	consts map[string][]goConst // by type, in declaration order
	lists  map[string][]goList  // by element or key type
	named  map[string]string    // every string constant's value, by name
}

// mustGoDeclarations parses the non-test Go files of the package in dir.
func mustGoDeclarations(t *testing.T, dir string) goDeclarations {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	d := goDeclarations{consts: map[string][]goConst{}, lists: map[string][]goList{}, named: map[string]string{}}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gen.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				switch gen.Tok {
				case token.CONST:
					for i, name := range vs.Names {
						if i >= len(vs.Values) {
							break
						}
						lit, ok := vs.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						value, _ := strconv.Unquote(lit.Value)
						d.named[name.Name] = value
						if typ, ok := vs.Type.(*ast.Ident); ok {
							d.consts[typ.Name] = append(d.consts[typ.Name], goConst{name.Name, value})
						}
					}
				case token.VAR:
					for i, name := range vs.Names {
						if i < len(vs.Values) && name.IsExported() {
							if typ, list, ok := listOf(vs.Values[i]); ok {
								d.lists[typ] = append(d.lists[typ], goList{name: name.Name, elements: list})
							}
						}
					}
				}
			}
		}
	}
	return d
}

// listOf reads a composite literal []T{A, B} or map[T]…{A: …, B: …} of identifiers.
func listOf(e ast.Expr) (typ string, elements []string, ok bool) {
	lit, isLit := e.(*ast.CompositeLit)
	if !isLit {
		return "", nil, false
	}
	var elem ast.Expr
	switch t := lit.Type.(type) {
	case *ast.ArrayType:
		elem = t.Elt
	case *ast.MapType:
		elem = t.Key
	default:
		return "", nil, false
	}
	id, isIdent := elem.(*ast.Ident)
	if !isIdent {
		return "", nil, false
	}
	for _, el := range lit.Elts {
		if kv, isKV := el.(*ast.KeyValueExpr); isKV {
			el = kv.Key
		}
		name, isName := el.(*ast.Ident)
		if !isName {
			return "", nil, false
		}
		elements = append(elements, name.Name)
	}
	return id.Name, elements, true
}

// mustSchemaJSONEnums lists the enums of seed/schema.json by where they are:
// "actor.kind" for $defs.actor.properties.kind.
func mustSchemaJSONEnums(t *testing.T) map[string][]string {
	t.Helper()
	var schema any
	if err := json.Unmarshal([]byte(mustReadFile(t, seedSchema)), &schema); err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if k == "enum" {
					var values []string
					for _, x := range child.([]any) {
						values = append(values, fmt.Sprint(x))
					}
					found[strings.Join(slices.DeleteFunc(slices.Clone(path), func(p string) bool { return p == "$defs" || p == "properties" }), ".")] = values
					continue
				}
				walk(append(slices.Clip(path), k), child)
			}
		case []any:
			for i, child := range v {
				walk(append(slices.Clip(path), strconv.Itoa(i)), child)
			}
		}
	}
	walk(nil, schema)
	return found
}

// markdownTable reads the first table after heading in a Markdown text: the cells of
// each row below the header, by the row's first cell.
func markdownTable(text, heading string) map[string][]string {
	rows := map[string][]string{}
	_, after, ok := strings.Cut(text, "\n"+heading+"\n")
	if !ok {
		return rows
	}
	line := 0
	for l := range strings.Lines(after) {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "|") {
			if line > 0 {
				return rows
			}
			continue
		}
		if line++; line <= 2 {
			continue // the header and the rule under it
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[cells[0]] = cells[1:]
	}
	return rows
}

// codeSpans are the `quoted` words of a Markdown text, in order.
func codeSpans(text string) []string {
	var out []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// kindsOf reads "event, place" as node kinds.
func kindsOf(cell string) []domain.Kind {
	var out []domain.Kind
	for _, k := range strings.Split(cell, ",") {
		out = append(out, domain.Kind(strings.ToUpper(strings.TrimSpace(k))))
	}
	return out
}

func sameKinds(a, b []domain.Kind) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
