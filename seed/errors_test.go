package seed_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
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
	g := storetest.MustGraph(t)
	MustImport(t, g, MustBundled(t))
	before := Dump(t, g)

	type badCase struct {
		name    string
		file    string // under seed/
		content string
		marker  string // the error's line contains this
		field   string
		kind    error
		message string
	}
	relationTypes := "ABOUT_TOPIC, ALLIED_WITH, CITES, DISRUPTED, LEADS, LOCATED_IN, MEMBER_OF, PARTICIPATED_IN, PART_OF, PRECEDED, REPORTED_BY, REPRESENTS"
	cases := []badCase{
		// Format: what the seed loader finds on its own.
		{name: "wrong type", file: "f.yaml",
			content: replace(t, "confidence: 0.7", `confidence: "high"`),
			marker:  `confidence: "high"`, field: "evidence[0].confidence", kind: domain.ErrInvalid, message: `want a number, got the string "high"`},
		{name: "malformed YAML", file: "f.yaml",
			content: replace(t, "  - key: iran\n    name: Iran\n", "  - key: iran\n    name: [Iran\n"),
			marker:  "name: [Iran", kind: domain.ErrInvalid, message: "malformed YAML: did not find expected ',' or ']'"},
		{name: "unknown field", file: "f.yaml",
			content: replace(t, "    name: Abbas Araghchi\n", "    name: Abbas Araghchi\n    colour: green\n"),
			marker:  "colour: green", field: "colour", kind: domain.ErrInvalid, message: "unknown field; want one of key, name, aliases, description, kind, reliability"},
		{name: "key defined twice", file: "f.yaml",
			content: replace(t, "  - key: muscat\n", "  - key: oman\n"),
			marker:  "  - key: oman\n    name: Muscat", field: "key", kind: domain.ErrInvalid, message: `"oman" is already defined at seed/f.yaml:6`},
		{name: "bad time", file: "f.yaml",
			content: replace(t, `start: "2025-06"`, `start: "June 2025"`),
			marker:  `start: "June 2025"`, field: "start", kind: domain.ErrInvalid, message: `"June 2025" is not a time: want 2025, 2025-06, 2025-06-13 or an RFC 3339 timestamp`},
		{name: "missing text file", file: "f.yaml",
			content: replace(t, "textFile: article.txt", "textFile: missing.txt"),
			marker:  "textFile: missing.txt", field: "textFile", kind: domain.ErrInvalid, message: "cannot read seed/missing.txt: file does not exist"},
		{name: "confidence left out", file: "f.yaml",
			content: replace(t, "        confidence: 0.7\n", ""),
			marker:  "      - source: article", field: "evidence[0].confidence", kind: domain.ErrInvalid, message: "is required"},
		{name: "coordinate left out", file: "f.yaml",
			content: replace(t, "point: {lat: 23.58, lon: 58.38}", "point: {lat: 23.58}"),
			marker:  "point: {lat: 23.58}", field: "point.lon", kind: domain.ErrInvalid, message: "is required"},
		{name: "JSON Lines: malformed JSON", file: "f.jsonl",
			content: `{"record":"actor","key":"a","name":"A","kind":"STATE"}
{"record":"actor","key":"b","name":"B","kind":"STATE"}
{"record":"actor","key":"c","name":"C" "kind":"STATE"}
`,
			marker: `"key":"c"`, kind: domain.ErrInvalid, message: `malformed JSON: want ',' or '}' after a field, got '"' at column 40`},
		{name: "JSON Lines: wrong type in evidence", file: "f.jsonl",
			content: `{"record":"source","key":"s","title":"S","text":"Alpha met Beta in Gamma."}
{"record":"actor","key":"alpha","name":"Alpha","kind":"PERSON"}
{"record":"relation","type":"ALLIED_WITH","from":"alpha","to":"iran","evidence":[{"source":"s","quote":"Alpha met Beta","confidence":"high"}]}
`,
			marker: `"high"`, field: "evidence[0].confidence", kind: domain.ErrInvalid, message: `want a number, got the string "high"`},
		{name: "JSON Lines: unknown field", file: "f.jsonl",
			content: `{"record":"actor","key":"a","name":"A","kind":"STATE","colour":"green"}
`,
			marker: "colour", field: "colour", kind: domain.ErrInvalid, message: "unknown field; want one of record, key, name, aliases, description, kind, reliability"},
		{name: "JSON Lines: unknown record", file: "f.jsonl",
			content: "\n{\"kind\":\"STATE\", \"record\": \"country\"}\n",
			marker:  "country", field: "record", kind: domain.ErrInvalid, message: `"country" is not one of source, actor, place, event, topic, position, relation`},

		// Model: what the store refuses, located in the file.
		{name: "unknown key reference", file: "f.yaml",
			content: replace(t, "    from: talks\n    to: muscat", "    from: talks\n    to: atlantis"),
			marker:  "to: atlantis", field: "to", kind: domain.ErrInvalid, message: `"atlantis" names no node`},
		{name: "wrong kind of node", file: "f.yaml",
			content: replace(t, "    holder: iran", "    holder: muscat"),
			marker:  "holder: muscat", field: "holder", kind: domain.ErrInvalid, message: `"muscat" is a PLACE, want ACTOR`},
		{name: "invalid key", file: "f.yaml",
			content: replace(t, "key: araghchi", "key: Araghchi"),
			marker:  "key: Araghchi", field: "key", kind: domain.ErrInvalid,
			message: `"Araghchi" is not a valid id (lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, at most 128 characters)`},
		{name: "name left out", file: "f.yaml",
			content: replace(t, "    name: Abbas Araghchi\n", ""),
			marker:  "key: araghchi", field: "name", kind: domain.ErrInvalid, message: "is required"},
		{name: "title left out", file: "f.yaml",
			content: replace(t, "    title: An article\n", ""),
			marker:  "key: article", field: "title", kind: domain.ErrInvalid, message: "is required"},
		{name: "unknown enum value", file: "f.yaml",
			content: replace(t, "stance: OPPOSES", "stance: LOATHES"),
			marker:  "stance: LOATHES", field: "stance", kind: domain.ErrInvalid,
			message: `"LOATHES" is not one of DEMANDS, SUPPORTS, OPPOSES, REJECTS, WILLING_TO_DISCUSS, RULES_OUT`},
		{name: "unknown relation type", file: "f.yaml",
			content: replace(t, "type: LOCATED_IN", "type: SITUATED_IN"),
			marker:  "type: SITUATED_IN", field: "type", kind: domain.ErrInvalid, message: `"SITUATED_IN" is not one of ` + relationTypes},
		{name: "repeated alias", file: "f.yaml",
			content: replace(t, "    name: Oman\n", "    name: Oman\n    aliases:\n      - Sultanate of Oman\n      - Oman Sultanate\n      - Sultanate of Oman # again\n"),
			marker:  "# again", field: "aliases[2]", kind: domain.ErrInvalid, message: `"Sultanate of Oman" is listed twice`},
		{name: "empty alias", file: "f.yaml",
			content: replace(t, "    name: Oman\n", "    name: Oman\n    aliases: [Sultanate, \"\"]\n"),
			marker:  "aliases:", field: "aliases[1]", kind: domain.ErrInvalid, message: "is empty"},
		{name: "CAMEO code", file: "f.yaml",
			content: replace(t, `    start: "2025-06"`+"\n", `    start: "2025-06"`+"\n    cameo: \"4a\"\n"),
			marker:  `cameo: "4a"`, field: "cameo", kind: domain.ErrInvalid, message: `"4a" is not a CAMEO code (2 to 4 digits)`},
		{name: "language tag", file: "f.yaml",
			content: replace(t, "    textFile: article.txt\n", "    textFile: article.txt\n    language: en_GB\n"),
			marker:  "language: en_GB", field: "language", kind: domain.ErrInvalid, message: `"en_GB" is not a BCP 47 language tag`},
		{name: "point out of range", file: "f.yaml",
			content: replace(t, "lat: 23.58", "lat: 123.58"),
			marker:  "lat: 123.58", field: "point.lat", kind: domain.ErrInvalid, message: "123.58 is outside [-90, 90]"},
		{name: "end before start", file: "f.yaml",
			content: replace(t, `    start: "2025-06"`+"\n", `    start: "2025-06"`+"\n    end: \"2025-05\"\n"),
			marker:  `end: "2025-05"`, field: "end", kind: domain.ErrInvalid, message: "is before start"},
		{name: "end without start", file: "f.yaml",
			content: replace(t, `start: "2025-06"`, `end: "2025-06"`),
			marker:  `end: "2025-06"`, field: "end", kind: domain.ErrInvalid, message: "needs a start"},
		{name: "precision UNKNOWN with a start", file: "f.yaml",
			content: replace(t, `    start: "2025-06"`+"\n", `    start: "2025-06"`+"\n    precision: UNKNOWN\n"),
			marker:  "precision: UNKNOWN", field: "precision", kind: domain.ErrInvalid, message: "cannot be UNKNOWN when there is a start"},
		{name: "precision finer than the start's form", file: "f.yaml",
			content: replace(t, `    start: "2025-06"`+"\n", `    start: "2025-06"`+"\n    precision: DAY\n"),
			marker:  "precision: DAY", field: "precision", kind: domain.ErrInvalid, message: "DAY is finer than the start 2025-06 gives (MONTH)"},
		{name: "unknown precision", file: "f.yaml",
			content: replace(t, `    start: "2025-06"`+"\n", `    start: "2025-06"`+"\n    precision: WEEK\n"),
			marker:  "precision: WEEK", field: "precision", kind: domain.ErrInvalid, message: `"WEEK" is not one of DAY, MONTH, YEAR, UNKNOWN`},
		{name: "role on a relation that has none", file: "f.yaml",
			content: replace(t, "    to: muscat\n", "    to: muscat\n    role: HOST\n"),
			marker:  "role: HOST\n    evidence:\n      - source: article\n        quote: \"the talks", field: "role", kind: domain.ErrInvalid, message: "only PARTICIPATED_IN relations have a role"},
		{name: "unknown role", file: "f.yaml",
			content: replace(t, "role: HOST", "role: CHAIR"),
			marker:  "role: CHAIR", field: "role", kind: domain.ErrInvalid, message: `"CHAIR" is not one of INITIATOR, TARGET, MEDIATOR, PARTICIPANT, SUPPORTER, HOST`},
		{name: "validTo before validFrom", file: "f.yaml",
			content: replace(t, "    to: muscat\n", "    to: muscat\n    validFrom: \"2025\"\n    validTo: \"2024\"\n"),
			marker:  `validTo: "2024"`, field: "validTo", kind: domain.ErrInvalid, message: "is before validFrom"},
		{name: "relation without evidence", file: "f.yaml",
			content: replace(t, `    evidence:
      - source: article
        quote: "the talks in Muscat"
        confidence: 0.9
`, "    evidence: []\n"),
			marker: "evidence: []", field: "evidence", kind: domain.ErrEvidenceRequired,
			message: `a LOCATED_IN relation from "talks" to "muscat" needs at least one evidence record supporting it`},
		{name: "position without evidence", file: "f.yaml",
			content: replace(t, `    evidence:
      - source: article
        quote: "stand firm on our rights"
        confidence: 0.7
`, "    evidence: []\n"),
			marker: "evidence: []", field: "evidence", kind: domain.ErrEvidenceRequired, message: `position "iran-rights" needs at least one evidence record supporting it`},
		{name: "confidence out of range", file: "f.yaml",
			content: replace(t, "confidence: 0.7", "confidence: 1.5"),
			marker:  "confidence: 1.5", field: "evidence[0].confidence", kind: domain.ErrInvalid, message: "1.5 is outside [0, 1]"},
		{name: "quote not in text", file: "f.yaml",
			content: replace(t, `quote: "Iran and the United States took part."`, `quote: "Iran and the US took part."`),
			marker:  "Iran and the US took part", field: "evidence[0].quote", kind: domain.ErrInvalid, message: "not found verbatim in the source text"},
		{name: "quote with other case and spacing", file: "f.yaml",
			content: replace(t, `quote: "the talks in Muscat"`, `quote: "The talks  in MUSCAT"`),
			marker:  "The talks  in MUSCAT", field: "evidence[0].quote", kind: domain.ErrInvalid,
			message: "not found verbatim in the source text (it is there with different case, spacing, punctuation or accents)"},
		{name: "ambiguous quote without occurrence", file: "f.yaml",
			content: replace(t, "        occurrence: 2\n", ""),
			marker:  `quote: "Oman hosted the talks"`, field: "evidence[0].quote", kind: domain.ErrInvalid,
			message: "occurs 2 times in the source text; give occurrence (1 to 2) to say which is meant"},
		{name: "occurrence past the last", file: "f.yaml",
			content: replace(t, "occurrence: 2", "occurrence: 3"),
			marker:  "occurrence: 3", field: "evidence[0].occurrence", kind: domain.ErrInvalid,
			message: "occurrence 3 asked for, but the quote occurs only 2 times in the source text"},
		{name: "negative occurrence", file: "f.yaml",
			content: replace(t, "occurrence: 2", "occurrence: -2"),
			marker:  "occurrence: -2", field: "evidence[0].occurrence", kind: domain.ErrInvalid, message: "-2 is not a positive number"},
		{name: "JSON Lines: bad reference", file: "f.jsonl",
			content: `{"record":"source","key":"s","title":"S","text":"Alpha met Beta in Gamma."}
{"record":"actor","key":"alpha","name":"Alpha","kind":"PERSON"}
{"record":"relation","type":"ALLIED_WITH","from":"alpha","to":"beta","evidence":[{"source":"s","quote":"Alpha met Beta","confidence":0.5}]}
`,
			marker: `"to":"beta"`, field: "to", kind: domain.ErrInvalid, message: `"beta" names no node`},
		{name: "JSON Lines: quote not in text", file: "f.jsonl",
			content: `{"record":"relation","type":"ALLIED_WITH","from":"iran","to":"oman","evidence":[{"source":"s","quote":"Iran joined","confidence":0.5}]}
{"record":"source","key":"s","title":"S","text":"Iran took part."}
`,
			marker: "Iran joined", field: "evidence[0].quote", kind: domain.ErrInvalid, message: "not found verbatim in the source text"},
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
			if e.Message != c.message {
				t.Errorf("message %q, want %q", e.Message, c.message)
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
		set := MustLoad(t, fixtureFS(map[string]string{"f.yaml": content}), "seed/f.yaml")
		_, err := seed.Import(ctx, g, set, seed.Options{DryRun: true})
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
		_, err = seed.Import(ctx, storetest.MustGraph(t), set, seed.Options{})
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
		set := MustLoad(t, fixtureFS(map[string]string{"f.jsonl": b.String()}), "seed/f.jsonl")
		_, err := seed.Import(ctx, g, set, seed.Options{})
		list, ok := seed.AsErrorList(err)
		if !ok || len(list.Errors) != seed.MaxErrors || list.More != 150-seed.MaxErrors {
			t.Fatalf("want %d errors and %d more, got %v", seed.MaxErrors, 150-seed.MaxErrors, err)
		}
		if !strings.Contains(err.Error(), "(and 50 more)") {
			t.Errorf("error text does not say how many more: %.200s", err)
		}
	})
}
