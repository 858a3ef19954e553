package seed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// sections are the YAML top-level keys, in the order FORMAT.md lists them.
var sections = []string{"sources", "actors", "places", "events", "topics", "positions", "relations"}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the problems yaml.v3's parser (as opposed to its scanner)
// reports; it gives their lines counted from 0.
var yamlParserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

func (l *loader) yamlFile(name string) {
	b, err := l.readAll(name)
	if err != nil {
		l.failFile(&Error{File: name, Message: err.Error(), Kind: err})
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			// yaml.v3 leaves the line out of problems on the first line, and out of
			// the characters it refuses wherever they are.
			lines, refused := yamlLines(b)
			line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
			if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
				if yamlParserErrors[msg] {
					line++ // yaml.v3 reports parser errors with 0-based lines
				}
			} else if refused > 0 {
				line = refused
			}
			// A problem at the end of a file without a final line break is on its last line.
			line = min(line, lines)
			l.failFile(&Error{File: name, Line: line, Message: "malformed YAML: " + msg})
			return
		}
		l.yamlDoc(&doc)
	}
}

// yamlLines counts the lines of b as YAML does (CR LF, CR, LF, NEL, LS and PS each end
// one) and finds the line of the first character YAML does not allow (invalid UTF-8,
// control characters), 0 when there is none.
func yamlLines(b []byte) (lines, refused int) {
	lines = 1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		allowed := true
		switch {
		case r == '\r' && i+1 < len(b) && b[i+1] == '\n':
			size = 2
			lines++
		case r == '\r', r == '\n', r == 0x85, r == 0x2028, r == 0x2029:
			lines++
		case r == utf8.RuneError && size == 1:
			allowed = false
		default:
			allowed = r == '\t' || r >= 0x20 && r <= 0x7e || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000
		}
		if !allowed && refused == 0 {
			refused = lines
		}
		i += size
	}
	return lines, refused
}

func (l *loader) yamlDoc(doc *yaml.Node) {
	if len(doc.Content) == 0 {
		return
	}
	root := resolveAlias(doc.Content[0])
	if isNull(root) {
		return
	}
	if root.Kind != yaml.MappingNode {
		l.failStructure(root.Line, "", "want a mapping with the sections %s, got %s", strings.Join(sections, ", "), describe(root))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolveAlias(root.Content[i+1])
		name := k.Value
		if !slices.Contains(sections, name) {
			l.failStructure(k.Line, name, "unknown section; want one of %s", strings.Join(sections, ", "))
			continue
		}
		if prev, dup := seen[name]; dup {
			l.failStructure(k.Line, name, "section given twice (first at line %d)", prev)
			continue
		}
		seen[name] = k.Line
		if isNull(v) {
			continue
		}
		if !l.phase.takes(name) {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			l.failLine(v.Line, name, "want a list of entries, got %s", describe(v))
			continue
		}
		for _, item := range v.Content {
			l.yamlEntry(name, resolveAlias(item))
			l.tick()
		}
	}
}

func (l *loader) yamlEntry(section string, n *yaml.Node) {
	o := origin{file: l.file, line: int32(n.Line), lines: map[string]int32{}}
	e := entry{l, o}
	d := &yamlDecoder{l: l, lines: o.lines}
	switch section {
	case "sources":
		var in sourceIn
		if d.decode(n, &in) {
			e.source(&in)
		}
	case "actors":
		var in actorIn
		if d.decode(n, &in) {
			e.actor(&in)
		}
	case "places":
		var in placeIn
		if d.decode(n, &in) {
			e.place(&in)
		}
	case "events":
		var in eventIn
		if d.decode(n, &in) {
			e.event(&in)
		}
	case "topics":
		var in topicIn
		if d.decode(n, &in) {
			e.topic(&in)
		}
	case "positions":
		var in positionIn
		if d.decode(n, &in) {
			e.position(&in)
		}
	case "relations":
		var in relationIn
		if d.decode(n, &in) {
			e.relation(&in)
		}
	}
}

// yamlDecoder decodes one entry node into an entry struct field by field, so that it
// can refuse unknown fields, name the field of a type error and record each field's
// line.
type yamlDecoder struct {
	l     *loader
	lines map[string]int32
	bad   bool
}

func (d *yamlDecoder) decode(n *yaml.Node, v any) bool {
	d.value(n, reflect.ValueOf(v).Elem(), "")
	return !d.bad
}

func (d *yamlDecoder) fail(n *yaml.Node, field, format string, a ...any) {
	d.bad = true
	d.l.failLine(n.Line, field, format, a...)
}

func (d *yamlDecoder) value(n *yaml.Node, v reflect.Value, field string) {
	n = resolveAlias(n)
	if isNull(n) {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, field, "want a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Float64, reflect.Int:
		want, tags := "a number", []string{"!!int", "!!float"}
		if v.Kind() == reflect.Int {
			want, tags = "an integer", []string{"!!int"}
		}
		if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
			d.fail(n, field, "want %s, got %s", want, describe(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.fail(n, field, "want %s, got %s", want, describe(n))
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(n, p.Elem(), field)
		v.Set(p)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, field, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			f := field + "[" + strconv.Itoa(i) + "]"
			d.lines[f] = int32(item.Line)
			d.value(item, s.Index(i), f)
		}
		v.Set(s)
	case reflect.Struct:
		d.mapping(n, v, field)
	default:
		panic("seed: cannot decode into " + v.Type().String())
	}
}

func (d *yamlDecoder) mapping(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, field, "want a mapping, got %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	prefix := ""
	if field != "" {
		prefix = field + "."
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := k.Value
		f := prefix + name
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			d.fail(k, field, "keys must be plain field names")
			continue
		}
		_, idx := fields.lookup(name)
		if idx < 0 {
			d.fail(k, f, "unknown field; want one of %s", strings.Join(fields.names, ", "))
			continue
		}
		if _, dup := d.lines[f]; dup {
			d.fail(k, f, "given twice")
			continue
		}
		d.lines[f] = int32(k.Line)
		d.value(val, v.Field(idx), f)
	}
}

// fieldSet is the fields of an entry type: their names and struct field indexes.
type fieldSet struct {
	names []string
	index []int
}

// lookup returns the position of field name in the set and its struct field index,
// or -1, -1.
func (fs *fieldSet) lookup(name string) (n, index int) {
	for n, s := range fs.names {
		if s == name {
			return n, fs.index[n]
		}
	}
	return -1, -1
}

var fieldCache sync.Map // reflect.Type → *fieldSet

// yamlFields lists the YAML field names of an entry type: its json tags, without the
// JSON Lines "record".
func yamlFields(t reflect.Type) *fieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "record" {
			continue
		}
		fs.names = append(fs.names, name)
		fs.index = append(fs.index, i)
	}
	fieldCache.Store(t, fs)
	return fs
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a YAML value is, for type errors.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!null":
			return "null"
		}
		return fmt.Sprintf("the string %q", n.Value)
	}
	return "something else"
}
