package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/server"
	"eventgraph/store/domain"
)

// TestTimeArgumentsTakeDates sends dates (2025, 2025-04, 2025-04-19) where the schema
// takes a Time, and checks each kind of argument means the instant docs/api.md says:
// asOf the end of the period, from its start, to its end, a stored time its start
// (with an event's precision from its form), and that other forms are refused.
func TestTimeArgumentsTakeDates(t *testing.T) {
	s := mustStart(t, server.Config{}, false)

	t.Run("StoredTimesAreTheStartOfTheirPeriod", func(t *testing.T) {
		const upsertEvent = `mutation($in: EventInput!) { upsertEvent(input: $in) { start end precision when } }`
		for _, c := range []struct {
			name                     string
			in                       map[string]any
			start, end, precision, w string
		}{
			{"a month sets MONTH", map[string]any{"start": "2025-04", "end": "2025-05"},
				"2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z", "MONTH", "2025-04/2025-05"},
			{"a year sets YEAR", map[string]any{"start": "2025"}, "2025-01-01T00:00:00Z", "", "YEAR", "2025"},
			{"a day sets DAY", map[string]any{"start": "2025-04-19", "end": "2025-04-20T10:30:00+02:00"},
				"2025-04-19T00:00:00Z", "2025-04-20T08:30:00Z", "DAY", "2025-04-19/2025-04-20"},
			{"a stated coarser precision stands", map[string]any{"start": "2025-04-19", "precision": "YEAR"},
				"2025-04-19T00:00:00Z", "", "YEAR", "2025"},
			{"an instant is DAY", map[string]any{"start": "2025-04-19T10:00:00Z"}, "2025-04-19T10:00:00Z", "", "DAY", "2025-04-19"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := map[string]any{"id": "easter-talks", "name": "Easter talks", "kind": "NEGOTIATION"}
				for k, v := range c.in {
					in[k] = v
				}
				var data struct {
					UpsertEvent struct {
						Start, End *string
						Precision  string
						When       string
					}
				}
				s.mustQuery(t, upsertEvent, map[string]any{"in": in}, &data)
				got := data.UpsertEvent
				if deref(got.Start) != c.start || deref(got.End) != c.end || got.Precision != c.precision || got.When != c.w {
					t.Errorf("stored %s .. %s, %s, when %s; want %s .. %s, %s, when %s",
						deref(got.Start), deref(got.End), got.Precision, got.When, c.start, c.end, c.precision, c.w)
				}
			})
		}
		t.Run("a stated finer precision is refused", func(t *testing.T) {
			out := s.mustFail(t, "INVALID_INPUT", upsertEvent, map[string]any{"in": map[string]any{
				"id": "easter-talks", "name": "Easter talks", "kind": "NEGOTIATION", "start": "2025", "precision": "MONTH"}})
			if out.Errors[0].Extensions["field"] != "input.precision" || !strings.Contains(out.Errors[0].Message, "MONTH is finer than the start 2025 gives (YEAR)") {
				t.Errorf("error %+v", out.Errors[0])
			}
		})

		var source struct {
			UpsertSource struct{ PublishedAt, RetrievedAt string }
		}
		s.mustQuery(t, `mutation { upsertSource(input: {id: "easter-report", title: "Easter report", text: "The talks resumed at Easter.",
			publishedAt: "2025-04", retrievedAt: "2025-04-21"}) { publishedAt retrievedAt } }`, nil, &source)
		if source.UpsertSource.PublishedAt != "2025-04-01T00:00:00Z" || source.UpsertSource.RetrievedAt != "2025-04-21T00:00:00Z" {
			t.Errorf("source stored %+v", source.UpsertSource)
		}
		var rel struct {
			AddRelation struct{ ValidFrom, ValidTo string }
		}
		s.mustQuery(t, `mutation { addRelation(input: {type: PARTICIPATED_IN, from: "oman", to: "easter-talks", validFrom: "2025-04-19", validTo: "2025-04-20",
			evidence: [{source: "easter-report", quote: "The talks resumed", confidence: 0.8}]}) { validFrom validTo } }`, nil, &rel)
		if rel.AddRelation.ValidFrom != "2025-04-19T00:00:00Z" || rel.AddRelation.ValidTo != "2025-04-20T00:00:00Z" {
			t.Errorf("relation stored %+v", rel.AddRelation)
		}
		var pos struct {
			UpsertPosition struct{ StatedAt, ValidFrom string }
		}
		s.mustQuery(t, `mutation { upsertPosition(input: {id: "oman-resumes", holder: "oman", topic: "ballistic-missiles", stance: WILLING_TO_DISCUSS,
			statedAt: "2025-04", validFrom: "2025", evidence: [{source: "easter-report", quote: "The talks resumed", confidence: 0.8}]}) { statedAt validFrom } }`,
			nil, &pos)
		if pos.UpsertPosition.StatedAt != "2025-04-01T00:00:00Z" || pos.UpsertPosition.ValidFrom != "2025-01-01T00:00:00Z" {
			t.Errorf("position stored %+v", pos.UpsertPosition)
		}
	})

	// The event is now the day 2025-04-19, and its participation valid that day only.
	s.mustQuery(t, `mutation { upsertEvent(input: {id: "easter-talks", name: "Easter talks", description: "as tested", kind: NEGOTIATION,
		start: "2025-04-19"}) { id } }`,
		nil, &struct{}{})

	t.Run("WindowsHoldTheWholePeriodOfEachEnd", func(t *testing.T) {
		const q = `query($from: Time, $to: Time) {
			events(from: $from, to: $to, kinds: [NEGOTIATION]) { nodes { id } }
			timeline(entity: "oman", from: $from, to: $to) { nodes { id } }
			neighbourhood(id: "easter-talks", from: $from, to: $to) { relations { id } }
			search(text: "Easter", kinds: [EVENT], from: $from, to: $to) { nodes { id } }
			central(kinds: [EVENT], from: $from, to: $to, first: 100) { entity { id } degree }
		}`
		type centrality struct {
			Entity struct{ ID string }
			Degree int
		}
		for _, c := range []struct {
			from, to any
			in       bool
		}{
			{"2025", "2025", true},
			{"0001", "9999", true}, // the window ends in the year 10000
			{"2025-04", "2025-04", true},
			{"2025-04-19", "2025-04-19", true},
			{nil, "2025-04-19", true},
			{"2025-04-19", nil, true},
			{"2025-04-20", nil, false},
			{nil, "2025-04-18", false},
			{"2025-05", "2025-12", false},
			{"2024", "2024", false},
			{"2025-04-19T00:00:00Z", "2025-04-19T00:00:00.000000001Z", true},
			{nil, "2025-04-19T00:00:00Z", false}, // an instant closes the window where it says
			{"2025-04-19T23:59:59Z", nil, true},
		} {
			var data struct {
				Events, Timeline, Search struct{ Nodes []struct{ ID string } }
				Neighbourhood            struct{ Relations []struct{ ID string } }
				Central                  []centrality
			}
			s.mustQuery(t, q, map[string]any{"from": c.from, "to": c.to}, &data)
			has := func(nodes []struct{ ID string }) bool {
				for _, n := range nodes {
					if n.ID == "easter-talks" {
						return true
					}
				}
				return false
			}
			central := slices.ContainsFunc(data.Central, func(c centrality) bool { return c.Entity.ID == "easter-talks" && c.Degree == 1 })
			for field, got := range map[string]bool{"events": has(data.Events.Nodes), "timeline": has(data.Timeline.Nodes),
				"search": has(data.Search.Nodes), "neighbourhood": len(data.Neighbourhood.Relations) == 1, "central": central} {
				if got != c.in {
					t.Errorf("%s(from: %v, to: %v) holds the event (or its relation): %v, want %v", field, c.from, c.to, got, c.in)
				}
			}
		}
	})

	t.Run("AsOfIsTheEndOfThePeriod", func(t *testing.T) {
		var last struct {
			History []struct{ At string }
		}
		s.mustQuery(t, `{ history(id: "easter-talks") { at } }`, nil, &last)
		at, err := time.Parse(time.RFC3339Nano, last.History[len(last.History)-1].At)
		if err != nil {
			t.Fatal(err)
		}
		const q = `query($asOf: Time) { node(id: "easter-talks", asOf: $asOf) { ... on Event { description } } }`
		for _, c := range []struct {
			asOf    string
			visible bool
		}{
			{at.Format("2006"), true},
			{at.Format("2006-01"), true},
			{at.Format("2006-01-02"), true}, // written during that day: known at its end
			{at.Format(time.RFC3339Nano), true},
			{at.AddDate(-1, 0, 0).Format("2006"), false},
			{at.AddDate(0, 0, -1).Format("2006-01-02"), false},
			{at.Add(-time.Nanosecond).Format(time.RFC3339Nano), false},
		} {
			var data struct {
				Node *struct{ Description *string }
			}
			s.mustQuery(t, q, map[string]any{"asOf": c.asOf}, &data)
			if visible := data.Node != nil && deref(data.Node.Description) == "as tested"; visible != c.visible {
				t.Errorf("asOf %s (the write at %s): %+v, want the write visible %v", c.asOf, at.Format(time.RFC3339Nano), data.Node, c.visible)
			}
		}
	})

	t.Run("OtherFormsAreRefused", func(t *testing.T) {
		for _, bad := range []any{"2025-13", "2025-02-30", "25", "2025-4", "", "yesterday", "2025-04-19 10:00", 2025, 2025.5, true} {
			for _, q := range []string{
				`query($t: Time) { actors(asOf: $t) { totalCount } }`,
				`query($t: Time) { events(from: $t) { totalCount } }`,
				`query($t: Time) { events(to: $t) { totalCount } }`,
				`mutation($t: Time) { upsertEvent(input: {id: "easter-talks", name: "Easter talks", kind: NEGOTIATION, start: $t}) { id } }`,
			} {
				out := s.mustFail(t, "INVALID_INPUT", q, map[string]any{"t": bad})
				if !strings.Contains(out.Errors[0].Message, domain.TimeForms) {
					t.Errorf("%v in %s: %q does not name the accepted forms", bad, q, out.Errors[0].Message)
				}
			}
		}
		out := s.mustFail(t, "INVALID_INPUT", `{ actors(asOf: 2025) { totalCount } }`, nil)
		if !strings.Contains(out.Errors[0].Message, domain.TimeForms) {
			t.Errorf("a literal number: %q does not name the accepted forms", out.Errors[0].Message)
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
