package seed

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

const fuzzText = "Oman hosted the talks in Muscat. Iran and the United States took part."

// fuzzYAML and fuzzJSONL start the seed readers' corpora: valid seeds, and the kinds
// of trouble the readers report.
var fuzzYAML = []string{
	`sources:
  - key: article
    title: An article
    textFile: article.txt
actors:
  - {key: oman, name: Oman, kind: STATE, aliases: [Sultanate]}
places:
  - {key: muscat, name: Muscat, kind: CITY, point: {lat: 23.58, lon: 58.38}}
events:
  - {key: talks, name: Muscat talks, kind: NEGOTIATION, start: "2025-06"}
relations:
  - type: PARTICIPATED_IN
    from: oman
    to: talks
    role: HOST
    evidence:
      - {source: article, quote: Oman hosted the talks, confidence: 0.9, occurrence: 1}
`,
	"topics:\n  - key: t\n    name: [unclosed\n",
	"actors: &a\n  - {key: x, name: X, kind: STATE}\nplaces: *a\n",
	"---\ntopics: []\n---\n- a list\n",
	"sources:\n  - key: s\n    title: S\n    textFile: ../../etc/os-release\n",
	"\t- tab",
	"relations: {not: a list}\nunknown: 1\n",
}

var fuzzJSONL = []string{
	`{"record":"source","key":"article","title":"An article","textFile":"article.txt"}
{"record":"actor","key":"oman","name":"Oman","kind":"STATE"}
{"record":"event","key":"talks","name":"Talks","kind":"NEGOTIATION","start":"2025-06"}
{"record":"relation","type":"PARTICIPATED_IN","from":"oman","to":"talks","role":"HOST","evidence":[{"source":"article","quote":"Oman hosted","confidence":0.9}]}
`,
	"\xef\xbb\xbf{\"record\":\"topic\",\"key\":\"t\",\"name\":\"T\"}\n\n",
	`{"name":"T","key":"t","record":"topic"}`,
	`{"record":"topic","key":"t","name":"T","name":"U"}`,
	`{"record":"place","key":"p","name":"P","kind":"CITY","point":{"lat":1e999}}`,
	`{"record":"relation","evidence":[{"occurrence":1.5,"credibility":"x"}]}`,
	"{\"record\":\"topic\",\"key\":\"t\xff\"}",
	`{"record":"position","evidence":[[[[[[[[]]]]]]]]}`,
	`[1,2]`,
	`{"record":"topic"} trailing`,
}

// mustNameFileAndLine checks that err lists problems, each at one of the lines of
// file, which holds data in lines.
func mustNameFileAndLine(t *testing.T, file string, lines int, err error) {
	if err == nil {
		return
	}
	list, ok := AsErrorList(err)
	if !ok || len(list.Errors) == 0 {
		t.Fatalf("Load = %v, want an *ErrorList", err)
	}
	for _, e := range list.Errors {
		if e.File != file || e.Line < 1 || e.Line > lines {
			t.Errorf("error %q is not at a line of %s (1 to %d)", e, file, lines)
		}
	}
}

// FuzzLoadYAML feeds arbitrary bytes to the YAML reader: it must not panic, and every
// problem it reports names the file and a line of it.
func FuzzLoadYAML(f *testing.F) {
	for _, s := range fuzzYAML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"seed/f.yaml": {Data: data}, "seed/article.txt": {Data: []byte(fuzzText)}}
		_, err := Load(fsys, "seed/f.yaml")
		lines, _ := yamlLines(data) // as YAML counts them: a lone CR ends a line too
		mustNameFileAndLine(t, "seed/f.yaml", lines, err)
	})
}

// FuzzLoadJSONL is FuzzLoadYAML for the JSON Lines reader.
func FuzzLoadJSONL(f *testing.F) {
	for _, s := range fuzzJSONL {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"seed/f.jsonl": {Data: data}, "seed/article.txt": {Data: []byte(fuzzText)}}
		_, err := Options{MaxLineBytes: 4096}.Load(fsys, "seed/f.jsonl")
		mustNameFileAndLine(t, "seed/f.jsonl", bytes.Count(data, []byte("\n"))+1, err)
	})
}

// FuzzJSONDecoder decodes arbitrary lines into every record type with the seed's JSON
// decoder and with encoding/json (refusing unknown fields), and checks that they agree:
// a line one accepts the other accepts too, with the same values. The seed decoder is
// stricter in two ways, by design: it refuses a field given twice, which encoding/json
// takes the last of, and a field name in another case, which encoding/json matches
// regardless of case.
func FuzzJSONDecoder(f *testing.F) {
	for _, s := range fuzzJSONL {
		for line := range strings.Lines(s) {
			f.Add([]byte(line))
		}
	}
	for _, s := range []string{
		`{"Key":"t"}`, `{"aliases":["a",null,"\u00e9\ud83d\ude00\ud800x"]}`, `null`, `{"point":null}`,
		`{"evidence":[{"confidence":-0,"credibility":-0,"occurrence":99999999999999999999}]}`,
		`{"lat":1E+2}`, `{"key":"\"\\\/\b\f\n\r\t\u00e9\u20AC"}`, "\t{ \"key\" : \"a\\/b\" }\r\n", `{"key":"a\u0000b"}`, `{}`, `{"record":"x","key":1}`,
		strings.Repeat("[", maxJSONDepth+1), `{"aliases":` + strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth) + "}",
	} {
		f.Add([]byte(s))
	}
	types := []reflect.Type{
		reflect.TypeFor[sourceIn](), reflect.TypeFor[actorIn](), reflect.TypeFor[placeIn](), reflect.TypeFor[eventIn](),
		reflect.TypeFor[topicIn](), reflect.TypeFor[positionIn](), reflect.TypeFor[relationIn](),
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if !utf8.Valid(line) {
			return // refused before decoding (decodeJSONLine); encoding/json would replace the bytes
		}
		for _, typ := range types {
			ours := reflect.New(typ)
			d := &jsonDec{b: line}
			oursOK := d.decode(ours.Interface())
			theirs := reflect.New(typ)
			theirsErr := decodeStrictly(line, theirs.Interface())
			switch {
			case oursOK && theirsErr != nil:
				t.Fatalf("%s: the seed decoder accepts %q, encoding/json refuses it: %v", typ, line, theirsErr)
			case !oursOK && theirsErr == nil && !stricterByDesign(d.fails, typ, line):
				t.Fatalf("%s: the seed decoder refuses %q (%v), encoding/json accepts it", typ, line, d.fails)
			case oursOK && !reflect.DeepEqual(ours.Interface(), theirs.Interface()):
				t.Fatalf("%s: %q decodes as %+v, encoding/json as %+v", typ, line, ours.Elem(), theirs.Elem())
			}
		}
	})
}

// decodeStrictly is json.Unmarshal refusing unknown fields.
func decodeStrictly(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the value")
	}
	return nil
}

// stricterByDesign reports whether the seed decoder's refusal of a line encoding/json
// accepts comes only from a field given twice (and the line has one) or named in
// another case.
func stricterByDesign(fails []lineFail, typ reflect.Type, line []byte) bool {
	for _, f := range fails {
		switch {
		case f.msg == "given twice" && hasRepeatedField(line):
		case strings.HasPrefix(f.msg, "unknown field") && matchesFieldIgnoringCase(f.field, typ):
		default:
			return false
		}
	}
	return len(fails) > 0
}

// hasRepeatedField reports whether an object in line has a field name twice.
func hasRepeatedField(line []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(line))
	type object struct {
		names  map[string]bool
		expect bool // the next string token is a field name
	}
	var open []*object
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *object
		if len(open) > 0 {
			top = open[len(open)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				open = append(open, &object{names: map[string]bool{}, expect: true})
				continue
			case '[':
				open = append(open, &object{})
				continue
			default:
				open = open[:len(open)-1]
			}
		case string:
			if top != nil && top.names != nil && top.expect {
				if top.names[tok] {
					return true
				}
				top.names[tok] = true
				top.expect = false
				continue
			}
		}
		if len(open) > 0 && open[len(open)-1].names != nil {
			open[len(open)-1].expect = true
		}
	}
}

// matchesFieldIgnoringCase reports whether the unknown field named last in field
// ("evidence[0].Quote") is a field of its struct in another case. The fields before it
// are known ones, as the decoder goes into no other.
func matchesFieldIgnoringCase(field string, typ reflect.Type) bool {
	parts := strings.Split(field, ".")
	for _, part := range parts[:len(parts)-1] {
		name, _, _ := strings.Cut(part, "[")
		sf, ok := fieldByJSONName(typ, name, func(a, b string) bool { return a == b })
		if !ok {
			return false
		}
		for typ = sf.Type; typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice; {
			typ = typ.Elem()
		}
	}
	_, ok := fieldByJSONName(typ, parts[len(parts)-1], strings.EqualFold)
	return ok
}

func fieldByJSONName(typ reflect.Type, name string, same func(a, b string) bool) (reflect.StructField, bool) {
	for i := range typ.NumField() {
		sf := typ.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if same(tag, name) {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}
