package ingest_test

import (
	"context"
	"fmt"
	"testing"

	"eventgraph/seed/ingest"
	"eventgraph/seed/ingest/ingesttest"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// BenchmarkIngest ingests articles of 15 to 250 KB into the seeded graph, each time as
// a new source, so every run writes the source, its mentions and its candidates.
func BenchmarkIngest(b *testing.B) {
	for _, kb := range []int{15, 60, 120, 250} {
		b.Run(fmt.Sprintf("%dKB", kb), func(b *testing.B) {
			g := storetest.MustSeeded(b)
			text := ingesttest.MustLongArticle(b, kb<<10)
			b.SetBytes(int64(len(text)))
			for i := 0; b.Loop(); i++ {
				src := domain.Source{ID: fmt.Sprintf("bench-%d", i), Title: "Bench", URL: fmt.Sprintf("https://example.org/bench/%d", i), Text: text}
				if _, err := ingest.Ingest(context.Background(), g, ingest.Article{Source: src}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
