package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"eventgraph/seed"
	"eventgraph/seed/ingest"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

func article(t testing.TB) string {
	t.Helper()
	b, err := fs.ReadFile(seed.BundledFS(), "data/us-iran-oman-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestIngestSeedArticle ingests the seed article as a new source and checks its
// mentions against every occurrence of every entity's names found another way: a
// case-insensitive regular expression at word boundaries, line by line.
func TestIngestSeedArticle(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	text := article(t)
	res, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "again", Title: "Again", URL: "https://example.org/again", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	type span struct {
		entity     string
		start, end int
	}
	covered := func(entity string, start, end int) bool {
		for _, m := range res.Mentions {
			if m.Subject == entity && *m.Start <= start && *m.End >= end {
				return true
			}
		}
		return false
	}
	runes := []rune(text)
	for _, m := range res.Mentions {
		if string(runes[*m.Start:*m.End]) != m.Quote {
			t.Fatalf("mention %q is not at its offsets [%d, %d)", m.Quote, *m.Start, *m.End)
		}
	}
	// Boilerplate: the "Read More" teasers, and the embedded live blog's headline that
	// recurs with its number changed ("… – live - 1", "… – live - 2").
	digits := regexp.MustCompile(`[0-9]+`)
	lines := strings.SplitAfter(text, "\n")
	shapes := map[string]int{}
	for _, line := range lines {
		shapes[digits.ReplaceAllString(strings.TrimSpace(line), "#")]++
	}
	lineStart := 0
	var missed []span
	for _, line := range lines {
		shape := digits.ReplaceAllString(strings.TrimSpace(line), "#")
		teaser := strings.HasPrefix(line, "Read More") || strings.Contains(shape, "#") && shapes[shape] > 1
		for _, kind := range []domain.Kind{domain.KindActor, domain.KindPlace, domain.KindEvent, domain.KindTopic} {
			p, err := g.List(ctx, kind, domain.NodeFilter{}, domain.PageArgs{First: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range p.Items {
				e := n.(domain.Entity)
				for _, name := range append([]string{e.Base().Name}, e.Base().Aliases...) {
					flags := "(?i)"
					if utf8.RuneCountInString(name) <= 3 {
						flags = "" // short names count only as written
					}
					re := regexp.MustCompile(flags + `\b` + regexp.QuoteMeta(name) + `\b`)
					for _, loc := range re.FindAllStringIndex(line, -1) {
						start := lineStart + utf8.RuneCountInString(line[:loc[0]])
						end := start + utf8.RuneCountInString(line[loc[0]:loc[1]])
						// A name of several entities ("Iran": the state and the country)
						// is a mention of one of them.
						namesake := slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool {
							return *m.Start == start && *m.End == end && m.Subject != e.NodeID() && strings.EqualFold(m.Quote, name)
						})
						switch {
						case teaser && covered(e.NodeID(), start, end):
							t.Errorf("a mention of %s in boilerplate: %q", e.NodeID(), strings.TrimSpace(line))
						case !teaser && !covered(e.NodeID(), start, end) && !namesake:
							missed = append(missed, span{e.NodeID(), start, end})
						}
					}
				}
			}
		}
		lineStart += utf8.RuneCountInString(line)
	}
	spans := map[[2]int]string{}
	for _, m := range res.Mentions {
		if other, ok := spans[[2]int{*m.Start, *m.End}]; ok {
			t.Errorf("%q at %d is a mention of both %s and %s: one span names one entity", m.Quote, *m.Start, other, m.Subject)
		}
		spans[[2]int{*m.Start, *m.End}] = m.Subject
	}
	for _, m := range missed {
		t.Errorf("%s named at [%d, %d) %q is not a mention", m.entity, m.start, m.end, string(runes[m.start:m.end]))
	}
	if len(res.Mentions) < 50 || len(res.Candidates) == 0 {
		t.Fatalf("%d mentions, %d candidates", len(res.Mentions), len(res.Candidates))
	}

	again, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "again", Title: "Again", URL: "https://example.org/again", Text: text}})
	if err != nil || again.Stats != (store.WriteStats{}) {
		t.Fatalf("ingesting again wrote %+v: %v", again.Stats, err)
	}

	var pick *domain.Candidate
	for i, c := range res.Candidates {
		if c.Type == domain.RelParticipatedIn {
			pick = &res.Candidates[i]
			break
		}
	}
	if pick == nil {
		t.Fatal("no candidate with a suggested type")
	}
	id := domain.CandidateID(pick.Source, pick.From, pick.To, pick.Start, "")
	rel, _, err := g.Accept(ctx, id, domain.Review{Confidence: new(0.6)})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := g.Evidence(ctx, []string{rel.ID})
	if err != nil {
		t.Fatal(err)
	}
	var quoted bool
	for _, ev := range evs[0] {
		quoted = quoted || ev.Source == "again" && ev.Quote == pick.Quote && *ev.Start == pick.Start && string(runes[*ev.Start:*ev.End]) == ev.Quote
	}
	if !quoted || rel.From != pick.From || rel.To != pick.To || rel.Type != domain.RelParticipatedIn {
		t.Fatalf("accepted %+v became %+v with evidence %+v", pick, rel, evs[0])
	}
	if _, _, err := g.Accept(ctx, id, domain.Review{Confidence: new(0.6)}); err == nil {
		t.Fatal("a candidate was accepted twice")
	}
	pending, err := g.Candidates(ctx, domain.CandidatePending, domain.PageArgs{First: 500})
	if err != nil || pending.Total != len(res.Candidates)-1 {
		t.Fatalf("%d pending after accepting one of %d: %v", pending.Total, len(res.Candidates), err)
	}
}

// TestIngestRefuses checks the articles ingestion refuses, each with its error and
// without writing anything.
func TestIngestRefuses(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, text string
		want       error
	}{
		{"TooLarge", strings.Repeat("Araghchi met Witkoff in Muscat. ", ingest.MaxTextBytes/32+1), ingest.ErrTooLarge},
		{"NotUTF8", "Araghchi met Witkoff in \xffMuscat.", ingest.ErrNotUTF8},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := strings.ToLower(c.name)
			_, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: id, Title: c.name, URL: "https://example.org/" + id, Text: c.text}})
			if !errors.Is(err, c.want) {
				t.Fatalf("Ingest = %v, want %v", err, c.want)
			}
			if _, err := g.Node(ctx, id); !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("the refused article's source is in the store: %v", err)
			}
		})
	}
	t.Run("PageTooLarge", func(t *testing.T) {
		page := "<p>" + strings.Repeat("x", ingest.MaxHTMLBytes)
		if _, err := ingest.HTMLText(strings.NewReader(page)); !errors.Is(err, ingest.ErrTooLarge) {
			t.Fatalf("HTMLText of %d bytes = %v, want ErrTooLarge", len(page), err)
		}
	})
}

const furnishedPage = `<html><head><title>T</title><script>var x = "Araghchi";</script></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header class="site-header">Breaking: Muscat</header>
<article><h1>Talks in Muscat</h1>
<p>Araghchi   met
Witkoff in <b>Muscat</b>.</p>
<div class="related-links">Read this: Muscat travel guide</div>
<table><tr><th>US</th><th>Iran</th></tr></table>
</article>
<footer>© Example</footer></body></html>`

func TestHTMLText(t *testing.T) {
	got, err := ingest.HTMLText(strings.NewReader(furnishedPage))
	if err != nil {
		t.Fatal(err)
	}
	want := "Talks in Muscat\n\nAraghchi met Witkoff in Muscat.\n\n| US | Iran\n"
	if got != want {
		t.Fatalf("HTMLText = %q, want %q", got, want)
	}
}

// TestIngestStripsRefusedCharacters: an article carrying control and bidirectional
// override characters is stored without them, and every mention is still the stored
// text at its offsets.
func TestIngestStripsRefusedCharacters(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	raw := "\u202bAbbas Araghchi\u202c met\x00Steve Witkoff\fin \u2067Muscat\u2069.\x1b[31m"
	res, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "hostile", Title: "Hostile", URL: "https://example.org/hostile", Text: raw}})
	if err != nil {
		t.Fatalf("ingesting an article with control characters: %v", err)
	}
	n, err := g.Node(ctx, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	text := n.(*domain.Source).Text
	if want := "Abbas Araghchi met Steve Witkoff in Muscat. [31m"; text != want {
		t.Fatalf("stored text %q, want %q", text, want)
	}
	runes := []rune(text)
	var subjects []string
	for _, m := range res.Mentions {
		if string(runes[*m.Start:*m.End]) != m.Quote {
			t.Errorf("mention %q is not the text at [%d, %d)", m.Quote, *m.Start, *m.End)
		}
		subjects = append(subjects, m.Subject)
	}
	for _, want := range []string{"araghchi", "witkoff", "muscat"} {
		if !slices.Contains(subjects, want) {
			t.Errorf("no mention of %s: %v", want, subjects)
		}
	}
}

// FuzzHTMLText reads arbitrary pages: it must never panic, and the text it returns is
// valid UTF-8 and at most three bytes for each byte of the page, plus one.
func FuzzHTMLText(f *testing.F) {
	f.Add(furnishedPage)
	f.Add("<table><tr><th>a<td>b<td>c</table>")
	f.Add("\xff<p>\xfe\xfd<p>\xc3")
	f.Add("<p>&nGt;&nLt;&#0;&#x110000;&amp</p>")
	f.Add("<main><article><nav>x</nav>y</article></main><article>z</article>")
	f.Add(strings.Repeat("<div>", 600) + "deep")
	f.Add("<svg><p>a</svg><template><p>b</template><noscript>c</noscript>")
	f.Fuzz(func(t *testing.T, page string) {
		text, err := ingest.HTMLText(strings.NewReader(page))
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("text %q is not valid UTF-8", text)
		}
		if len(text) > 3*len(page)+1 {
			t.Fatalf("%d bytes of text from a page of %d", len(text), len(page))
		}
	})
}

// TestMentionsAreTheSameEveryTime: names that share words (topics whose names differ only
// in their anchor, two entities of one name) give the same mentions on every run, and a
// topic's name without its anchor names no topic when several share it.
func TestMentionsAreTheSameEveryTime(t *testing.T) {
	g := storetest.MustGraph(t)
	topic := func(id, name string) domain.Node {
		return &domain.Topic{EntityBase: domain.EntityBase{ID: id, Name: name}}
	}
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		topic("water-a", "Water rights in Abadan"), topic("water-b", "Water rights in Basra"), topic("oil-c", "Oil exports in Cairo"),
		&domain.Actor{EntityBase: domain.EntityBase{ID: "gazette-1", Name: "Tafe Gazette"}, Kind: domain.ActorMedia},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "gazette-2", Name: "Tafe Gazette"}, Kind: domain.ActorMedia},
	}})
	text := "Water rights and oil exports were discussed, the Tafe Gazette reported. Water rights in Basra came first."
	var first []string
	for run := range 20 {
		res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{ID: fmt.Sprint("run-", run), Title: "T", URL: fmt.Sprint("https://example.org/", run), Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range res.Mentions {
			got = append(got, fmt.Sprintf("%s@%d", m.Subject, *m.Start))
		}
		slices.Sort(got)
		if run == 0 {
			first = got
			want := []string{"gazette-1@49", "gazette-2@49", "oil-c@17", "water-b@72"}
			if !slices.Equal(got, want) {
				t.Fatalf("mentions %v, want %v: \"water rights\" alone is two topics' head, \"oil exports\" one's", got, want)
			}
		} else if !slices.Equal(got, first) {
			t.Fatalf("run %d gave %v, the first %v", run, got, first)
		}
	}
}

// TestSurnameOfARespelledName checks that a surname spelt as the full name was ("Steve
// Vitkoff", then "Vitkoff") names the person the respelled full name does, where the
// graph holds another of that surname, so that only the article's full name tells.
func TestSurnameOfARespelledName(t *testing.T) {
	g := storetest.MustSeeded(t)
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: "alex-witkoff", Name: "Alex Witkoff"}, Kind: domain.ActorPerson}}})
	res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{ID: "vitkoff", Title: "V", URL: "https://example.org/v",
		Text: "Steve Vitkoff arrived in Muscat. Later, Vitkoff met the Omani foreign minister."}})
	if err != nil {
		t.Fatal(err)
	}
	var quotes []string
	for _, m := range res.Mentions {
		if m.Subject == "witkoff" {
			quotes = append(quotes, m.Quote)
		}
	}
	if !slices.Equal(quotes, []string{"Steve Vitkoff", "Vitkoff"}) {
		t.Fatalf("Witkoff's mentions: %q", quotes)
	}
}

// TestStateByFormAndSeatOfGovernment ingests a state named by its form ("the
// Sultanate") and a government by its seat ("the White House said"): each is a mention
// of the entity the graph holds, the seat not where it is the building ("at the White
// House").
func TestStateByFormAndSeatOfGovernment(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Oman hosted the talks. The Sultanate said it was hopeful.\n\n" +
		"The White House said the talks were useful. Reporters waited at the White House."
	res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{ID: "forms", Title: "Forms", URL: "https://example.org/forms", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Mentions {
		if m.Quote == "Sultanate" || m.Quote == "White House" {
			got = append(got, m.Subject+" "+m.Quote)
		}
	}
	if want := []string{"oman Sultanate", "trump-administration White House"}; !slices.Equal(got, want) {
		t.Errorf("mentions %q, want %q", got, want)
	}
}

// TestStateOrPlaceByPossessive: a possessive before a ruler's title is the state's
// ("Oman's Sultan"), before a named part of it the place's ("Tehran's Grand Bazaar").
func TestStateOrPlaceByPossessive(t *testing.T) {
	g := storetest.MustSeeded(t)
	res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{ID: "possessive", Title: "Possessive",
		URL: "https://example.org/possessive", Text: "Larijani met Oman's Sultan Haitham bin Tariq. Shops in Tehran's Grand Bazaar closed."}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Mentions {
		got = append(got, m.Subject+" "+m.Quote)
	}
	if want := []string{"oman Oman", "tehran Tehran"}; !slices.Equal(got, want) {
		t.Errorf("mentions %q, want %q", got, want)
	}
}

// FuzzIngest ingests arbitrary text, dated, into the seeded graph: ingestion must never
// panic, and every mention, candidate and proposal span of the article it returns lies
// within the text (a proposal also holds the spans other articles gave it).
func FuzzIngest(f *testing.F) {
	for _, s := range []string{
		"U.S. and Iran hold talks in Muscat, Oman, on Saturday; Israel struck Iran's nuclear sites in June.",
		"The Natanz site in central Iran's Isfahan province, Tehran's Grand Bazaar, the Sultanate and the White House said.",
		"Steve Witkoff, President Donald Trump's special envoy, and Jared Kushner, Trump's son-in-law, met Araqchi.",
		"Iran's foreign ministry spokesman Esmaeil Baqaei told reporters on Monday the fourth round, days after the third, was off.",
		"- June 13: Israel strikes\n- June 22: U.S. bombers hit Fordow\n(Gulf Wire/AP)\nRead more: talks",
	} {
		f.Add(s)
	}
	g := storetest.MustSeeded(f)
	published := time.Date(2026, 2, 6, 12, 0, 0, 0, time.UTC)
	n := 0
	f.Fuzz(func(t *testing.T, text string) {
		n++
		res, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: domain.Source{ID: fmt.Sprintf("fuzz-%d", n),
			Title: "Fuzz", URL: fmt.Sprintf("https://example.org/fuzz/%d", n), PublishedAt: &published, Text: text}})
		if err != nil {
			return
		}
		length := utf8.RuneCountInString(res.Source.Text)
		within := func(start, end int) bool { return 0 <= start && start <= end && end <= length }
		for _, m := range res.Mentions {
			if !within(*m.Start, *m.End) {
				t.Fatalf("mention %+v outside the text of %d code points", m, length)
			}
		}
		for _, c := range res.Candidates {
			if !within(c.Start, c.End) {
				t.Fatalf("candidate %+v outside the text of %d code points", c, length)
			}
		}
		for _, p := range res.Proposals {
			for _, m := range p.Mentions {
				if m.Source == res.Source.ID && m.Start != nil && !within(*m.Start, *m.End) {
					t.Fatalf("proposal %q's span %+v outside the text of %d code points", p.Name, m, length)
				}
			}
		}
	})
}
