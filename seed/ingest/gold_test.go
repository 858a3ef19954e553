package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"eventgraph/seed"
	"eventgraph/store/domain"
)

// The gold set (testdata/gold, its README says how it is written): articles with every
// mention, new name, event, fact and position marked by hand.

// goldSpan is a span of an article's text that names something: code points [start, end).
type goldSpan struct {
	start, end int
	surface    string
}

type goldMention struct {
	goldSpan
	entity string // a seed key
}

type goldEntity struct {
	id, name, kind string
	mentions       []goldSpan
}

type goldEvent struct {
	ref             string // a seed key, or "" for a new event
	id, kind, place string // a new event's
	when            string
	precision       string
	mentions        []goldSpan
}

type goldFact struct{ from, typ, to, role string }

type goldPosition struct{ holder, topic, stance string }

type goldArticle struct {
	name                  string // NN-slug
	text                  string
	title, url, publisher string
	published             time.Time
	mentions              []goldMention
	newEntities           []goldEntity
	events                []goldEvent
	facts                 []goldFact
	positions             []goldPosition
	newTopics             map[string]string // id → name
	problems              []string          // what does not resolve, for TestGoldSetIsConsistent
	newIDs                map[string]string // new:ID → what it is ("entity", "event", "topic")
	seedKinds             map[string]domain.Kind
	runes                 []rune
}

// goldFile is an annotation as written.
type goldFile struct {
	Title       string     `yaml:"title"`
	URL         string     `yaml:"url"`
	Publisher   string     `yaml:"publisher"`
	Published   time.Time  `yaml:"published"`
	Mentions    [][]string `yaml:"mentions"`
	NewEntities []struct {
		ID       string     `yaml:"id"`
		Name     string     `yaml:"name"`
		Kind     string     `yaml:"kind"`
		Mentions [][]string `yaml:"mentions"`
	} `yaml:"new_entities"`
	Events []struct {
		Ref       string     `yaml:"ref"`
		ID        string     `yaml:"id"`
		Kind      string     `yaml:"kind"`
		When      string     `yaml:"when"`
		Precision string     `yaml:"precision"`
		Place     string     `yaml:"place"`
		Mentions  [][]string `yaml:"mentions"`
	} `yaml:"events"`
	Facts  [][]string `yaml:"facts"`
	Topics []struct {
		ID   string `yaml:"id"`
		Name string `yaml:"name"`
	} `yaml:"topics"`
	Positions [][]string `yaml:"positions"`
}

var (
	goldActorKinds    = []string{"PERSON", "STATE", "ORGANISATION", "ARMED_FORCE", "GROUP", "MEDIA"}
	goldPlaceKinds    = []string{"CITY", "COUNTRY", "REGION", "SEA", "FACILITY"}
	goldEventKinds    = []string{"NEGOTIATION", "WAR", "MILITARY_STRIKE", "SHOOTDOWN", "DEPLOYMENT", "PROTEST", "CRACKDOWN", "STATEMENT", "OTHER"}
	goldPrecisions    = []string{"DAY", "MONTH", "YEAR", "UNKNOWN"}
	goldRoles         = []string{"INITIATOR", "TARGET", "MEDIATOR", "PARTICIPANT", "SUPPORTER", "HOST"}
	goldStances       = []string{"DEMANDS", "SUPPORTS", "OPPOSES", "REJECTS", "WILLING_TO_DISCUSS", "RULES_OUT"}
	goldRelationTypes = []string{"MEMBER_OF", "REPRESENTS", "LEADS", "PARTICIPATED_IN", "LOCATED_IN", "PART_OF", "ABOUT_TOPIC", "REPORTED_BY", "CITES", "ALLIED_WITH", "DISRUPTED", "PRECEDED"}
)

// seedKinds are the bundled seed's nodes by key, with their kinds.
func seedKinds(t testing.TB) map[string]domain.Kind {
	t.Helper()
	set, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]domain.Kind{}
	for _, n := range set.Batch.Nodes {
		kinds[n.NodeID()] = n.NodeKind()
	}
	return kinds
}

// mustGoldSet reads every article of the gold set, its problems noted rather than fatal.
func mustGoldSet(t testing.TB) []*goldArticle {
	t.Helper()
	kinds := seedKinds(t)
	names, err := filepath.Glob("testdata/gold/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []*goldArticle
	for _, path := range names {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		text, err := os.ReadFile(strings.TrimSuffix(path, ".yaml") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f goldFile
		if err := yaml.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, resolveGold(name, string(text), &f, kinds))
	}
	return out
}

func resolveGold(name, text string, f *goldFile, kinds map[string]domain.Kind) *goldArticle {
	a := &goldArticle{name: name, text: text, runes: []rune(text), title: f.Title, url: f.URL, publisher: f.Publisher, published: f.Published,
		newIDs: map[string]string{}, newTopics: map[string]string{}, seedKinds: kinds}
	bad := func(format string, args ...any) { a.problems = append(a.problems, fmt.Sprintf(format, args...)) }
	if a.title == "" || a.url == "" || a.publisher == "" || a.published.IsZero() {
		bad("title, url, publisher and published are all required")
	}
	span := func(what string, m []string) (goldSpan, bool) {
		if len(m) < 2 {
			bad("%s: %v is not [surface, occurrence, …]", what, m)
			return goldSpan{}, false
		}
		var n int
		if _, err := fmt.Sscan(m[1], &n); err != nil || n < 1 {
			bad("%s: occurrence %q of %q is not a number from 1", what, m[1], m[0])
			return goldSpan{}, false
		}
		s, ok := a.occurrence(m[0], n)
		if !ok {
			bad("%s: %q does not appear %d times as a whole word", what, m[0], n)
		}
		return s, ok
	}
	for _, e := range f.NewEntities {
		if e.ID == "" || e.Name == "" || !slices.Contains(goldActorKinds, e.Kind) && !slices.Contains(goldPlaceKinds, e.Kind) {
			bad("new entity %q: id, name and an actor or place kind are required (kind %q)", e.ID, e.Kind)
		}
		a.declare(e.ID, "entity", bad)
	}
	for _, e := range f.Events {
		if e.ID != "" {
			a.declare(e.ID, "event", bad)
		}
	}
	for _, tp := range f.Topics {
		a.declare(tp.ID, "topic", bad)
		a.newTopics[tp.ID] = tp.Name
	}
	ref := func(what, r string, want ...domain.Kind) {
		if id, ok := strings.CutPrefix(r, "new:"); ok {
			if a.newIDs[id] == "" {
				bad("%s: new:%s is not declared", what, id)
			}
			return
		}
		k, ok := kinds[r]
		if !ok {
			bad("%s: %q is not a key of the seed", what, r)
		} else if len(want) > 0 && !slices.Contains(want, k) {
			bad("%s: %q is a %s, not one of %v", what, r, k, want)
		}
	}
	for _, m := range f.Mentions {
		if len(m) != 3 {
			bad("mention %v is not [surface, occurrence, key]", m)
			continue
		}
		if strings.HasPrefix(m[2], "new:") {
			bad("mention %v: a new entity's mentions are listed with it, under new_entities", m)
			continue
		}
		// A seed event is referred to as often by "the talks" as by a name: its spans
		// are listed with it, under events.
		ref("mention "+m[0], m[2], domain.KindActor, domain.KindPlace, domain.KindTopic)
		if s, ok := span("mention", m); ok {
			a.mentions = append(a.mentions, goldMention{s, m[2]})
		}
	}
	for _, e := range f.NewEntities {
		ge := goldEntity{id: e.ID, name: e.Name, kind: e.Kind}
		for _, m := range e.Mentions {
			if s, ok := span("new entity "+e.ID, m); ok {
				ge.mentions = append(ge.mentions, s)
			}
		}
		if len(ge.mentions) == 0 {
			bad("new entity %s has no mention", e.ID)
		}
		a.newEntities = append(a.newEntities, ge)
	}
	for _, e := range f.Events {
		ge := goldEvent{ref: e.Ref, id: e.ID, kind: e.Kind, when: e.When, precision: e.Precision, place: e.Place}
		switch {
		case (e.Ref == "") == (e.ID == ""):
			bad("event %q%q: give either ref (a seed event) or id (a new one)", e.Ref, e.ID)
		case e.Ref != "":
			ref("event", e.Ref, domain.KindEvent)
		default:
			if !slices.Contains(goldEventKinds, e.Kind) || !slices.Contains(goldPrecisions, e.Precision) {
				bad("new event %s: kind %q and precision %q must be the schema's", e.ID, e.Kind, e.Precision)
			}
			if e.Precision != "UNKNOWN" && !validDay(e.When) {
				bad("new event %s: when %q is not a date YYYY-MM-DD", e.ID, e.When)
			}
			if e.Place != "" {
				ref("new event "+e.ID+" place", e.Place, domain.KindPlace)
			}
		}
		for _, m := range e.Mentions {
			if s, ok := span("event "+e.Ref+e.ID, m); ok {
				ge.mentions = append(ge.mentions, s)
			}
		}
		if len(ge.mentions) == 0 {
			bad("event %s%s has no mention", e.Ref, e.ID)
		}
		a.events = append(a.events, ge)
	}
	for _, fact := range f.Facts {
		if len(fact) < 3 || len(fact) > 4 || !slices.Contains(goldRelationTypes, fact[1]) {
			bad("fact %v is not [from, TYPE, to] or [from, TYPE, to, ROLE]", fact)
			continue
		}
		gf := goldFact{from: fact[0], typ: fact[1], to: fact[2]}
		if len(fact) == 4 {
			gf.role = fact[3]
			if fact[1] != "PARTICIPATED_IN" || !slices.Contains(goldRoles, fact[3]) {
				bad("fact %v: only PARTICIPATED_IN takes a role, one of %v", fact, goldRoles)
			}
		}
		ref("fact", gf.from)
		ref("fact", gf.to)
		a.facts = append(a.facts, gf)
	}
	for _, p := range f.Positions {
		if len(p) != 3 || !slices.Contains(goldStances, p[2]) {
			bad("position %v is not [holder, topic, STANCE]", p)
			continue
		}
		ref("position holder", p[0], domain.KindActor)
		ref("position topic", p[1], domain.KindTopic)
		a.positions = append(a.positions, goldPosition{p[0], p[1], p[2]})
	}
	a.checkOverlaps(bad)
	return a
}

func (a *goldArticle) declare(id, what string, bad func(string, ...any)) {
	if id == "" {
		bad("a new %s has no id", what)
	} else if a.newIDs[id] != "" {
		bad("new:%s is declared twice", id)
	}
	a.newIDs[id] = what
}

// occurrence is the nth whole-word, case-sensitive appearance of surface in the text.
func (a *goldArticle) occurrence(surface string, n int) (goldSpan, bool) {
	s := []rune(surface)
	if len(s) == 0 {
		return goldSpan{}, false
	}
	wordy := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i+len(s) <= len(a.runes); i++ {
		if !slices.Equal(a.runes[i:i+len(s)], s) {
			continue
		}
		if i > 0 && wordy(a.runes[i-1]) && wordy(s[0]) || i+len(s) < len(a.runes) && wordy(a.runes[i+len(s)]) && wordy(s[len(s)-1]) {
			continue
		}
		if n--; n == 0 {
			return goldSpan{i, i + len(s), surface}, true
		}
	}
	return goldSpan{}, false
}

// checkOverlaps: one span names one entity, so two mentions of the same one never overlap.
func (a *goldArticle) checkOverlaps(bad func(string, ...any)) {
	byEntity := map[string][]goldSpan{}
	for _, m := range a.mentions {
		byEntity[m.entity] = append(byEntity[m.entity], m.goldSpan)
	}
	for _, e := range a.newEntities {
		byEntity["new:"+e.id] = append(byEntity["new:"+e.id], e.mentions...)
	}
	for entity, spans := range byEntity {
		slices.SortFunc(spans, func(x, y goldSpan) int { return x.start - y.start })
		for i := 1; i < len(spans); i++ {
			if spans[i].start < spans[i-1].end {
				bad("%s: %q and %q overlap", entity, spans[i-1].surface, spans[i].surface)
			}
		}
	}
	seen := map[[2]int]string{}
	for _, m := range a.mentions {
		k := [2]int{m.start, m.end}
		if other, ok := seen[k]; ok && other != m.entity {
			bad("%q at %d names both %s and %s: one span names one entity", m.surface, m.start, other, m.entity)
		}
		seen[k] = m.entity
	}
}

func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// TestGoldSetIsConsistent checks the gold set itself: every annotation resolves.
func TestGoldSetIsConsistent(t *testing.T) {
	articles := mustGoldSet(t)
	if len(articles) < 12 {
		t.Errorf("the gold set has %d articles, at least 12 are needed", len(articles))
	}
	for _, a := range articles {
		t.Run(a.name, func(t *testing.T) {
			for _, p := range a.problems {
				t.Error(p)
			}
			if len(a.mentions) == 0 || len(a.facts) == 0 || len(a.events) == 0 {
				t.Errorf("%d mentions, %d facts, %d events: an article of the set has some of each", len(a.mentions), len(a.facts), len(a.events))
			}
		})
	}
}
