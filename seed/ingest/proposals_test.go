package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/seed/ingest"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

const tajaniArticle = `ROME (Tiber Wire) — Italian Foreign Minister Antonio Tajani met Abbas Araghchi in Rome on Saturday.

"Italy is glad to help," Tajani told the meeting at the Omani embassy in Rome.`

// mustProposal is the proposal of res named name, failing the test when there is none.
func mustProposal(t *testing.T, res *ingest.Result, name string) domain.Proposal {
	t.Helper()
	i := slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Name == name })
	if i < 0 {
		var names []string
		for _, p := range res.Proposals {
			names = append(names, p.Name+" "+p.Kind)
		}
		t.Fatalf("no proposal named %q among %q", name, names)
	}
	return res.Proposals[i]
}

// mustIngest ingests text as the source id, published when given, into g.
func mustIngest(t *testing.T, g *store.Graph, id string, published *time.Time, text string) *ingest.Result {
	t.Helper()
	res, err := ingest.Ingest(store.WithAuthor(context.Background(), "test"), g, ingest.Article{Source: domain.Source{ID: id,
		Title: id, URL: "https://example.org/" + id, PublishedAt: published, Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// wantCandidate fails the test unless res proposes from typ to.
func wantCandidate(t *testing.T, res *ingest.Result, from string, typ domain.RelationType, to string) {
	t.Helper()
	if !slices.Contains(candidateTriples(res), from+" "+string(typ)+" "+to) {
		t.Errorf("no candidate %s %s %s among %q", from, typ, to, candidateTriples(res))
	}
}

// wantNoProposal fails the test for each of res's proposals unwanted reports, saying why.
func wantNoProposal(t *testing.T, res *ingest.Result, why string, unwanted func(domain.Proposal) bool) {
	t.Helper()
	for _, p := range res.Proposals {
		if unwanted(p) {
			t.Errorf("%s: %q (%+v)", why, p.Name, p)
		}
	}
}

// candidateTriples are res's candidates as "from TYPE to".
func candidateTriples(res *ingest.Result) []string {
	var out []string
	for _, c := range res.Candidates {
		out = append(out, c.From+" "+string(c.Type)+" "+c.To)
	}
	return out
}

// quotesOf are the quotes of p's mentions.
func quotesOf(p domain.Proposal) []string {
	var out []string
	for _, m := range p.Mentions {
		out = append(out, m.Quote)
	}
	return out
}

// wantRoles fails the test unless res proposes each participation ("from to") of want
// with its role, and none where the role wanted is "".
func wantRoles(t *testing.T, res *ingest.Result, want map[string]domain.Role) {
	t.Helper()
	roles := participationRoles(res)
	for key, role := range want {
		if roles[key] != role {
			t.Errorf("%s: role %q, want %q (all: %v)", key, roles[key], role, roles)
		}
	}
}

// participationRoles are the roles res proposes, by "from to" of each participation.
func participationRoles(res *ingest.Result) map[string]domain.Role {
	roles := map[string]domain.Role{}
	for _, c := range res.Candidates {
		if c.Type == domain.RelParticipatedIn {
			roles[c.From+" "+c.To] = c.Role
		}
	}
	return roles
}

// TestIngestProposesNewNames ingests an article naming people, a state and places the
// seed does not hold, and an unknown publisher: each is proposed once with its kind and
// spans, a title between two of them is a candidate between the proposals, and
// accepting the proposals and then the candidate makes entities, mentions and a
// relation with the sentence as evidence; the publisher becomes the source's.
func TestIngestProposesNewNames(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := store.WithAuthor(context.Background(), "test")
	retrieved := time.Date(2025, 4, 19, 20, 0, 0, 0, time.UTC)
	sub := ingest.Submission{Title: "Tajani meets Araghchi", URL: "https://tiber.example/tajani", Publisher: "Tiber Wire", Text: tajaniArticle, PublishedAt: &retrieved}
	res, err := ingest.Submit(ctx, g, sub, retrieved)
	if err != nil {
		t.Fatal(err)
	}
	tajani := mustProposal(t, res, "Antonio Tajani")
	italy := mustProposal(t, res, "Italy")
	rome := mustProposal(t, res, "Rome")
	publisher := mustProposal(t, res, "Tiber Wire")
	for _, c := range []struct {
		p     domain.Proposal
		kind  string
		spans []string
	}{
		{tajani, "PERSON", []string{"Antonio Tajani", "Tajani"}},
		{italy, "STATE", []string{"Italy"}},
		{rome, "CITY", []string{"ROME", "Rome", "Rome"}},
		{publisher, "MEDIA", []string{""}},
	} {
		var spans []string
		for _, m := range c.p.Mentions {
			spans = append(spans, m.Quote)
		}
		if c.p.Kind != c.kind || !slices.Equal(spans, c.spans) {
			t.Errorf("%s: %s %q, want %s %q", c.p.Name, c.p.Kind, spans, c.kind, c.spans)
		}
	}
	if res.Stats.Proposals != len(res.Proposals) {
		t.Errorf("%d proposals new of %d", res.Stats.Proposals, len(res.Proposals))
	}
	i := slices.IndexFunc(res.Candidates, func(c domain.Candidate) bool {
		return c.From == tajani.ID && c.To == italy.ID && c.Type == domain.RelRepresents
	})
	if i < 0 {
		t.Fatalf("no candidate that Tajani REPRESENTS Italy among %+v", res.Candidates)
	}
	represents := res.Candidates[i]

	again, err := ingest.Submit(ctx, g, sub, retrieved)
	if err != nil || again.Stats != (store.WriteStats{}) {
		t.Fatalf("ingesting again wrote %+v: %v", again.Stats, err)
	}

	t.Run("CandidateWaitsForItsProposals", func(t *testing.T) {
		_, _, err := g.Accept(ctx, represents.ID, domain.Review{Confidence: new(0.7)})
		var e *domain.Error
		if !errors.As(err, &e) || e.Field != "from" {
			t.Fatalf("accepting a candidate between pending proposals = %v, want an error on from", err)
		}
	})
	t.Run("Accept", func(t *testing.T) {
		person, _, err := g.AcceptProposal(ctx, tajani.ID, store.ProposalEdit{})
		if err != nil {
			t.Fatal(err)
		}
		state, _, err := g.AcceptProposal(ctx, italy.ID, store.ProposalEdit{ID: "italy"})
		if err != nil {
			t.Fatal(err)
		}
		if person.NodeID() != "antonio-tajani" || person.(*domain.Actor).Kind != domain.ActorPerson || state.NodeID() != "italy" {
			t.Fatalf("accepted as %+v and %+v", person, state)
		}
		mentions, err := g.Mentions(ctx, "antonio-tajani", domain.PageArgs{First: 10})
		if err != nil || mentions.Total != 2 {
			t.Fatalf("Antonio Tajani has %d mentions, want 2: %v", mentions.Total, err)
		}
		rel, _, err := g.Accept(ctx, represents.ID, domain.Review{Confidence: new(0.7)})
		if err != nil {
			t.Fatal(err)
		}
		if rel.From != "antonio-tajani" || rel.To != "italy" || rel.Type != domain.RelRepresents {
			t.Fatalf("the candidate became %+v", rel)
		}
		if _, _, err := g.AcceptProposal(ctx, tajani.ID, store.ProposalEdit{}); err == nil {
			t.Fatal("a proposal was accepted twice")
		}
	})
	t.Run("PublisherBecomesTheSources", func(t *testing.T) {
		media, _, err := g.AcceptProposal(ctx, publisher.ID, store.ProposalEdit{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := g.Node(ctx, res.Source.ID)
		if err != nil || n.(*domain.Source).Publisher != media.NodeID() {
			t.Fatalf("the source's publisher is %+v, want %s: %v", n, media.NodeID(), err)
		}
	})
	t.Run("MergeIntoAnEntity", func(t *testing.T) {
		if _, _, err := g.MergeProposal(ctx, rome.ID, "iran"); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("merging a city into a state = %v, want ErrInvalid", err)
		}
		city, _, err := g.MergeProposal(ctx, rome.ID, "muscat")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(city.Base().Aliases, "Rome") {
			t.Fatalf("merged into %+v: Rome is not an alias", city)
		}
	})
	t.Run("RejectedStaysRejected", func(t *testing.T) {
		embassy := mustProposal(t, res, "Omani embassy")
		naming := slices.IndexFunc(res.Candidates, func(c domain.Candidate) bool { return c.From == embassy.ID || c.To == embassy.ID })
		if _, _, err := g.RejectProposal(ctx, embassy.ID, "not an entity of interest"); err != nil {
			t.Fatal(err)
		}
		if naming < 0 {
			t.Fatalf("no candidate names the embassy (the meeting LOCATED_IN it): %+v", res.Candidates)
		}
		pending, err := g.Candidates(ctx, domain.CandidatePending, domain.PageArgs{First: 100})
		if err != nil || slices.ContainsFunc(pending.Items, func(c *domain.Candidate) bool { return c.ID == res.Candidates[naming].ID }) {
			t.Fatalf("a candidate naming the rejected proposal is still pending: %v", err)
		}
		if _, err := ingest.Submit(ctx, g, sub, retrieved); err != nil {
			t.Fatal(err)
		}
		p, err := g.Proposal(ctx, embassy.ID)
		if err != nil || p.Status != domain.ProposalRejected {
			t.Fatalf("after ingesting again the rejected proposal is %+v: %v", p, err)
		}
	})
	t.Run("AcceptedNamesAreMentions", func(t *testing.T) {
		res, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "later", Title: "Later", URL: "https://example.org/later",
			Text: "Antonio Tajani spoke to reporters in Italy."}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Proposals) != 0 || !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Subject == "antonio-tajani" }) {
			t.Fatalf("a later article proposes %+v and mentions %+v", res.Proposals, res.Mentions)
		}
	})
}

// TestIngestProposesEvents ingests an article reporting a round of talks the graph does
// not hold, dated relative to its publication: the round is proposed as an event with
// its day and every report of it, its participants and place are candidates, and
// accepted, it is an event of that day. A war the graph holds, named by a word of its
// name and its month, is linked instead.
func TestIngestProposesEvents(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := store.WithAuthor(context.Background(), "test")
	published := time.Date(2025, 4, 19, 18, 40, 0, 0, time.UTC)
	text := "Abbas Araghchi and Steve Witkoff held a second round of talks in Muscat on Saturday, with Oman mediating.\n\n" +
		"The talks lasted four hours. It was their first meeting since the war in June."
	res, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "round", Title: "Round", URL: "https://example.org/round", PublishedAt: &published, Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	round := mustProposal(t, res, "Second round of talks in Muscat, 19 April 2025")
	var spans []string
	for _, m := range round.Mentions {
		spans = append(spans, m.Quote)
	}
	if round.NodeKind != domain.KindEvent || round.Kind != string(domain.EventNegotiation) || round.Precision != domain.PrecisionDay ||
		!slices.Equal(spans, []string{"second round of talks", "talks", "meeting"}) {
		t.Fatalf("the round is proposed as %+v with spans %q", round, spans)
	}
	for _, want := range []struct {
		from, to string
		role     domain.Role
	}{{"araghchi", round.ID, domain.RoleParticipant}, {"witkoff", round.ID, domain.RoleParticipant}, {"oman", round.ID, domain.RoleMediator}} {
		if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool { return c.From == want.from && c.To == want.to && c.Role == want.role }) {
			t.Errorf("no candidate that %s took part in the round as %s: %+v", want.from, want.role, res.Candidates)
		}
	}
	event, _, err := g.AcceptProposal(ctx, round.ID, store.ProposalEdit{})
	if err != nil {
		t.Fatal(err)
	}
	if ev := event.(*domain.Event); ev.Start == nil || !ev.Start.Equal(time.Date(2025, 4, 19, 0, 0, 0, 0, time.UTC)) || ev.Precision != domain.PrecisionDay || len(ev.Aliases) != 0 {
		t.Fatalf("the accepted round is %+v", ev)
	}
}

// TestIngestProposesPositions ingests sentences stating stances: each is a position's
// candidate, and accepted, a position of its holder on its topic; one the graph holds
// already gains the sentence as evidence instead.
func TestIngestProposesPositions(t *testing.T) {
	g := storetest.MustSeeded(t)
	ctx := store.WithAuthor(context.Background(), "test")
	text := "Iran has ruled out any limits on its ballistic missile programme.\n\n" +
		"Tehran insists the talks stay limited to its nuclear programme."
	res, err := ingest.Ingest(ctx, g, ingest.Article{Source: domain.Source{ID: "stances", Title: "Stances", URL: "https://example.org/stances", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	find := func(stance domain.Stance, topic string) domain.Candidate {
		t.Helper()
		i := slices.IndexFunc(res.Candidates, func(c domain.Candidate) bool { return c.Stance == stance && c.To == topic && c.From == "iran" })
		if i < 0 {
			t.Fatalf("no candidate that Iran %s %s: %+v", stance, topic, res.Candidates)
		}
		return res.Candidates[i]
	}
	missiles, nuclear := find(domain.StanceRulesOut, "ballistic-missiles"), find(domain.StanceWillingToDiscuss, "iran-nuclear-programme")
	if _, _, err := g.Accept(ctx, missiles.ID, domain.Review{Confidence: new(0.7)}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("accepting a position's candidate as a relation = %v, want ErrInvalid", err)
	}
	pos, _, err := g.AcceptPosition(ctx, missiles.ID, "", new(0.7))
	if err != nil {
		t.Fatal(err)
	}
	if pos.Holder != "iran" || pos.Topic != "ballistic-missiles" || pos.Stance != domain.StanceRulesOut {
		t.Fatalf("the candidate became %+v", pos)
	}
	held, _, err := g.AcceptPosition(ctx, nuclear.ID, "", new(0.7))
	if err != nil {
		t.Fatal(err)
	}
	evs, err := g.Evidence(ctx, []string{held.ID})
	if err != nil || held.ID != "iran-nuclear-talks-only" || !slices.ContainsFunc(evs[0], func(ev *domain.Evidence) bool { return ev.Source == "stances" }) {
		t.Fatalf("the held position is %+v with evidence %+v (%v); want the seed's, corroborated", held, evs, err)
	}
}

// TestIngestLinksByWhatTheGraphKnows ingests one report of talks at two publication
// dates. The seed's Muscat talks are undated, but came after the June 2025 war: a
// report of February 2026 links to them (their window, place and parties agree) while
// the same report of April 2025 does not. Titles beside a person restate the relations
// the graph holds of them, a sentence restating a held relation proposes it with its
// held role, a role phrase set beside a person by a comma names the
// person, a phrase sharing words with a held event's name besides its noun names it
// ("threats of military action"), a statement's speaker is its initiator, actors spending time
// together at the article's head take part in the event it leads with, and a body a
// state's name anchors is a member of the state.
func TestIngestLinksByWhatTheGraphKnows(t *testing.T) {
	text := "The United States and Iran met in Muscat on Friday. The talks lasted four hours.\n\n" +
		"Steve Witkoff, President Donald Trump's special envoy, said little.\n\n" +
		"Oman said in a statement that both sides were serious. Jared Kushner and Abbas Araghchi spent an hour alone.\n\n" +
		"Iran's foreign ministry called the atmosphere calm. Washington's threats of military action hung over the day.\n\n" +
		"The United States took part in the June war."
	ingestAt := func(t *testing.T, published time.Time) *ingest.Result {
		t.Helper()
		g := storetest.MustSeeded(t)
		res, err := ingest.Ingest(store.WithAuthor(context.Background(), "test"), g, ingest.Article{Source: domain.Source{ID: "muscat-report",
			Title: "Muscat", URL: "https://example.org/muscat", PublishedAt: &published, Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	linked := func(res *ingest.Result) []string {
		var quotes []string
		for _, m := range res.Mentions {
			if m.Subject == "muscat-talks" {
				quotes = append(quotes, m.Quote)
			}
		}
		return quotes
	}
	t.Run("after the war", func(t *testing.T) {
		res := ingestAt(t, time.Date(2026, 2, 6, 18, 0, 0, 0, time.UTC))
		if got := linked(res); !slices.Equal(got, []string{"talks"}) {
			t.Errorf("mentions of the Muscat talks = %q, want the noun alone (a verb reports an event, it does not name it)", got)
		}
		for _, want := range [][3]string{{"witkoff", "REPRESENTS", "united-states"}, {"trump", "LEADS", "united-states"},
			{"united-states", "PARTICIPATED_IN", "muscat-talks"}, {"iran", "PARTICIPATED_IN", "muscat-talks"},
			{"kushner", "PARTICIPATED_IN", "muscat-talks"}, {"araghchi", "PARTICIPATED_IN", "muscat-talks"},
			{mustProposal(t, res, "Iran's foreign ministry").ID, "MEMBER_OF", "iran"}} {
			if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
				return c.From == want[0] && string(c.Type) == want[1] && c.To == want[2]
			}) {
				t.Errorf("no candidate %v among %+v", want, res.Candidates)
			}
		}
		if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Subject == "us-military-threats" && m.Quote == "threats" }) {
			t.Errorf("\"threats of military action\" is not a mention of the threats the graph holds: %+v", res.Mentions)
		}
		if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool {
			return m.Subject == "witkoff" && strings.HasSuffix(m.Quote, "Trump's special envoy")
		}) {
			t.Errorf("the role phrase beside Steve Witkoff is not a mention of him: %+v", res.Mentions)
		}
		if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
			return c.From == "united-states" && c.To == "june-war" && c.Role == domain.RoleSupporter
		}) {
			t.Errorf("the United States' part in the June war, as the graph holds it, is not restated: %+v", res.Candidates)
		}
		statement := mustProposal(t, res, "Oman statement, 6 February 2026")
		if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
			return c.From == "oman" && c.To == statement.ID && c.Role == domain.RoleInitiator
		}) {
			t.Errorf("Oman is not proposed as the statement's initiator: %+v", res.Candidates)
		}
	})
	t.Run("before the war", func(t *testing.T) {
		res := ingestAt(t, time.Date(2025, 4, 12, 18, 0, 0, 0, time.UTC))
		if got := linked(res); len(got) > 0 {
			t.Errorf("talks of April 2025 are linked to the Muscat talks the June war preceded: %q", got)
		}
		mustProposal(t, res, "Meeting in Muscat, 11 April 2025")
	})
}

// TestIngestProposesChronology ingests two numbered, dated rounds of talks before the
// June 2025 war: the first PRECEDED the second, and each is PART_OF the seed's series of
// earlier rounds, whose window the war's date bounds; a round after the war is not.
func TestIngestProposesChronology(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 8, 20, 12, 0, 0, 0, time.UTC)
	text := "Iran and the United States held a first round of talks in Muscat on April 12. " +
		"A second round of talks between Iran and the United States followed in Rome on April 19.\n\n" +
		"A seventh round of talks between Iran and the United States was held in Muscat on August 18."
	res := mustIngest(t, g, "rounds", &published, text)
	first := mustProposal(t, res, "First round of talks in Muscat, 12 April 2025")
	second := mustProposal(t, res, "Second round of talks in Rome, 19 April 2025")
	seventh := mustProposal(t, res, "Seventh round of talks in Muscat, 18 August 2025")
	has := func(from, typ, to string) bool {
		return slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool { return c.From == from && string(c.Type) == typ && c.To == to })
	}
	for _, want := range [][3]string{{first.ID, "PRECEDED", second.ID}, {second.ID, "PRECEDED", seventh.ID},
		{first.ID, "PART_OF", "earlier-talks"}, {second.ID, "PART_OF", "earlier-talks"}} {
		if !has(want[0], want[1], want[2]) {
			t.Errorf("no candidate %v among %+v", want, res.Candidates)
		}
	}
	if has(seventh.ID, "PART_OF", "earlier-talks") {
		t.Errorf("a round after the war is proposed as part of the rounds the war broke off")
	}
}

// TestIngestProposesPlacesInPlaces ingests a place named before the larger place it lies
// in, and a named part of a place: each is proposed LOCATED_IN the larger.
func TestIngestProposesPlacesInPlaces(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Smoke rose over the Fordow Fuel Enrichment Plant in central Iran on Friday.\n\nShops in Tehran's Grand Bazaar stayed shut.\n\n" +
		"Talks were held at Tahrir Palace, the ministry's guest house in central Muscat."
	res := mustIngest(t, g, "places", nil, text)
	for _, want := range [][2]string{{mustProposal(t, res, "Fordow Fuel Enrichment Plant").ID, "iran-country"}, {mustProposal(t, res, "Grand Bazaar").ID, "tehran"},
		{mustProposal(t, res, "Tahrir Palace").ID, "muscat"}} {
		if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
			return c.From == want[0] && c.Type == domain.RelLocatedIn && c.To == want[1]
		}) {
			t.Errorf("no candidate that %s is LOCATED_IN %s among %+v", want[0], want[1], res.Candidates)
		}
	}
}

// TestIngestPlacesAStrikeAtTheSitesItHit: a list of places, then an apposition saying
// a strike hit them, places the strike at each.
func TestIngestPlacesAStrikeAtTheSitesItHit(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 25, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "sites", &published, "Inspectors want to go back to Fordow, Natanz and Isfahan, the sites hit by U.S. bombers in June.")
	for _, site := range []string{"Fordow", "Natanz", "Isfahan"} {
		wantCandidate(t, res, "us-bombing-nuclear-facilities", domain.RelLocatedIn, mustProposal(t, res, site).ID)
	}
}

// TestIngestPlacesAnActAtSea: a clause going on about an act at sea still tells where it
// was.
func TestIngestPlacesAnActAtSea(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 6, 12, 0, 0, 0, time.UTC)
	text := "On Tuesday, the U.S. military said one of its fighter jets had shot down an Iranian drone that approached the aircraft carrier USS Abraham Lincoln in the Arabian Sea."
	wantCandidate(t, mustIngest(t, g, "at-sea", &published, text), "drone-incident", domain.RelLocatedIn, "arabian-sea")
}

// TestIngestReadsWhoImposes: the body named before sanctions imposes them.
func TestIngestReadsWhoImposes(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "imposes", &published, "The European Union said the U.N. sanctions came back into force on Sept. 28, 2025.")
	sanctions := mustProposal(t, res, "Sanctions, 28 September 2025")
	if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
		return c.To == sanctions.ID && c.Type == domain.RelParticipatedIn && c.Role == domain.RoleInitiator && c.From == mustProposal(t, res, "U.N").ID
	}) {
		t.Errorf("the U.N. does not initiate its sanctions among %q", candidateTriples(res))
	}
	// Who introduces a resolution initiates it.
	res = mustIngest(t, g, "introduces", &published, "Rep. Tom Galloway, R-Texas, introduced a resolution on Wednesday.")
	wantRoles(t, res, map[string]domain.Role{mustProposal(t, res, "Tom Galloway").ID + " " + mustProposal(t, res, "Resolution, 1 October 2025").ID: domain.RoleInitiator})
}

// TestIngestKeepsEnvoysOutOfAWar: the envoys a sentence names beside a war take no part
// in it.
func TestIngestKeepsEnvoysOutOfAWar(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 6, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "war", &published, "The June war derailed the earlier rounds of talks, which Mr. Witkoff and Araghchi had held in Muscat and Rome.")
	for _, c := range res.Candidates {
		if c.To == "june-war" && (c.From == "witkoff" || c.From == "araghchi") {
			t.Errorf("an envoy takes part in the war: %q", candidateTriples(res))
		}
	}
}

// TestIngestReadsWhereSomeoneWorks: a person an apposition or a relative clause places
// at a body is MEMBER_OF it, past where the body is based and whose the person was.
func TestIngestReadsWhereSomeoneWorks(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "\"It is a start,\" said Hana Mansour, who directs the Gulf program at the Beirut-based Levant Policy Forum.\n\n" +
		"\"The easy part,\" said Ahmed al-Siyabi, a former Omani diplomat who teaches international relations at Sultan Qaboos University."
	res := mustIngest(t, g, "works-at", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Hana Mansour").ID, domain.RelMemberOf, mustProposal(t, res, "Levant Policy Forum").ID)
	wantCandidate(t, res, mustProposal(t, res, "Ahmed al-Siyabi").ID, domain.RelMemberOf, mustProposal(t, res, "Sultan Qaboos University").ID)

	// Speaking for a body, or a title at it with no article, places one there too; doing
	// something at a place does not.
	text = "\"We will not be an arena,\" said Majed al-Ansari, the spokesman for Qatar's foreign ministry.\n\n" +
		"The U.S. team was led by Michael Anton, director of policy planning at the State Department.\n\n" +
		"Ayatollah Hassan Sadeghinia, addressing worshippers at Tehran University, warned the negotiators."
	res = mustIngest(t, g, "works-for", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Majed al-Ansari").ID, domain.RelMemberOf, mustProposal(t, res, "Qatar's foreign ministry").ID)
	wantCandidate(t, res, mustProposal(t, res, "Michael Anton").ID, domain.RelMemberOf, mustProposal(t, res, "State Department").ID)
	for _, c := range candidateTriples(res) {
		if strings.HasPrefix(c, mustProposal(t, res, "Hassan Sadeghinia").ID+" MEMBER_OF") {
			t.Errorf("a preacher is a member of where he preaches: %s", c)
		}
	}
}

// TestIngestReadsTitlesAfterNames ingests a title set after a person's name, of a body:
// the person LEADS it for a head's title.
func TestIngestReadsTitlesAfterNames(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Rafael Grossi, the director general of the International Atomic Energy Agency, said inspectors must return."
	res := mustIngest(t, g, "titles", nil, text)
	grossi, agency := mustProposal(t, res, "Rafael Grossi"), mustProposal(t, res, "International Atomic Energy Agency")
	wantCandidate(t, res, grossi.ID, domain.RelLeads, agency.ID)
}

// TestIngestProposesPlaceNamesAndSkipsCredits: a word before a place's one common word
// stays in its name ("Persian Gulf"), a photo's credit naming its source "via" an
// outlet, or the outlet's photo, proposes nothing, and an outlet named in the text is
// media.
func TestIngestProposesPlaceNamesAndSkipsCredits(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Tankers crossed the Persian Gulf on Monday.\n\nPhoto: Ministers meet in Doha. (Qatar Foreign Ministry via Khaleej Observer)\n\n" +
		"Photo: Envoys arrive. (Gulf Wire photo)\n\nThe talks went on, according to a summary seen by Alpine Wire."
	res := mustIngest(t, g, "gulf", nil, text)
	if gulf := mustProposal(t, res, "Persian Gulf"); gulf.Kind != string(domain.PlaceSea) {
		t.Errorf("the Persian Gulf is proposed as %s", gulf.Kind)
	}
	wantNoProposal(t, res, "a photo credit is proposed", func(p domain.Proposal) bool {
		return strings.Contains(p.Name, "Khaleej") || strings.Contains(p.Name, "Ministry") || strings.Contains(p.Name, "Gulf Wire")
	})
	if outlet := mustProposal(t, res, "Alpine Wire"); outlet.Kind != string(domain.ActorMedia) {
		t.Errorf("a wire service is proposed as %s", outlet.Kind)
	}
}

// TestIngestProposesAnchoredForces: "the U.S. military" said something, a body the
// state anchors; "a U.S. military base" names none.
func TestIngestProposesAnchoredForces(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"The U.S. military said the drone was shot down.", true},
		{"Missiles hit the largest U.S. military base in the region.", false},
	} {
		g := storetest.MustSeeded(t)
		res, err := ingest.Ingest(store.WithAuthor(context.Background(), "test"), g, ingest.Article{Source: domain.Source{ID: "forces",
			Title: "Forces", URL: "https://example.org/forces", Text: c.text}})
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.ActorArmedForce) })
		if got != c.want {
			t.Errorf("%q: an armed force proposed %v, want %v (%+v)", c.text, got, c.want, res.Proposals)
		}
	}
}

// TestIngestReadsStancesOfAList: under a heading naming its holder, a list's items hold
// the heading's stance when they state none, and the heading's actor holds the stance
// an item states without naming who.
func TestIngestReadsStancesOfAList(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Where the two sides stand.\n\nWhat the U.S. is asking for:\n- limits on Iran's ballistic missiles\n\n" +
		"What Iran says:\n- ballistic missiles are ruled out\n"
	res := mustIngest(t, g, "lists", nil, text)
	for _, want := range []struct {
		holder string
		stance domain.Stance
	}{{"united-states", domain.StanceDemands}, {"iran", domain.StanceRulesOut}} {
		if !slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool {
			return c.From == want.holder && c.To == "ballistic-missiles" && c.Stance == want.stance
		}) {
			t.Errorf("no position of %s %s on the missiles among %+v", want.holder, want.stance, res.Candidates)
		}
	}
}

// TestIngestFindsWhoHoldsAStance: the holder is the sentence's actor, not the owner a
// topic's name begins with, a state's adjective on a thing, nor an actor a quotation
// names; a stance word inside a topic's name states nothing.
func TestIngestFindsWhoHoldsAStance(t *testing.T) {
	for _, c := range []struct {
		name, text    string
		holder, topic string
		stance        domain.Stance
		notHolder     string
	}{
		{"topic's owner", "Washington wants Iran's ballistic missile program on the agenda, and has demanded that Iran give up its enriched uranium stockpile.",
			"", "enriched-uranium-stockpile", domain.StanceDemands, "iran"},
		{"adjective on a thing", "Iran and Qatar met. Washington welcomed the Qatari role and still wanted any agreement to address Iran's ballistic missile program.",
			"united-states", "ballistic-missiles", domain.StanceDemands, "qatar"},
		{"quotation", "Baghaei said:\n\n- demands on human rights, which he called \"Iran's internal affairs,\" are \"non-starters\";\n",
			"", "human-rights", domain.StanceDemands, "iran"},
		{"stance word in a topic's name", "What the U.S. is asking for:\n- an end to support for regional groups\n",
			"united-states", "support-for-regional-groups", domain.StanceDemands, ""},
		{"five words", "Iranian officials repeated on Saturday that Iran's ballistic missiles are not part of the negotiations.",
			"iran", "ballistic-missiles", domain.StanceRulesOut, ""},
		{"a resolution calling for", "Washington introduced a resolution on Wednesday calling for any agreement to cover Iran's ballistic missiles.",
			"united-states", "ballistic-missiles", domain.StanceDemands, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := mustIngest(t, storetest.MustSeeded(t), "holders", nil, c.text)
			for _, cand := range res.Candidates {
				if cand.Stance != "" && cand.To == c.topic && cand.From == c.notHolder && c.notHolder != "" {
					t.Errorf("%s holds %s on %s", cand.From, cand.Stance, cand.To)
				}
			}
			if c.holder != "" && !slices.ContainsFunc(res.Candidates, func(cand domain.Candidate) bool {
				return cand.From == c.holder && cand.To == c.topic && cand.Stance == c.stance
			}) {
				t.Errorf("no %s %s on %s among %+v", c.holder, c.stance, c.topic, res.Candidates)
			}
		})
	}
}

// TestIngestReadsStatementsBySpeakerAndDay: a statement is made by the person a "he"
// outside the quotation stands for, on the day its paragraph tells of ("went further on
// Monday"), not on the day of publication; "he" inside a quotation takes part in
// nothing.
func TestIngestReadsStatementsBySpeakerAndDay(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 23, 18, 0, 0, 0, time.UTC) // a Friday
	text := "Abbas Araghchi went further on Monday. \"Enrichment is our right,\" he told reporters in Tehran.\n\n" +
		"\"He met them in Muscat,\" an official said."
	res := mustIngest(t, g, "speakers", &published, text)
	i := slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.EventStatement) })
	if i < 0 {
		t.Fatalf("no statement proposed among %+v", res.Proposals)
	}
	statement := res.Proposals[i]
	if statement.Start == nil || !statement.Start.Equal(time.Date(2025, 5, 19, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the statement is dated %v, want Monday 19 May 2025", statement.Start)
	}
	var byAraghchi []string
	for _, c := range res.Candidates {
		if c.From == "araghchi" {
			byAraghchi = append(byAraghchi, string(c.Type)+" "+c.To+" "+string(c.Role))
		}
	}
	if want := []string{"PARTICIPATED_IN " + statement.ID + " INITIATOR"}; !slices.Equal(byAraghchi, want) {
		t.Errorf("Araghchi's candidates are %q, want %q", byAraghchi, want)
	}
}

// TestIngestReadsParticipantsFromPhrases: the agents after "launched by" initiate the
// event, the parties after "between" take part in it, and a state joined to
// "-brokered" mediates it.
func TestIngestReadsParticipantsFromPhrases(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 25, 12, 0, 0, 0, time.UTC)
	text := "A meeting between Qatar and Egypt was held on Saturday. A war ended in a U.S.-brokered ceasefire on June 24.\n\n" +
		"The snapback process launched by Britain and Germany on Aug. 28 restores sanctions."
	res := mustIngest(t, g, "phrases", &published, text)
	meeting := mustProposal(t, res, "Meeting, 19 July 2025")
	ceasefire := mustProposal(t, res, "Ceasefire, 24 June 2025")
	snapback := mustProposal(t, res, "Snapback, 28 August 2025")
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Qatar").ID + " " + meeting.ID:    domain.RoleParticipant,
		mustProposal(t, res, "Egypt").ID + " " + meeting.ID:    domain.RoleParticipant,
		"united-states " + ceasefire.ID:                        domain.RoleMediator,
		mustProposal(t, res, "Britain").ID + " " + snapback.ID: domain.RoleInitiator,
		mustProposal(t, res, "Germany").ID + " " + snapback.ID: domain.RoleInitiator,
	})
}

// TestIngestJoinsASurnameOpeningASentence: a surname opening a sentence is a mention
// of the person the article names in full, while a capitalised word opening a
// sentence with no full name to join is no proposal.
func TestIngestJoinsASurnameOpeningASentence(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Oman's foreign minister, Badr Al Bousaidi, carried messages in Rome. Bousaidi, who also mediated the first round, stayed on. Mediators were hopeful."
	res := mustIngest(t, g, "surnames", nil, text)
	quotes := quotesOf(mustProposal(t, res, "Badr Al Bousaidi"))
	if !slices.Equal(quotes, []string{"Badr Al Bousaidi", "Bousaidi"}) {
		t.Errorf("Badr Al Bousaidi's mentions are %q", quotes)
	}
	if slices.ContainsFunc(res.Proposals, func(p domain.Proposal) bool { return p.Name == "Mediators" }) {
		t.Errorf("a word opening a sentence is proposed: %+v", res.Proposals)
	}
}

// TestIngestReadsTitlesOfAnchoredBodies: "the commander of U.S. Central Command" is a
// title of the body, which the state anchors: the person LEADS the body, the body is
// MEMBER_OF the state, and the person is not proposed as the state's representative.
// "CENTCOM", the first syllables of the body's name, names the body.
func TestIngestReadsTitlesOfAnchoredBodies(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Adm. Brad Cooper, the commander of U.S. Central Command, said the carrier group had acted with restraint. " +
		"The drone was destroyed, according to CENTCOM."
	res := mustIngest(t, g, "anchored", nil, text)
	cooper, command := mustProposal(t, res, "Brad Cooper"), mustProposal(t, res, "Central Command")
	if !slices.ContainsFunc(command.Mentions, func(m domain.ProposedMention) bool { return m.Quote == "CENTCOM" }) {
		t.Errorf("CENTCOM is not a mention of Central Command: %+v", command.Mentions)
	}
	got := candidateTriples(res)
	for _, want := range []string{cooper.ID + " LEADS " + command.ID, command.ID + " MEMBER_OF united-states"} {
		if !slices.Contains(got, want) {
			t.Errorf("no candidate %q among %q", want, got)
		}
	}
	if slices.Contains(got, cooper.ID+" REPRESENTS united-states") {
		t.Errorf("the body's commander is proposed as the state's representative: %q", got)
	}
}

// TestIngestReadsTitlesWhereASentenceOpens: a sentence opening "In Tehran," puts a
// titled person in it in Iran's service when the sentence names no state; Secretary of
// State is a title, not part of the name after it, even inside a longer title.
func TestIngestReadsTitlesWhereASentenceOpens(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran and the United States held talks on Friday. In Tehran, foreign ministry spokesman Esmaeil Baqaei said the talks were useful. " +
		"Secretary of State Marco Rubio said they were a first step. Deputy Assistant Secretary of State Karen Whitlow agreed."
	res := mustIngest(t, g, "where", nil, text)
	baqaei := mustProposal(t, res, "Esmaeil Baqaei")
	mustProposal(t, res, "Marco Rubio")
	mustProposal(t, res, "Karen Whitlow")
	wantCandidate(t, res, baqaei.ID, domain.RelRepresents, "iran")
}

// TestIngestReadsTheStateATitleImplies: an office only one state has ("Secretary of
// State", "Supreme Leader") is that state's, and leads its body ("Treasury Secretary");
// a government's title with no state ("Foreign Minister") is the one state the
// sentence sets someone in, but not a state only its adjective or capital names
// ("Washington had broken its word").
func TestIngestReadsTheStateATitleImplies(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran and the United States held talks on Friday. Secretary of State Marco Rubio said they were a first step. " +
		"Supreme Leader Ayatollah Ali Khamenei did not comment. Oman's foreign ministry said Foreign Minister Sayyid Badr Albusaidi would stay in contact. " +
		"Later, foreign ministry spokesman Esmaeil Baqaei said Washington had broken its word."
	res := mustIngest(t, g, "offices", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Marco Rubio").ID, domain.RelRepresents, "united-states")
	wantCandidate(t, res, mustProposal(t, res, "Ali Khamenei").ID, domain.RelLeads, "iran")
	wantCandidate(t, res, mustProposal(t, res, "Badr Albusaidi").ID, domain.RelRepresents, "oman")
	// A monarchy's prime minister represents it; its monarch leads it.
	res3 := mustIngest(t, g, "monarchy", nil, "Qatar's prime minister, Sheikh Mohammed bin Abdulrahman Al Thani, helped secure a ceasefire. Israel's prime minister, Benjamin Netanyahu, welcomed it.")
	wantCandidate(t, res3, mustProposal(t, res3, "Mohammed bin Abdulrahman Al Thani").ID, domain.RelRepresents, mustProposal(t, res3, "Qatar").ID)
	wantCandidate(t, res3, mustProposal(t, res3, "Benjamin Netanyahu").ID, domain.RelLeads, "israel")
	// The office's own body, when the article names it, is the holder's to lead.
	res2 := mustIngest(t, g, "office-body", nil, "The U.S. Treasury imposed sanctions on Wednesday.\n\nTreasury Secretary Scott Bessent said the network was closed.")
	wantCandidate(t, res2, mustProposal(t, res2, "Scott Bessent").ID, domain.RelLeads, mustProposal(t, res2, "U.S. Treasury").ID)
	baqaei := mustProposal(t, res, "Esmaeil Baqaei").ID
	for _, c := range candidateTriples(res) {
		if strings.HasPrefix(c, baqaei+" REPRESENTS") {
			t.Errorf("the spokesman is given a state the sentence only speaks of: %s", c)
		}
	}
}

// TestIngestPlacesKnownSitesInTheirCountry: a site the gazetteer knows is in its
// country when the sentence names the country too, however it puts them.
func TestIngestPlacesKnownSitesInTheirCountry(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Inspectors have made a few visits in Iran since the autumn, none of them at Fordow or Natanz."
	res := mustIngest(t, g, "sites", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Fordow").ID, domain.RelLocatedIn, "iran-country")
	wantCandidate(t, res, mustProposal(t, res, "Natanz").ID, domain.RelLocatedIn, "iran-country")
}

// TestIngestReadsWhoSaysItActed: a force saying it shot a drone down took part in the
// shootdown, as the graph's parties to the known incident do (PARTICIPANT); a body
// telling of another's act took no part in it.
func TestIngestReadsWhoSaysItActed(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	text := "The U.S. Navy said on Tuesday that it had shot down an Iranian drone over the Arabian Sea.\n\nThe Pentagon said a barrage of Iranian missiles struck the base on Wednesday."
	res := mustIngest(t, g, "self-reported", &published, text)
	navy, pentagon := mustProposal(t, res, "U.S. Navy").ID, mustProposal(t, res, "Pentagon").ID
	wantRoles(t, res, map[string]domain.Role{navy + " drone-incident": domain.RoleParticipant})
	for key := range participationRoles(res) {
		if strings.HasPrefix(key, pentagon+" ") {
			t.Errorf("the Pentagon takes part in what it tells of: %s", key)
		}
	}
}

// TestIngestOrdersProtestsBeforeTheirCrackdown: protests a crackdown is "on", or that
// security forces "answer with" one, came first.
func TestIngestOrdersProtestsBeforeTheirCrackdown(t *testing.T) {
	g := storetest.MustSeeded(t)
	for _, text := range []string{
		"The diplomacy is unfolding weeks after a crackdown on nationwide protests.",
		"Protests began in the bazaar and spread across the country; security forces answered with a crackdown.",
	} {
		res := mustIngest(t, g, "crackdown", nil, text)
		wantCandidate(t, res, "iran-protests", domain.RelPreceded, "iran-crackdown")
	}
}

// TestIngestReadsWhoBrokers: who helps "broker" a ceasefire is its MEDIATOR.
func TestIngestReadsWhoBrokers(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "broker", nil, "Qatar went on to help broker the ceasefire that ended the war.")
	wantRoles(t, res, map[string]domain.Role{mustProposal(t, res, "Qatar").ID + " " + mustProposal(t, res, "Ceasefire").ID: domain.RoleMediator})
}

// TestIngestReadsWhatDerailedTalks: strikes that derailed talks DISRUPTED them.
func TestIngestReadsWhatDerailedTalks(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 6, 14, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "derailed", &published, "Israeli strikes on Iranian nuclear sites on June 13 derailed the sixth round of talks planned for June 15 in Muscat.")
	wantCandidate(t, res, mustProposal(t, res, "Strikes, 13 June 2025").ID, domain.RelDisrupted, mustProposal(t, res, "Sixth round of talks in Muscat, 15 June 2025").ID)
}

// TestIngestReadsAWarsParts: a strike starting a war and the ceasefire a war ended in
// are PART_OF it.
func TestIngestReadsAWarsParts(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	text := "Israel struck Iranian nuclear sites, starting a 12-day war.\n\nThe 12-day war between Israel and Iran ended in a U.S.-brokered ceasefire on June 24."
	res := mustIngest(t, g, "war-parts", &published, text)
	wantCandidate(t, res, "israeli-attacks-nuclear-sites-scientists", domain.RelPartOf, "june-war")
	wantCandidate(t, res, mustProposal(t, res, "Ceasefire, 24 June 2025").ID, domain.RelPartOf, "june-war")
}

// TestIngestOrdersEventsOfTwoKindsByTheirDays: a call on Monday PRECEDED a meeting on
// Tuesday the same sentence tells of.
func TestIngestOrdersEventsOfTwoKindsByTheirDays(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 12, 9, 0, 0, 0, time.UTC)
	text := "On Monday, Sheikh Mohammed called U.S. special envoy Steve Witkoff, and on Tuesday he met Abbas Araghchi in Doha."
	res := mustIngest(t, g, "two-kinds", &published, text)
	wantCandidate(t, res, mustProposal(t, res, "Call, 9 February 2026").ID, domain.RelPreceded, mustProposal(t, res, "Meeting in Doha, 10 February 2026").ID)
}

// TestIngestDatesByTheDayHeldNotTheDayOnceSet: talks "which had been scheduled for
// Wednesday" but "were held the same day" are of that day.
func TestIngestDatesByTheDayHeldNotTheDayOnceSet(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 26, 19, 0, 0, 0, time.UTC)
	text := "Iran and the United States held a third round of talks in Muscat on Saturday.\n\n" +
		"The expert-level talks, which had been scheduled for Wednesday, were held the same day in separate rooms."
	res := mustIngest(t, g, "once-set", &published, text)
	wantNoProposal(t, res, "dated to the day the talks were once set for", func(p domain.Proposal) bool {
		return p.Start != nil && p.Start.Day() == 30
	})
}

// TestIngestKeepsTheExpertsTalksApart: the experts' talks held beside a round are not
// the round but PART_OF it, and the day's "negotiations" after them are the round's.
func TestIngestKeepsTheExpertsTalksApart(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 26, 19, 0, 0, 0, time.UTC)
	text := "Iran and the United States held a third round of talks in Muscat on Saturday.\n\n" +
		"The expert-level talks were held the same day in separate rooms.\n\n" +
		"Iranian officials repeated on Saturday that missiles are not part of the negotiations."
	res := mustIngest(t, g, "experts", &published, text)
	round, experts := mustProposal(t, res, "Third round of talks in Muscat, 26 April 2025"), mustProposal(t, res, "Talks, 26 April 2025")
	wantCandidate(t, res, experts.ID, domain.RelPartOf, round.ID)
	if len(experts.Mentions) != 1 {
		t.Errorf("the experts' talks have %d spans, want their own one: %v", len(experts.Mentions), quotesOf(experts))
	}
}

// TestIngestPlacesWhatWasHeldThere: an event "held there" is where the text named last.
func TestIngestPlacesWhatWasHeldThere(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 24, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "there", &published, "The talks began in Muscat on April 12. The fourth round was held there on May 11.")
	wantCandidate(t, res, mustProposal(t, res, "Fourth round of talks, 11 May 2025").ID, domain.RelLocatedIn, "muscat")
}

// TestIngestReadsWhoGreetsBeforeTalks: who greets whom before talks, as a caption
// tells, take part in them.
func TestIngestReadsWhoGreetsBeforeTalks(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Photo: Omani Foreign Minister Badr Albusaidi, right, greets Iranian Foreign Minister Abbas Araghchi before talks in Muscat, Oman, on Feb. 6, 2026."
	res := mustIngest(t, g, "greets", nil, text)
	talks := res.Proposals[slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.EventNegotiation) })].ID
	albusaidi := mustProposal(t, res, "Badr Albusaidi").ID
	if roles := participationRoles(res); roles[albusaidi+" "+talks] == "" || roles["araghchi "+talks] == "" {
		t.Errorf("who greets whom before the talks takes no part in them: %v", roles)
	}
}

// TestIngestKeepsAMediatorAMediator: who mediates one round mediates the article's
// others it is named at, though the words there say only that it met the sides; the
// sides stay sides.
func TestIngestKeepsAMediatorAMediator(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 20, 12, 0, 0, 0, time.UTC)
	text := "Oman mediated the first round of talks between Iran and the United States in Muscat on April 12.\n\n" +
		"At the second round in Rome on April 19, Oman met Iran and the United States in separate rooms."
	res := mustIngest(t, g, "mediators", &published, text)
	second := mustProposal(t, res, "Second round of talks in Rome, 19 April 2025").ID
	wantRoles(t, res, map[string]domain.Role{"oman " + second: domain.RoleMediator, "iran " + second: domain.RoleParticipant})
}

// TestIngestReadsWhoReportsWhat: an event a sentence attributes to a body is
// REPORTED_BY it, an agreement too, but not talks, known from their parties.
func TestIngestReadsWhoReportsWhat(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 9, 10, 12, 0, 0, 0, time.UTC)
	text := "Iran and the International Atomic Energy Agency signed an agreement in Cairo on Tuesday, Egypt's foreign ministry said.\n\n" +
		"Oman's foreign ministry said the talks had been held in a friendly atmosphere on Saturday.\n\n" +
		"A drone was shot down on Tuesday, according to CENTCOM."
	res := mustIngest(t, g, "reported", &published, text)
	wantCandidate(t, res, mustProposal(t, res, "Agreement in Cairo, 9 September 2025").ID, domain.RelReportedBy, mustProposal(t, res, "Egypt's foreign ministry").ID)
	wantCandidate(t, res, "drone-incident", domain.RelReportedBy, mustProposal(t, res, "CENTCOM").ID)
	talks := mustProposal(t, res, "Talks, 6 September 2025").ID
	for _, c := range candidateTriples(res) {
		if strings.HasPrefix(c, talks+" REPORTED_BY") {
			t.Errorf("talks are proposed as reported: %s", c)
		}
	}
}

// TestIngestReadsWhoWillTakePart: talks still to come have no parties guessed, but one
// said to "take part" in them is one.
func TestIngestReadsWhoWillTakePart(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "take-part", nil, "Iran would nonetheless take part in a fifth round of talks if one were scheduled.")
	round := res.Proposals[slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.EventNegotiation) })].ID
	wantRoles(t, res, map[string]domain.Role{"iran " + round: domain.RoleParticipant})
}

// TestIngestReadsPartiesToADeal: the actors an apposition calls parties to an event
// took part in it.
func TestIngestReadsPartiesToADeal(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "parties", &published, "Russia and China, both parties to the 2015 deal, said they did not recognize the sanctions.")
	deal := mustProposal(t, res, "Deal, 2015").ID
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Russia").ID + " " + deal: domain.RoleParticipant,
		mustProposal(t, res, "China").ID + " " + deal:  domain.RoleParticipant,
	})
}

// TestIngestReadsWhomAStatementIsTold: a body told something takes part in the telling.
func TestIngestReadsWhomAStatementIsTold(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "told", &published, "Secretary of State Marco Rubio told the Senate Foreign Relations Committee on April 1 that enrichment must end.")
	statement := mustProposal(t, res, "Marco Rubio statement, 1 April 2026").ID
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Marco Rubio").ID + " " + statement:                        domain.RoleInitiator,
		mustProposal(t, res, "Senate Foreign Relations Committee").ID + " " + statement: domain.RoleParticipant,
	})
}

// TestIngestReadsASermon: a sermon is a statement, its preacher's, and a state named
// inside a quotation ("Death to Israel") speaks no sermon.
func TestIngestReadsASermon(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 5, 1, 15, 40, 0, 0, time.UTC)
	text := "Ayatollah Hassan Sadeghinia, addressing thousands of worshippers at Tehran University, said on Friday the negotiating team had the backing of the people.\n\n" +
		"Worshippers chanted \"Death to America\" and \"Death to Israel\" as the sermon ended.\n\n" +
		"Photo: Worshippers listen to Ayatollah Hassan Sadeghinia's sermon at Tehran University in Tehran, Iran, May 1, 2026."
	res := mustIngest(t, g, "sermon", &published, text)
	sermon := mustProposal(t, res, "Hassan Sadeghinia statement, 1 May 2026")
	if !slices.ContainsFunc(sermon.Mentions, func(m domain.ProposedMention) bool { return m.Quote == "sermon" }) {
		t.Errorf("the sermon is not the preacher's statement: %q", quotesOf(sermon))
	}
	wantNoProposal(t, res, "a quotation's state speaks", func(p domain.Proposal) bool { return strings.Contains(p.Name, "Israel") })

	// Whom a preacher warns gives no sermon.
	res = mustIngest(t, g, "warned", &published, "Ayatollah Hassan Sadeghinia warned the United States on Friday in a sermon at Tehran University.")
	wantNoProposal(t, res, "the one warned speaks", func(p domain.Proposal) bool { return strings.Contains(p.Name, "United States") })
}

// TestIngestDatesWhatCameDaysBefore: what the sentence's subject "came four days after"
// is four days before the day the text told of last.
func TestIngestDatesWhatCameDaysBefore(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 15, 17, 45, 0, 0, time.UTC)
	text := "The U.S. Treasury imposed sanctions on Wednesday, and the Revolutionary Guards seized a tanker early on Thursday.\n\n" +
		"The two steps came four days after Araghchi and Steve Witkoff held their fourth round of talks in Muscat."
	res := mustIngest(t, g, "came-after", &published, text)
	mustProposal(t, res, "Fourth round of talks in Muscat, 11 May 2025")

	// A vote is an event, its voters' act, dated so too.
	published = time.Date(2026, 5, 1, 15, 40, 0, 0, time.UTC)
	text = "Ayatollah Hassan Sadeghinia spoke at Tehran University on Friday.\n\nThe sermon came two days after the Majlis voted to approve the outline of a bill."
	res = mustIngest(t, g, "voted", &published, text)
	wantRoles(t, res, map[string]domain.Role{mustProposal(t, res, "Majlis").ID + " " + mustProposal(t, res, "Vote, 29 April 2026").ID: domain.RoleInitiator})

	// So is a hearing.
	res = mustIngest(t, g, "hearing", &published, "At a hearing of the House Foreign Affairs Committee on Tuesday, Rep. Alicia Navarro pressed a senior State Department official.")
	mustProposal(t, res, "Hearing, 28 April 2026")
}

// TestIngestDatesTheSameDay: "the same day" is the day the text told of last, in an
// earlier paragraph too.
func TestIngestDatesTheSameDay(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 23, 18, 0, 0, 0, time.UTC) // a Friday
	text := "In a television interview on Sunday, Steve Witkoff said enrichment was a red line.\n\nAbbas Araghchi replied the same day that enrichment would continue."
	res := mustIngest(t, g, "same-day", &published, text)
	mustProposal(t, res, "Abbas Araghchi statement, 18 May 2025")
}

// TestIngestDatesADayLater: "a day later" opening a statement's clause is the day after
// the one the text told of last.
func TestIngestDatesADayLater(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 19, 18, 0, 0, 0, time.UTC) // a Saturday
	text := "In a television interview on Monday, Steve Witkoff said Iran could keep a civilian program.\n\n" +
		"A day later, he wrote that any deal must require Iran to stop enrichment."
	res := mustIngest(t, g, "day-later", &published, text)
	mustProposal(t, res, "Steve Witkoff statement, 15 April 2025")
}

// TestIngestPlacesAStatementWhereItWasMade: a statement is placed where it was made, not
// in a place what was said names.
func TestIngestPlacesAStatementWhereItWasMade(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 4, 30, 18, 0, 0, 0, time.UTC) // a Thursday
	text := "Treasury Secretary Scott Bessent said on Wednesday the network, run through front companies in Hong Kong, had restored drone production.\n\n" +
		"Esmaeil Baqaei told his weekly news conference in Tehran on Thursday that the sanctions were illegal."
	res := mustIngest(t, g, "said-where", &published, text)
	mustProposal(t, res, "Scott Bessent statement, 29 April 2026")
	mustProposal(t, res, "Esmaeil Baqaei news conference in Tehran, 30 April 2026")

	// A sentence opening "In Tehran," places what is said there, whatever place what is
	// said names.
	res = mustIngest(t, g, "said-in", &published, "In Tehran, Esmaeil Baqaei said on Thursday that talks would resume only within the framework set in Muscat.")
	wantCandidate(t, res, mustProposal(t, res, "Esmaeil Baqaei statement, 30 April 2026").ID, domain.RelLocatedIn, "tehran")
}

// TestIngestNamesRemarksAStatement: "speaking to reporters" is a statement, and named
// one, not a call.
func TestIngestNamesRemarksAStatement(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	text := "Iran's ambassador, Reza Najafi, rejected the report. Speaking to reporters afterward, Najafi said Tehran remained ready to work with the agency."
	mustProposal(t, mustIngest(t, g, "remarks", &published, text), "Reza Najafi statement, 4 March 2026")
}

// TestIngestReadsARoundOfThem: "the first of them", after a sentence of rounds, is the
// first round.
func TestIngestReadsARoundOfThem(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 6, 12, 0, 0, 0, time.UTC)
	text := "That war derailed the earlier rounds of talks, which Witkoff and Araghchi had held in Muscat and Rome. The first of them took place in Muscat in April last year."
	mustProposal(t, mustIngest(t, g, "of-them", &published, text), "First round of talks in Muscat, April 2025")
}

// TestIngestReadsACallToATitledPerson: "called Sheikh Mohammed" is a call, the title
// before the name notwithstanding, and so is briefing someone by phone.
func TestIngestReadsACallToATitledPerson(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 26, 12, 0, 0, 0, time.UTC) // a Thursday
	text := "Saudi Foreign Minister Prince Faisal bin Farhan called Sheikh Mohammed bin Abdulrahman on Wednesday evening."
	res := mustIngest(t, g, "call", &published, text)
	call := mustProposal(t, res, "Call, 25 February 2026")
	wantCandidate(t, res, mustProposal(t, res, "Faisal bin Farhan").ID, domain.RelParticipatedIn, call.ID)

	res = mustIngest(t, g, "briefed", &published, "Tobias Kessler briefed Oman's foreign minister, Badr Albusaidi, by phone on Wednesday morning.")
	mustProposal(t, res, "Call, 25 February 2026")
	res = mustIngest(t, g, "briefing", &published, "Tobias Kessler briefed reporters on Wednesday.")
	if slices.ContainsFunc(res.Proposals, func(p domain.Proposal) bool { return p.NodeKind == domain.KindEvent }) {
		t.Errorf("a briefing in person is proposed as an event: %+v", res.Proposals)
	}
}

// TestIngestDatesAReportNotWhatItIsAbout: "Grossi's report on the agreement on
// Wednesday" is Grossi's, on Wednesday; the agreement it is about is not dated by it.
func TestIngestDatesAReportNotWhatItIsAbout(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 9, 9, 20, 0, 0, 0, time.UTC) // a Tuesday
	text := "Rafael Grossi, the IAEA's director general, signed the text. The IAEA's Board of Governors, meeting in Vienna this week, is due to hear Grossi's report on the agreement on Wednesday."
	res := mustIngest(t, g, "report", &published, text)
	mustProposal(t, res, "Rafael Grossi report, 10 September 2025")
	wantNoProposal(t, res, "the agreement the report is about is proposed dated by it", func(p domain.Proposal) bool { return strings.HasPrefix(p.Name, "Agreement") })
}

// TestIngestProposesTheStatesOfTheParties: the states the parties to talks represent are
// parties to them too, the graph's envoys' and the article's new ones' alike.
func TestIngestProposesTheStatesOfTheParties(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 23, 18, 0, 0, 0, time.UTC)
	text := "Steve Witkoff and Italy's Foreign Minister Antonio Tajani met Abbas Araghchi in Rome on Friday."
	res := mustIngest(t, g, "parties", &published, text)
	meeting := mustProposal(t, res, "Meeting in Rome, 23 May 2025")
	for _, state := range []string{"united-states", "iran", mustProposal(t, res, "Italy").ID} {
		wantCandidate(t, res, state, domain.RelParticipatedIn, meeting.ID)
	}
}

// TestIngestReadsAVerbAfterItsSubject: "that Iran report on" is a verb, no report.
func TestIngestReadsAVerbAfterItsSubject(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "verb", &published, "How it unfolded:\n\n- November: The IAEA's Board of Governors passed a resolution demanding that Iran report on the stockpile.")
	wantNoProposal(t, res, "a statement is proposed for a verb", func(p domain.Proposal) bool { return p.Kind == string(domain.EventStatement) })
}

// TestIngestKeepsCommentatorsOutOfTheTalks: whose envoy someone is, and who speaks of
// the talks, take no part in them.
func TestIngestKeepsCommentatorsOutOfTheTalks(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 7, 12, 0, 0, 0, time.UTC)
	text := "Trump's special envoy Steve Witkoff met Abbas Araghchi in Muscat on Friday.\n\n" +
		"Qatar on Saturday called Friday's talks in Muscat a serious first step."
	res := mustIngest(t, g, "commentators", &published, text)
	got := candidateTriples(res)
	wantCandidate(t, res, "witkoff", domain.RelParticipatedIn, "muscat-talks") // the talks the graph holds, where they were, between two of their parties
	for _, c := range res.Candidates {
		if c.Type == domain.RelParticipatedIn && c.From == "trump" {
			t.Errorf("whose envoy Witkoff is takes part: %q", got)
		}
		if c.Type == domain.RelParticipatedIn && c.From == mustProposal(t, res, "Qatar").ID {
			t.Errorf("who speaks of the talks takes part in them: %q", got)
		}
	}
}

// TestIngestReadsWhoSpoke: the speaker is the person, not the state an apposition's
// adjective names, nor what the words were against.
func TestIngestReadsWhoSpoke(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 8, 9, 0, 0, 0, time.UTC)
	text := "Gideon Saar, the Israeli foreign minister, said in a post on social media on Saturday that any agreement must end enrichment.\n\n" +
		"The President has repeatedly threatened military action against Iran."
	res := mustIngest(t, g, "who-spoke", &published, text)
	statement := mustProposal(t, res, "Gideon Saar statement, 7 February 2026")
	wantCandidate(t, res, mustProposal(t, res, "Gideon Saar").ID, domain.RelParticipatedIn, statement.ID)
	for _, c := range res.Candidates {
		if c.Type == domain.RelParticipatedIn && c.Role == domain.RoleInitiator && (c.From == "israel" || c.From == "iran") {
			t.Errorf("%s is proposed to have spoken: %q", c.From, candidateTriples(res))
		}
	}
}

// TestIngestDatesAStatementNoEarlierThanWhatItReports: a statement without a day of its
// own is not dated before the day of what it reports as done.
func TestIngestDatesAStatementNoEarlierThanWhatItReports(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 15, 18, 0, 0, 0, time.UTC) // a Thursday
	text := "The U.S. Treasury imposed sanctions on Wednesday on a dozen companies.\n\n" +
		"The Iranian Revolutionary Guard Corps said in a statement that its forces had intercepted a tanker early on Thursday."
	res := mustIngest(t, g, "reported", &published, text)
	mustProposal(t, res, "Iranian Revolutionary Guard Corps statement, 15 May 2025")
}

// TestIngestReadsOrderFromTimeReferences: an event dating another ("the first talks
// since the June war") came before it.
func TestIngestReadsOrderFromTimeReferences(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 26, 12, 0, 0, 0, time.UTC)
	text := "Iranian diplomats held talks in Istanbul on Friday, the first talks since the June war."
	res := mustIngest(t, g, "order", &published, text)
	talks := mustProposal(t, res, "Talks in Istanbul, 25 July 2025")
	wantCandidate(t, res, "june-war", domain.RelPreceded, talks.ID)
}

// TestIngestReadsACaption: a caption's weekday before its full date is that date's, not
// the last such weekday before publication, a position in the picture ("left") is no
// departure, and its present tense tells events ("meets", "speaks to reporters").
func TestIngestReadsACaption(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 11, 12, 0, 0, 0, time.UTC)
	text := "Egyptian President Abdel Fattah el-Sissi, center, meets Abbas Araqchi, left, in Cairo, Egypt, Tuesday, Sept. 9, 2025. (Egyptian Presidency)\n\n" +
		"Photo: Treasury Secretary Scott Bessent speaks to reporters in Washington, Wednesday, April 29, 2026. (Potomac Wire)"
	res := mustIngest(t, g, "caption", &published, text)
	want := []string{"Meeting in Cairo, 9 September 2025", "Scott Bessent statement in Washington, 29 April 2026"}
	for _, name := range want {
		mustProposal(t, res, name)
	}
	wantNoProposal(t, res, "the captions propose more than their meeting and statement", func(p domain.Proposal) bool { return p.NodeKind == domain.KindEvent && !slices.Contains(want, p.Name) })
}

// TestIngestLinksTalksToComeByPlaceAndParties: talks still to come are the undated talks
// the graph holds when held where those were, between two of their parties, but not
// when only their mediator is named; and undated talks elsewhere are not the round the
// article tells of.
func TestIngestLinksTalksToComeByPlaceAndParties(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	res := mustIngest(t, g, "to-come", &published, "Steve Witkoff and Jared Kushner are due to meet Abbas Araghchi in Muscat on Friday.")
	wantCandidate(t, res, "witkoff", domain.RelParticipatedIn, "muscat-talks")

	res = mustIngest(t, g, "mediator-only", &published, "Oman said it had the agreement of both parties to meet on Friday.")
	if slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool { return c.To == "muscat-talks" }) {
		t.Errorf("a meeting to come that names only the mediator is linked to the known talks: %q", candidateTriples(res))
	}

	text := "Iran and the United States held a first round of talks in Muscat on Saturday, April 12, 2025. Diplomats said talks in Geneva had also been discussed."
	res = mustIngest(t, g, "elsewhere", &published, text)
	round := mustProposal(t, res, "First round of talks in Muscat, 12 April 2025")
	geneva := strings.Index(text, "talks in Geneva")
	if slices.ContainsFunc(round.Mentions, func(m domain.ProposedMention) bool { return *m.Start == geneva }) {
		t.Errorf("the talks in Geneva are reported as the round in Muscat: %+v", round.Mentions)
	}
}

// TestIngestOrdersTheTalksToComeAfterTheKnownTalksItDates: the round to come follows
// the last meeting held, here the talks the graph holds undated, which the timeline
// dates; a deal talked of is no meeting.
func TestIngestOrdersTheTalksToComeAfterTheKnownTalksItDates(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 4, 28, 12, 0, 0, 0, time.UTC)
	text := "How the talks unfolded:\n\n- April 12, 2025: A first round of talks between Witkoff and Araghchi is held in Muscat.\n" +
		"- Feb. 6, 2026: Witkoff and Kushner meet Araghchi in Muscat.\n\n" +
		"Oman said on Monday that the United States and Iran would hold a second round of talks in Muscat on Saturday. " +
		"Diplomats said on Monday that a deal on Sunday was out of reach."
	res := mustIngest(t, g, "order", &published, text)
	wantCandidate(t, res, "muscat-talks", domain.RelPreceded, mustProposal(t, res, "Second round of talks in Muscat, 2 May 2026").ID)
}

// TestIngestDatesATimelinesItems: a timeline's item opening with a date dates the
// events it tells, not a nearer year ("the 2015 nuclear deal"), but for one with its
// own day ("a sixth round set for June 15"); and an act and its object ("triggered the
// snapback") are one event.
func TestIngestDatesATimelinesItems(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 9, 10, 12, 0, 0, 0, time.UTC)
	text := "How the dispute unfolded:\n\n- Aug. 28: Britain and Germany triggered the snapback mechanism of the 2015 nuclear deal."
	res := mustIngest(t, g, "timeline", &published, text)
	mustProposal(t, res, "Snapback, 28 August 2025")
	text = "How the dispute unfolded:\n\n- Sept. 28: The sanctions are reimposed."
	res = mustIngest(t, g, "timeline-passive", &published, text)
	if events := slices.DeleteFunc(slices.Clone(res.Proposals), func(p domain.Proposal) bool { return p.NodeKind != domain.KindEvent }); len(events) != 1 {
		t.Errorf("the sanctions reimposed are proposed as %d events: %+v", len(events), events)
	}
	text = "How the talks unfolded:\n\n- June 13: Israel strikes Iranian nuclear sites; a sixth round set for June 15 in Muscat never takes place."
	mustProposal(t, mustIngest(t, g, "timeline-own-day", &published, text), "Sixth round of talks in Muscat, 15 June 2025")
	wantNoProposal(t, res, "the act of the snapback is proposed apart from it", func(p domain.Proposal) bool { return strings.HasPrefix(p.Name, "Trigger") })
}

// TestIngestPlacesEventsWhereTheTextSays: the dateline's city is where the story's
// lead meeting was held, a sentence opening "In Tehran," places its statement there
// but not what the statement is about, and a list after "in" places the event in each
// of its places.
func TestIngestPlacesEventsWhereTheTextSays(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 12, 18, 0, 0, 0, time.UTC)
	text := "MUSCAT, Oman (Gulf Wire) — Envoys held a first round of talks on Saturday.\n\n" +
		"In Tehran, Esmaeil Baqaei told reporters on Saturday that the strikes on Friday were illegal.\n\n" +
		"Negotiators held talks on April 5 in Doha and Rome."
	res := mustIngest(t, g, "places", &published, text)
	located := map[string][]string{} // event id → the places it is proposed in
	for _, c := range res.Candidates {
		if c.Type == domain.RelLocatedIn {
			located[c.From] = append(located[c.From], c.To)
		}
	}
	round := mustProposal(t, res, "First round of talks, 12 April 2025")
	statement := mustProposal(t, res, "Esmaeil Baqaei statement, 12 April 2025")
	strikes := mustProposal(t, res, "Strikes, 11 April 2025")
	earlier := mustProposal(t, res, "Talks in Doha, 5 April 2025")
	for id, want := range map[string][]string{
		round.ID: {"muscat"}, statement.ID: {"tehran"}, strikes.ID: nil,
		earlier.ID: {mustProposal(t, res, "Doha").ID, mustProposal(t, res, "Rome").ID},
	} {
		if !slices.Equal(located[id], want) {
			t.Errorf("%s is proposed in %q, want %q", id, located[id], want)
		}
	}
}

// TestIngestReadsCallsAndActs: both ends of a phone call take part in it, a body
// imposing sanctions initiates them, and the source a sentence ends with ("…, the
// ministry said.") takes part in nothing it reports.
func TestIngestReadsCallsAndActs(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 5, 16, 12, 0, 0, 0, time.UTC)
	text := "Steve Witkoff spoke by phone with Abbas Araghchi on Thursday, IRNA said.\n\n" +
		"The U.S. Treasury imposed sanctions on Iran on Wednesday."
	res := mustIngest(t, g, "calls", &published, text)
	call, sanctions := mustProposal(t, res, "Call, 15 May 2025"), mustProposal(t, res, "Sanctions, 14 May 2025")
	if quotes := quotesOf(call); !slices.Equal(quotes, []string{"spoke by phone"}) {
		t.Errorf("the call is reported by %q, want its one phrase", quotes)
	}
	wantRoles(t, res, map[string]domain.Role{
		"witkoff " + call.ID:                                          domain.RoleParticipant,
		"araghchi " + call.ID:                                         domain.RoleParticipant,
		mustProposal(t, res, "IRNA").ID + " " + call.ID:               "",
		mustProposal(t, res, "U.S. Treasury").ID + " " + sanctions.ID: domain.RoleInitiator,
		"iran " + sanctions.ID:                                        domain.RoleTarget,
	})
}

// TestIngestKeepsABodysTitleWords: "Supreme" opening a body's name stays in it, and so
// do "Foreign" inside one and "Saudi" opening a state's; the secretary of a body leads
// it; a state the graph does not hold anchors a body ("Qatar's foreign ministry"); "at
// the White House" is a building.
func TestIngestKeepsABodysTitleWords(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Ali Larijani, the secretary of Iran's Supreme National Security Council, arrived in Muscat."
	res := mustIngest(t, g, "bodies", nil, text)
	council := mustProposal(t, res, "Supreme National Security Council")
	if council.Kind != string(domain.ActorOrganisation) {
		t.Errorf("the council is proposed as %s", council.Kind)
	}
	larijani := mustProposal(t, res, "Ali Larijani")
	wantCandidate(t, res, larijani.ID, domain.RelLeads, council.ID)
	// A people's adjective opening its state's name stays in it.
	res = mustIngest(t, g, "saudi", nil, "Saudi Arabia said it hoped the talks would succeed.")
	if p := mustProposal(t, res, "Saudi Arabia"); p.Kind != string(domain.ActorState) {
		t.Errorf("Saudi Arabia is proposed as %s", p.Kind)
	}
	// A state the graph does not hold anchors its bodies as a known one does.
	res = mustIngest(t, g, "qatar-ministry", nil, "Qatar's foreign ministry spokesman, Majed al-Ansari, said Doha was working with Muscat.")
	ministry := mustProposal(t, res, "Qatar's foreign ministry")
	wantCandidate(t, res, ministry.ID, domain.RelMemberOf, mustProposal(t, res, "Qatar").ID)
	wantCandidate(t, res, mustProposal(t, res, "Majed al-Ansari").ID, domain.RelMemberOf, ministry.ID)
	// A seat of government after "at" is the building, a facility.
	res = mustIngest(t, g, "white-house", nil, "President Donald Trump told reporters at the White House that Iran must be careful.")
	if p := mustProposal(t, res, "White House"); p.NodeKind != domain.KindPlace || p.Kind != string(domain.PlaceFacility) {
		t.Errorf("the White House one stands at is proposed as %s %s", p.NodeKind, p.Kind)
	}
	// "Foreign" inside a body's name is no title: it stays in the name.
	res = mustIngest(t, g, "foreign-bodies", nil, "Rubio told the Senate Foreign Relations Committee that the Treasury's Office of Foreign Assets Control would act.")
	for _, name := range []string{"Senate Foreign Relations Committee", "Office of Foreign Assets Control"} {
		if p := mustProposal(t, res, name); p.Kind != string(domain.ActorOrganisation) {
			t.Errorf("%s is proposed as %s", name, p.Kind)
		}
	}
}

// TestIngestKnowsAStatesOwnBodies: a body only one state has ("the Revolutionary
// Guards", "the Majlis") is MEMBER_OF it when the article names the state.
func TestIngestKnowsAStatesOwnBodies(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran said on Monday that the talks would go on. The Revolutionary Guards held drills in the Gulf, and the Majlis debated a bill."
	res := mustIngest(t, g, "state-bodies", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Revolutionary Guards").ID, domain.RelMemberOf, "iran")
	wantCandidate(t, res, mustProposal(t, res, "Majlis").ID, domain.RelMemberOf, "iran")
}

// TestIngestKnowsWhoIsInAGroup: the states the gazetteer has in a group the article
// names are its members though no sentence lists them as such.
func TestIngestKnowsWhoIsInAGroup(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iranian diplomats met envoys from Britain, France and Germany in Istanbul on Friday.\n\nThe European countries, known as the E3, sent their political directors."
	res := mustIngest(t, g, "group-members", nil, text)
	e3 := mustProposal(t, res, "E3").ID
	for _, state := range []string{"Britain", "France", "Germany"} {
		wantCandidate(t, res, mustProposal(t, res, state).ID, domain.RelMemberOf, e3)
	}
}

// TestIngestReadsGroupsAndOwnedBodies: the states a list names are members of the
// group it is then called, a state after another and a comma is the next of the list,
// not a country, and a body another body owns is a member of it. "So-called" is no
// call, in a dated timeline item either.
func TestIngestReadsGroupsAndOwnedBodies(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	text := "- Aug. 28: Britain, France and Germany, the so-called E3, criticised Iran.\n\nThe IAEA's Board of Governors will meet in Vienna."
	res := mustIngest(t, g, "groups", &published, text)
	if i := slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.EventOther) }); i >= 0 {
		t.Errorf("an event is proposed: %+v", res.Proposals[i])
	}
	got := candidateTriples(res)
	e3, board, iaea := mustProposal(t, res, "E3"), mustProposal(t, res, "Board of Governors"), mustProposal(t, res, "IAEA")
	for _, state := range []string{"Britain", "France", "Germany"} {
		p := mustProposal(t, res, state)
		if p.Kind != string(domain.ActorState) {
			t.Errorf("%s is proposed as %s", state, p.Kind)
		}
		if want := p.ID + " MEMBER_OF " + e3.ID; !slices.Contains(got, want) {
			t.Errorf("no candidate %q among %q", want, got)
		}
	}
	if want := board.ID + " MEMBER_OF " + iaea.ID; !slices.Contains(got, want) {
		t.Errorf("no candidate %q among %q", want, got)
	}
}

// TestIngestReferringToTheLastStrike: "the attack" refers back to the strike reported
// last before it, not the story's first.
func TestIngestReferringToTheLastStrike(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	text := "Pakistan struck targets in Afghanistan on Monday. India fired missiles at Karachi on Tuesday. The attack killed three people."
	res := mustIngest(t, g, "strikes", &published, text)
	var quotes []string
	for _, p := range res.Proposals {
		if p.Kind == string(domain.EventMilitaryStrike) && p.Start != nil && p.Start.Day() == 9 {
			for _, m := range p.Mentions {
				quotes = append(quotes, m.Quote)
			}
		}
	}
	if !slices.Equal(quotes, []string{"fired", "attack"}) {
		t.Errorf("Tuesday's strike is reported by %q, want the attack among them (all: %+v)", quotes, res.Proposals)
	}
}

// TestIngestDatesAStatementNotWhatItSays: a date in what a statement reports ("the talks
// it hosted last month") does not date the statement, and telling a broadcaster is a
// statement of its own.
func TestIngestDatesAStatementNotWhatItSays(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	text := "In a post on X, Abbas Araghchi said Iran remained committed to the talks it held in Muscat last month.\n\n" +
		"Steve Witkoff told state television that the talks would go on."
	res := mustIngest(t, g, "said", &published, text)
	mustProposal(t, res, "Abbas Araghchi post, 11 March 2026")
	mustProposal(t, res, "Steve Witkoff statement, 11 March 2026")
}

// TestIngestJoinsARoundToItsDaysMeeting: a meeting and the round a sentence numbers, on
// one day, are one event.
func TestIngestJoinsARoundToItsDaysMeeting(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 26, 12, 0, 0, 0, time.UTC)
	text := "Abbas Araghchi and Steve Witkoff last met in Rome a week ago, when both sides described the second round as constructive."
	res := mustIngest(t, g, "round", &published, text)
	var rounds []string
	for _, p := range res.Proposals {
		if p.Kind == string(domain.EventNegotiation) {
			rounds = append(rounds, p.Name)
		}
	}
	if !slices.Equal(rounds, []string{"Second round of talks in Rome, 19 April 2025"}) {
		t.Errorf("negotiations proposed: %q", rounds)
	}
}

// TestIngestProposesTheNextRound: the talks to come, undated ("agreed to meet again",
// "further talks", "a second meeting"), are one event proposed without a date.
func TestIngestProposesTheNextRound(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 26, 12, 0, 0, 0, time.UTC)
	text := "Iranian diplomats met envoys from Britain and Germany in Istanbul on Friday. Both sides agreed to meet again. " +
		"Further talks are expected. No date was set for a second meeting."
	res := mustIngest(t, g, "next", &published, text)
	next := mustProposal(t, res, "Next round of talks")
	quotes := quotesOf(next)
	if next.Start != nil || next.Precision != domain.PrecisionUnknown || !slices.Equal(quotes, []string{"meet", "talks", "meeting"}) {
		t.Errorf("the next round: %+v", next)
	}
}

// TestIngestReadsMediatorsAndCallers: the states a list names share the role the word
// nearest the list gives ("Qatar and Oman shuttled between the delegations"), carrying
// messages is mediating, and whoever called initiated the call.
func TestIngestReadsMediatorsAndCallers(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	text := "Qatar and Oman shuttled between the delegations at talks between Iran and the United States on Wednesday.\n\n" +
		"On Monday, Steve Witkoff called Abbas Araghchi."
	res := mustIngest(t, g, "mediators", &published, text)
	talks, call := mustProposal(t, res, "Talks, 28 February 2024"), mustProposal(t, res, "Call, 26 February 2024")
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Qatar").ID + " " + talks.ID: domain.RoleMediator,
		"oman " + talks.ID:    domain.RoleMediator,
		"witkoff " + call.ID:  domain.RoleInitiator,
		"araghchi " + call.ID: domain.RoleParticipant,
	})
}

// TestIngestReadsABodysSitting: a board's meeting is a sitting of the board, not a
// negotiation.
func TestIngestReadsABodysSitting(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "sitting", &published, "The IAEA's board meeting opened in Vienna on Monday.")
	if p := mustProposal(t, res, "Meeting in Vienna, 2 March 2026"); p.Kind != string(domain.EventOther) {
		t.Errorf("the board's meeting is proposed as %s", p.Kind)
	}
}

// TestIngestReadsAStatementsSpeaker: a statement's speaker is neither the body a title
// set after the speaker's name is of, nor the outlet the speaker told.
func TestIngestReadsAStatementsSpeaker(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	text := "Rafael Grossi, the director general of the International Atomic Energy Agency, said in a statement on Monday that inspectors must return.\n\n" +
		"Abbas Araghchi told state broadcaster IRIB in an interview on Monday that Iran would not yield."
	res := mustIngest(t, g, "speakers-titles", &published, text)
	grossi, agency := mustProposal(t, res, "Rafael Grossi"), mustProposal(t, res, "International Atomic Energy Agency")
	statement, interview := mustProposal(t, res, "Rafael Grossi statement, 2 March 2026"), mustProposal(t, res, "Abbas Araghchi statement, 2 March 2026")
	wantRoles(t, res, map[string]domain.Role{
		grossi.ID + " " + statement.ID:                       domain.RoleInitiator,
		agency.ID + " " + statement.ID:                       "",
		"araghchi " + interview.ID:                           domain.RoleInitiator,
		mustProposal(t, res, "IRIB").ID + " " + interview.ID: "",
	})
}

// TestIngestRefersBackByTheNoun: an undated "buildup" refers back to the known buildup,
// not to the carrier's deployment the sentence also names.
func TestIngestRefersBackByTheNoun(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Washington has cited the repression as one reason for its military buildup in the Middle East, " +
		"which includes the deployment of the USS Abraham Lincoln carrier group to the Arabian Sea."
	res := mustIngest(t, g, "buildup", nil, text)
	i := slices.IndexFunc(res.Mentions, func(m domain.Evidence) bool { return m.Quote == "buildup" })
	if i < 0 || res.Mentions[i].Subject != "us-military-buildup" {
		t.Errorf("the buildup's mentions: %+v", res.Mentions)
	}
}

// TestIngestReadsAGivenNameAndACoast: a state's name after a person's title and before
// a name is the person's given name ("Defense Minister Israel Katz"), a country after
// "the coast of" is the place, and so is a name after "southeast of".
func TestIngestReadsAGivenNameAndACoast(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Defense Minister Israel Katz said the dhow was seized off the coast of Oman, 70 miles southeast of Ras al Hadd."
	res := mustIngest(t, g, "given", nil, text)
	mustProposal(t, res, "Israel Katz")
	if cape := mustProposal(t, res, "Ras al Hadd"); cape.NodeKind != domain.KindPlace {
		t.Errorf("a place southeast of which something lies is proposed as %s %s", cape.NodeKind, cape.Kind)
	}
	var subjects []string
	for _, m := range res.Mentions {
		subjects = append(subjects, m.Quote+" "+m.Subject)
	}
	if !slices.Equal(subjects, []string{"Oman oman-country"}) {
		t.Errorf("mentions: %q", subjects)
	}
}

// TestIngestTellsALakeFromItsCity: "Lake Geneva" is a water, not the city "Geneva"
// named alone, and "the Geneva channel" is no place at all.
func TestIngestTellsALakeFromItsCity(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "The envoys met in Geneva, at a villa on the shore of Lake Geneva. The Geneva channel stays open."
	res := mustIngest(t, g, "lake", nil, text)
	if lake := mustProposal(t, res, "Lake Geneva"); lake.Kind != string(domain.PlaceSea) || len(lake.Mentions) != 1 {
		t.Errorf("the lake: %+v", lake)
	}
	mustProposal(t, res, "Geneva")
	wantNoProposal(t, res, "a channel of talks is proposed", func(p domain.Proposal) bool { return strings.Contains(p.Name, "channel") })
}

// TestIngestReadsMinistryStaff: a deputy foreign minister of a state whose foreign
// ministry the article names is a member of that ministry.
func TestIngestReadsMinistryStaff(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran's foreign ministry said the talks were useful. Iran's deputy foreign minister, Majid Takht-Ravanchi, attended them."
	res := mustIngest(t, g, "ministry", nil, text)
	wantCandidate(t, res, mustProposal(t, res, "Majid Takht-Ravanchi").ID, domain.RelMemberOf, mustProposal(t, res, "Iran's foreign ministry").ID)
}

// TestIngestReadsAQualifiedHeadsTitle: "EU foreign policy chief Kaja Kallas" is a member
// of the EU, not its head, while "IAEA chief Rafael Grossi" leads the IAEA.
func TestIngestReadsAQualifiedHeadsTitle(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran heard from EU foreign policy chief Kaja Kallas on Monday. It also heard from IAEA chief Rafael Grossi."
	res := mustIngest(t, g, "chiefs", nil, text)
	kallas, eu := mustProposal(t, res, "Kaja Kallas").ID, mustProposal(t, res, "EU").ID
	wantCandidate(t, res, kallas, domain.RelMemberOf, eu)
	wantCandidate(t, res, mustProposal(t, res, "Rafael Grossi").ID, domain.RelLeads, mustProposal(t, res, "IAEA").ID)
	if slices.Contains(candidateTriples(res), kallas+" LEADS "+eu) {
		t.Errorf("the EU's foreign policy chief is proposed as its head: %q", candidateTriples(res))
	}
}

// TestIngestReadsAStatesDirector: a state's political director acts for the state.
func TestIngestReadsAStatesDirector(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "director", nil, "Britain's political director, Eleanor Whitcombe, told reporters the talks would go on.")
	wantCandidate(t, res, mustProposal(t, res, "Eleanor Whitcombe").ID, domain.RelRepresents, mustProposal(t, res, "Britain").ID)
}

// TestIngestReadsWhoRepresentsAState: the people a state "was represented by", and one
// who "previously represented" it, represent it.
func TestIngestReadsWhoRepresentsAState(t *testing.T) {
	g := storetest.MustSeeded(t)
	text := "Iran was represented by Majid Takht-Ravanchi, a deputy minister, and Kazem Gharibabadi. Hamid Baeidinejad previously represented Iran in London."
	res := mustIngest(t, g, "represented", nil, text)
	for _, name := range []string{"Majid Takht-Ravanchi", "Kazem Gharibabadi", "Hamid Baeidinejad"} {
		wantCandidate(t, res, mustProposal(t, res, name).ID, domain.RelRepresents, "iran")
	}
}

// TestIngestDatesTheNounADateStandsBefore: "since the Feb. 6 talks" dates the talks,
// not the seizure the sentence is about.
func TestIngestDatesTheNounADateStandsBefore(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "seizure", &published, "The seizure is the first of its kind since the Feb. 6 talks.")
	wantNoProposal(t, res, "the seizure is dated", func(p domain.Proposal) bool { return p.Kind == string(domain.EventOther) && p.Start != nil })
}

// TestIngestPlacesAnEventNotByAnothersPlace: the place after another kind of event's word
// is that event's ("During the 12-day war, Iran fired missiles at the Al Udeid air
// base" links the war, which is not in Al Udeid), but not after a word of time ("talks
// on Tuesday, the first since the June war, in Oman" are in Oman, so the talks in
// Muscat); a place named right before the event's word is its place ("the Muscat
// talks").
func TestIngestPlacesAnEventNotByAnothersPlace(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 26, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "war-place", &published, "During the 12-day war, Iran fired missiles at the Al Udeid air base.")
	if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Subject == "june-war" }) {
		t.Errorf("the war is not linked: %+v", res.Mentions)
	}
	res = mustIngest(t, g, "talks-place", &published, "U.S. and Iran held talks on Tuesday, the first since the June war, in Oman.")
	if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Subject == "muscat-talks" }) {
		t.Errorf("the talks in Oman are not linked to the talks in Muscat: %+v", res.Mentions)
	}
	res = mustIngest(t, g, "talks-modifier", &published, "Gulf states welcomed the Muscat talks.")
	if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Quote == "talks" && m.Subject == "muscat-talks" }) {
		t.Errorf("the Muscat talks are not linked to the talks in Muscat: %+v", res.Mentions)
	}
}

// TestIngestReadsDeploymentsByTheirVerbs: forces "sent" to a region, "built up", and a
// "military presence" report the deployment the graph holds; a letter sent reports none.
func TestIngestReadsDeploymentsByTheirVerbs(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 6, 12, 0, 0, 0, time.UTC)
	text := "The carrier USS Abraham Lincoln was sent to the Arabian Sea last month as the United States built up its forces in the Middle East. " +
		"Trump sent a letter to Tehran. The U.S. keeps up its military presence in the region."
	res := mustIngest(t, g, "deployed", &published, text)
	var linked []string
	for _, m := range res.Mentions {
		if m.Quote == "sent" || m.Quote == "built up" || m.Quote == "presence" {
			linked = append(linked, m.Quote+" "+m.Subject)
		}
	}
	if want := []string{"sent lincoln-deployment", "built up us-military-buildup", "presence us-military-buildup"}; !slices.Equal(linked, want) {
		t.Errorf("linked %q, want %q", linked, want)
	}
}

// TestIngestReadsThreatsAsTheCampaign: threats made again and again ("has repeatedly
// threatened military action") are the threats the graph holds, named by their verb,
// and threats inside a quotation are a speaker's words, no statement.
func TestIngestReadsThreatsAsTheCampaign(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 7, 12, 0, 0, 0, time.UTC)
	text := "The President has repeatedly threatened military action against Iran. " +
		"Abbas Araghchi answered on Friday that Iran would not negotiate \"under the shadow of threats.\""
	res := mustIngest(t, g, "threats", &published, text)
	if !slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Quote == "threatened" && m.Subject == "us-military-threats" }) {
		t.Errorf("the threats are not linked: %+v", res.Mentions)
	}
	wantNoProposal(t, res, "a quotation's threats are proposed", func(p domain.Proposal) bool { return strings.Contains(p.Name, "threats") })
}

// TestIngestReadsRepressionAndUnrest: "repression", "cracked down" and "unrest" name the
// crackdown and the protests the graph holds.
func TestIngestReadsRepressionAndUnrest(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 7, 12, 0, 0, 0, time.UTC)
	text := "The E3 condemned the violent repression in Iran. Security forces cracked down on the unrest in Iran in January."
	res := mustIngest(t, g, "unrest", &published, text)
	var linked []string
	for _, m := range res.Mentions {
		if m.Subject == "iran-crackdown" || m.Subject == "iran-protests" {
			linked = append(linked, m.Quote+" "+m.Subject)
		}
	}
	if want := []string{"repression iran-crackdown", "cracked down iran-crackdown", "unrest iran-protests"}; !slices.Equal(linked, want) {
		t.Errorf("linked %q, want %q", linked, want)
	}
}

// TestIngestReadsAnEventAWordOfTimeDates: "nine months after Israeli and U.S. strikes"
// dates the sentence by the strikes; the day the sentence gives ("on Monday") is not
// theirs.
func TestIngestReadsAnEventAWordOfTimeDates(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	text := "Grossi told the board on Monday that inspectors still cannot see the stockpile, nine months after Israeli and U.S. strikes hit the main nuclear sites."
	res := mustIngest(t, g, "after-strikes", &published, text)
	wantNoProposal(t, res, "the strikes are proposed as new", func(p domain.Proposal) bool { return p.Kind == string(domain.EventMilitaryStrike) })
}

// TestIngestPlacesByDatelineAndCapital: the dateline's city places the meeting the
// story leads with although the sentence also names a possessive "Tehran's" and the
// city again as "the Omani capital"; a sentence opening "In Washington," makes the
// Secretary of State the United States' representative although it names the U.S.
// after him; the parties after "between" take part in a meeting the sentence only
// dates by.
func TestIngestPlacesByDatelineAndCapital(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 12, 18, 0, 0, 0, time.UTC)
	text := "MUSCAT, Oman (Gulf Wire) — Envoys held their first round of talks over Tehran's nuclear program on Saturday, sitting in separate rooms in the Omani capital.\n\n" +
		"In Washington, Secretary of State Marco Rubio told U.S. senators on Tuesday that a deal was possible.\n\n" +
		"Oman offered its help after the meeting between Qatar and Egypt on March 3."
	res := mustIngest(t, g, "dateline", &published, text)
	round := mustProposal(t, res, "First round of talks, 12 April 2025")
	meeting := mustProposal(t, res, "Meeting, 3 March 2025")
	got := candidateTriples(res)
	for _, want := range []string{round.ID + " LOCATED_IN muscat", mustProposal(t, res, "Marco Rubio").ID + " REPRESENTS united-states"} {
		if !slices.Contains(got, want) {
			t.Errorf("no candidate %q among %q", want, got)
		}
	}
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Qatar").ID + " " + meeting.ID: domain.RoleParticipant,
		mustProposal(t, res, "Egypt").ID + " " + meeting.ID: domain.RoleParticipant,
	})
}

// TestIngestOrdersTheTalksToCome: the next round in the head is the meeting the text
// dates after publication, one proposal, which the day's round PRECEDED; without a
// dated round, the known meeting the article reports ("met … in Muscat") PRECEDED the
// next round.
func TestIngestOrdersTheTalksToCome(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 12, 18, 0, 0, 0, time.UTC)
	text := "U.S. and Iran hold first round of talks in Oman, agree to meet again next week\n\n" +
		"MUSCAT, Oman (Gulf Wire) — Envoys from the United States and Iran held their first round of talks on Saturday. " +
		"\"We agreed to meet again next Saturday,\" Abbas Araghchi said."
	res := mustIngest(t, g, "to-come", &published, text)
	first, next := mustProposal(t, res, "First round of talks in Oman, 12 April 2025"), mustProposal(t, res, "Meeting, 19 April 2025")
	if quotes := quotesOf(next); len(quotes) != 2 {
		t.Errorf("the meeting to come is reported as %q, want the head's and the text's", quotes)
	}
	if slices.ContainsFunc(res.Proposals, func(p domain.Proposal) bool { return p.Name == "Next round of talks" }) {
		t.Errorf("the next round is proposed apart from the meeting dated next Saturday")
	}
	wantCandidate(t, res, first.ID, domain.RelPreceded, next.ID)

	published = time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	res = mustIngest(t, g, "after-known", &published, "Witkoff and Kushner met Araghchi in Muscat earlier this month. Oman is trying to set a date for further talks.")
	wantCandidate(t, res, "muscat-talks", domain.RelPreceded, mustProposal(t, res, "Next round of talks").ID)
}

// TestIngestPlacesAStrikeAtItsObjects: the places a word of attack strikes, and every
// place of a list after "at", are where the strike was.
func TestIngestPlacesAStrikeAtItsObjects(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 10, 20, 12, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"- June 22: U.S. bombers hit Fordow, Natanz and Isfahan.",
		"U.S. aircraft bombed the three main nuclear facilities at Fordow, Natanz and Isfahan.",
	} {
		res := mustIngest(t, g, "objects", &published, text)
		got := candidateTriples(res)
		for _, place := range []string{"Fordow", "Natanz", "Isfahan"} {
			if want := "us-bombing-nuclear-facilities LOCATED_IN " + mustProposal(t, res, place).ID; !slices.Contains(got, want) {
				t.Errorf("%q: no candidate %q among %q", text, want, got)
			}
		}
	}
}

// TestIngestReadsWhoArrangesTheNextRound: "a second round of talks" with no date is the
// next round; the states arranging it mediate it; and it is not suggested to be the
// meeting the article reports held.
func TestIngestReadsWhoArrangesTheNextRound(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	text := "Witkoff and Kushner met Araghchi in Muscat earlier this month. A second round of talks, which Qatar and Oman have been trying to arrange, has yet to be scheduled."
	res := mustIngest(t, g, "arranging", &published, text)
	next := mustProposal(t, res, "Next round of talks")
	if slices.Contains(next.SameAs, "muscat-talks") {
		t.Errorf("the next round is suggested to be the talks held: %q", next.SameAs)
	}
	wantRoles(t, res, map[string]domain.Role{
		mustProposal(t, res, "Qatar").ID + " " + next.ID: domain.RoleMediator,
		"oman " + next.ID: domain.RoleMediator,
	})

	// Named again as "a second round", it stays the next round.
	res = mustIngest(t, storetest.MustSeeded(t), "arranging-again", &published, "Washington and Tehran try to agree on a second round of talks. A second round, which Qatar supports, has yet to be scheduled.")
	if quotes := quotesOf(mustProposal(t, res, "Next round of talks")); len(quotes) != 2 {
		t.Errorf("the next round is reported by %q", quotes)
	}
}

// TestIngestSuggestsANumberedRoundIsAKnownMeeting: a round the article numbers is not
// linked to a known meeting whose names lack the number, but it is suggested to be it
// when the day, place and parties agree.
func TestIngestSuggestsANumberedRoundIsAKnownMeeting(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 27, 12, 0, 0, 0, time.UTC)
	text := "Oman hosted the first round of the new talks on Feb. 6, when Witkoff and Jared Kushner met the Iranian foreign minister in Muscat."
	res := mustIngest(t, g, "numbered", &published, text)
	if round := mustProposal(t, res, "First round of talks, 6 February 2026"); !slices.Equal(round.SameAs, []string{"muscat-talks"}) {
		t.Errorf("the first round is suggested to be %q, want the Muscat talks", round.SameAs)
	}
}

// TestIngestKnowsBodiesOfStates: a body reporting names without its state, such as
// the State Department, is proposed as a member of the state the article names.
func TestIngestKnowsBodiesOfStates(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "bodies", nil, "The United States will respond, a State Department spokesman said.")
	wantCandidate(t, res, mustProposal(t, res, "State Department").ID, domain.RelMemberOf, "united-states")
}

// TestIngestRestatesWhatItsOwnNames: "its military buildup" after Washington restates
// that the United States took part in the buildup the graph holds.
func TestIngestRestatesWhatItsOwnNames(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "its-own", nil, "Washington has cited the crackdown to justify its military buildup in the region.")
	wantCandidate(t, res, "united-states", domain.RelParticipatedIn, "us-military-buildup")
}

// TestIngestKeepsAStateBodyApartFromAnotherEndingAlike: "U.S. Navy" is the United
// States' navy, proposed under that name, not a mention of the "IRGC Navy" it ends.
func TestIngestKeepsAStateBodyApartFromAnotherEndingAlike(t *testing.T) {
	g := storetest.MustSeeded(t)
	res := mustIngest(t, g, "navies", nil, "The IRGC Navy said it would respond. Araghchi wrote on X that the U.S. Navy was far from home.")
	if quotes := quotesOf(mustProposal(t, res, "IRGC Navy")); !slices.Equal(quotes, []string{"IRGC Navy"}) {
		t.Errorf("the IRGC Navy's mentions are %q", quotes)
	}
	mustProposal(t, res, "U.S. Navy")
}

// TestIngestReferringToTheIncident: "the incident" is the act reported last, not one
// the text only dates by.
func TestIngestReferringToTheIncident(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	text := "Pakistan struck targets in Afghanistan on Monday, a week after India fired missiles at Karachi. The incident drew protests."
	res := mustIngest(t, g, "incident", &published, text)
	if quotes := quotesOf(mustProposal(t, res, "Strike in Afghanistan, 8 March 2027")); !slices.Equal(quotes, []string{"struck", "incident"}) {
		t.Errorf("the strike is reported by %q", quotes)
	}
}

// TestIngestReadsAWarsTimeline: the strikes a list's items tell are part of the war
// its heading names; those of a later list under no heading are not.
func TestIngestReadsAWarsTimeline(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 6, 24, 12, 0, 0, 0, time.UTC)
	text := "A ceasefire between Israel and Iran took hold on Tuesday after what Trump called the 12-day war.\n\nHow the war unfolded:\n\n" +
		"- June 13: Israel strikes nuclear sites and kills scientists in Iran\n\n" +
		"Elsewhere, fighting went on.\n\n- June 23: Pakistan struck targets in Afghanistan"
	res := mustIngest(t, g, "timeline", &published, text)
	wantCandidate(t, res, "israeli-attacks-nuclear-sites-scientists", domain.RelPartOf, "june-war")
	if got := candidateTriples(res); slices.Contains(got, mustProposal(t, res, "Strike in Afghanistan, 23 June 2025").ID+" PART_OF june-war") {
		t.Errorf("a strike of a later list is part of the war: %q", got)
	}
}

// TestIngestDatesWhatHappenedHoursBefore: an event "hours after" which something else
// happened, or reported "hours earlier", took place the day the paragraph tells of.
func TestIngestDatesWhatHappenedHoursBefore(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 4, 26, 19, 0, 0, 0, time.UTC)
	text := "Envoys met in Muscat on Saturday. The round opened hours after a huge explosion tore through a port in the south. " +
		"In a separate encounter hours earlier, speedboats approached a tanker."
	res := mustIngest(t, g, "hours", &published, text)
	mustProposal(t, res, "Explosion, 26 April 2025")
	mustProposal(t, res, "Encounter, 26 April 2025")
}

// TestIngestDatesByTheFirstOfTwoDays: of two days joined by "and", the event began on
// the first.
func TestIngestDatesByTheFirstOfTwoDays(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "two-days", &published, "Security forces opened fire on the nights of Jan. 8 and Jan. 9, while the authorities imposed a nationwide internet blackout.")
	mustProposal(t, res, "Blackout, 8 January 2026")
}

// TestIngestFoldsTheHeadIntoTheDatedEvent: an act the head reports undated is the one
// the text dates, not another.
func TestIngestFoldsTheHeadIntoTheDatedEvent(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 6, 24, 16, 0, 0, 0, time.UTC)
	text := "Pakistan's missile attack on Karachi base stuns region\n\nPakistan fired missiles at the Karachi air base on Monday, officials said."
	res := mustIngest(t, g, "head", &published, text)
	var strikes []string
	for _, p := range res.Proposals {
		if p.Kind == string(domain.EventMilitaryStrike) {
			strikes = append(strikes, p.Name)
		}
	}
	if len(strikes) != 1 {
		t.Fatalf("the strikes proposed are %q, want one", strikes)
	}
	if quotes := quotesOf(mustProposal(t, res, strikes[0])); !slices.Equal(quotes, []string{"attack", "fired"}) {
		t.Errorf("the strike is reported by %q", quotes)
	}
}

// TestIngestReadsATitledSpeakersStatement: what a speaker named with a title, even
// far before the name, or a body's spokesperson said is a statement; what officials
// left unnamed said is not, nor is a state the speaker for a title beside it.
func TestIngestReadsATitledSpeakersStatement(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	text := "Russia's envoy to the international organizations in Vienna, Mikhail Ulyanov, said the push was counterproductive. Officials said the talks were useful. " +
		"A senior German official said the three countries would take stock. A State Department spokesperson in Washington said the talks had been useful. " +
		"Abdelatty, Egypt's top diplomat, said Cairo had worked for weeks."
	res := mustIngest(t, g, "titled", &published, text)
	var statements []string
	for _, p := range res.Proposals {
		if p.Kind == string(domain.EventStatement) {
			statements = append(statements, p.Name)
		}
	}
	if !slices.Equal(statements, []string{"Mikhail Ulyanov statement, 3 March 2026", "State Department statement in Washington, 3 March 2026"}) {
		t.Errorf("the statements proposed are %q", statements)
	}
}

// TestIngestDatesByAMonthHeadingAnItem: a month heading a timeline's item dates what
// the item tells, in the last year it fell before publication.
func TestIngestDatesByAMonthHeadingAnItem(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 4, 9, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "month-item", &published, "What followed:\n\n- November: The IAEA's Board of Governors passed a resolution on the stockpile.\n")
	mustProposal(t, res, "Resolution, November 2025")
}

// TestIngestDatesADealByItsSigning: a deal that a relative clause says was signed is
// the signing's event, dated by it.
func TestIngestDatesADealByItsSigning(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 4, 9, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "signed", &published, "An arrangement on renewed inspections that Araghchi and Grossi signed in Cairo in September was declared dead.")
	var deals []string
	for _, p := range res.Proposals {
		if p.Kind == string(domain.EventNegotiation) {
			deals = append(deals, fmt.Sprintf("%s %q", p.Name, quotesOf(p)))
		}
	}
	if want := []string{`Arrangement in Cairo, September 2025 ["arrangement" "signed"]`}; !slices.Equal(deals, want) {
		t.Errorf("the deals proposed are %q, want %q", deals, want)
	}
}

// TestIngestReadsWhatCameIntoForce: "came back into force" reports the event its
// subject names.
func TestIngestReadsWhatCameIntoForce(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 4, 9, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "in-force", &published, "What followed:\n\n- September: The U.N. sanctions came back into force at the end of the month.\n")
	if quotes := quotesOf(mustProposal(t, res, "Sanctions, September 2025")); !slices.Equal(quotes, []string{"sanctions", "came back into force"}) {
		t.Errorf("the sanctions are reported by %q", quotes)
	}
}

// TestIngestReadsAStrikeGroupAsNoStrike: a carrier strike group is a force, not an
// act.
func TestIngestReadsAStrikeGroupAsNoStrike(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "strike-group", &published, "On Monday the USS Abraham Lincoln strike group remained in the Arabian Sea.")
	if i := slices.IndexFunc(res.Proposals, func(p domain.Proposal) bool { return p.Kind == string(domain.EventMilitaryStrike) }); i >= 0 {
		t.Errorf("a strike is proposed: %+v", res.Proposals[i])
	}
}

// TestIngestDatesByTheEventAParagraphOpensDuring: "During the 12-day war," dates the
// paragraph's undated events by the war the graph holds, and makes an act undated
// otherwise an event of its own.
func TestIngestDatesByTheEventAParagraphOpensDuring(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 2, 26, 12, 0, 0, 0, time.UTC)
	text := "Qatar's role is complicated.\n\nDuring the 12-day war, Pakistan fired missiles at the Karachi air base. Doha helped broker the ceasefire that ended the war."
	res := mustIngest(t, g, "during", &published, text)
	mustProposal(t, res, "Strike in Karachi, June 2025")
	mustProposal(t, res, "Ceasefire, June 2025")
}

// TestIngestReadsTheReturnOfAnEvent: "the return of U.N. sanctions" reports the
// sanctions' event by both words.
func TestIngestReadsTheReturnOfAnEvent(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "return", &published, "The three European powers triggered the return of U.N. sanctions on Iran in August.")
	if quotes := quotesOf(mustProposal(t, res, "Sanctions, August 2025")); !slices.Equal(quotes, []string{"return", "sanctions"}) {
		t.Errorf("the sanctions are reported by %q", quotes)
	}
}

// TestIngestReadsAnActByItsObject: an act with its object ("passed a law") is an event
// though undated, where the act alone ("Israel struck") only links.
func TestIngestReadsAnActByItsObject(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 25, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "object", &published, "Iranian lawmakers have since passed a law suspending cooperation with the IAEA.")
	if quotes := quotesOf(mustProposal(t, res, "Law")); !slices.Equal(quotes, []string{"passed"}) {
		t.Errorf("the law is reported by %q", quotes)
	}
}

// TestIngestReadsADepartureFromAPlace: leaving a place is a departure, dated "early
// this month" by the month of publication; leaving alone is not.
func TestIngestReadsADepartureFromAPlace(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2025, 7, 25, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "left", &published, "The agency's inspectors left the country early this month. Before the delegations left on Saturday, they spoke briefly.")
	var departures []string
	for _, p := range res.Proposals {
		if strings.HasPrefix(p.Name, "Departure") {
			departures = append(departures, fmt.Sprintf("%s %q", p.Name, quotesOf(p)))
		}
	}
	if want := []string{`Departure, July 2025 ["left"]`}; !slices.Equal(departures, want) {
		t.Errorf("the departures proposed are %q, want %q", departures, want)
	}
}

// TestIngestRestatesPartiesAnEventNames: a held participation and place are restated
// by the event's own name holding them, and by the passive subject of its verb.
func TestIngestRestatesPartiesAnEventNames(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	res := mustIngest(t, g, "named-parties", &published, "Washington's military buildup includes the deployment of the USS Abraham Lincoln carrier group to the Arabian Sea.")
	wantCandidate(t, res, "uss-abraham-lincoln-group", domain.RelParticipatedIn, "lincoln-deployment")
	wantCandidate(t, res, "lincoln-deployment", domain.RelLocatedIn, "arabian-sea")
	res = mustIngest(t, g, "passive", &published, "The USS Abraham Lincoln was sent to the region in January.")
	wantCandidate(t, res, "uss-abraham-lincoln-group", domain.RelParticipatedIn, "lincoln-deployment")
}

// TestIngestKeepsTalksToComeApartFromTheTalksHeld: "preparations for Saturday's round"
// is the Saturday to come, and a round still to come is no undated meeting the graph
// holds, though its parties are the same.
func TestIngestKeepsTalksToComeApartFromTheTalksHeld(t *testing.T) {
	g := storetest.MustSeeded(t)
	published := time.Date(2026, 4, 30, 21, 15, 0, 0, time.UTC)
	res := mustIngest(t, g, "to-come", &published, "Two people briefed on the preparations for Saturday's round said Witkoff could discuss enrichment if Iran ships out its stockpile.")
	mustProposal(t, res, "Round, 2 May 2026")
	if slices.ContainsFunc(res.Mentions, func(m domain.Evidence) bool { return m.Subject == "muscat-talks" }) {
		t.Errorf("the round to come is linked to the talks held")
	}
}
