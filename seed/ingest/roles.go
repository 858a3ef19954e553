package ingest

// Role phrases: "Iran's foreign minister", resolved through the graph.

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"eventgraph/store/domain"
)

// roleTypes are the relations by which an entity holds a role towards another: a
// minister REPRESENTS a state, a leader LEADS it, a member is a MEMBER_OF it, a capital
// is LOCATED_IN its country or PART_OF it.
var roleTypes = []domain.RelationType{domain.RelRepresents, domain.RelLeads, domain.RelMemberOf, domain.RelLocatedIn, domain.RelPartOf}

// maxRoleWords is the most words a role phrase's role has ("deputy foreign minister").
const maxRoleWords = 3

// rolePhrase is a phrase naming an entity by its role towards anchors: the entities of
// one name ("Oman": the state and the country), with the role's words, normalized.
type rolePhrase struct {
	start   int
	ends    []int // where the role ends after each of its words
	anchors []domain.Entity
	role    []string
}

// rolePhrases finds the phrases that name an entity by its role towards another the
// text names or a people's adjective stands for: "Iran's foreign minister", "the
// Iranian foreign minister", "the foreign minister of Iran", "the Omani capital". The
// graph resolves the role: the one actor or place with a relation of roleTypes to the
// anchor (or another entity of the anchor's name) whose description states the role
// towards it ("Iran's Foreign Minister" in Abbas Araghchi's, "Capital of Oman" in
// Muscat's). A phrase it does not
// resolve to exactly one entity is no mention; nor is a title before the name it
// stands for ("Iran's Foreign Minister Abbas Araghchi" is one mention, of the name).
func rolePhrases(ctx context.Context, g Graph, words []word, read []bool, runes []rune, found []mention, names map[string][]domain.Node) ([]mention, error) {
	namesakes := func(e domain.Entity) []domain.Entity {
		out := []domain.Entity{e}
		for _, n := range names[domain.Normalize(e.Base().Name)] {
			if n.NodeID() != e.NodeID() {
				out = append(out, n.(domain.Entity))
			}
		}
		return out
	}
	startsAt := map[int]mention{}
	for _, m := range found {
		startsAt[m.start] = m
	}
	wordAtStart := map[int]int{}
	for i, w := range words {
		wordAtStart[w.start] = i
	}
	var phrases []rolePhrase
	for _, m := range found {
		i, ok := wordAtStart[m.start]
		if !ok {
			continue
		}
		j := i
		for j < len(words) && words[j].end <= m.end {
			j++
		}
		// "Iran's foreign minister": the possessive is its own word, "s".
		if j < len(words) && words[j].w == "s" && words[j].start == m.end+1 {
			if p, ok := roleAfter(words, read, j+1, m.start, namesakes(m.entity)); ok {
				phrases = append(phrases, p)
			}
		}
		// "the foreign minister of Iran".
		if i >= 2 && words[i-1].w == "of" {
			for n := min(maxRoleWords, i-1); n >= 1; n-- {
				k := i - 1 - n
				if k >= 1 && words[k-1].w == "the" && allRead(read, k, i-1) && lowerRun(runes, words[k:i-1]) {
					phrases = append(phrases, rolePhrase{words[k-1].start, []int{m.end}, namesakes(m.entity), wordsOf(words[k : i-1])})
					break
				}
			}
		}
	}
	for i, w := range words {
		state := demonyms[w.w]
		if state == "" || !read[i] || !unicode.IsUpper(runes[w.start]) {
			continue
		}
		var anchors []domain.Entity
		for _, n := range names[domain.Normalize(state)] {
			anchors = append(anchors, n.(domain.Entity))
		}
		start := w.start
		if i > 0 && words[i-1].w == "the" {
			start = words[i-1].start
		}
		if p, ok := roleAfter(words, read, i+1, start, anchors); ok && len(anchors) > 0 {
			phrases = append(phrases, p)
		}
	}
	if len(phrases) == 0 {
		return nil, nil
	}
	var anchorIDs []string
	anchorNames := map[string][]string{} // anchor → its names, normalized
	for _, p := range phrases {
		for _, a := range p.anchors {
			if !slices.Contains(anchorIDs, a.NodeID()) {
				anchorIDs = append(anchorIDs, a.NodeID())
				for _, name := range domain.Names(a) {
					anchorNames[a.NodeID()] = append(anchorNames[a.NodeID()], domain.Normalize(name))
				}
			}
		}
	}
	rels, err := g.RelationsOf(ctx, anchorIDs, domain.RelationFilter{Types: roleTypes, Direction: domain.DirectionIn})
	if err != nil {
		return nil, err
	}
	holders := map[string][]string{} // anchor → the entities with a role towards it
	var holderIDs []string
	for k, rs := range rels {
		for _, r := range rs {
			holders[anchorIDs[k]] = append(holders[anchorIDs[k]], r.From)
			if !slices.Contains(holderIDs, r.From) {
				holderIDs = append(holderIDs, r.From)
			}
		}
	}
	nodes, err := g.Nodes(ctx, holderIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]domain.Entity{}
	for _, n := range nodes {
		if e, ok := n.(domain.Entity); ok {
			byID[e.NodeID()] = e
		}
	}
	var out []mention
	for _, p := range phrases {
		// The longest role the graph resolves: "the Omani capital" in "the Omani
		// capital while …". A role before "of" is taken whole (its one end).
		resolved := false
		for n := len(p.role); n >= 1 && n >= len(p.role)-len(p.ends)+1 && !resolved; n-- {
			if e := resolveRole(p.role[:n], p.anchors, holders, byID, anchorNames); e != nil {
				end := p.ends[min(n, len(p.ends))-1]
				if next, ok := startsAt[end+1]; !ok || runes[end] != ' ' || next.entity.NodeID() != e.NodeID() {
					out = append(out, mention{e, p.start, end})
				} // else a title before the name: the name is the mention
				resolved = true
			}
		}
		if m, ok := appositive(runes, p, found); ok && !resolved {
			out = append(out, m)
		}
	}
	return out, nil
}

// appositive is the person a role phrase the graph does not resolve stands beside,
// set off by a comma, as the phrase's mention: "Trump's special envoy, Steve Witkoff",
// "Jared Kushner, Trump's son-in-law", "Steve Witkoff, President Donald Trump's special
// envoy".
func appositive(runes []rune, p rolePhrase, found []mention) (mention, bool) {
	end := p.ends[len(p.ends)-1]
	isPerson := func(m mention) bool {
		a, ok := m.entity.(*domain.Actor)
		return ok && a.Kind == domain.ActorPerson && !slices.ContainsFunc(p.anchors, func(e domain.Entity) bool { return e.NodeID() == m.entity.NodeID() })
	}
	for _, m := range found {
		switch {
		case !isPerson(m):
		case m.start == end+2 && string(runes[end:end+2]) == ", ":
			return mention{m.entity, p.start, end}, true
		case m.end < p.start && p.start-m.end <= 24 && runes[m.end] == ',' && capitalisedRun(strings.TrimSpace(string(runes[m.end+1:p.start]))):
			return mention{m.entity, p.start, end}, true
		}
	}
	return mention{}, false
}

// capitalisedRun reports whether s is empty or words each starting upper case: the
// titles before a name ("President", "Mr.").
func capitalisedRun(s string) bool {
	return !slices.ContainsFunc(strings.Fields(s), func(w string) bool { return !unicode.IsUpper([]rune(w)[0]) })
}

// resolveRole is the one entity holding role towards one of anchors, or nil.
func resolveRole(role []string, anchors []domain.Entity, holders map[string][]string, byID map[string]domain.Entity, anchorNames map[string][]string) domain.Entity {
	var match domain.Entity
	for _, a := range anchors {
		for _, h := range holders[a.NodeID()] {
			e, ok := byID[h]
			if !ok || !holdsRole(e, role, anchorNames[a.NodeID()]) || match != nil && match.NodeID() == e.NodeID() {
				continue
			}
			if match != nil {
				return nil // two entities hold it: the phrase names neither
			}
			match = e
		}
	}
	return match
}

// roleAfter reads the role words from words[i]: the longest run of up to maxRoleWords
// read, uncapitalised or title-case words that is not followed by "of" (that is the
// other form); ok is false when there is none.
func roleAfter(words []word, read []bool, i, start int, anchors []domain.Entity) (rolePhrase, bool) {
	n := 0
	for n < maxRoleWords && i+n < len(words) && read[i+n] && !stopWords[words[i+n].w] && !(n > 0 && words[i+n].start > words[i+n-1].end+1) {
		n++
	}
	if n == 0 {
		return rolePhrase{}, false
	}
	ends := make([]int, n)
	for k := range n {
		ends[k] = words[i+k].end
	}
	return rolePhrase{start, ends, anchors, wordsOf(words[i : i+n])}, true
}

// stopWords end a role: "Iran's foreign minister said", "the Omani capital on Sunday".
var stopWords = setOf("and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by", "as", "said", "says",
	"told", "was", "is", "has", "had", "will", "would", "who", "which", "that", "the", "a", "an", "s")

// holdsRole reports whether e's description states the role towards the anchor, by one
// of its names: "Iran's Foreign Minister", "Capital of Oman", "the Iranian foreign
// minister". A role the description only mentions ("aircraft" in "aircraft carrier
// group") is not one e holds towards the anchor.
func holdsRole(e domain.Entity, role []string, anchorNames []string) bool {
	if e.NodeKind() != domain.KindActor && e.NodeKind() != domain.KindPlace {
		return false
	}
	description := " " + phrases(e.Base().Description) + " "
	r := strings.Join(role, " ")
	for _, a := range anchorNames {
		forms := []string{a + " s " + r, r + " of " + a}
		for _, d := range demonymsOf[a] {
			forms = append(forms, d+" "+r)
		}
		for _, f := range forms {
			// The whole of a noun phrase there: "Iranian nuclear" is not a role in
			// "the three main Iranian nuclear facilities".
			for at := 0; ; {
				i := strings.Index(description[at:], " "+f+" ")
				if i < 0 {
					break
				}
				at += i + len(f) + 1
				if next := strings.Fields(description[at:]); len(next) == 0 || next[0] == "|" || stopWords[next[0]] {
					return true
				}
			}
		}
	}
	return false
}

// phrases is s normalized as domain.Normalize does it, with "|" where punctuation other
// than an apostrophe parts two words.
func phrases(s string) string {
	var out []string
	last := -1
	runes := []rune(s)
	domain.EachWord(s, func(w string, start, end int) {
		if last >= 0 && strings.Trim(string(runes[last:start]), " \t\n'’") != "" {
			out = append(out, "|")
		}
		out = append(out, w)
		last = end
	})
	return strings.Join(out, " ")
}

func wordsOf(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.w
	}
	return out
}

func allRead(read []bool, from, to int) bool { return !slices.Contains(read[from:to], false) }

// lowerRun reports whether the words are written in lower case: a role, not a name.
func lowerRun(runes []rune, ws []word) bool {
	return !slices.ContainsFunc(ws, func(w word) bool { return unicode.IsUpper(runes[w.start]) })
}
