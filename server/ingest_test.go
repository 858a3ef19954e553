package server_test

import (
	"strings"
	"testing"

	"eventgraph/server"
)

const ingestArticle = `mutation($a: ArticleInput!) { ingest(article: $a) {
	source { id title url publishedAt text publisher { id } }
	mentions { quote start end subject { id } }
	candidates { id quote }
	newMentions newCandidates
	boilerplate { start end }
} }`

type ingested struct {
	Ingest struct {
		Source struct {
			ID, Title, URL, Text string
			PublishedAt          *string
			Publisher            *struct{ ID string }
		}
		Mentions []struct {
			Quote      string
			Start, End int
			Subject    struct{ ID string }
		}
		Candidates                 []struct{ ID, Quote string }
		NewMentions, NewCandidates int
		Boilerplate                []struct{ Start, End int }
	}
}

// TestIngestThroughTheAPI adds articles to a running server as an editor would, over
// real HTTP: mentions at their offsets, candidates, nothing new the second time, HTML
// taken apart, and what is refused refused with the field at fault.
func TestIngestThroughTheAPI(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t)}, false)
	text := "MUSCAT, Oman (Gulf Wire) — Abbas Araqchi met U.S. envoy Steve Witkoff in Muscat on Saturday.\n\nRead more: Markets rally in Tokyo\n"
	article := map[string]any{"title": "Envoys meet in Muscat", "url": "https://gulfwire.example/muscat", "publisher": "BBC", "publishedAt": "2025-04-12", "text": text}

	t.Run("an editor ingests an article", func(t *testing.T) {
		var got ingested
		s.as(editorToken).mustQuery(t, ingestArticle, map[string]any{"a": article}, &got)
		in := got.Ingest
		if in.Source.Text != text || in.Source.Publisher == nil || in.Source.Publisher.ID != "bbc" || in.Source.PublishedAt == nil {
			t.Fatalf("source = %+v", in.Source)
		}
		runes := []rune(text)
		named := map[string]bool{}
		for _, m := range in.Mentions {
			if string(runes[m.Start:m.End]) != m.Quote {
				t.Errorf("mention %q is not at [%d, %d)", m.Quote, m.Start, m.End)
			}
			named[m.Subject.ID] = true
		}
		for _, id := range []string{"araghchi", "witkoff", "united-states", "muscat"} {
			if !named[id] {
				t.Errorf("no mention of %s among %+v", id, in.Mentions)
			}
		}
		if in.NewMentions != len(in.Mentions) || len(in.Candidates) == 0 || in.NewCandidates != len(in.Candidates) || len(in.Boilerplate) != 1 {
			t.Fatalf("mentions %d (%d new), candidates %d (%d new), boilerplate %v", len(in.Mentions), in.NewMentions, len(in.Candidates), in.NewCandidates, in.Boilerplate)
		}
	})
	t.Run("the same article again changes nothing", func(t *testing.T) {
		var got ingested
		s.as(editorToken).mustQuery(t, ingestArticle, map[string]any{"a": article}, &got)
		if got.Ingest.NewMentions != 0 || got.Ingest.NewCandidates != 0 || len(got.Ingest.Mentions) == 0 {
			t.Fatalf("again: %d mentions, %d new, %d new candidates", len(got.Ingest.Mentions), got.Ingest.NewMentions, got.Ingest.NewCandidates)
		}
	})
	t.Run("an HTML page", func(t *testing.T) {
		page := map[string]any{"title": "Page", "url": "https://gulfwire.example/page",
			"html": "<html><body><nav>Home | World</nav><article><p>Jared Kushner flew to Oman.</p></article></body></html>"}
		var got ingested
		s.as(editorToken).mustQuery(t, ingestArticle, map[string]any{"a": page}, &got)
		if strings.Contains(got.Ingest.Source.Text, "Home") || !strings.Contains(got.Ingest.Source.Text, "Jared Kushner flew to Oman.") {
			t.Fatalf("text taken from the page: %q", got.Ingest.Source.Text)
		}
	})
	t.Run("a participation proposed with its role, and accepted with it", func(t *testing.T) {
		a := map[string]any{"title": "Mediation", "url": "https://gulfwire.example/mediation",
			"text": "Oman mediated the US-Iran talks in Muscat, where Abbas Araghchi met Steve Witkoff.\n"}
		var got struct {
			Ingest struct {
				Candidates []struct {
					ID            string
					From, To      struct{ ID string }
					SuggestedType *string
					SuggestedRole *string
				}
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($a: ArticleInput!) { ingest(article: $a) { candidates { id from { id } to { id } suggestedType suggestedRole } } }`, map[string]any{"a": a}, &got)
		proposed := map[string]string{}
		var mediation string
		for _, c := range got.Ingest.Candidates {
			if c.SuggestedType == nil {
				t.Fatalf("an untyped candidate: %+v", c)
			}
			role := ""
			if c.SuggestedRole != nil {
				role = *c.SuggestedRole
			}
			proposed[c.From.ID+" "+*c.SuggestedType+" "+c.To.ID] = role
			if c.From.ID == "oman" {
				mediation = c.ID
			}
		}
		for fact, role := range map[string]string{
			"oman PARTICIPATED_IN muscat-talks":     "MEDIATOR",
			"araghchi PARTICIPATED_IN muscat-talks": "PARTICIPANT",
			"muscat-talks LOCATED_IN muscat":        "",
		} {
			if got, ok := proposed[fact]; !ok || got != role {
				t.Errorf("%s: proposed %v with role %q, want %q (all: %v)", fact, ok, got, role, proposed)
			}
		}
		if _, ok := proposed["araghchi PARTICIPATED_IN muscat"]; ok {
			t.Errorf("co-occurrence proposed as a fact: %v", proposed)
		}
		var accepted struct{ Accept struct{ Role *string } }
		s.as(editorToken).mustQuery(t, `mutation($id: ID!) { accept(id: $id) { role } }`, map[string]any{"id": mediation}, &accepted)
		if accepted.Accept.Role == nil || *accepted.Accept.Role != "MEDIATOR" {
			t.Fatalf("accepted as %+v, want the suggested role MEDIATOR", accepted.Accept)
		}
	})
	t.Run("a reader may not", func(t *testing.T) {
		s.as(readerToken).mustFail(t, server.CodeForbidden, ingestArticle, map[string]any{"a": article})
	})
	for _, c := range []struct {
		name, field string
		change      map[string]any
	}{
		{"text and html both", "article", map[string]any{"html": "<p>x</p>"}},
		{"neither text nor html", "article", map[string]any{"text": nil}},
		{"an empty title", "article", map[string]any{"title": " "}},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			a := map[string]any{}
			for k, v := range article {
				a[k] = v
			}
			for k, v := range c.change {
				a[k] = v
			}
			out := s.as(editorToken).mustFail(t, "INVALID_INPUT", ingestArticle, map[string]any{"a": a})
			if got := out.Errors[0].Extensions["field"]; got != c.field {
				t.Fatalf("field = %v, want %s: %+v", got, c.field, out.Errors)
			}
		})
	}
	t.Run("new names are proposed and reviewed", func(t *testing.T) {
		a := map[string]any{"title": "Tajani meets Araghchi", "url": "https://tiber.example/tajani", "publisher": "Tiber Wire",
			"text": "ROME (Tiber Wire) — Italian Foreign Minister Antonio Tajani met Abbas Araghchi in Rome on Saturday. Italy will host the next round."}
		var got struct {
			Ingest struct {
				Source    struct{ ID string }
				Proposals []struct {
					ID, Name  string
					ActorKind *string
					Mentions  []struct{ Quote *string }
				}
				Candidates []struct {
					ID                       string
					From                     *struct{ ID string }
					FromProposal, ToProposal *struct{ ID, Name string }
				}
				NewProposals int
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($a: ArticleInput!) { ingest(article: $a) { source { id }
			proposals { id name actorKind mentions { quote } }
			candidates { id from { id } fromProposal { id name } toProposal { id name } } newProposals } }`, map[string]any{"a": a}, &got)
		proposals := map[string]string{}
		for _, p := range got.Ingest.Proposals {
			proposals[p.Name] = p.ID
		}
		for _, name := range []string{"Antonio Tajani", "Italy", "Rome", "Tiber Wire"} {
			if proposals[name] == "" {
				t.Fatalf("%s is not proposed: %+v", name, got.Ingest.Proposals)
			}
		}
		var candidate string
		for _, c := range got.Ingest.Candidates {
			if c.FromProposal != nil && c.FromProposal.Name == "Antonio Tajani" && c.ToProposal != nil && c.ToProposal.Name == "Italy" && c.From == nil {
				candidate = c.ID
			}
		}
		if candidate == "" || got.Ingest.NewProposals != len(got.Ingest.Proposals) {
			t.Fatalf("no candidate between the proposals, or %d new of %d: %+v", got.Ingest.NewProposals, len(got.Ingest.Proposals), got.Ingest.Candidates)
		}
		s.as(editorToken).mustFail(t, "INVALID_INPUT", `mutation($id: ID!) { accept(id: $id) { id } }`, map[string]any{"id": candidate})
		s.as(readerToken).mustFail(t, server.CodeForbidden, `mutation($id: ID!) { acceptProposal(id: $id) { id } }`, map[string]any{"id": proposals["Italy"]})
		for _, name := range []string{"Antonio Tajani", "Italy", "Tiber Wire"} {
			var accepted struct{ AcceptProposal struct{ ID string } }
			s.as(editorToken).mustQuery(t, `mutation($id: ID!) { acceptProposal(id: $id) { id } }`, map[string]any{"id": proposals[name]}, &accepted)
		}
		var rel struct {
			Accept struct {
				Type     string
				From, To struct{ ID string }
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($id: ID!) { accept(id: $id) { type from { id } to { id } } }`, map[string]any{"id": candidate}, &rel)
		if rel.Accept.From.ID != "antonio-tajani" || rel.Accept.To.ID != "italy" || rel.Accept.Type != "REPRESENTS" {
			t.Fatalf("the candidate became %+v", rel.Accept)
		}
		var merged struct{ MergeProposal struct{ ID, Name string } }
		s.as(editorToken).mustQuery(t, `mutation($id: ID!) { mergeProposal(id: $id, into: "muscat") { id name } }`, map[string]any{"id": proposals["Rome"]}, &merged)
		var after struct {
			Source    struct{ Publisher struct{ ID string } }
			Proposals struct{ TotalCount int }
			Rome      *struct {
				Status string
				Entity struct{ ID string }
			}
		}
		s.as(readerToken).mustQuery(t, `query($src: ID!, $rome: ID!) { source: node(id: $src) { ... on Source { publisher { id } } } proposals { totalCount }
			rome: proposal(id: $rome) { status entity { id } } }`, map[string]any{"src": got.Ingest.Source.ID, "rome": proposals["Rome"]}, &after)
		if after.Source.Publisher.ID != "tiber-wire" || after.Rome == nil || after.Rome.Status != "MERGED" || after.Rome.Entity.ID != "muscat" {
			t.Fatalf("after review: %+v", after)
		}
	})
	t.Run("an event the article reports is proposed with its date", func(t *testing.T) {
		a := map[string]any{"title": "Second round", "url": "https://tiber.example/round", "publishedAt": "2025-04-19T18:40:00Z",
			"text": "Abbas Araghchi and Steve Witkoff held a second round of talks in Muscat on Saturday."}
		var got struct {
			Ingest struct {
				Proposals []struct {
					Name, NodeKind string
					EventKind      *string
					Start          *string
					Precision      *string
				}
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($a: ArticleInput!) { ingest(article: $a) { proposals { name nodeKind eventKind start precision } } }`,
			map[string]any{"a": a}, &got)
		for _, p := range got.Ingest.Proposals {
			if p.NodeKind == "EVENT" && p.EventKind != nil && *p.EventKind == "NEGOTIATION" && p.Start != nil && strings.HasPrefix(*p.Start, "2025-04-19") &&
				p.Precision != nil && *p.Precision == "DAY" {
				return
			}
		}
		t.Fatalf("no round of talks on 19 April proposed: %+v", got.Ingest.Proposals)
	})
	t.Run("a stance becomes a position", func(t *testing.T) {
		a := map[string]any{"title": "Missiles", "url": "https://tiber.example/missiles", "text": "Iran has ruled out any limits on its ballistic missile programme."}
		var got struct {
			Ingest struct {
				Candidates []struct {
					ID              string
					SuggestedStance *string
					From            struct{ ID string }
				}
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($a: ArticleInput!) { ingest(article: $a) { candidates { id suggestedStance from { id } } } }`, map[string]any{"a": a}, &got)
		var id string
		for _, c := range got.Ingest.Candidates {
			if c.SuggestedStance != nil && *c.SuggestedStance == "RULES_OUT" && c.From.ID == "iran" {
				id = c.ID
			}
		}
		if id == "" {
			t.Fatalf("no position's candidate: %+v", got.Ingest.Candidates)
		}
		s.as(editorToken).mustFail(t, "INVALID_INPUT", `mutation($id: ID!) { accept(id: $id) { id } }`, map[string]any{"id": id})
		var pos struct {
			AcceptPosition struct {
				Stance string
				Topic  struct{ ID string }
			}
		}
		s.as(editorToken).mustQuery(t, `mutation($id: ID!) { acceptPosition(id: $id) { stance topic { id } } }`, map[string]any{"id": id}, &pos)
		if pos.AcceptPosition.Stance != "RULES_OUT" || pos.AcceptPosition.Topic.ID != "ballistic-missiles" {
			t.Fatalf("accepted as %+v", pos.AcceptPosition)
		}
	})
	t.Run("refused: a text over 2 MiB, where the server takes bodies that large", func(t *testing.T) {
		big := mustStart(t, server.Config{MaxBodyBytes: 8 << 20}, false)
		a := map[string]any{"title": "Long", "url": "https://gulfwire.example/long", "text": strings.Repeat("word ", 450_000)}
		out := big.mustFail(t, "INVALID_INPUT", ingestArticle, map[string]any{"a": a})
		if got := out.Errors[0].Extensions["field"]; got != "article.text" {
			t.Fatalf("field = %v: %+v", got, out.Errors)
		}
	})
}
