package ingest_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"eventgraph/seed/ingest"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// score counts what ingestion proposed against what the gold set holds.
type score struct {
	found, proposed, gold int // correct proposals, all proposals, gold items (recall's whole)
	recalled              int // gold items some proposal matches
}

func (s score) precision() float64 { return ratio(s.found, s.proposed) }
func (s score) recall() float64    { return ratio(s.recalled, s.gold) }

func (s *score) add(o score) {
	s.found += o.found
	s.proposed += o.proposed
	s.gold += o.gold
	s.recalled += o.recalled
}

func (s score) String() string {
	return fmt.Sprintf("P %5.1f%% (%d/%d)  R %5.1f%% (%d/%d)", 100*s.precision(), s.found, s.proposed, 100*s.recall(), s.recalled, s.gold)
}

// ratio is n/d, and 1 for 0/0: nothing proposed is nothing wrong, nothing to find is all found.
func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// goldScores are one article's scores, by what is measured.
type goldScores struct {
	mentions, newEntities, facts, events, positions score
	// byConfidence counts the candidates (relations and positions) at each confidence
	// ingestion gives, and those right.
	byConfidence map[float64]score
}

// scoreArticle ingests one gold article into a graph holding the bundled seed and
// scores what ingestion proposed.
//
// A mention is right when it names the entity a gold mention names and their spans
// overlap (each gold mention matched once): span boundaries ("Abbas Araghchi" or
// "Foreign Minister Abbas Araghchi") are not what is measured. A proposed entity is
// right as scoreNewEntities says. A typed candidate is right when its type, direction
// and role are a gold fact's, its ends seed entities or the gold new entities the
// proposals it names are. Events are not linked or proposed by ingestion yet: their
// recall is what it finds of them, nothing.
func scoreArticle(t *testing.T, a *goldArticle) goldScores {
	t.Helper()
	g := storetest.MustSeeded(t)
	published := a.published
	res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{
		ID: "gold-" + a.name, Title: a.title, URL: a.url, PublishedAt: &published, Text: a.text,
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := goldScores{byConfidence: map[float64]score{}}

	// A seed event is referred to as much by "the talks" as by its name: its spans are
	// measured with the events, and a mention found in one of them is right but not
	// counted towards the mentions' recall.
	inEvent := func(m domain.Evidence) bool {
		return slices.ContainsFunc(a.events, func(e goldEvent) bool {
			return e.ref == m.Subject && slices.ContainsFunc(e.mentions, func(s goldSpan) bool { return *m.Start < s.end && s.start < *m.End })
		})
	}
	s.mentions.gold = len(a.mentions)
	matched := make([]bool, len(a.mentions))
	for _, m := range res.Mentions {
		s.mentions.proposed++
		i := slices.IndexFunc(a.mentions, func(gm goldMention) bool {
			return gm.entity == m.Subject && *m.Start < gm.end && gm.start < *m.End
		})
		switch {
		case i >= 0 && !matched[i]:
			matched[i] = true
			s.mentions.found++
			s.mentions.recalled++
		case i < 0 && inEvent(m):
			s.mentions.found++
		}
	}

	if testing.Verbose() {
		for i, gm := range a.mentions {
			if !matched[i] {
				t.Logf("%s: missed %q (%s) at %d", a.name, gm.surface, gm.entity, gm.start)
			}
		}
		for _, m := range res.Mentions {
			if !inEvent(m) && !slices.ContainsFunc(a.mentions, func(gm goldMention) bool { return gm.entity == m.Subject && *m.Start < gm.end && gm.start < *m.End }) {
				t.Logf("%s: wrong %q (%s) at %d: …%s…", a.name, m.Quote, m.Subject, *m.Start, string(a.runes[max(0, *m.Start-30):min(len(a.runes), *m.End+30)]))
			}
		}
	}

	var asGold map[string]string
	s.newEntities, asGold = scoreNewEntities(t, a, res.Proposals)
	var eventsAsGold map[string]string
	s.events, eventsAsGold = scoreEvents(t, a, res)
	maps.Copy(asGold, eventsAsGold)

	s.facts.gold = len(a.facts)
	facts := map[goldFact]bool{}
	for _, f := range a.facts {
		facts[f] = true
	}
	recalled := map[goldFact]bool{}
	// A candidate's end may be a proposal: it is the gold new entity the proposal is.
	end := func(id string) string { return cmp.Or(asGold[id], id) }
	positions := map[goldPosition]bool{}
	for _, p := range a.positions {
		positions[p] = true
	}
	held := map[goldPosition]bool{}
	s.positions.gold = len(a.positions)
	for _, c := range res.Candidates {
		right := 0
		if c.Stance != "" {
			s.positions.proposed++
			if p := (goldPosition{end(c.From), c.To, string(c.Stance)}); positions[p] {
				s.positions.found++
				held[p] = true
				right = 1
			} else if testing.Verbose() {
				t.Logf("%s: wrong position %v in %q", a.name, p, c.Quote)
			}
		} else {
			s.facts.proposed++
			if f := (goldFact{from: end(c.From), typ: string(c.Type), to: end(c.To), role: string(c.Role)}); facts[f] {
				s.facts.found++
				recalled[f] = true
				right = 1
			}
		}
		at := s.byConfidence[c.Confidence]
		at.add(score{found: right, proposed: 1})
		s.byConfidence[c.Confidence] = at
	}
	s.facts.recalled, s.positions.recalled = len(recalled), len(held)
	if testing.Verbose() {
		for _, c := range res.Candidates {
			if f := (goldFact{from: end(c.From), typ: string(c.Type), to: end(c.To), role: string(c.Role)}); c.Stance == "" && !facts[f] {
				t.Logf("%s: wrong candidate %v in %q", a.name, f, c.Quote)
			}
		}
		for _, p := range a.positions {
			if !held[p] && !strings.HasPrefix(p.topic, "new:") {
				t.Logf("%s: missed position %v", a.name, p)
			}
		}
		for _, f := range a.facts {
			if !recalled[f] {
				t.Logf("%s: missed fact %v", a.name, f)
			}
		}
	}
	return s
}

// scoreEvents scores the events an article is linked to or proposes. A known event is
// linked when the article's mentions name it; it is right when the gold set has it. A
// proposed event is right when its one suggestion (sameAs) is a gold known event the
// article is not linked to otherwise (a merge away), or when a span of it overlaps a
// span of a gold new event of its kind that no earlier proposal matched and its date is
// the gold event's at the gold precision (any date for an undated gold event). A gold
// event is recalled when one is.
func scoreEvents(t *testing.T, a *goldArticle, res *ingest.Result) (score, map[string]string) {
	s := score{gold: len(a.events)}
	asGold := map[string]string{}
	linked := map[string]bool{}
	for _, m := range res.Mentions {
		if strings.Contains(m.Subject, ":") || a.seedKinds[m.Subject] != domain.KindEvent {
			continue
		}
		if !linked[m.Subject] {
			linked[m.Subject] = true
			s.proposed++
			if slices.ContainsFunc(a.events, func(e goldEvent) bool { return e.ref == m.Subject }) {
				s.found++
				s.recalled++
			} else if testing.Verbose() {
				t.Logf("%s: wrongly linked event %s at %q", a.name, m.Subject, m.Quote)
			}
		}
	}
	matched := make([]bool, len(a.events))
	for _, p := range res.Proposals {
		if p.NodeKind != domain.KindEvent {
			continue
		}
		s.proposed++
		right := func(e goldEvent) bool {
			if e.ref != "" {
				return len(p.SameAs) == 1 && p.SameAs[0] == e.ref && !linked[e.ref]
			}
			if e.kind != p.Kind || !slices.ContainsFunc(p.Mentions, func(m domain.ProposedMention) bool {
				return slices.ContainsFunc(e.mentions, func(g goldSpan) bool { return *m.Start < g.end && g.start < *m.End })
			}) {
				return false
			}
			if e.precision == "UNKNOWN" || e.when == "" {
				return true
			}
			if p.Start == nil {
				return false
			}
			layout := map[string]string{"DAY": "2006-01-02", "MONTH": "2006-01", "YEAR": "2006"}[e.precision]
			return p.Start.Format(layout) == e.when[:len(layout)]
		}
		i := -1
		for j, e := range a.events { // a new event it proposes before a known one it suggests
			if !matched[j] && right(e) && (i < 0 || a.events[i].ref != "" && e.ref == "") {
				i = j
			}
		}
		if i >= 0 {
			matched[i] = true
			s.found++
			s.recalled++
			asGold[p.ID] = cmp.Or(a.events[i].ref, "new:"+a.events[i].id)
		} else if testing.Verbose() {
			var spans []string
			for _, m := range p.Mentions {
				spans = append(spans, m.Quote)
			}
			t.Logf("%s: wrong event %q %s %q", a.name, p.Name, p.Kind, spans)
		}
	}
	if testing.Verbose() {
		for i, e := range a.events {
			if !matched[i] && (e.ref == "" || !linked[e.ref]) {
				var spans []string
				for _, m := range e.mentions {
					spans = append(spans, m.surface)
				}
				t.Logf("%s: missed event %s%s %s %s %q", a.name, e.ref, e.id, e.kind, e.when, spans)
			}
		}
	}
	return s, asGold
}

// kindGroups are the kinds a proposal may have for a gold entity's kind: a person is a
// person, but whether a body is an organisation or an armed force, a place a city or a
// facility, or a country the state or the place, is the reviewer's to settle.
var kindGroups = map[string]string{
	"PERSON": "person", "STATE": "state", "COUNTRY": "state",
	"ORGANISATION": "body", "MEDIA": "body", "ARMED_FORCE": "body", "GROUP": "body",
	"CITY": "place", "REGION": "place", "SEA": "place", "FACILITY": "place",
}

// scoreNewEntities scores the proposed entities: one is right when a span of it
// overlaps a span naming a gold new entity of its kind's group (kindGroups) that no
// earlier proposal matched; a gold entity is recalled when one is. It returns, too, the
// gold entity ("new:ID") each right proposal is, by proposal id.
func scoreNewEntities(t *testing.T, a *goldArticle, proposals []domain.Proposal) (score, map[string]string) {
	s := score{gold: len(a.newEntities)}
	asGold := map[string]string{}
	matched := make([]bool, len(a.newEntities))
	for _, p := range proposals {
		if p.NodeKind == domain.KindEvent {
			continue
		}
		s.proposed++
		// overlaps counts the proposal's spans overlapping the gold entity's, 0 for
		// another kind: of two gold entities a proposal overlaps, it is the one it shares
		// more spans with ("U.N." is the U.N.'s though the headline's "U.N. watchdog",
		// holding it, is the IAEA's).
		overlaps := func(e goldEntity) int {
			if kindGroups[e.kind] != kindGroups[p.Kind] {
				return 0
			}
			n := 0
			for _, m := range p.Mentions {
				if m.Start != nil && slices.ContainsFunc(e.mentions, func(g goldSpan) bool { return *m.Start < g.end && g.start < *m.End }) {
					n++
				}
			}
			return n
		}
		names := func(e goldEntity) bool { return overlaps(e) > 0 }
		i := slices.IndexFunc(a.newEntities, names)
		best := 0
		for j, e := range a.newEntities {
			if n := overlaps(e); !matched[j] && n > best {
				i, best = j, n
			}
		}
		switch {
		case i >= 0 && !matched[i]:
			matched[i] = true
			s.found++
			s.recalled++
			asGold[p.ID] = "new:" + a.newEntities[i].id
		case testing.Verbose():
			var spans []string
			for _, m := range p.Mentions {
				spans = append(spans, m.Quote)
			}
			why := "wrong"
			if i >= 0 {
				why = "repeated"
			}
			at := *p.Mentions[0].Start
			t.Logf("%s: %s proposal %q %s %q: …%s…", a.name, why, p.Name, p.Kind, spans, strings.ReplaceAll(string(a.runes[max(0, at-40):min(len(a.runes), at+40)]), "\n", " "))
		}
	}
	if testing.Verbose() {
		for i, e := range a.newEntities {
			if !matched[i] {
				t.Logf("%s: missed new %q %s", a.name, e.name, e.kind)
			}
		}
	}
	return s, asGold
}

// goldTargets are what ingestion is to reach on the gold set (docs/ingestion.md):
// events are measured by recall alone, each gold event linked or proposed right.
var goldTargets = map[string]struct{ precision, recall float64 }{
	"mentions of known entities": {0.95, 0.95},
	"new entities proposed":      {0.70, 0.85},
	"typed candidates":           {0.60, 0.60},
	"events linked or proposed":  {0, 0.80},
	"positions":                  {0, 0},
}

// goldFloors are the figures ingestion reaches on the gold set today, which the test
// holds it to: a change that lowers one fails. They are raised as ingestion improves,
// up to the targets, and lowered only when the set takes new articles written without
// sight of the rules, which measure what ingestion does on text nobody tuned it for, or
// when a rule buys recall still short of its target with precision already above its
// own, the trade named where the floor moves.
var goldFloors = map[string]struct{ precision, recall float64 }{
	"mentions of known entities": {0.954, 0.954},
	"new entities proposed":      {0.917, 0.913},
	"typed candidates":           {0.719, 0.601},
	"events linked or proposed":  {0.741, 0.815},
	"positions":                  {0.935, 0.126},
}

// TestQualityOnGoldSet ingests every gold article and reports, per article and in
// total, the precision and recall of what ingestion proposes; the totals may not fall
// below goldFloors.
func TestQualityOnGoldSet(t *testing.T) {
	total := goldScores{byConfidence: map[float64]score{}}
	var report strings.Builder
	fmt.Fprintf(&report, "%-28s %-40s %-40s %-40s %-40s %s\n", "article", "mentions", "new entities", "typed candidates", "events", "positions")
	for _, a := range mustGoldSet(t) {
		if len(a.problems) > 0 {
			t.Fatalf("%s does not resolve (TestGoldSetIsConsistent says why)", a.name)
		}
		s := scoreArticle(t, a)
		fmt.Fprintf(&report, "%-28s %-40s %-40s %-40s %-40s %s\n", a.name, s.mentions, s.newEntities, s.facts, s.events, s.positions)
		total.mentions.add(s.mentions)
		total.newEntities.add(s.newEntities)
		total.facts.add(s.facts)
		total.events.add(s.events)
		total.positions.add(s.positions)
		for c, at := range s.byConfidence {
			sum := total.byConfidence[c]
			sum.add(at)
			total.byConfidence[c] = sum
		}
	}
	fmt.Fprintf(&report, "%-28s %-40s %-40s %-40s %-40s %s\n", "total", total.mentions, total.newEntities, total.facts, total.events, total.positions)
	t.Log("\n" + report.String())
	for name, s := range map[string]score{
		"mentions of known entities": total.mentions,
		"new entities proposed":      total.newEntities,
		"typed candidates":           total.facts,
		"events linked or proposed":  total.events,
		"positions":                  total.positions,
	} {
		floor, target := goldFloors[name], goldTargets[name]
		if s.precision() < floor.precision || s.recall() < floor.recall {
			t.Errorf("%s: %s, below the floor of P %.1f%% R %.1f%%", name, s, 100*floor.precision, 100*floor.recall)
		}
		met := "met"
		if s.precision() < target.precision || s.recall() < target.recall {
			met = "not met"
		}
		t.Logf("%s: %s; target P %.0f%% R %.0f%% %s", name, s, 100*target.precision, 100*target.recall, met)
	}
	checkCalibration(t, total.byConfidence)
}

// calibrationSlack is how far a confidence may be from the precision its candidates
// measure on the gold set.
const calibrationSlack = 0.15

// checkCalibration fails the test when a confidence that twenty or more candidates have
// is more than calibrationSlack from the share of them that is right: a rule changed
// without its confidence, or a confidence set by hope. It logs them all.
func checkCalibration(t *testing.T, byConfidence map[float64]score) {
	t.Helper()
	var report strings.Builder
	for _, c := range slices.Sorted(maps.Keys(byConfidence)) {
		s := byConfidence[c]
		fmt.Fprintf(&report, "confidence %.2f: %4d candidates, %5.1f%% right\n", c, s.proposed, 100*s.precision())
		if s.proposed >= 20 && math.Abs(s.precision()-c) > calibrationSlack {
			t.Errorf("candidates at confidence %.2f are %.1f%% right (%d/%d), more than %.0f points off", c, 100*s.precision(), s.found, s.proposed, 100*calibrationSlack)
		}
	}
	t.Log("\n" + report.String())
}
