package server_test

import (
	"testing"

	"eventgraph/server"
)

// TestUnmergeOverGraphQL merges kushner into witkoff on the seed, two actors whose
// relations quote one span for the same claims, then witkoff into united-states, which
// builds on the first merge: the first cannot be undone before the second
// (DEPENDENT_MERGE, naming the field); undone in that order, the graph, counts and
// search answer as before the merges.
func TestUnmergeOverGraphQL(t *testing.T) {
	s := mustStart(t, server.Config{MaxComplexity: 1 << 30}, false)
	dump := func() string { return s.mustDumpWithCounts(t, "Kushner Witkoff") }
	before := dump()
	merge := func(into, from string) string {
		t.Helper()
		var out struct{ Merge struct{ ID string } }
		s.mustQuery(t, `mutation($into: ID!, $from: [ID!]!) { merge(into: $into, from: $from) { id } }`,
			map[string]any{"into": into, "from": []string{from}}, &out)
		return out.Merge.ID
	}
	const unmerge = `mutation($m: ID!) { unmerge(merge: $m) { id } }`
	first := merge("witkoff", "kushner")
	second := merge("united-states", "witkoff")
	refused := s.mustFail(t, "DEPENDENT_MERGE", unmerge, map[string]any{"m": first})
	if refused.Errors[0].Extensions["field"] != "merge" {
		t.Fatalf("the refusal names field %v, want merge", refused.Errors[0].Extensions["field"])
	}
	for _, m := range []string{second, first} {
		s.mustQuery(t, unmerge, map[string]any{"m": m}, &struct{}{})
	}
	if after := dump(); after != before {
		t.Fatalf("after both unmerges the graph differs from before the merges:\n%s\nwant\n%s", after, before)
	}
}
