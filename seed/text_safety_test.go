package seed_test

import (
	"errors"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// TestImportRefusesOverrides: a seed file whose name or alias holds a bidirectional
// override or a control character is refused at its line, naming the field, and
// nothing is imported.
func TestImportRefusesOverrides(t *testing.T) {
	file := `{"record":"actor","key":"plain","name":"Plain","kind":"STATE"}
{"record":"actor","key":"spoofed","name":"Iran\u202eoman","kind":"STATE"}
{"record":"actor","key":"nul","name":"Oman","aliases":["Muscat\u0000"],"kind":"STATE"}
`
	set := MustLoad(t, fixtureFS(map[string]string{"f.jsonl": file}), "seed/f.jsonl")
	g := storetest.MustGraph(t)
	_, err := seed.Import(ctx, g, set, seed.Options{})
	list, ok := seed.AsErrorList(err)
	if !ok || len(list.Errors) != 2 || !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("import = %v, want two refusals", err)
	}
	for i, want := range []string{"seed/f.jsonl:2: name: holds U+202E at code point 4", "seed/f.jsonl:3: aliases[0]: holds U+0000 at code point 6"} {
		if got := list.Errors[i].Error(); !strings.HasPrefix(got, want) {
			t.Errorf("error %d: %s, want %s…", i, got, want)
		}
	}
	if _, err := g.Node(ctx, "plain"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a refused import wrote a node: %v", err)
	}
}
