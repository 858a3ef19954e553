package graph_test

import (
	"maps"
	"slices"
	"testing"

	gqlast "github.com/vektah/gqlparser/v2/ast"

	"eventgraph/graph"
)

// TestTimeArgumentsAreDocumented: the table of docs/api.md under "Dates and instants"
// has a row for exactly every Time argument of a root field (by name) and every Time
// field of an input type (Input.field), each listing exactly the root fields that take
// it, so that no Time reaches the API without its rule written down.
func TestTimeArgumentsAreDocumented(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	want := map[string][]string{}
	takes := func(row, field string) {
		if !slices.Contains(want[row], field) {
			want[row] = append(want[row], field)
		}
	}
	for name, def := range schema.Types {
		if def.Kind != gqlast.InputObject {
			continue
		}
		for _, f := range def.Fields {
			if f.Type.Name() == "Time" {
				want["`"+name+"."+f.Name+"`"] = []string{}
			}
		}
	}
	for _, root := range []*gqlast.Definition{schema.Query, schema.Mutation} {
		for _, f := range root.Fields {
			for _, a := range f.Arguments {
				if a.Type.Name() == "Time" {
					takes("`"+a.Name+"`", f.Name)
				}
				for _, in := range schema.Types[a.Type.Name()].Fields {
					if in.Type.Name() == "Time" {
						takes("`"+a.Type.Name()+"."+in.Name+"`", f.Name)
					}
				}
			}
		}
	}
	rows := markdownTable(mustReadFile(t, apiGuide), "### Dates and instants")
	for _, row := range slices.Sorted(maps.Keys(want)) {
		cells, ok := rows[row]
		if !ok {
			t.Errorf("the Time table of %s has no row for %s (taken by %v)", apiGuide, row, want[row])
			continue
		}
		slices.Sort(want[row])
		if got := codeSpans(cells[0]); !slices.Equal(got, want[row]) {
			t.Errorf("the Time table of %s says %s is taken by %v; the schema by %v", apiGuide, row, got, want[row])
		}
	}
	for row := range rows {
		if _, ok := want[row]; !ok {
			t.Errorf("the Time table of %s has a row for %s, which the schema does not take", apiGuide, row)
		}
	}
}
