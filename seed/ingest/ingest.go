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
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"eventgraph/store"
	"eventgraph/store/domain"
)

// Article is what is known about the article besides its text.
type Article struct {
	Source domain.Source // Text is the article's text (for HTML, as extracted)
	// Publisher is the name of a publisher the graph does not hold, proposed as a MEDIA
	// actor (accepted, it becomes the source's publisher); "" for none.
	Publisher string
}

// Result is what an ingestion found and wrote.
type Result struct {
	// Source is the article as stored: its text without refused characters.
	Source   domain.Source
	Mentions []domain.Evidence
	// Candidates are every pair proposed, with their ids.
	Candidates []domain.Candidate
	// Proposals are the names the graph does not hold, proposed as entities, each with
	// the spans of this article naming it.
	Proposals []domain.Proposal
	// Boilerplate lists the code point ranges of the text left unread.
	Boilerplate []domain.TextRange
	// Stats are what the write changed; Stats.Candidates counts the candidates new to
	// the queue.
	Stats store.WriteStats
}

// MaxTextBytes bounds an article's text (for HTML, the text taken from it). Ingestion
// holds the text, its words and its mentions in memory and writes them in one atomic
// write, so a longer text is refused with ErrTooLarge. Two MiB is some 300,000 words:
// a book, not an article.
const MaxTextBytes = 2 << 20

// maxPairedEntities bounds the entities a sentence may name and still propose
// candidates. A "sentence" naming more is a list or a table row run long, whose pairs
// are not claims, and the pairs of n names grow as n².
const maxPairedEntities = 16

// cancelCheckEvery is how many words or sentences ingestion reads between two looks at
// whether its context has ended.
const cancelCheckEvery = 1024

// Errors returned by Ingest and HTMLText.
var (
	// ErrTooLarge: the article is longer than MaxTextBytes (MaxHTMLBytes for a page).
	ErrTooLarge = errors.New("article too large")
	// ErrNotUTF8: the article's text is not valid UTF-8; quotes are anchored by code
	// point, which only valid UTF-8 has.
	ErrNotUTF8 = errors.New("article text is not valid UTF-8")
)

// entityKinds are the kinds of node an article can mention.
var entityKinds = []domain.Kind{domain.KindActor, domain.KindPlace, domain.KindEvent, domain.KindTopic}

// Graph is what ingestion needs of the graph (a *store.Graph): the names that a text's
// words begin or hold, the name words a word may be another spelling of, the relations and
// descriptions that resolve a role phrase, and the atomic write of what it found.
type Graph interface {
	NamesStarting(ctx context.Context, firstWords []string, kinds []domain.Kind, keep func(name string) bool) (map[string][]domain.Node, error)
	NameWordsLike(ctx context.Context, words []string) (map[string][]string, error)
	NamesWithWord(ctx context.Context, words []string, kinds []domain.Kind, max int) (map[string][]domain.Node, error)
	RelationsOf(ctx context.Context, ids []string, f domain.RelationFilter) ([][]*domain.Relation, error)
	Evidence(ctx context.Context, subjects []string) ([][]*domain.Evidence, error)
	Nodes(ctx context.Context, ids []string) ([]domain.Node, error)
	Import(ctx context.Context, b *store.Batch) (store.WriteStats, error)
}

// Ingest writes the article as a source, with its mentions and its candidates, in one
// atomic write (store.Graph.Import): after an error, a cancellation of ctx or a crash,
// none of them is in the store. Ingesting the same article again changes nothing.
// Time and memory grow in proportion to the text. The text is stored without the
// control and bidirectional override characters the store refuses
// (store.StripRefused): pages carry them, and the mentions' offsets are taken in the
// stored text.
//
// Errors: ErrTooLarge, ErrNotUTF8; ctx's error when it ends first (nothing written);
// store.Errors for a source the store refuses; storage errors.
func Ingest(ctx context.Context, g Graph, a Article) (*Result, error) {
	text := a.Source.Text
	if len(text) > MaxTextBytes {
		return nil, fmt.Errorf("%w: %d bytes of text, at most %d", ErrTooLarge, len(text), MaxTextBytes)
	}
	if !utf8.ValidString(text) {
		return nil, ErrNotUTF8
	}
	text = domain.StripRefused(text)
	a.Source.Text = text
	res := &Result{Boilerplate: boilerplate(text)}
	runes := []rune(text)
	found, err := mentions(ctx, g, text, runes, res.Boilerplate)
	if err != nil {
		return nil, err
	}
	found = slices.DeleteFunc(found, func(m mention) bool { return givenName(runes, m) })
	src := a.Source
	batch := &store.Batch{Nodes: []domain.Node{&src}}
	words := textWords(text, runes)
	sents := sentences(runes) // read by new names, events and candidates alike
	names := newNames(runes, sents, words, readable(words, res.Boilerplate), found)
	if batch.Proposals, err = proposals(ctx, g, names, runes, src.ID); err != nil {
		return nil, err
	}
	// Events and candidates are read among the known entities and the proposed ones
	// alike, and a state named by its people's adjective: "Italian Foreign Minister
	// Antonio Tajani" proposes that the proposed Antonio Tajani REPRESENTS the proposed
	// Italy.
	named := slices.Clone(found)
	for i, n := range names {
		for _, s := range n.spans {
			named = append(named, mention{proposed(batch.Proposals[i]), s.Start, s.End})
		}
	}
	named = append(named, demonymMentions(words, runes, named)...)
	slices.SortStableFunc(named, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	named = append(named, pronouns(runes, sents, words, named)...)
	slices.SortStableFunc(named, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	var published time.Time
	if src.PublishedAt != nil {
		published = *src.PublishedAt
	}
	events, links := articleEvents(runes, sents, named, res.Boilerplate, published)
	events, linked, reports, days, err := linkEvents(ctx, g, runes, events, named, published)
	if err != nil {
		return nil, err
	}
	events = foldUndated(events)
	links = append(links, linked...)
	found = append(found, links...)
	links = append(links, reports...) // a verb reporting a known event takes part in candidates, not in its mentions
	var eventEntities []domain.Entity
	for _, e := range events {
		p := eventProposal(e, runes, src.ID)
		batch.Proposals = append(batch.Proposals, p)
		eventEntities = append(eventEntities, proposed(p))
		for _, s := range e.spans {
			named = append(named, mention{eventEntities[len(eventEntities)-1], s.Start, s.End})
		}
	}
	named = append(named, links...)
	slices.SortStableFunc(found, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	slices.SortStableFunc(named, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	if a.Publisher != "" {
		batch.Proposals = append(batch.Proposals, domain.Proposal{NodeKind: domain.KindActor, Kind: string(domain.ActorMedia),
			Name: a.Publisher, Mentions: []domain.ProposedMention{{Source: src.ID}}})
	}
	for _, m := range found {
		start, end := m.start, m.end
		batch.Evidence = append(batch.Evidence, domain.Evidence{Subject: m.entity.NodeID(), Source: src.ID, Quote: string(runes[start:end]),
			Start: &start, End: &end, Stance: domain.EvidenceMentions, Confidence: 1, Method: "ingest"})
	}
	held, err := heldRelations(ctx, g, named)
	if err != nil {
		return nil, err
	}
	if batch.Candidates, err = candidates(ctx, runes, sents, named, held, chronology(events, eventEntities, named, days, published), src.ID); err != nil {
		return nil, err
	}
	stats, err := g.Import(ctx, batch)
	if err != nil {
		return nil, err
	}
	res.Source, res.Stats, res.Mentions, res.Candidates, res.Proposals = src, stats, batch.Evidence, batch.Candidates, batch.Proposals
	return res, nil
}

// readable marks the words outside the boilerplate ranges skip.
func readable(words []word, skip []domain.TextRange) []bool {
	out := make([]bool, len(words))
	next := 0
	for i, w := range words {
		for next < len(skip) && skip[next].End <= w.start {
			next++
		}
		out[i] = next >= len(skip) || w.start < skip[next].Start
	}
	return out
}

// teaser matches lines that point elsewhere rather than say something.
var teaser = regexp.MustCompile(`(?i)^\s*(read more|read also|also read|related( articles| stories)?|recommended|more from|advertisement|sponsored|subscribe|sign up|share this|follow us|click here)\b`)

// boilerplate returns the code point ranges of the lines not read for mentions:
// teasers, and lines that recur with only their digits changed.
func boilerplate(text string) []domain.TextRange {
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
	var out []domain.TextRange
	at := 0
	for _, l := range lines {
		n := utf8.RuneCountInString(l)
		s := shape(l)
		if teaser.MatchString(l) || s != "" && seen[s] > 1 && strings.ContainsRune(s, '#') {
			out = append(out, domain.TextRange{Start: at, End: at + n})
		}
		at += n
	}
	return out
}
