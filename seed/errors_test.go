package seed_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/store"
)

// lineOf is the 1-based line where marker first starts in s.
func lineOf(t *testing.T, s, marker string) int {
	t.Helper()
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("marker %q not in the file", marker)
	}
	return strings.Count(s[:i], "\n") + 1
}

// replace returns fixture with old (which must occur exactly once) replaced by new.
func replace(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(fixture, old); n != 1 {
		t.Fatalf("%q occurs %d times in the fixture", old, n)
	}
	return strings.Replace(fixture, old, new, 1)
}

func TestBadSeeds(t *testing.T) {
	g := MustGraph(t)
	MustImport(t, g, MustBundled(t))
	before := Dump(t, g)

	type badCase struct {
		name    string
		file    string // under seed/
		content string
		marker  string // the error's line contains this
		field   string
		kind    error
		message string // the error's message contains this
	}
	cases := []badCase{
		{name: "unknown key reference", file: "f.yaml",
			content: replace(t, "    from: talks\n    to: muscat", "    from: talks\n    to: atlantis"),
			marker:  "to: atlantis", field: "to", kind: store.ErrInvalid, message: `"atlantis" names no node`},
		{name: "quote not in text", file: "f.yaml",
			content: replace(t, `quote: "Iran and the United States took part."`, `quote: "Iran and the US took part."`),
			marker:  "Iran and the US took part", field: "evidence[0].quote", kind: store.ErrInvalid, message: "not found verbatim"},
		{name: "wrong type", file: "f.yaml",
			content: replace(t, "confidence: 0.7", `confidence: "high"`),
			marker:  `confidence: "high"`, field: "evidence[0].confidence", kind: store.ErrInvalid, message: `want a number, got the string "high"`},
		{name: "malformed YAML", file: "f.yaml",
			content: replace(t, "  - key: iran\n    name: Iran\n", "  - key: iran\n    name: [Iran\n"),
			marker:  "name: [Iran", kind: store.ErrInvalid, message: "malformed YAML"},
		{name: "unknown field", file: "f.yaml",
			content: replace(t, "    name: Abbas Araghchi\n", "    name: Abbas Araghchi\n    colour: green\n"),
			marker:  "colour: green", field: "colour", kind: store.ErrInvalid, message: "unknown field"},
		{name: "unknown enum value", file: "f.yaml",
			content: replace(t, "stance: OPPOSES", "stance: LOATHES"),
			marker:  "stance: LOATHES", field: "stance", kind: store.ErrInvalid, message: `"LOATHES" is not one of`},
		{name: "relation without evidence", file: "f.yaml",
			content: replace(t, `    evidence:
      - source: article
        quote: "the talks in Muscat"
        confidence: 0.9
`, "    evidence: []\n"),
			marker: "evidence: []", field: "evidence", kind: store.ErrEvidenceRequired, message: "at least one evidence record"},
		{name: "ambiguous quote without occurrence", file: "f.yaml",
			content: replace(t, "        occurrence: 2\n", ""),
			marker:  `quote: "Oman hosted the talks"`, field: "evidence[0].quote", kind: store.ErrInvalid, message: "occurs 2 times"},
		{name: "occurrence past the last", file: "f.yaml",
			content: replace(t, "occurrence: 2", "occurrence: 3"),
			marker:  "occurrence: 3", field: "evidence[0].occurrence", kind: store.ErrInvalid, message: "occurs only 2 times"},
		{name: "key defined twice", file: "f.yaml",
			content: replace(t, "  - key: muscat\n", "  - key: oman\n"),
			marker:  "  - key: oman\n    name: Muscat", field: "key", kind: store.ErrInvalid, message: "already defined at seed/f.yaml:6"},
		{name: "bad time", file: "f.yaml",
			content: replace(t, `start: "2025-06"`, `start: "June 2025"`),
			marker:  `start: "June 2025"`, field: "start", kind: store.ErrInvalid, message: "is not a time"},
		{name: "wrong kind of node", file: "f.yaml",
			content: replace(t, "    holder: iran", "    holder: muscat"),
			marker:  "holder: muscat", field: "holder", kind: store.ErrInvalid, message: "is a PLACE, want ACTOR"},
		{name: "missing text file", file: "f.yaml",
			content: replace(t, "textFile: article.txt", "textFile: missing.txt"),
			marker:  "textFile: missing.txt", field: "textFile", kind: store.ErrInvalid, message: "cannot read seed/missing.txt"},
		{name: "JSON Lines: malformed JSON", file: "f.jsonl",
			content: `{"record":"actor","key":"a","name":"A","kind":"STATE"}
{"record":"actor","key":"b","name":"B","kind":"STATE"}
{"record":"actor","key":"c","name":"C" "kind":"STATE"}
`,
			marker: `"key":"c"`, kind: store.ErrInvalid, message: "malformed JSON: want ',' or '}' after a field"},
		{name: "JSON Lines: bad reference", file: "f.jsonl",
			content: `{"record":"source","key":"s","title":"S","text":"Alpha met Beta in Gamma."}
{"record":"actor","key":"alpha","name":"Alpha","kind":"PERSON"}
{"record":"relation","type":"ALLIED_WITH","from":"alpha","to":"beta","evidence":[{"source":"s","quote":"Alpha met Beta","confidence":0.5}]}
`,
			marker: `"to":"beta"`, field: "to", kind: store.ErrInvalid, message: `"beta" names no node`},
		{name: "JSON Lines: wrong type in evidence", file: "f.jsonl",
			content: `{"record":"source","key":"s","title":"S","text":"Alpha met Beta in Gamma."}
{"record":"actor","key":"alpha","name":"Alpha","kind":"PERSON"}
{"record":"relation","type":"ALLIED_WITH","from":"alpha","to":"iran","evidence":[{"source":"s","quote":"Alpha met Beta","confidence":"high"}]}
`,
			marker: `"high"`, field: "evidence[0].confidence", kind: store.ErrInvalid, message: `want a number, got the string "high"`},
		{name: "JSON Lines: unknown field", file: "f.jsonl",
			content: `{"record":"actor","key":"a","name":"A","kind":"STATE","colour":"green"}
`,
			marker: "colour", field: "colour", kind: store.ErrInvalid, message: "unknown field"},
		{name: "JSON Lines: unknown record", file: "f.jsonl",
			content: "\n{\"kind\":\"STATE\", \"record\": \"country\"}\n",
			marker:  "country", field: "record", kind: store.ErrInvalid, message: `"country" is not one of`},
		{name: "JSON Lines: quote not in text", file: "f.jsonl",
			content: `{"record":"relation","type":"PARTICIPATED_IN","from":"iran","to":"talks","evidence":[{"source":"s","quote":"Iran joined","confidence":0.5}]}
{"record":"source","key":"s","title":"S","text":"Iran took part."}
`,
			marker: "Iran joined", field: "evidence[0].quote", kind: store.ErrInvalid, message: "not found verbatim"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fixtureFS(map[string]string{c.file: c.content})
			set, err := seed.Load(fsys, "seed/"+c.file)
			if err == nil {
				_, err = seed.Import(ctx, g, set, seed.Options{})
			}
			list, ok := seed.AsErrorList(err)
			if !ok {
				t.Fatalf("err = %v (%T), want an *ErrorList", err, err)
			}
			if len(list.Errors) != 1 || list.More != 0 {
				t.Errorf("want one error, got %d:\n%v", len(list.Errors)+list.More, err)
			}
			e := list.Errors[0]
			want := fmt.Sprintf("seed/%s:%d", c.file, lineOf(t, c.content, c.marker))
			if got := fmt.Sprintf("%s:%d", e.File, e.Line); got != want || e.Field != c.field {
				t.Errorf("error at %s field %q, want %s field %q: %v", got, e.Field, want, c.field, e)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %v is not %v", e, c.kind)
			}
			if !strings.Contains(e.Message, c.message) {
				t.Errorf("message %q does not contain %q", e.Message, c.message)
			}
			prefix := want + ": "
			if c.field != "" {
				prefix += c.field + ": "
			}
			if !strings.HasPrefix(e.Error(), prefix) {
				t.Errorf("error %q does not start with %q", e.Error(), prefix)
			}
			if after := Dump(t, g); !maps.Equal(before, after) {
				t.Errorf("the store changed: %d keys before, %d after", len(before), len(after))
			}
		})
	}

	t.Run("every error is reported", func(t *testing.T) {
		content := replace(t, "stance: OPPOSES", "stance: LOATHES")
		content = strings.Replace(content, "kind: CITY", "kind: VILLAGE", 1)
		content = strings.Replace(content, "confidence: 0.9", "confidence: 1.5", 1)
		_, err := seed.Load(fixtureFS(map[string]string{"f.yaml": content}), "seed/f.yaml")
		list, ok := seed.AsErrorList(err)
		if !ok || len(list.Errors) != 3 {
			t.Fatalf("want 3 errors, got %v", err)
		}
		for i, field := range []string{"kind", "stance", "evidence[0].confidence"} {
			if list.Errors[i].Field != field {
				t.Errorf("error %d is about %q, want %q (errors in line order)", i, list.Errors[i].Field, field)
			}
		}
	})

	t.Run("store errors are all reported", func(t *testing.T) {
		content := `{"record":"relation","type":"ALLIED_WITH","from":"iran","to":"nowhere","evidence":[{"source":"article","quote":"x","confidence":0.5}]}
{"record":"relation","type":"ALLIED_WITH","from":"elsewhere","to":"iran","evidence":[{"source":"article","quote":"y","confidence":0.5}]}
`
		set, err := seed.Load(fixtureFS(map[string]string{"f.jsonl": content}), "seed/f.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		_, err = seed.Import(ctx, MustGraph(t), set, seed.Options{})
		list, ok := seed.AsErrorList(err)
		if !ok || len(list.Errors) < 4 {
			t.Fatalf("want at least 4 errors (two references, two sources), got %v", err)
		}
	})

	t.Run("errors are capped", func(t *testing.T) {
		var b strings.Builder
		for i := range 150 {
			fmt.Fprintf(&b, `{"record":"actor","key":"a%d","name":"A","kind":"KING"}`+"\n", i)
		}
		_, err := seed.Load(fixtureFS(map[string]string{"f.jsonl": b.String()}), "seed/f.jsonl")
		list, ok := seed.AsErrorList(err)
		if !ok || len(list.Errors) != seed.MaxErrors || list.More != 150-seed.MaxErrors {
			t.Fatalf("want %d errors and %d more, got %v", seed.MaxErrors, 150-seed.MaxErrors, err)
		}
		if !strings.Contains(err.Error(), "(and 50 more)") {
			t.Errorf("error text does not say how many more: %.200s", err)
		}
	})
}
