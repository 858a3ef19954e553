package ingest

// New names: the people, organisations, states and places an article names that the
// graph does not hold, proposed for review with every place the article names them.

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"

	"eventgraph/store/domain"
)

// newName is a name the graph does not hold, as one article gives it: its fullest
// spelling, what kind of node it seems to be, and every span naming it.
type newName struct {
	key   string // what its spans share (nameSpan.key)
	name  string
	node  domain.Kind // KindActor or KindPlace
	kind  string      // its ActorKind or PlaceKind
	sure  int         // how strong the cue for kind was; the strongest of its spans wins
	spans []domain.TextRange
}

// kindCue is a guess at a name's kind and how sure it is: a title before a person
// ("Foreign Minister Antonio Tajani") is surer than a name's shape alone.
type kindCue struct {
	node domain.Kind
	kind string
	sure int
}

// How sure a cue is.
const (
	cueShape   = 1 // the name's shape: two or three capitalised words read as a person
	cueContext = 2 // the words around it: "in X" is a place
	cueWord    = 3 // a word of the name: "Agency", "Strait", "Base"
	cueTitle   = 4 // a title or a gazetteer entry
)

var (
	cuePerson     = kindCue{domain.KindActor, string(domain.ActorPerson), 0}
	cueState      = kindCue{domain.KindActor, string(domain.ActorState), 0}
	cueOrg        = kindCue{domain.KindActor, string(domain.ActorOrganisation), 0}
	cueMedia      = kindCue{domain.KindActor, string(domain.ActorMedia), 0}
	cueArmedForce = kindCue{domain.KindActor, string(domain.ActorArmedForce), 0}
	cueGroup      = kindCue{domain.KindActor, string(domain.ActorGroup), 0}
	cueCity       = kindCue{domain.KindPlace, string(domain.PlaceCity), 0}
	cueSea        = kindCue{domain.KindPlace, string(domain.PlaceSea), 0}
	cueRegion     = kindCue{domain.KindPlace, string(domain.PlaceRegion), 0}
	cueFacility   = kindCue{domain.KindPlace, string(domain.PlaceFacility), 0}
)

func (c kindCue) at(sure int) kindCue { c.sure = sure; return c }

// nameWordKinds are words that make a name of a kind wherever they stand in it.
var nameWordKinds = map[string]kindCue{
	"agency": cueOrg, "organization": cueOrg, "organisation": cueOrg, "council": cueOrg, "committee": cueOrg,
	"ministry": cueOrg, "department": cueOrg, "office": cueOrg, "commission": cueOrg, "union": cueOrg,
	"bank": cueOrg, "company": cueOrg, "corporation": cueOrg, "party": cueOrg, "institute": cueOrg,
	"university": cueOrg, "board": cueOrg, "treasury": cueOrg, "assembly": cueOrg, "parliament": cueOrg,
	"court": cueOrg, "nations": cueOrg, "foundation": cueOrg, "association": cueOrg, "federation": cueOrg,
	"watch": cueOrg, "amnesty": cueOrg, "group": cueOrg,
	"network": cueOrg, "centre": cueOrg, "center": cueOrg, "secretariat": cueOrg, "cabinet": cueOrg,
	"forum": cueOrg, "diwan": cueOrg, "operations": cueOrg, "authority": cueOrg, "directorate": cueOrg,
	"tv": cueMedia, "television": cueMedia, "news": cueMedia, "press": cueMedia, "times": cueMedia, "post": cueMedia,
	"radio": cueMedia, "broadcasting": cueMedia, "broadcaster": cueMedia, "journal": cueMedia, "gazette": cueMedia,
	"wire": cueMedia, "newswire": cueMedia, "dispatch": cueMedia, "observer": cueMedia, "tribune": cueMedia, "herald": cueMedia,
	"chronicle": cueMedia, "courier": cueMedia, "ledger": cueMedia,
	"army": cueArmedForce, "navy": cueArmedForce, "force": cueArmedForce, "forces": cueArmedForce, "guards": cueArmedForce,
	"guard": cueArmedForce, "corps": cueArmedForce, "command": cueArmedForce, "fleet": cueArmedForce, "marines": cueArmedForce,
	"brigade": cueArmedForce, "brigades": cueArmedForce, "militia": cueGroup, "movement": cueGroup, "front": cueGroup,
	"strait": cueSea, "gulf": cueSea, "sea": cueSea, "ocean": cueSea, "bay": cueSea, "channel": cueSea, "lake": cueSea,
	"province": cueRegion, "region": cueRegion, "valley": cueRegion, "peninsula": cueRegion, "desert": cueRegion,
	"base": cueFacility, "airport": cueFacility, "port": cueFacility, "plant": cueFacility, "facility": cueFacility,
	"site": cueFacility, "embassy": cueFacility, "bazaar": cueFacility, "complex": cueFacility, "reactor": cueFacility,
	"prison": cueFacility, "square": cueFacility, "palace": cueFacility, "hotel": cueFacility, "mosque": cueFacility,
	"consulate": cueFacility, "harbour": cueFacility, "harbor": cueFacility, "refinery": cueFacility, "terminal": cueFacility,
}

// articles are the words before a name that are never part of it.
var articles = setOf("the", "a", "an")

// shipPrefixes begin the names of warships, which the graph keeps as armed forces.
var shipPrefixes = setOf("uss", "hms", "ins", "hmas", "hmcs")

// anchoredHeads are the common nouns that, after a state ("Iran's foreign ministry",
// "the Omani foreign ministry", "U.S. senators"), name a body of it, by their last word.
var anchoredHeads = map[string]kindCue{
	"ministry": cueOrg, "parliament": cueOrg, "mission": cueOrg, "senators": cueGroup, "team": cueGroup,
	"experts": cueGroup, "television": cueMedia, "media": cueMedia, "tv": cueMedia, "embassy": cueFacility, "judiciary": cueOrg,
	"military": cueArmedForce, "navy": cueArmedForce, "forces": cueArmedForce,
}

// anchoredQualifiers may stand between a state and its body: "Iran's foreign ministry",
// "U.S. technical team", "Iranian state television", "Iranian security forces".
var anchoredQualifiers = setOf("foreign", "state", "technical", "security", "armed", "defence", "defense", "interior",
	"oil", "intelligence", "negotiating", "nuclear", "own", "official", "judicial", "finance", "economy", "justice")

// leadingWords are the capitalised words a name does not begin with: sentence openers,
// titles, days and months, demonyms (read apart).
var leadingWords = setOf(
	"the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "as", "after", "before", "when", "while", "meanwhile",
	"earlier", "later", "since", "for", "from", "by", "with", "without", "under", "over", "this", "that", "these", "those",
	"it", "its", "he", "she", "they", "we", "i", "his", "her", "their", "our", "asked", "speaking", "according", "both",
	"neither", "some", "many", "most", "all", "no", "not", "there", "here", "what", "who", "why", "how", "where", "then",
	"now", "still", "yet", "also", "even", "only", "just", "last", "next", "first", "second", "third", "new", "former",
	"foreign", "minister", "prime", "special", "supreme", "senior", "top", "middle", "east", "envoy", "spokesman",
	"spokeswoman", "spokesperson", "head", "leader", "defence", "defense", "interior", "vice", "crown", "prince", "secretary",
	"general", "deputy", "chief", "president", "ambassador", "commander", "director", "photo", "file", "update",
	"updated", "breaking", "live", "analysis", "opinion", "editor", "note", "key", "read", "more", "related", "watch",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
	"may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
	"jul", "aug", "sep", "sept", "oct", "nov", "dec", "today", "yesterday", "tomorrow", "tonight", "officials", "official",
	"several", "other", "another", "each", "every", "one", "two", "three", "four", "five", "such", "despite", "during",
	"among", "between", "against", "about", "around", "through", "until", "though", "although", "because", "so", "than",
	"whether", "once", "instead", "however", "yes", "well", "thus", "any", "much", "mr", "mrs", "ms", "dr", "sir",
	"nobody", "everyone", "someone", "early", "mid", "late", "western", "eastern", "northern", "southern", "arabic",
	"english", "persian", "farsi", "hebrew", "gmt", "utc", "am", "pm", "islamic", "muslim", "shiite", "sunni", "christian",
)

// titleOffices are the offices a title names after "of": "Secretary of State", "Minister
// of Defense".
var titleOffices = setOf("state", "defense", "defence", "energy", "treasury", "commerce", "interior", "homeland", "war", "foreign", "affairs", "justice")

// personTitles before a name make it a person's.
var personTitles = setOf("mr", "mrs", "ms", "dr", "minister", "president", "envoy", "secretary", "ambassador", "adm",
	"admiral", "gen", "general", "col", "colonel", "lt", "capt", "captain", "sen", "senator", "rep", "gov", "governor",
	"king", "sultan", "sheikh", "ayatollah", "spokesman", "spokeswoman", "spokesperson", "director", "chief", "commander",
	"deputy", "premier", "chancellor", "negotiator", "diplomat", "leader", "head", "prince", "emir", "sayyid", "seyyed",
	"maj", "major", "brig", "brigadier", "sgt", "cmdr", "hojatoleslam", "mullah", "imam", "rev", "prof", "judge", "justice",
	"mayor", "foreign", "supreme", "prime", "vice", "crown")

// titleModifiers are the personTitles that make a title only before another: "Foreign
// Minister", but "Senate Foreign Relations Committee", "Office of Foreign Assets
// Control".
var titleModifiers = setOf("foreign", "supreme", "prime", "vice", "crown", "deputy")

// nameParticles join the words of one name: "Office of Foreign Assets Control", "Badr
// bin Hamad", "Strait of Hormuz".
var nameParticles = setOf("of", "al", "el", "bin", "ibn", "bint", "de", "du", "van", "von", "la", "le", "da", "di")

// newNames proposes the names of the text's words that no mention found: runs of
// capitalised words (and particles between them), without the openers and titles
// before them, read outside the boilerplate and the lines set wholly in capitals
// ("Title Case Headlines" too); a body anchored in a state ("Iran's foreign ministry");
// each with its kind from a word of it, a title before it, the gazetteer, or the words
// around it. The spans of one name (its full form, its last word alone for a person, its
// capitals for a dateline) are one newName.
func newNames(runes []rune, sents []domain.TextRange, words []word, read []bool, found []mention) []*newName {
	covered := make([]bool, len(runes))
	for _, m := range found {
		for r := m.start; r < m.end; r++ {
			covered[r] = true
		}
	}
	known := make([]bool, len(words))
	for i, w := range words {
		known[i] = slices.Contains(covered[w.start:w.end], true)
	}
	capitalised := func(i int) bool { return unicode.IsUpper(runes[words[i].start]) }
	lower := map[string]bool{} // words the text also writes in lower case: common words
	for i, w := range words {
		if !capitalised(i) {
			lower[w.w] = true
		}
	}
	titleCase := titleCaseLines(runes, words, capitalised)
	// stateBefore reports whether a state's name or people's adjective stands right
	// before words[i]: "U.S. Navy", "Iranian Parliament".
	// stateBefore is where the state's name or people's adjective right before words[i]
	// starts ("U.S. Navy", "Iranian Parliament"), -1 for none.
	stateBefore := func(i int) int {
		if i == 0 || !joined(runes, words[i-1], words[i]) {
			return -1
		}
		if demonyms[words[i-1].w] != "" || stateNamed(words[i-1].w) != "" {
			return words[i-1].start
		}
		if k := slices.IndexFunc(found, func(m mention) bool {
			a, ok := m.entity.(*domain.Actor)
			return ok && a.Kind == domain.ActorState && m.end == words[i-1].end
		}); k >= 0 {
			return found[k].start
		}
		return -1
	}
	starts := sentenceStarts(runes, sents, words)

	var spans []nameSpan
	for i := 0; i < len(words); i++ {
		if !read[i] || known[i] || !capitalised(i) || titleCase[i] {
			continue
		}
		last := i
		for j := i + 1; j < len(words) && read[j] && !known[j] && !titleCase[j]; j++ {
			if !joined(runes, words[j-1], words[j]) {
				break
			}
			if capitalised(j) || elided(runes, words[j-1], words[j]) {
				last = j
				continue
			}
			if !nameParticles[words[j].w] || j+1 >= len(words) || known[j+1] || !capitalised(j+1) || !joined(runes, words[j], words[j+1]) {
				break
			}
		}
		first, end := i, last
		i = last
		var titled bool
		// A people's adjective stays in a body's or a place's name ("Iranian Red
		// Crescent"), and so does any word that leaves a place its one common word
		// ("Persian Gulf"). A title's office goes with the title: "Secretary of State
		// Marco Rubio".
		body := slices.ContainsFunc(words[first:end+1], func(w word) bool { return nameWordKinds[w.w].node != "" })
		placeWord := func(first int) bool {
			return end == first+1 && nameWordKinds[words[end].w].node == domain.KindPlace && !personTitles[words[first].w] && !articles[words[first].w]
		}
		// A body's name keeps the title-like words it opens with: "Supreme National
		// Security Council".
		bodyName := nameWordKinds[words[end].w].node == domain.KindActor && nameWordKinds[words[end].w] != cueMedia.kindCueOf()
		// A state's name opening with its people's adjective is the state's: "Saudi Arabia".
		stateName := func(first int) bool {
			return stateNamed(domain.Normalize(string(runes[words[first].start:words[end].end]))) != ""
		}
		for first <= end && !placeWord(first) && (leadingWords[words[first].w] && !(bodyName && personTitles[words[first].w]) ||
			personTitles[words[first].w] && !bodyName || demonyms[words[first].w] != "" && !body && !stateName(first) ||
			nameParticles[words[first].w] && !capitalised(first) || titled && first > 0 && words[first-1].w == "of" && titleOffices[words[first].w]) {
			titled = titled || personTitles[words[first].w]
			first++
		}
		// A title inside the run ("Treasury Secretary Scott Bessent") ends what it is
		// of: the name after it is its holder's.
		for k := end - 1; k > first; k-- {
			if personTitles[words[k].w] && (!titleModifiers[words[k].w] || personTitles[words[k+1].w]) {
				first, titled = k+1, true
				if first+1 < end && words[first].w == "of" && titleOffices[words[first+1].w] {
					first += 2 // "Deputy Assistant Secretary of State Karen Whitlow"
				}
				break
			}
		}
		for end >= first && nameParticles[words[end].w] {
			end--
		}
		if first > end || len(words[first].w) < 2 {
			continue // an initial or a letter: "C St."
		}
		if credit(runes, words[first].start, words[end].end) {
			continue
		}
		titled = titled || first > 0 && personTitles[words[first-1].w] && joined(runes, words[first-1], words[first])
		sp := nameSpan{start: words[first].start, end: words[end].end, words: end - first + 1}
		sp.cue = classify(runes, words, first, end, titled)
		// A place's common noun after its name: "Shahid Rajaee port", "Shandong province";
		// not "the Geneva channel", a way of talking.
		if end+1 < len(words) && !capitalised(end+1) && joined(runes, words[end], words[end+1]) {
			if c, ok := nameWordKinds[words[end+1].w]; ok && c.node == domain.KindPlace && words[end+1].w != "channel" && !titled && stateNamed(domain.Normalize(string(runes[sp.start:sp.end]))) == "" {
				sp.end, sp.cue, sp.words = words[end+1].end, c.at(cueWord), sp.words+1
			}
		}
		if first == end && sp.words == 1 {
			own := nameWordKinds[words[first].w] == sp.cue.kindCueOf()
			if !own && sp.cue.sure < cueWord && starts[first] && !lower[words[first].w] && !(end+2 < len(words) && words[end+1].w == "of" && known[end+2]) {
				// "Bousaidi, who also mediated …": a word opening a sentence is a
				// person's surname only where the text names the person in full.
				sp.opening, sp.cue.sure = true, 0
			} else if own && stateBefore(first) < 0 || sp.cue.sure < cueWord && (starts[first] || lower[words[first].w]) ||
				end+2 < len(words) && words[end+1].w == "of" && known[end+2] {
				// "Key points", "Technical teams", "A Gulf diplomat": a common word
				// opening a sentence or standing for an adjective; "the State of Iran":
				// a word of a known name's longer form.
				continue
			}
			if sp.cue.sure < cueContext {
				sp.cue.sure = 0 // a word alone with nothing to say what it names, unless a list does
			}
			if at := stateBefore(first); own && at >= 0 {
				sp.start, sp.words = at, 2 // "U.S. Navy" is the state's, never the "IRGC Navy" it ends
			}
		}
		sp.key = nameKey(string(runes[sp.start:sp.end]))
		if seatsOfGovernment[sp.key] != "" && placeContext(runes, sp.start, sp.end, seatPrepositions) {
			// "told reporters at the White House": the building, where "the White House
			// said" is its government
			sp.key, sp.cue = "place "+sp.key, kindCue{domain.KindPlace, string(domain.PlaceFacility), cueTitle}
		}
		if stateNamed(sp.key) != "" && capitals[sp.key] == "" && sp.cue.sure == cueTitle {
			// A country the graph does not hold is two entities, as the graph keeps them:
			// the state where it acts ("Qatar said"), the country where something is
			// ("in Qatar").
			if placeContext(runes, sp.start, sp.end, placePrepositions) && !afterListedState(runes, sp.start) {
				sp.key, sp.cue = "country "+sp.key, kindCue{domain.KindPlace, string(domain.PlaceCountry), cueTitle}
			}
		}
		spans = append(spans, sp)
	}
	listed(runes, spans)
	return groupNames(runes, spans, anchoredBodies(runes, words, read, found), found)
}

// afterListedState reports whether the name at start follows a state's name and a
// comma, as the next of a list of states ("Britain, France and Germany"), not as the
// country a city is in ("Muscat, Oman").
func afterListedState(runes []rune, start int) bool {
	at := trimSpaceBefore(runes, start)
	if at == 0 || runes[at-1] != ',' {
		return false
	}
	prev := domain.Normalize(wordBefore(runes, trimSpaceBefore(runes, at-1)))
	return capitals[prev] == "" && stateNamed(prev) != ""
}

// listed gives a name with nothing to say what it names the kind of a place it is
// listed with: "at Isfahan, Fordow and Natanz", "over Jerusalem and Tel Aviv".
func listed(runes []rune, spans []nameSpan) {
	for changed := true; changed; {
		changed = false
		for i := range spans {
			if spans[i].cue.sure >= cueContext || spans[i].opening {
				continue
			}
			for _, j := range []int{i - 1, i + 1} {
				if j < 0 || j >= len(spans) || spans[j].cue.node != domain.KindPlace || spans[j].cue.sure < cueContext {
					continue
				}
				a, b := spans[min(i, j)], spans[max(i, j)]
				if gap := string(runes[a.end:b.start]); gap == ", " || gap == " and " || gap == ", and " || gap == " or " {
					spans[i].cue, changed = spans[j].cue.kindCueOf().at(cueContext), true
					break
				}
			}
		}
	}
}

// nameKey is what the spellings of one name share: its normalized form without
// apostrophes ("Sa'ar" is "Saar").
func nameKey(text string) string {
	return domain.Normalize(strings.NewReplacer("'", "", "’", "").Replace(text))
}

// nameSpan is a span of text naming something the graph does not hold.
type nameSpan struct {
	start, end int // code points
	words      int
	key        string // what spans of one name share: its normalized name, or "country" and it
	cue        kindCue
	opening    bool // a word alone opening a sentence: only a person's surname
}

// kindCueOf is c without its sureness, to compare kinds.
func (c kindCue) kindCueOf() kindCue { c.sure = 0; return c }

// groupNames makes one newName of the spans naming one thing: the same name, or a
// shorter one ending, starting or abbreviating a longer one (fullNameOf). A span
// without a kind (a word alone) counts only as part of a longer name's. The bodies
// anchored in a state (anchoredBodies) join by their key alone. Names the
// article's mentions give to known entities are not new ("Iran" in "Atomic Energy
// Organization of Iran"), and neither is one without a kind.
func groupNames(runes []rune, spans, anchored []nameSpan, found []mention) []*newName {
	byName := map[string]*newName{}
	var out []*newName
	add := func(key, name string, start, end int, cue kindCue) {
		n := byName[key]
		if n == nil {
			n = &newName{key: key, name: name}
			byName[key] = n
			out = append(out, n)
		}
		if len([]rune(name)) > len([]rune(n.name)) && !allCapitals([]rune(name)) || allCapitals([]rune(n.name)) && !allCapitals([]rune(name)) {
			n.name = name
		}
		if cue.sure > n.sure {
			n.node, n.kind, n.sure = cue.node, cue.kind, cue.sure
		}
		n.spans = append(n.spans, domain.TextRange{Start: start, End: end})
	}
	// Longer names first, so that a surname or acronym alone joins the full name.
	slices.SortStableFunc(spans, func(a, b nameSpan) int { return cmp.Compare(b.words, a.words) })
	for _, s := range spans {
		key := s.key
		if _, ok := byName[key]; !ok {
			if full := fullNameOf(out, key); full != nil && (!s.opening || full.kind == string(domain.ActorPerson)) {
				key = full.key
			} else if s.cue.sure == 0 {
				continue // a word alone, with nothing to say what it names nor a name it ends
			}
		}
		add(key, string(runes[s.start:s.end]), s.start, s.end, s.cue)
	}
	for _, s := range anchored {
		add(s.key, string(runes[s.start:s.end]), s.start, s.end, s.cue)
	}
	knownNames := map[string]bool{} // node kind and name
	for _, m := range found {
		for _, n := range domain.Names(m.entity) {
			knownNames[string(m.entity.NodeKind())+" "+domain.Normalize(n)] = true
		}
	}
	out = slices.DeleteFunc(out, func(n *newName) bool {
		return n.sure == 0 || knownNames[string(n.node)+" "+domain.Normalize(n.name)]
	})
	for _, n := range out {
		slices.SortFunc(n.spans, func(a, b domain.TextRange) int { return cmp.Compare(a.Start, b.Start) })
		n.spans = slices.Compact(n.spans)
	}
	slices.SortFunc(out, func(a, b *newName) int { return cmp.Compare(a.spans[0].Start, b.spans[0].Start) })
	return out
}

// fullNameOf is the name among names that the shorter name short ends or abbreviates:
// "Tajani" of "Antonio Tajani", "Takht-Ravanchi" of "Majid Takht-Ravanchi", "Guards" of
// "Revolutionary Guards", "IAEA" of "International Atomic Energy Agency".
func fullNameOf(names []*newName, short string) *newName {
	part := strings.Fields(short)
	for _, n := range names {
		ws := strings.Fields(nameKey(n.name))
		if n.kind == string(domain.ActorPerson) && len(ws) >= 2 && namesAlike(ws, part) {
			return n // "Muhammad Islami" of "Mohammad Eslami"
		}
		if len(ws) <= len(part) {
			continue
		}
		switch {
		case slices.Equal(ws[len(ws)-len(part):], part) && (!nameParticles[part[0]] || len(part) >= 2) &&
			!(n.node == domain.KindPlace && nameWordKinds[ws[0]].node == domain.KindPlace):
			return n // "Tajani", "Al Busaidi"; but "Geneva" is not "Lake Geneva"
		case n.kind == string(domain.ActorPerson) && len(part) == 1 && ws[0] == part[0]:
			return n // "Badr" of "Badr bin Hamad Al Busaidi"
		case n.kind == string(domain.ActorPerson) && len(part) >= 2 && ws[0] == part[0] && ws[len(ws)-1] == part[len(part)-1]:
			return n // "Rafael Grossi" of "Rafael Mariano Grossi"
		case n.node == domain.KindPlace && slices.Equal(ws[:len(part)], part) && slices.ContainsFunc(ws[len(part):], func(w string) bool { _, ok := nameWordKinds[w]; return ok }):
			return n // "Al Udeid" of "Al Udeid Air Base"
		}
		var significant []string
		for _, x := range ws {
			if !nameParticles[x] {
				significant = append(significant, x)
			}
		}
		if n.node == domain.KindActor && len(part) == 1 && len(short) >= 3 && abbreviates(short, significant) {
			return n // "IAEA", "CENTCOM" of "Central Command"
		}
	}
	return nil
}

// abbreviates reports whether short is made of a beginning of each of words in turn:
// their initials ("iaea") or their first syllables ("centcom" of "central command").
func abbreviates(short string, words []string) bool {
	if len(words) == 0 {
		return short == ""
	}
	for n := min(len(short), len(words[0])); n >= 1; n-- {
		if short[:n] == words[0][:n] && abbreviates(short[n:], words[1:]) {
			return true
		}
	}
	return false
}

// anchoredBodies finds the bodies a state the text names holds, written in common
// nouns: "Iran's foreign ministry", "the Omani foreign ministry", "U.S. senators", each
// keyed by its state's name and its head.
func anchoredBodies(runes []rune, words []word, read []bool, found []mention) []nameSpan {
	var out []nameSpan
	stateAt := map[int]string{} // word index → the state its word names
	k := 0
	for i, w := range words {
		if d := demonyms[w.w]; d != "" && unicode.IsUpper(runes[w.start]) {
			stateAt[i] = d
		} else if s := stateNamed(w.w); s != "" && capitals[w.w] == "" && unicode.IsUpper(runes[w.start]) {
			stateAt[i] = s // a state the graph does not hold: "Qatar's foreign ministry"
		}
		for k < len(found) && found[k].end <= w.start {
			k++
		}
		if k < len(found) && found[k].start <= w.start && w.end == found[k].end {
			if a, ok := found[k].entity.(*domain.Actor); ok && a.Kind == domain.ActorState {
				stateAt[i] = a.Name
			} else if p, ok := found[k].entity.(*domain.Place); ok && p.Kind == domain.PlaceCountry {
				stateAt[i] = p.Name
			}
		}
	}
	for i := 0; i < len(words); i++ {
		state, ok := stateAt[i]
		if !ok || !read[i] {
			continue
		}
		j := i + 1
		if j < len(words) && words[j].w == "s" && words[j].start == words[i].end+1 {
			j++ // "Iran's"
		}
		head := j
		for head < len(words) && head-j < 2 && anchoredQualifiers[words[head].w] && joined(runes, words[head-1], words[head]) {
			head++
		}
		if head >= len(words) || !joined(runes, words[head-1], words[head]) || unicode.IsUpper(runes[words[head].start]) {
			continue
		}
		cue, ok := anchoredHeads[words[head].w]
		if !ok {
			continue
		}
		if words[head].w == "team" || words[head].w == "experts" {
			if head == j {
				continue // "Iran's team" is too vague to name a body
			}
		}
		if next := head + 1; words[head].w == "military" && next < len(words) && joined(runes, words[head], words[next]) &&
			!unicode.IsUpper(runes[words[next].start]) && !stopWords[words[next].w] {
			continue // "the U.S. military said", but not "the largest U.S. military base"
		}
		phrase := string(runes[words[j].start:words[head].end])
		out = append(out, nameSpan{start: words[i].start, end: words[head].end, words: head - i + 1,
			key: domain.Normalize(state + " " + phrase), cue: cue.at(cueWord)})
		i = head
	}
	return out
}

// classify guesses the kind of the name at words[first..last] from, strongest first: a
// title before it (titled), the gazetteer, a word of it, its shape (all capitals: an
// acronym, or a dateline's place), the words around it, and the number of its words.
func classify(runes []rune, words []word, first, last int, titled bool) kindCue {
	name := domain.Normalize(string(runes[words[first].start:words[last].end]))
	switch {
	case titled:
		return cuePerson.at(cueTitle)
	case capitals[name] != "":
		return cueCity.at(cueTitle)
	case stateNamed(name) != "":
		return cueState.at(cueTitle)
	case institutions[name].sure > 0:
		return institutions[name]
	}
	if shipPrefixes[words[first].w] && last > first {
		return cueArmedForce.at(cueWord) // "USS Delbert D. Black"
	}
	for k := last; k >= first; k-- {
		if c, ok := nameWordKinds[words[k].w]; ok {
			return c.at(cueWord)
		}
	}
	if outlets[before(words, first, 1)] || last+2 < len(words) && words[last+1].start-words[last].end <= 1 && (words[last+1].w == "news" && outlets[words[last+2].w] || outlets[words[last+1].w] && words[last+1].w != "channel") {
		return cueMedia.at(cueTitle) // "the state news agency IRNA", "the Tasnim news agency", "Al-Sahil TV"
	}
	if allCapitals(runes[words[first].start:words[last].end]) {
		if dateline(runes, words[first].start) {
			return cueCity.at(cueContext)
		}
		return cueOrg.at(cueWord)
	}
	next := skipSpace(runes, words[last].end)
	if next < len(runes) && runes[next] == ',' {
		next = skipSpace(runes, next+1) // an apposition's end: "…, Mohammad Eslami, said"
	}
	if saidVerbs[strings.ToLower(wordAt(runes, next))] && last > first {
		return cuePerson.at(cueContext)
	}
	if placeContext(runes, words[first].start, words[last].end, placePrepositions) ||
		placeNouns[before(words, first, 2)] && (before(words, first, 1) == "of" || before(words, first, 1) == "including") {
		return cueCity.at(cueContext) // "in Mashhad", "the city of Bandar Abbas"
	}
	if n := last - first + 1; n >= 2 && n <= 4 {
		return cuePerson.at(cueShape)
	}
	if strings.HasSuffix(name, "is") || strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") {
		return cueGroup.at(cueShape) // "Houthis"
	}
	return cueOrg.at(cueShape)
}

// institutions are bodies known by a building's or a short name alone: "the Pentagon".
var institutions = map[string]kindCue{
	"pentagon": cueOrg.at(cueTitle), "kremlin": cueOrg.at(cueTitle), "knesset": cueOrg.at(cueTitle),
	"majlis": cueOrg.at(cueTitle), "elysee": cueOrg.at(cueTitle), "downing street": cueOrg.at(cueTitle),
	"white house": cueOrg.at(cueTitle), "state department": cueOrg.at(cueTitle),
}

// placeNouns before "of" make a place's name: "the city of Bandar Abbas".
var placeNouns = setOf("city", "town", "village", "port", "province", "district", "island", "cities", "towns", "capital")

// before is the folded word n words before words[i], "" at the start.
func before(words []word, i, n int) string {
	if i-n < 0 {
		return ""
	}
	return words[i-n].w
}

// saidVerbs after a name make it a speaker's.
var saidVerbs = setOf("said", "says", "told", "added", "wrote", "warned", "stated", "insisted", "argued")

// elided reports whether b goes on the word a after an apostrophe, as in "Sa'ar",
// "O'Brien"; not a possessive's "s".
func elided(runes []rune, a, b word) bool {
	gap := string(runes[a.end:b.start])
	return (gap == "'" || gap == "’") && b.w != "s" && b.w != "t" && b.w != "ll" && b.w != "re" && b.w != "ve" && b.w != "d"
}

// joined reports whether b follows a in the same name: only a space, a hyphen or a
// dotted abbreviation's full stop and space between them.
func joined(runes []rune, a, b word) bool {
	gap := string(runes[a.end:b.start])
	return gap == " " || gap == "-" || elided(runes, a, b) || gap == ". " && (dottedAfter(runes, a) || personTitles[strings.ToLower(string(runes[a.start:a.end]))])
}

// credit reports whether [start, end) is in a byline or a photo's credit, which name
// the outlet and its staff rather than actors: within brackets holding names alone
// ("(Meridian News Service)", "[Levant Dispatch/Nour Khalil]"), or after a line's "By".
func credit(runes []rune, start, end int) bool {
	open := start - 1
	for open >= 0 && runes[open] != '(' && runes[open] != '[' && runes[open] != '\n' && runes[open] != ')' && runes[open] != ']' {
		open--
	}
	if open >= 0 && (runes[open] == '(' || runes[open] == '[') {
		closing := end
		for closing < len(runes) && runes[closing] != ')' && runes[closing] != ']' && runes[closing] != '\n' {
			closing++
		}
		if closing < len(runes) && runes[closing] != '\n' {
			inside := runes[open+1 : closing]
			if !slices.ContainsFunc(inside, func(r rune) bool { return unicode.IsDigit(r) }) && !slices.ContainsFunc(strings.Fields(string(inside)), func(w string) bool {
				return unicode.IsLower([]rune(w)[0]) && w != "via" && w != "photo" && w != "file" // "(Qatar Foreign Ministry via Khaleej Observer)", "(Gulf Wire photo)"
			}) {
				return true
			}
		}
	}
	return strings.HasPrefix(string(runes[lineStart(runes, start):start]), "By ")
}

// dateline reports whether a word in capitals at start opens its line, as a dateline's
// place does ("ROME (Meridian News Service) —", "MUSCAT, Oman —").
func dateline(runes []rune, start int) bool {
	return start == 0 || runes[start-1] == '\n'
}

// skipSpace is the position of the first non-space at or after i.
func skipSpace(runes []rune, i int) int {
	for i < len(runes) && unicode.IsSpace(runes[i]) {
		i++
	}
	return i
}

// sentenceStarts marks the words that open a sentence, a line or a quotation, where a
// capital says nothing of a name.
func sentenceStarts(runes []rune, sents []domain.TextRange, words []word) []bool {
	out := make([]bool, len(words))
	k := 0
	for _, s := range sents {
		for k < len(words) && words[k].start < s.Start {
			k++
		}
		if k < len(words) {
			out[k] = true
		}
	}
	for i, w := range words {
		j := w.start - 1
		for j >= 0 && (runes[j] == ' ' || runes[j] == '"' || runes[j] == '“' || runes[j] == '-' || runes[j] == '•' || runes[j] == '*') {
			j--
		}
		if j < 0 || runes[j] == '\n' || runes[j] == ':' || runes[w.start-1] == '"' || runes[w.start-1] == '“' {
			out[i] = true
		}
	}
	return out
}

// titleCaseLines marks the words of lines written in title case or capitals
// (headlines), whose capitals say nothing of names: most of their words of four letters
// or more are capitalised, and so are the common words among them ("Iran And U.S. Wrap
// Up Talks With …"), or every word of three letters or more is. A lead sentence full
// of names and titles ("Italian Foreign Minister Antonio Tajani met …") keeps its
// common words in lower case.
func titleCaseLines(runes []rune, words []word, capitalised func(int) bool) []bool {
	out := make([]bool, len(words))
	for i := 0; i < len(words); {
		long, caps, common, short := 0, 0, false, true
		j := i
		for ; j < len(words) && (j == i || !slices.Contains(runes[words[j-1].end:words[j].start], '\n')); j++ {
			if len(words[j].w) >= 3 && !capitalised(j) {
				short = false
			}
			if len(words[j].w) >= 4 {
				long++
				if capitalised(j) {
					caps++
					common = common || headlineWords[words[j].w]
				}
			}
		}
		if long >= 3 && caps*4 >= long*3 && (common || short) {
			for k := i; k < j; k++ {
				out[k] = true
			}
		}
		i = j
	}
	return out
}

// headlineWords are common words a title-case headline capitalises and running text
// does not.
var headlineWords = setOf("with", "from", "over", "after", "amid", "into", "says", "said", "will", "about", "against",
	"before", "under", "than", "that", "this", "their", "have", "been", "were", "talks", "deal", "meets", "meet", "hold",
	"holds", "back", "more", "what", "when", "where", "says", "warns", "amid", "despite", "ahead", "new", "round", "first")

// proposals are the proposals of names, in their order, from the source: each with its
// spans, and the entities of its node kind the graph holds under names alike
// (sameAs) as suggestions that it is one of them.
func proposals(ctx context.Context, g Graph, names []*newName, runes []rune, source string) ([]domain.Proposal, error) {
	like, err := sameAs(ctx, g, names)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Proposal, len(names))
	for i, n := range names {
		p := domain.Proposal{NodeKind: n.node, Kind: n.kind, Name: n.name, SameAs: like[i], Mentions: proposedMentions(n.spans, runes, source)}
		p.ID = domain.ProposalID(p.NodeKind, p.Name)
		out[i] = p
	}
	return out, nil
}

// proposedMentions are the spans of source naming a proposal, with their quotes.
func proposedMentions(spans []domain.TextRange, runes []rune, source string) []domain.ProposedMention {
	out := make([]domain.ProposedMention, len(spans))
	for i, s := range spans {
		start, end := s.Start, s.End
		out[i] = domain.ProposedMention{Source: source, Quote: string(runes[start:end]), Start: &start, End: &end}
	}
	return out
}

// proposed is a stand-in entity for a proposal, for reading events and candidates: its
// id is the proposal's.
func proposed(p domain.Proposal) domain.Entity {
	base := domain.EntityBase{ID: p.ID, Name: p.Name}
	switch p.NodeKind {
	case domain.KindPlace:
		return &domain.Place{EntityBase: base, Kind: domain.PlaceKind(p.Kind)}
	case domain.KindEvent:
		return &domain.Event{EntityBase: base, Kind: domain.EventKind(p.Kind), Start: p.Start, Precision: p.Precision}
	}
	return &domain.Actor{EntityBase: base, Kind: domain.ActorKind(p.Kind)}
}

// sameAs finds, for each name, the entities of its node kind the graph holds whose
// names are alike (namesAlike). The names' words are looked up in the skeleton index at
// once, and the names holding the words like them in one read.
func sameAs(ctx context.Context, g Graph, names []*newName) ([][]string, error) {
	var words []string
	for _, n := range names {
		words = append(words, significantWords(n.name)...)
	}
	like, err := g.NameWordsLike(ctx, words)
	if err != nil {
		return nil, err
	}
	var lookup []string
	for _, ws := range like {
		lookup = append(lookup, ws...)
	}
	holders, err := g.NamesWithWord(ctx, lookup, []domain.Kind{domain.KindActor, domain.KindPlace}, maxSurnameNames)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(names))
	for i, n := range names {
		mine := significantWords(n.name)
		if len(mine) == 0 {
			continue
		}
		for _, w := range like[mine[len(mine)-1]] {
			for _, node := range holders[w] {
				if node.NodeKind() != n.node || slices.Contains(out[i], node.NodeID()) {
					continue
				}
				if slices.ContainsFunc(domain.Names(node.(domain.Entity)), func(name string) bool { return namesAlike(mine, significantWords(name)) }) {
					out[i] = append(out[i], node.NodeID())
				}
			}
		}
	}
	return out, nil
}

// significantWords are a name's folded words without particles, a leading "al" or
// "el" dropped from a longer word ("albusaidi" is "busaidi").
func significantWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(nameKey(name)) {
		if nameParticles[w] {
			continue
		}
		if len(w) > 5 && (strings.HasPrefix(w, "al") || strings.HasPrefix(w, "el")) {
			w = w[2:]
		}
		out = append(out, w)
	}
	return out
}

// namesAlike reports whether two names' words are, one for one, the same or another
// transliteration of each other (domain.Soundalike).
func namesAlike(a, b []string) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !domain.Soundalike(a[i], b[i]) && !domain.Soundalike(b[i], a[i]) {
			return false
		}
	}
	return true
}

// demonymMentions are the places the text names a state by its people's adjective
// ("Italian Foreign Minister Antonio Tajani"), for reading titles: a mention of the state
// (known or proposed) that named holds by that name.
func demonymMentions(words []word, runes []rune, named []mention) []mention {
	states := map[string]domain.Entity{}
	for _, m := range named {
		if a, ok := m.entity.(*domain.Actor); ok && a.Kind == domain.ActorState {
			for _, n := range domain.Names(a) {
				states[domain.Normalize(n)] = a
			}
		}
	}
	var out []mention
	for _, w := range words {
		if state := states[domain.Normalize(demonyms[w.w])]; state != nil && unicode.IsUpper(runes[w.start]) {
			out = append(out, mention{state, w.start, w.end})
		}
	}
	return out
}
