package server_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"eventgraph/server"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// TestReviewCorrectionsOverHTTP reviews the candidates of an article ingested over real
// HTTP, correcting them as a reviewer would: what breaks the relation type's rules is
// refused with the argument at fault and leaves the candidate pending; a swapped
// direction and an edited span are accepted, the evidence quoting the source's text;
// addEvidence takes a quote from a span of the text.
func TestReviewCorrectionsOverHTTP(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	sentence := "Iran’s foreign minister Abbas Araghchi met Steve Witkoff in Muscat."
	text := sentence + "\nThe two men spoke for three hours.\n"
	runes := []rune(text)
	var got ingested
	s.mustQuery(t, ingestArticle, map[string]any{"a": map[string]any{"title": "Envoys meet", "url": "https://example.org/envoys", "text": text}}, &got)
	source := got.Ingest.Source.ID

	type candidate struct {
		ID, Status    string
		SuggestedType *string
		Confidence    float64
		From, To      struct{ ID string }
	}
	candidates := func(status string) []candidate {
		var q struct{ Candidates struct{ Nodes []candidate } }
		s.mustQuery(t, `query($s: CandidateStatus) { candidates(status: $s, first: 100) { nodes { id status suggestedType confidence from { id } to { id } } } }`,
			map[string]any{"s": status}, &q)
		return q.Candidates.Nodes
	}
	var represents string
	var confidence float64 // the candidate's
	for _, c := range candidates("PENDING") {
		if c.From.ID == "araghchi" && c.To.ID == "iran" && c.SuggestedType != nil && *c.SuggestedType == "REPRESENTS" {
			represents, confidence = c.ID, c.Confidence
		}
	}
	if represents == "" {
		t.Fatalf("no REPRESENTS candidate from araghchi to iran among %+v", candidates("PENDING"))
	}
	if !(confidence > 0 && confidence <= 1) {
		t.Fatalf("the REPRESENTS candidate's confidence is %v, want one in (0, 1]", confidence)
	}

	const accept = `mutation($id: ID!, $type: RelationType, $role: ParticipantRole, $from: ID, $to: ID, $start: Int, $end: Int, $confidence: Float) {
		accept(id: $id, type: $type, role: $role, from: $from, to: $to, start: $start, end: $end, confidence: $confidence) {
			id type from { id } to { id } evidence { quote start end confidence source { id } } } }`
	for _, c := range []struct {
		name, field, says string
		vars              map[string]any
	}{
		{"a state representing a person", "to", "REPRESENTS goes from ACTOR to ACTOR of kind STATE", map[string]any{"from": "iran", "to": "araghchi"}},
		{"a role on REPRESENTS", "role", "a REPRESENTS relation has none", map[string]any{"role": "MEDIATOR"}},
		{"a span beyond the text", "end", "beyond the source text", map[string]any{"start": 10, "end": len(runes) + 1}},
		{"an empty span", "end", "empty", map[string]any{"start": 10, "end": 10}},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			c.vars["id"] = represents
			out := s.mustFail(t, "INVALID_INPUT", accept, c.vars)
			if e := out.Errors[0]; e.Extensions["field"] != c.field || !strings.Contains(e.Message, c.says) {
				t.Fatalf("error = %+v, want field %s saying %q", e, c.field, c.says)
			}
		})
	}
	pending := false
	for _, c := range candidates("PENDING") {
		pending = pending || c.ID == represents
	}
	if !pending {
		t.Fatal("a refused accept took the candidate out of the queue")
	}

	type relation struct {
		ID, Type string
		From, To struct{ ID string }
		Evidence []struct {
			Quote      string
			Start, End int
			Confidence float64
			Source     struct{ ID string }
		}
	}
	quotes := func(rel relation) map[string]bool {
		out := map[string]bool{}
		for _, ev := range rel.Evidence {
			if ev.Source.ID != source {
				continue
			}
			if string(runes[ev.Start:ev.End]) != ev.Quote {
				t.Errorf("evidence %q is not the text at [%d, %d)", ev.Quote, ev.Start, ev.End)
			}
			out[ev.Quote] = true
		}
		return out
	}

	var accepted string // the relation the candidates became
	t.Run("accepts an edited span at the candidate's confidence", func(t *testing.T) {
		var res struct{ Accept relation }
		s.mustQuery(t, accept, map[string]any{"id": represents, "start": 0, "end": 38}, &res)
		accepted = res.Accept.ID
		if rel := res.Accept; rel.Type != "REPRESENTS" || rel.From.ID != "araghchi" || rel.To.ID != "iran" || !quotes(rel)["Iran’s foreign minister Abbas Araghchi"] {
			t.Fatalf("accepted = %+v", rel)
		}
		for _, ev := range res.Accept.Evidence {
			if ev.Source.ID == source && ev.Confidence != confidence {
				t.Errorf("evidence %q has confidence %v, want the candidate's %v", ev.Quote, ev.Confidence, confidence)
			}
		}
	})

	t.Run("accepts a swapped direction", func(t *testing.T) {
		// A candidate in text order, with no type suggested, as ingestion leaves one it
		// cannot type.
		end := utf8.RuneCountInString(sentence)
		b := &store.Batch{Candidates: []domain.Candidate{{Source: source, From: "iran", To: "araghchi", Quote: sentence, End: end}}}
		if _, err := s.graph.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		s.mustFail(t, "INVALID_INPUT", accept, map[string]any{"id": b.Candidates[0].ID, "type": "REPRESENTS"})
		var res struct{ Accept relation }
		s.mustQuery(t, accept, map[string]any{"id": b.Candidates[0].ID, "type": "REPRESENTS", "from": "araghchi", "to": "iran", "confidence": 0.8}, &res)
		if rel := res.Accept; rel.Type != "REPRESENTS" || rel.From.ID != "araghchi" || rel.To.ID != "iran" || !quotes(rel)[sentence] {
			t.Fatalf("accepted = %+v", rel)
		}
	})

	t.Run("adds evidence from a span", func(t *testing.T) {
		const add = `mutation($s: ID!, $ev: [EvidenceInput!]!) { addEvidence(subject: $s, evidence: $ev) { quote start end } }`
		from := utf8.RuneCountInString(sentence) + 1
		second := strings.TrimSpace(string(runes[from:]))
		span := func(start, end int) map[string]any {
			return map[string]any{"s": accepted, "ev": []map[string]any{{"source": source, "start": start, "end": end, "confidence": 0.5}}}
		}
		var res struct {
			AddEvidence []struct {
				Quote      string
				Start, End int
			}
		}
		s.mustQuery(t, add, span(from, from+utf8.RuneCountInString(second)), &res)
		if len(res.AddEvidence) != 1 || res.AddEvidence[0].Quote != second || res.AddEvidence[0].Start != from {
			t.Fatalf("evidence from a span = %+v, want %q at %d", res.AddEvidence, second, from)
		}
		out := s.mustFail(t, "INVALID_INPUT", add, span(from, len(runes)+5))
		if f, _ := out.Errors[0].Extensions["field"].(string); !strings.HasSuffix(f, "evidence[0].end") || out.Errors[0].Extensions["problems"] != nil {
			t.Fatalf("a span beyond the text: %+v", out.Errors)
		}
	})
}
