// Package ingest adds an article to the graph: the article as a source with its text,
// a MENTIONS evidence record for every place the text names a known entity (by name
// or alias, with exact code point offsets), and, for entities named in one sentence,
// candidate relations in the review queue rather than asserted ones.
//
// Boilerplate is not read for mentions: teaser lines ("Read More: …", "Related: …",
// "Advertisement"), and lines that recur with only a number changed (gallery captions,
// a live blog's repeated headline). HTML loses its navigation, headers, footers, asides,
// scripts, styles and forms before its text is taken (html.go).
package ingest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"eventgraph/store"
)

// Article is what is known about the article besides its text.
type Article struct {
	Source store.Source // Text is the article's text (for HTML, as extracted)
}

// Result is what an ingestion found and wrote.
type Result struct {
	Mentions   []store.Evidence
	Candidates []store.Candidate
	// Boilerplate lists the code point ranges of the text left unread.
	Boilerplate []store.TextRange
	// Stats are what writing the source and its mentions changed; Proposed counts the
	// candidates new to the queue.
	Stats    store.WriteStats
	Proposed int
}

// maxNameWords is the longest name, in words, looked for ("Iran's Drone Downing of a
// US Aircraft" is seven).
const maxNameWords = 10

// Ingest writes the article as a source, with its mentions, and proposes candidates.
// Ingesting the same article again changes nothing. The text is stored without the
// control and bidirectional override characters the store refuses (store.StripRefused):
// pages carry them, and the mentions' offsets are taken in the stored text.
func Ingest(ctx context.Context, g *store.Graph, a Article) (*Result, error) {
	a.Source.Text = store.StripRefused(a.Source.Text)
	res := &Result{Boilerplate: boilerplate(a.Source.Text)}
	type word struct {
		w          string
		start, end int
	}
	var words []word
	store.EachWord(a.Source.Text, func(w string, start, end int) {
		words = append(words, word{w, start, end})
	})
	runes := []rune(a.Source.Text)
	inBoilerplate := func(at int) bool {
		return slices.ContainsFunc(res.Boilerplate, func(r store.TextRange) bool { return at >= r.Start && at < r.End })
	}
	type mention struct {
		entity     store.Entity
		start, end int
	}
	// Every run of words that is a name counts: "Donald Trump's administration"
	// names the administration and Donald Trump. Only a shorter name of the same entity
	// inside a longer one ("Araghchi" in "Abbas Araghchi") is left out.
	var found []mention
	for i := range words {
		if inBoilerplate(words[i].start) {
			continue
		}
		for n := min(maxNameWords, len(words)-i); n >= 1; n-- {
			parts := make([]string, n)
			for k := range n {
				parts[k] = words[i+k].w
			}
			start, end := words[i].start, words[i+n-1].end
			surface := string(runes[start:end])
			nodes, err := g.Named(ctx, strings.Join(parts, " "), []store.Kind{store.KindActor, store.KindPlace, store.KindEvent, store.KindTopic})
			if err != nil {
				return nil, err
			}
			for _, n := range nodes {
				e := n.(store.Entity)
				if shortName(surface) && !writtenAs(e, surface) {
					continue // "us" the pronoun is not "US" the state
				}
				inside := slices.ContainsFunc(found, func(m mention) bool {
					return m.entity.NodeID() == e.NodeID() && m.start <= start && m.end >= end
				})
				if !inside {
					found = append(found, mention{e, start, end})
				}
			}
		}
	}
	src := a.Source
	batch := &store.Batch{Nodes: []store.Node{&src}}
	for _, m := range found {
		start, end := m.start, m.end
		batch.Evidence = append(batch.Evidence, store.Evidence{Subject: m.entity.NodeID(), Source: src.ID, Quote: string(runes[start:end]),
			Start: &start, End: &end, Stance: store.EvidenceMentions, Confidence: 1, Method: "ingest"})
	}
	stats, err := g.Apply(ctx, batch)
	if err != nil {
		return nil, err
	}
	res.Stats, res.Mentions = stats, batch.Evidence
	for _, s := range sentences(runes) {
		var named []store.Entity
		for _, m := range found {
			if m.start >= s.Start && m.end <= s.End && !slices.ContainsFunc(named, func(e store.Entity) bool { return e.NodeID() == m.entity.NodeID() }) {
				named = append(named, m.entity)
			}
		}
		// One name for two entities ("Oman": the state and the country) is a choice
		// between them, not a pair named together.
		sameWords := func(a, b store.Entity) bool {
			for _, m := range found {
				if m.entity.NodeID() != a.NodeID() {
					continue
				}
				for _, n := range found {
					if n.entity.NodeID() == b.NodeID() && n.start == m.start && n.end == m.end {
						return true
					}
				}
			}
			return false
		}
		for x := range named {
			for y := x + 1; y < len(named); y++ {
				if sameWords(named[x], named[y]) {
					continue
				}
				c := pair(named[x], named[y])
				c.Source, c.Quote, c.Start, c.End = src.ID, string(runes[s.Start:s.End]), s.Start, s.End
				res.Candidates = append(res.Candidates, c)
			}
		}
	}
	if res.Proposed, err = g.Propose(ctx, res.Candidates); err != nil {
		return nil, fmt.Errorf("proposing candidates: %w", err)
	}
	return res, nil
}

// shortName reports a name of three letters or fewer: "US", "UN". Folded, they are
// ordinary words ("us", "un"), so they count only written as the graph writes them.
func shortName(s string) bool { return utf8.RuneCountInString(s) <= 3 }

// writtenAs reports whether e's name or an alias is exactly surface.
func writtenAs(e store.Entity, surface string) bool {
	return e.Base().Name == surface || slices.Contains(e.Base().Aliases, surface)
}

// pair makes the candidate for two entities named together, with the relation type
// their kinds suggest and its ends in that type's order.
func pair(a, b store.Entity) store.Candidate {
	suggest := []struct {
		from, to store.Kind
		t        store.RelationType
	}{
		{store.KindActor, store.KindEvent, store.RelParticipatedIn},
		{store.KindEvent, store.KindPlace, store.RelLocatedIn},
		{store.KindEvent, store.KindTopic, store.RelAboutTopic},
	}
	for _, s := range suggest {
		switch {
		case a.NodeKind() == s.from && b.NodeKind() == s.to:
			return store.Candidate{From: a.NodeID(), To: b.NodeID(), Type: s.t}
		case b.NodeKind() == s.from && a.NodeKind() == s.to:
			return store.Candidate{From: b.NodeID(), To: a.NodeID(), Type: s.t}
		}
	}
	return store.Candidate{From: a.NodeID(), To: b.NodeID()}
}

// sentences splits text into sentences, without the white space around them: at .,
// ! or ? followed by white space, and at line ends (headlines, list items and table
// rows are lines of their own).
func sentences(text []rune) []store.TextRange {
	var out []store.TextRange
	add := func(start, end int) {
		for start < end && unicode.IsSpace(text[start]) {
			start++
		}
		for end > start && unicode.IsSpace(text[end-1]) {
			end--
		}
		if start < end {
			out = append(out, store.TextRange{Start: start, End: end})
		}
	}
	start := 0
	for i, r := range text {
		switch {
		case r == '\n':
			add(start, i)
			start = i
		case (r == '.' || r == '!' || r == '?') && (i+1 == len(text) || unicode.IsSpace(text[i+1])):
			add(start, i+1)
			start = i + 1
		}
	}
	add(start, len(text))
	return out
}

// teaser matches lines that point elsewhere rather than say something.
var teaser = regexp.MustCompile(`(?i)^\s*(read more|read also|also read|related( articles| stories)?|recommended|more from|advertisement|sponsored|subscribe|sign up|share this|follow us|click here)\b`)

// boilerplate returns the code point ranges of the lines not read for mentions:
// teasers, and lines that recur with only their digits changed.
func boilerplate(text string) []store.TextRange {
	lines := strings.SplitAfter(text, "\n")
	shape := func(line string) string {
		return strings.TrimSpace(strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '#'
			}
			return r
		}, line))
	}
	seen := map[string]int{}
	for _, l := range lines {
		if s := shape(l); s != "" {
			seen[s]++
		}
	}
	var out []store.TextRange
	at := 0
	for _, l := range lines {
		n := utf8.RuneCountInString(l)
		s := shape(l)
		if teaser.MatchString(l) || s != "" && seen[s] > 1 && strings.ContainsRune(s, '#') {
			out = append(out, store.TextRange{Start: at, End: at + n})
		}
		at += n
	}
	return out
}
