package ingest

// Stances: the positions a sentence reports an actor taking on a topic, by the verb or
// phrase it uses ("Iran rules out talks on its missile program", "Washington demands
// zero enrichment").

import (
	"slices"
	"strings"

	"eventgraph/store/domain"
)

// stancePhrases are the words that state a stance, folded, with the stance; a phrase
// of several words is matched word by word.
var stancePhrases = func() map[string]domain.Stance {
	out := map[string]domain.Stance{}
	for stance, phrases := range map[domain.Stance][]string{
		domain.StanceDemands: {"demand", "demands", "demanded", "demanding", "insist", "insists", "insisted", "insisting", "calls for",
			"called for", "call for", "seeks", "sought", "require", "requires", "required", "pressed for", "presses for", "wants", "wanted",
			"asking for", "asks for", "asked for", "calling for", "pushing for", "pushed for", "pressing for", "agreement must", "deal must", "agreement would have to", "deal would have to",
			"agreement would need to", "agreement should"},
		domain.StanceRejects: {"reject", "rejects", "rejected", "rejecting", "refuse", "refuses", "refused", "dismissed", "dismisses"},
		domain.StanceRulesOut: {"rule out", "rules out", "ruled out", "ruling out", "not negotiable", "non negotiable", "not up for negotiation",
			"red line", "will never", "refused to discuss", "refuses to discuss", "refuse to discuss", "refused to include", "not up for discussion",
			"refuses to include", "refused to negotiate", "refuses to negotiate", "will not discuss", "not on the table", "off the table",
			"will not negotiate", "would not negotiate", "never up for negotiation", "not part of the talks", "not part of the negotiations",
			"non starters", "non starter"},
		domain.StanceWillingToDiscuss: {"willing to discuss", "ready to discuss", "open to discussing", "prepared to discuss",
			"willing to negotiate", "ready to negotiate", "open to talks on", "limited to", "confined to", "restricted to", "only about",
			"on the table", "will discuss only", "would discuss only"},
		domain.StanceSupports: {"support", "supports", "supported", "backs", "backed", "welcomed", "welcomes", "endorsed", "endorses"},
		domain.StanceOpposes:  {"oppose", "opposes", "opposed", "objects to", "objected to", "condemned", "condemns"},
	} {
		for _, p := range phrases {
			out[p] = stance
		}
	}
	return out
}()

// stanceAt is the stance of the longest stance phrase words[i:] begin with, and its
// number of words; "" and 0 for none.
func stanceAt(words []sentenceWord, i int) (domain.Stance, int) {
	for n := min(maxStanceWords, len(words)-i); n >= 1; n-- {
		var phrase []string
		for _, w := range words[i : i+n] {
			phrase = append(phrase, w.w)
		}
		if s, ok := stancePhrases[strings.Join(phrase, " ")]; ok {
			return s, n
		}
	}
	return "", 0
}

// maxStanceWords is the most words a stance phrase has.
const maxStanceWords = 5

// stanceDistance bounds, in code points, how far a stance's holder and topic stand from
// its phrase.
const stanceDistance = 80

// stances proposes, in a sentence, the positions its stance phrases state: the actor
// named last before the phrase (or, with none, first after it: "…, Iran said") holds
// the stance on each topic its clause names after it ("wants … to cover the missiles as
// well as Tehran's support for armed groups"), or, for a phrase that describes its
// topic ("the missile program is not negotiable"), on the one named last before it in
// its clause. Negated support or demand ("does not support") is opposition. A media
// outlet, an actor a claim is attributed to, a topic's owner ("Iran's" in "wants Iran's
// missile program on the agenda"), a state's adjective on a thing ("the Qatari role")
// and an actor inside a quotation (quoted) hold none. In a list under a heading that
// names its holder ("What Iran says:", "What the U.S. is asking for:"), the heading's
// actor holds what an item names no holder for, and the heading's stance, if it has
// one, is each item's that has none ("- limits on Iran's ballistic missiles").
func stances(runes []rune, quoted []domain.TextRange, in []mention, words []sentenceWord, head listHead, add func(holder, topic domain.Entity, stance domain.Stance)) {
	stated := false
	holders := slices.DeleteFunc(slices.Clone(in), func(m mention) bool {
		// the owner of a topic, and an actor a quotation names, are spoken of
		return ownsTopic(runes, in, m) || describesThing(runes, m) || slices.ContainsFunc(quoted, func(r domain.TextRange) bool { return r.Start <= m.start && m.end <= r.End })
	})
	for i := 0; i < len(words); i++ {
		stance, n := stanceAt(words, i)
		if stance == "" || slices.ContainsFunc(in, func(m mention) bool {
			return m.entity.NodeKind() == domain.KindTopic && m.start <= words[i].start && words[i].start < m.end
		}) {
			continue // "support" in "support for regional groups" names the topic
		}
		stated = true
		start, end := words[i].start, words[i+n-1].end
		if i > 0 && (words[i-1].w == "not" || words[i-1].w == "t") && (stance == domain.StanceSupports || stance == domain.StanceDemands) {
			stance = domain.StanceOpposes
		}
		// A phrase that describes its topic: "not negotiable", "off the table", and a
		// passive one, "are ruled out".
		describes := stance == domain.StanceRulesOut && (words[i].w == "not" || words[i].w == "non" || words[i].w == "red" || words[i].w == "off" ||
			i > 0 && passive[words[i-1].w])
		i += n - 1
		holder := nearestOf(holders, start, end, domain.KindActor, false)
		if holder == nil {
			holder = nearestOf(holders, start, end, domain.KindActor, true)
		}
		if holder == nil && head.holder != nil {
			holder = &mention{entity: head.holder}
		} else if holder == nil || isMedia(holder.entity) || attributed(runes, *holder) {
			continue
		}
		if describes {
			if topic := nearestOf(in, start, end, domain.KindTopic, false); topic != nil && !strings.ContainsRune(string(runes[topic.end:start]), ';') {
				add(holder.entity, topic.entity, stance)
			}
			continue
		}
		for _, topic := range topicsAfter(runes, in, words, i+1) {
			add(holder.entity, topic.entity, stance)
		}
	}
	if !stated && head.holder != nil && head.stance != "" {
		for _, m := range in {
			if m.entity.NodeKind() == domain.KindTopic {
				add(head.holder, m.entity, head.stance)
			}
		}
	}
}

// ownsTopic reports whether m is the possessive a topic's name begins with ("Iran's
// ballistic missile program"): the topic's owner, not who holds a stance on it
// ("Washington wants Iran's ballistic missile program on the agenda, and has demanded …").
func ownsTopic(runes []rune, in []mention, m mention) bool {
	return possessor(runes, m) && slices.ContainsFunc(in, func(t mention) bool {
		return t.entity.NodeKind() == domain.KindTopic && t.start == m.end+3
	})
}

// describesThing reports whether m is a state's adjective describing a thing, not its
// people: "the Qatari role", but not "Iranian officials".
func describesThing(runes []rune, m mention) bool {
	return adjective(runes, m) && !peopleOf[strings.ToLower(wordAt(runes, m.end))]
}

// adjective reports whether m names a state by its people's adjective: "Qatari",
// "Omani".
func adjective(runes []rune, m mention) bool {
	return demonyms[strings.ToLower(string(runes[m.start:m.end]))] != ""
}

// peopleOf are the nouns a state's adjective makes speakers for it: "Iranian officials".
var peopleOf = setOf("officials", "official", "negotiators", "negotiator", "diplomats", "diplomat", "government", "leaders",
	"leadership", "side", "delegation", "envoys", "envoy", "authorities", "ministry", "lawmakers", "sources")

// passive are the words before a stance's phrase that make it say what its topic is: "are
// ruled out".
var passive = setOf("is", "are", "was", "were", "been", "be")

// listHead is what a list's heading says of its items: who holds what they state, and
// with what stance ("What the U.S. is asking for:"); zero outside a list.
type listHead struct {
	holder domain.Entity
	stance domain.Stance
}

// maxListItems bounds how many items back an item looks for its list's heading.
const maxListItems = 40

// headOf is the heading of the list whose item the sentence s is: the line before the
// list's first item, ending with a colon and naming one actor.
func headOf(runes []rune, s domain.TextRange, found []mention) listHead {
	lineStart := func(at int) int {
		for at > 0 && runes[at-1] != '\n' {
			at--
		}
		return at
	}
	bullet := func(at int) bool {
		return at < len(runes) && (runes[at] == '-' || runes[at] == '•' || runes[at] == '*')
	}
	line := lineStart(s.Start)
	if !bullet(line) {
		return listHead{}
	}
	for items := 0; line > 0 && bullet(line); items++ {
		if items == maxListItems {
			return listHead{} // read back no further: each item of a long list would read it all
		}
		line = lineStart(line - 1)
	}
	end := line
	for end < len(runes) && runes[end] != '\n' {
		end++
	}
	if bullet(line) || !strings.HasSuffix(strings.TrimSpace(string(runes[line:end])), ":") {
		return listHead{}
	}
	var head listHead
	for _, m := range found {
		if m.start >= line && m.end <= end && m.entity.NodeKind() == domain.KindActor {
			if head.holder != nil && head.holder.NodeID() != m.entity.NodeID() {
				return listHead{} // a heading of several actors holds for none
			}
			head.holder = m.entity
		}
	}
	words := wordsIn(runes, domain.TextRange{Start: line, End: end})
	for i := range words {
		if head.stance, _ = stanceAt(words, i); head.stance != "" {
			break
		}
	}
	return head
}

// topicsAfter are the topics the clause names from words[from] on, up to a semicolon,
// another stance's phrase or the end of the sentence, within stanceDistance of its
// start, but for one the clause sets aside ("beyond Iran's nuclear program").
func topicsAfter(runes []rune, in []mention, words []sentenceWord, from int) []mention {
	if from >= len(words) {
		return nil
	}
	start, end := words[from].start, words[len(words)-1].end
	for j := from; j < len(words); j++ {
		if _, ok := stancePhrases[words[j].w]; ok || j > from && strings.ContainsRune(string(runes[words[j-1].end:words[j].start]), ';') {
			end = words[j].start
			break
		}
	}
	var out []mention
	for _, m := range in {
		if m.entity.NodeKind() != domain.KindTopic || m.start < start || m.end > end || m.start-start > stanceDistance {
			continue
		}
		if before := strings.ToLower(string(runes[max(start, m.start-12):m.start])); strings.Contains(before, "beyond") || strings.Contains(before, "except") {
			continue
		}
		out = append(out, m)
	}
	return out
}

// nearestOf is the mention of kind nearest before [start, end), or after it when after
// is set, within stanceDistance; nil for none.
func nearestOf(in []mention, start, end int, kind domain.Kind, after bool) *mention {
	var best *mention
	for i := range in {
		m := &in[i]
		if m.entity.NodeKind() != kind {
			continue
		}
		switch {
		case !after && m.end <= start && start-m.end <= stanceDistance:
			if best == nil || m.end > best.end {
				best = m
			}
		case after && m.start >= end && m.start-end <= stanceDistance:
			if best == nil || m.start < best.start {
				best = m
			}
		}
	}
	return best
}
