package server_test

import (
	"slices"
	"strings"
	"testing"

	"eventgraph/server"
)

// TestClaims asks the bundled seed which claims rest on one source, checks the answer
// against every claim's own corroboration, follows it back in time after a second
// source arrives, and sends filters the API refuses.
func TestClaims(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type claim struct {
		ID            string
		Corroboration struct{ Sources, Publishers int }
	}
	type claims struct {
		TotalCount int
		Nodes      []claim
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
	const list = `query($filter: ClaimFilter, $after: String, $asOf: Time) {
		claims(filter: $filter, first: 500, after: $after, asOf: $asOf) { totalCount pageInfo { hasNextPage endCursor }
			nodes { id ... on Relation { corroboration { sources publishers } } ... on Position { corroboration { sources publishers } } } } }`
	all := func(filter map[string]any, asOf any) claims {
		t.Helper()
		var data struct{ Claims claims }
		s.mustQuery(t, list, map[string]any{"filter": filter, "asOf": asOf}, &data)
		if data.Claims.PageInfo.HasNextPage || data.Claims.TotalCount != len(data.Claims.Nodes) {
			t.Fatalf("the seed's claims do not fit one page: %d of %d", len(data.Claims.Nodes), data.Claims.TotalCount)
		}
		return data.Claims
	}
	ids := func(cs []claim) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}

	// onOneSource is what the claims' own corroboration says rests on one source.
	onOneSource := func(asOf any) []string {
		t.Helper()
		var out []string
		for _, c := range all(nil, asOf).Nodes {
			if c.Corroboration.Sources == 1 {
				out = append(out, c.ID)
			}
		}
		return out
	}
	oneSource := map[string]any{"minSources": 1, "maxSources": 1}
	every := all(nil, nil)
	single := onOneSource(nil)
	if len(single) == 0 || !slices.IsSorted(ids(every.Nodes)) {
		t.Fatalf("the seed's %d claims, %d of them on one source, in order %v", len(every.Nodes), len(single), ids(every.Nodes))
	}
	if got := ids(all(oneSource, nil).Nodes); !slices.Equal(got, single) {
		t.Fatalf("claims on one source: %v, where their corroboration says %v", got, single)
	}

	t.Run("pages", func(t *testing.T) {
		var got []string
		var after *string
		for {
			var data struct{ Claims claims }
			s.mustQuery(t, `query($after: String) { claims(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`,
				map[string]any{"after": after}, &data)
			if data.Claims.TotalCount != len(every.Nodes) {
				t.Fatalf("totalCount %d on a page, %d in all", data.Claims.TotalCount, len(every.Nodes))
			}
			got = append(got, ids(data.Claims.Nodes)...)
			if !data.Claims.PageInfo.HasNextPage {
				break
			}
			after = data.Claims.PageInfo.EndCursor
		}
		if !slices.Equal(got, ids(every.Nodes)) {
			t.Fatalf("paged: %v, in one page: %v", got, ids(every.Nodes))
		}
	})

	t.Run("a second source, and as of before it", func(t *testing.T) {
		i := slices.IndexFunc(single, func(id string) bool { return strings.HasPrefix(id, "rel:") })
		if i < 0 {
			t.Fatal("no relation rests on one source")
		}
		rel := single[i]
		var evs struct {
			Relation struct{ Evidence []struct{ Quote string } }
		}
		s.mustQuery(t, `query($id: ID!) { relation(id: $id) { evidence { quote } } }`, map[string]any{"id": rel}, &evs)
		before := s.moment()
		const upsertSource = `mutation($in: SourceInput!) { upsertSource(input: $in) { id } }`
		quote := evs.Relation.Evidence[0].Quote
		s.mustQuery(t, upsertSource, map[string]any{"in": map[string]any{"id": "second-report", "title": "A second report",
			"text": "Another outlet wrote: " + quote + "."}}, &struct{}{})
		s.mustQuery(t, addEvidenceQuery, map[string]any{"s": rel, "e": []any{map[string]any{"source": "second-report", "quote": quote, "confidence": 0.7}}}, &struct{}{})

		now := ids(all(oneSource, nil).Nodes)
		if want := onOneSource(nil); slices.Contains(now, rel) || !slices.Equal(now, want) || len(now) != len(single)-1 {
			t.Fatalf("after a second source: %v, where their corroboration says %v", now, want)
		}
		if then := ids(all(oneSource, before).Nodes); !slices.Equal(then, single) || !slices.Equal(onOneSource(before), single) {
			t.Fatalf("as of before the second source: %v, want %v", then, single)
		}
	})

	t.Run("refused", func(t *testing.T) {
		for _, c := range []struct {
			filter map[string]any
			field  string
		}{
			{map[string]any{"minSources": -1}, "minSources"},
			{map[string]any{"minPublishers": 2, "maxPublishers": 1}, "minPublishers"},
			{map[string]any{"validFrom": "2024-01-01T00:00:00Z", "validTo": "2023-01-01T00:00:00Z"}, "validTo"},
		} {
			out := s.mustFail(t, "INVALID_INPUT", `query($filter: ClaimFilter) { claims(filter: $filter) { totalCount } }`, map[string]any{"filter": c.filter})
			if got := out.Errors[0].Extensions["field"]; got != c.field {
				t.Errorf("%v: field %v, want %s", c.filter, got, c.field)
			}
		}
		s.mustFail(t, "NOT_FOUND", `{ claims(filter: {entity: "nobody"}) { totalCount } }`, nil)
		s.mustFail(t, "INVALID_INPUT", `{ claims(first: 501) { totalCount } }`, nil)
		s.mustFail(t, "QUERY_TOO_COMPLEX", `{ claims(first: 500) { nodes { ... on Relation { from { ... on Actor { relations(first: 500) { nodes { id } } } } } } } }`, nil)
	})
}
