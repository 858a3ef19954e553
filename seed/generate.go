package seed

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"eventgraph/store/domain"
)

// GenerateOptions shape a synthetic graph.
type GenerateOptions struct {
	// Relations is about how many relations to make.
	Relations int
	// Seed picks the graph: the same seed gives byte-identical output.
	Seed int64
	// HubSpread spreads the hubs' share of the relations over HubSpread times as many
	// hubs; 0 and 1 keep three states, two places, two events and one topic. With it a
	// graph can grow while its hubs' degree stays put.
	HubSpread int
}

// Generate writes a synthetic JSON Lines seed with about o.Relations relations (fewer
// only when the graph is too small to hold that many distinct ones), each with one
// evidence record, for load and performance tests.
//
// The graph is skewed like real news data: a few hub entities (three states, two
// places, two events, one topic) take part in a large share of the relations (over
// 10,000 each at a million relations) while most entities have a handful. Entities are
// a fifth as many as relations: actors, events, places and topics in the mix the
// relation types need (store.RelationTypes). Every 50 relations share a source whose
// text of a few KB holds the sentence each evidence record quotes; names carry accents
// now and then so code point offsets differ from byte offsets, and now and then a
// sentence is repeated so that its evidence needs "occurrence". About one position per
// hundred relations is added, with evidence in the same sources.
func Generate(w io.Writer, o GenerateOptions) error {
	if o.Relations < 1 {
		return errors.New("seed: Generate needs at least one relation")
	}
	if o.Relations/5 > maxEntities {
		return fmt.Errorf("seed: Generate makes at most %d relations", maxEntities*5)
	}
	relations := o.Relations
	g := newGenerator(w, relations, o.Seed, max(o.HubSpread, 1))
	g.entities()
	for g.made < relations && g.err == nil {
		g.block(min(perSource, relations-g.made))
		if g.stuck > 3 {
			break
		}
	}
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

const perSource = 50

type genEntity struct {
	key, name string
	kind      domain.Kind
	sub       string // actor, place or event kind
}

// relKey is a drawn relation, packed in one word: its type (an index into relWeights)
// in bits 59–62, its role (an index into roleWeights plus one, 0 for none) in bits
// 56–58, and its ends in 28 bits each. The generator remembers every relation it drew:
// at 10,000,000 relations a map of words takes a fraction of what one of the fields'
// strings did, and generating stays within 2 GiB.
type relKey uint64

// maxEntities is the most entities relKey holds: 2²⁸.
const maxEntities = 1 << 28

func packRelation(typ, role int, from, to int32) relKey {
	return relKey(uint64(typ)<<59 | uint64(role)<<56 | uint64(from)<<28 | uint64(to))
}

type generator struct {
	w   *bufio.Writer
	err error
	rng *rand.Rand
	buf []byte

	ents   []genEntity
	byKind map[domain.Kind][2]int // [first, end) index into ents
	hubs   map[domain.Kind]int    // the first hubs[k] entities of kind k are hubs
	hubP   map[domain.Kind]float64
	media  []int32
	seen   map[relKey]struct{}

	want, made, sources, positions, stuck int
}

func newGenerator(w io.Writer, relations int, seed int64, hubSpread int) *generator {
	return &generator{
		w:    bufio.NewWriterSize(w, 1<<20),
		rng:  rand.New(rand.NewPCG(uint64(seed), 0x5eed5eed5eed5eed)),
		hubs: map[domain.Kind]int{domain.KindActor: 3 * hubSpread, domain.KindEvent: 2 * hubSpread, domain.KindPlace: 2 * hubSpread, domain.KindTopic: hubSpread},
		hubP: map[domain.Kind]float64{domain.KindActor: 0.10, domain.KindEvent: 0.05, domain.KindPlace: 0.20, domain.KindTopic: 0.15},
		seen: make(map[relKey]struct{}, relations),
		want: relations,
	}
}

var (
	syllables = []string{"ka", "ra", "mo", "vel", "dan", "si", "tor", "ul", "ne", "bar", "zi", "lo", "mer",
		"ta", "qu", "an", "do", "ri", "sa", "ve", "ho", "lin", "ga", "fe", "nor", "pa", "ki", "tu", "yen", "os"}
	accented    = []string{"é", "ü", "ā", "ö", "ñ", "ç", "ī", "ş", "ő", "ł"}
	actorKindsW = []struct {
		k domain.ActorKind
		w int
	}{{domain.ActorPerson, 50}, {domain.ActorOrganisation, 15}, {domain.ActorGroup, 10}, {domain.ActorState, 5}, {domain.ActorArmedForce, 10}, {domain.ActorMedia, 10}}
	eventNouns = map[domain.EventKind]string{
		domain.EventNegotiation: "talks", domain.EventWar: "war", domain.EventMilitaryStrike: "strike", domain.EventShootdown: "shootdown",
		domain.EventDeployment: "deployment", domain.EventProtest: "protests", domain.EventCrackdown: "crackdown",
		domain.EventStatement: "declaration", domain.EventOther: "incident",
	}
	topicWords = []string{"water rights", "sanctions", "border security", "nuclear programme", "trade tariffs", "refugees",
		"fishing rights", "grain exports", "prisoner exchange", "ceasefire terms", "energy supply", "election monitoring"}
	fillers = []string{
		"Diplomats declined to comment on the record.",
		"The situation remains fluid, observers say.",
		"Further talks are expected in the coming weeks — if conditions allow.",
		"Analysts caution against reading too much into the statements.",
		"Local media carried the news on their front pages.",
		"Markets reacted calmly to the reports.",
	}
)

func (g *generator) word(syl int) string {
	var b strings.Builder
	for i := range syl {
		s := syllables[g.rng.IntN(len(syllables))]
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	if g.rng.IntN(4) == 0 { // an accent now and then
		b.WriteString(accented[g.rng.IntN(len(accented))])
	}
	return b.String()
}

func (g *generator) entities() {
	n := max(40, g.want/5)
	counts := []struct {
		k domain.Kind
		n int
	}{{domain.KindActor, n * 40 / 100}, {domain.KindEvent, n * 40 / 100}, {domain.KindPlace, n * 12 / 100}, {domain.KindTopic, 0}}
	counts[3].n = n - counts[0].n - counts[1].n - counts[2].n
	g.byKind = map[domain.Kind][2]int{}
	for _, c := range counts {
		first := len(g.ents)
		for i := range c.n {
			g.ents = append(g.ents, g.entity(c.k, i))
		}
		g.byKind[c.k] = [2]int{first, len(g.ents)}
	}
	for i, e := range g.ents {
		g.writeEntity(int32(i), e)
	}
}

func (g *generator) entity(k domain.Kind, i int) genEntity {
	e := genEntity{kind: k, key: strings.ToLower(string(k)) + "-" + strconv.Itoa(i)}
	hub := i < g.hubs[k]
	switch k {
	case domain.KindActor:
		kind := domain.ActorState
		if !hub {
			r := g.rng.IntN(100)
			for _, kw := range actorKindsW {
				if r < kw.w {
					kind = kw.k
					break
				}
				r -= kw.w
			}
		}
		e.sub = string(kind)
		switch kind {
		case domain.ActorPerson:
			e.name = g.word(2) + " " + g.word(3)
		case domain.ActorState:
			e.name = "Republic of " + g.word(3)
		case domain.ActorMedia:
			e.name = g.word(2) + " " + []string{"Times", "News", "Herald", "Broadcasting"}[g.rng.IntN(4)]
		case domain.ActorArmedForce:
			e.name = g.word(2) + " " + []string{"Brigade", "Navy", "Air Force", "Guard"}[g.rng.IntN(4)]
		default:
			e.name = g.word(2) + " " + []string{"Council", "Front", "Union", "Movement", "Alliance"}[g.rng.IntN(5)]
		}
	case domain.KindPlace:
		kind := []domain.PlaceKind{domain.PlaceCity, domain.PlaceCity, domain.PlaceCountry, domain.PlaceRegion, domain.PlaceFacility, domain.PlaceSea}[g.rng.IntN(6)]
		if hub {
			kind = domain.PlaceRegion
		}
		e.sub = string(kind)
		e.name = g.word(3)
		switch kind {
		case domain.PlaceSea:
			e.name += " Sea"
		case domain.PlaceFacility:
			e.name += " Base"
		case domain.PlaceRegion:
			e.name = "the " + e.name + " Region"
		}
	case domain.KindEvent:
		kind := domain.EventKinds[g.rng.IntN(len(domain.EventKinds))]
		if hub {
			kind = domain.EventWar
		}
		e.sub = string(kind)
		e.name = g.word(3) + " " + eventNouns[kind] + " " + strconv.Itoa(1990+g.rng.IntN(36))
	case domain.KindTopic:
		e.name = topicWords[g.rng.IntN(len(topicWords))] + " in " + g.word(2)
	}
	return e
}

func (g *generator) writeEntity(i int32, e genEntity) {
	b := g.obj(strings.ToLower(string(e.kind)))
	b = field(b, "key", e.key)
	b = field(b, "name", e.name)
	if e.kind != domain.KindTopic {
		b = field(b, "kind", e.sub)
	}
	switch e.kind {
	case domain.KindActor:
		if e.sub == string(domain.ActorMedia) {
			g.media = append(g.media, i)
		}
		if g.rng.IntN(5) == 0 {
			b = append(b, `,"aliases":[`...)
			b = appendString(b, strings.ToUpper(initials(e.name)))
			b = append(b, ']')
		}
	case domain.KindPlace:
		if g.rng.IntN(2) == 0 {
			b = append(b, `,"point":{"lat":`...)
			b = strconv.AppendFloat(b, float64(g.rng.IntN(17000)-8500)/100, 'f', -1, 64)
			b = append(b, `,"lon":`...)
			b = strconv.AppendFloat(b, float64(g.rng.IntN(35000)-17500)/100, 'f', -1, 64)
			b = append(b, '}')
		}
	case domain.KindEvent:
		if r := g.rng.IntN(10); r < 9 {
			y, m, d := 1990+g.rng.IntN(36), 1+g.rng.IntN(12), 1+g.rng.IntN(28)
			switch {
			case r < 6:
				b = field(b, "start", fmt.Sprintf("%04d-%02d-%02d", y, m, d))
				if g.rng.IntN(3) == 0 {
					b = field(b, "end", fmt.Sprintf("%04d-%02d-%02d", y+g.rng.IntN(2), m, d))
				}
			case r < 8:
				b = field(b, "start", fmt.Sprintf("%04d-%02d", y, m))
			default:
				b = field(b, "start", strconv.Itoa(y))
			}
			if g.rng.IntN(4) == 0 {
				b = field(b, "cameo", fmt.Sprintf("%02d", 1+g.rng.IntN(20)))
			}
		}
	case domain.KindTopic:
		if g.rng.IntN(3) == 0 {
			b = field(b, "description", "Disputes over "+e.name+".")
		}
	}
	g.line(b)
}

func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(r)
	}
	return b.String()
}

// pick chooses an entity of one of kinds: a hub now and then, otherwise any other.
func (g *generator) pick(kinds ...domain.Kind) int32 {
	k := kinds[g.rng.IntN(len(kinds))]
	span := g.byKind[k]
	n, hubs := span[1]-span[0], g.hubs[k]
	if n <= hubs || g.rng.Float64() < g.hubP[k] {
		return int32(span[0] + g.rng.IntN(min(hubs, n)))
	}
	return int32(span[0] + hubs + g.rng.IntN(n-hubs))
}

var relWeights = []struct {
	t domain.RelationType
	w int
}{
	{domain.RelParticipatedIn, 35}, {domain.RelLocatedIn, 15}, {domain.RelAboutTopic, 10}, {domain.RelReportedBy, 8},
	{domain.RelPreceded, 6}, {domain.RelPartOf, 5}, {domain.RelMemberOf, 5}, {domain.RelCites, 5},
	{domain.RelAlliedWith, 4}, {domain.RelRepresents, 3}, {domain.RelLeads, 2}, {domain.RelDisrupted, 2},
}

var roleWeights = []struct {
	r domain.Role
	w int
}{{domain.RoleInitiator, 20}, {domain.RoleTarget, 15}, {domain.RoleMediator, 5}, {domain.RoleParticipant, 45}, {domain.RoleSupporter, 10}, {domain.RoleHost, 5}}

type genRel struct {
	t         domain.RelationType
	role      domain.Role
	omitRole  bool
	from, to  int32
	sentence  string
	validFrom string
}

// relation draws a relation not drawn before, or reports false after many tries.
func (g *generator) relation() (genRel, bool) {
	for range 64 {
		r := g.rng.IntN(100)
		var rel genRel
		typ, role := 0, 0
		for i, tw := range relWeights {
			if r < tw.w {
				rel.t, typ = tw.t, i
				break
			}
			r -= tw.w
		}
		ends := domain.RelationTypes[rel.t]
		from := ends.From
		if rel.t == domain.RelLocatedIn { // mostly events, then places, then actors
			from = []domain.Kind{domain.KindEvent, domain.KindEvent, domain.KindEvent, domain.KindPlace, domain.KindPlace, domain.KindActor}
		}
		rel.from, rel.to = g.pick(from...), g.pick(ends.To...)
		if rel.from == rel.to {
			continue
		}
		if rel.t == domain.RelParticipatedIn {
			r := g.rng.IntN(100)
			for i, rw := range roleWeights {
				if r < rw.w {
					rel.role, role = rw.r, i+1
					break
				}
				r -= rw.w
			}
			rel.omitRole = rel.role == domain.RoleParticipant && g.rng.IntN(2) == 0
		}
		k := packRelation(typ, role, rel.from, rel.to)
		if _, dup := g.seen[k]; dup {
			continue
		}
		g.seen[k] = struct{}{}
		switch rel.t {
		case domain.RelMemberOf, domain.RelAlliedWith, domain.RelLeads, domain.RelRepresents:
			if g.rng.IntN(3) == 0 {
				rel.validFrom = strconv.Itoa(1990 + g.rng.IntN(36))
			}
		}
		rel.sentence = g.sentence(rel)
		return rel, true
	}
	return genRel{}, false
}

var verbs = map[domain.RelationType][]string{
	domain.RelLocatedIn:  {"%s took place in %s.", "%s unfolded in %s."},
	domain.RelPartOf:     {"%s was part of %s.", "%s formed one phase of %s."},
	domain.RelAboutTopic: {"%s centred on %s.", "At %s the main subject was %s."},
	domain.RelReportedBy: {"%s was first reported by %s.", "Coverage of %s came from %s."},
	domain.RelCites:      {"%s cited %s as a justification.", "%s pointed to %s in its defence."},
	domain.RelAlliedWith: {"%s is allied with %s.", "%s signed a defence pact with %s."},
	domain.RelMemberOf:   {"%s is a member of %s.", "%s joined %s."},
	domain.RelRepresents: {"%s speaks for %s.", "%s represents %s."},
	domain.RelLeads:      {"%s leads %s.", "%s is at the head of %s."},
	domain.RelDisrupted:  {"%s disrupted %s.", "%s brought %s to a halt."},
	domain.RelPreceded:   {"%s came before %s.", "%s was followed by %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleInitiator):   {"%s launched %s.", "%s started %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleTarget):      {"%s was the target of %s.", "%s came under attack in %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleMediator):    {"%s mediated %s.", "%s acted as go-between at %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleParticipant): {"%s took part in %s.", "%s was involved in %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleSupporter):   {"%s backed %s.", "%s lent support to %s."},
	"PARTICIPATED_IN/" + domain.RelationType(domain.RoleHost):        {"%s hosted %s.", "%s played host to %s."},
}

func (g *generator) sentence(rel genRel) string {
	t := rel.t
	if t == domain.RelParticipatedIn {
		t += "/" + domain.RelationType(rel.role)
	}
	vs := verbs[t]
	v := vs[g.rng.IntN(len(vs))]
	s := fmt.Sprintf(v, g.ents[rel.from].name, g.ents[rel.to].name)
	if s[0] >= 'a' && s[0] <= 'z' {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// block writes one source and the relations (and maybe a position) quoting it.
func (g *generator) block(n int) {
	src := g.sources
	g.sources++
	srcKey := "source-" + strconv.Itoa(src)
	rels := make([]genRel, 0, n)
	for range n {
		rel, ok := g.relation()
		if !ok {
			g.stuck++
			break
		}
		rels = append(rels, rel)
	}
	var pos *genPos
	if g.rng.IntN(2) == 0 {
		pos = g.position()
	}
	// The text: the sentences in order, with filler between, one of them now and then
	// said twice.
	var text strings.Builder
	at := make([]int, len(rels)+1) // byte offset of each sentence; the position's last
	text.WriteString("Dispatch " + strconv.Itoa(src) + ". ")
	repeat := -1
	if len(rels) > 0 && g.rng.IntN(8) == 0 {
		repeat = g.rng.IntN(len(rels))
		text.WriteString("In summary: " + rels[repeat].sentence + " ")
	}
	for i, rel := range rels {
		if g.rng.IntN(5) == 0 {
			text.WriteString(fillers[g.rng.IntN(len(fillers))] + " ")
		}
		if g.rng.IntN(10) == 0 {
			text.WriteString("\n\n")
		}
		at[i] = text.Len()
		text.WriteString(rel.sentence + " ")
	}
	if pos != nil {
		at[len(rels)] = text.Len()
		text.WriteString(pos.sentence + " ")
	}
	text.WriteString("(End of dispatch.)")
	body := text.String()

	b := g.obj("source")
	b = field(b, "key", srcKey)
	b = field(b, "title", "Dispatch "+strconv.Itoa(src)+": "+g.word(3)+" "+[]string{"update", "briefing", "report", "analysis"}[g.rng.IntN(4)])
	if g.rng.IntN(2) == 0 {
		b = field(b, "url", "https://news.example/dispatch/"+strconv.Itoa(src))
	}
	if len(g.media) > 0 && g.rng.IntN(2) == 0 {
		b = field(b, "publisher", g.ents[g.media[g.rng.IntN(len(g.media))]].key)
	}
	b = field(b, "publishedAt", fmt.Sprintf("%04d-%02d-%02d", 2000+g.rng.IntN(26), 1+g.rng.IntN(12), 1+g.rng.IntN(28)))
	b = field(b, "language", "en")
	b = field(b, "text", body)
	g.line(b)

	for i, rel := range rels {
		b := g.obj("relation")
		b = field(b, "type", string(rel.t))
		b = field(b, "from", g.ents[rel.from].key)
		b = field(b, "to", g.ents[rel.to].key)
		if rel.role != "" && !rel.omitRole {
			b = field(b, "role", string(rel.role))
		}
		if rel.validFrom != "" {
			b = field(b, "validFrom", rel.validFrom)
		}
		b = g.evidence(b, srcKey, body, rel.sentence, at[i], i == repeat)
		g.line(b)
		g.made++
	}
	if pos != nil {
		b := g.obj("position")
		b = field(b, "key", "position-"+strconv.Itoa(g.positions))
		g.positions++
		b = field(b, "holder", g.ents[pos.holder].key)
		b = field(b, "topic", g.ents[pos.topic].key)
		b = field(b, "stance", string(pos.stance))
		b = field(b, "statement", pos.sentence)
		b = g.evidence(b, srcKey, body, pos.sentence, at[len(rels)], false)
		g.line(b)
	}
}

// evidence appends an evidence list with one record quoting the sentence at byte
// offset at of body, giving its occurrence when the sentence is there more than once.
func (g *generator) evidence(b []byte, srcKey, body, quote string, at int, repeated bool) []byte {
	b = append(b, `,"evidence":[{"source":`...)
	b = appendString(b, srcKey)
	b = append(b, `,"quote":`...)
	b = appendString(b, quote)
	if repeated || domain.CountQuote(body, quote) > 1 {
		occ := domain.CountQuote(body[:at+len(quote)], quote)
		b = append(b, `,"occurrence":`...)
		b = strconv.AppendInt(b, int64(occ), 10)
	}
	b = append(b, `,"confidence":`...)
	b = strconv.AppendFloat(b, float64(50+g.rng.IntN(51))/100, 'f', -1, 64)
	if len(g.media) > 0 && g.rng.IntN(20) == 0 {
		b = append(b, `,"attributedTo":`...)
		b = appendString(b, g.ents[g.media[g.rng.IntN(len(g.media))]].key)
	}
	return append(b, "}]"...)
}

type genPos struct {
	holder, topic int32
	stance        domain.Stance
	sentence      string
}

var stanceVerbs = map[domain.Stance]string{
	domain.StanceDemands: "%s demands action on %s.", domain.StanceSupports: "%s supports progress on %s.",
	domain.StanceOpposes: "%s opposes any deal on %s.", domain.StanceRejects: "%s rejects the proposals on %s.",
	domain.StanceWillingToDiscuss: "%s is willing to discuss %s.", domain.StanceRulesOut: "%s rules out talks on %s.",
}

func (g *generator) position() *genPos {
	p := &genPos{holder: g.pick(domain.KindActor), topic: g.pick(domain.KindTopic), stance: domain.Stances[g.rng.IntN(len(domain.Stances))]}
	p.sentence = fmt.Sprintf(stanceVerbs[p.stance], g.ents[p.holder].name, g.ents[p.topic].name)
	return p
}

// obj starts a record.
func (g *generator) obj(record string) []byte {
	b := append(g.buf[:0], `{"record":"`...)
	b = append(b, record...)
	return append(b, '"')
}

func (g *generator) line(b []byte) {
	b = append(b, "}\n"...)
	g.buf = b
	if g.err == nil {
		_, g.err = g.w.Write(b)
	}
}

func field(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

// appendString appends s as a JSON string; s is valid UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
