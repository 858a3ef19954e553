package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
)

// BenchmarkClaims lists the first 50 claims resting on one source, and all claims
// unfiltered, from an on-disk store holding the bundled seed (73 claims) and one holding
// a generated graph of 100,000 relations (and about 1,000 positions, each claim with
// one evidence record): reading every claim's record, and its evidence and sources
// when the filter asks about them; and the claims of one typical entity and of a hub.
func BenchmarkClaims(b *testing.B) {
	one := 1
	oneSource := domain.ClaimFilter{MinSources: &one, MaxSources: &one}
	bundled, err := seed.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "generated.jsonl")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.Generate(f, seed.GenerateOptions{Relations: 100_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	generated, err := seed.LoadFiles(file)
	if err != nil {
		b.Fatal(err)
	}
	type filter struct {
		name string
		domain.ClaimFilter
	}
	for _, graph := range []struct {
		name    string
		set     *seed.Set
		filters []filter
	}{
		{"seed", bundled, []filter{{"one-source", oneSource}}},
		{"generated-100k", generated, []filter{
			{"all", domain.ClaimFilter{}},
			{"one-source", oneSource},
			{"entity-one-source", domain.ClaimFilter{Entity: "actor-100", MinSources: &one, MaxSources: &one}},
			{"hub-one-source", domain.ClaimFilter{Entity: "actor-0", MinSources: &one, MaxSources: &one}},
		}},
	} {
		kv, err := badgerkv.Open(badgerkv.Options{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		g := store.New(kv)
		if _, err := seed.Import(context.Background(), g, graph.set, seed.Options{}); err != nil {
			b.Fatal(err)
		}
		for _, f := range graph.filters {
			b.Run(graph.name+"/"+f.name, func(b *testing.B) {
				ctx := context.Background()
				total := 0
				for b.Loop() {
					p, err := g.Claims(ctx, f.ClaimFilter, domain.PageArgs{First: 50})
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Items) == 0 {
						b.Fatal("no claims")
					}
					total = p.Total
				}
				b.ReportMetric(float64(total), "claims")
			})
		}
		if err := kv.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
