package seed

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"eventgraph/store/domain"
)

// mustWriteQuotes writes sources whose text repeats a quote, and a relation with
// evidence at the second occurrence in each, through a Writer holding textBudget
// bytes of texts in memory.
func mustWriteQuotes(t *testing.T, textBudget int) []byte {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out)
	w.textBudget = textBudget
	rel := &domain.Relation{ID: "rel:1", Type: domain.RelAlliedWith, From: "a", To: "b"}
	var evs []*domain.Evidence
	for i := range 20 {
		id := fmt.Sprintf("source-%d", i)
		text := strings.Repeat(fmt.Sprintf("Filler %d. They met. ", i), 3)
		if err := w.Node(&domain.Source{ID: id, Title: id, Text: text}); err != nil {
			t.Fatal(err)
		}
		start := strings.Index(text[1:], "They met.") + 1
		start += strings.Index(text[start+1:], "They met.") + 1
		end := start + len("They met.")
		evs = append(evs, &domain.Evidence{ID: fmt.Sprintf("ev:%d", i), Subject: rel.ID, Source: id, Quote: "They met.", Start: &start, End: &end, Confidence: 1})
	}
	if err := w.Relation(rel, evs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestWriterTextsPastItsBudget: texts past what a Writer holds in memory go to a
// temporary file and number repeated quotes as those held do; Close removes the file.
func TestWriterTextsPastItsBudget(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	held := mustWriteQuotes(t, writerTextBytes)
	spilled := mustWriteQuotes(t, 100)
	if !bytes.Equal(held, spilled) || !bytes.Contains(held, []byte(`"occurrence":2`)) {
		t.Errorf("written with texts in a file:\n%s\nheld in memory:\n%s", spilled, held)
	}
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("left in the temporary folder: %v, %v", left, err)
	}
}
