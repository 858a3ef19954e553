package store_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/storetest/testkv"
)

// The benchmarks run on the backend EVENTGRAPH_TEST_KV names (storetest/testkv),
// Badger on disk by default, so that a backend's figures are measured beside Badger's
// by the same code:
//
//	go test ./store -run '^$' -bench 'Import|Neighbours|Paths' -count 5
//	EVENTGRAPH_TEST_KV=tikv go test -tags tikv ./store -run '^$' -bench 'Import|Neighbours|Paths' -count 5

// hubBatch is a hub actor with 10,000 allies and a small one with 10 of them, each
// relation with its evidence.
func hubBatch() *store.Batch {
	const text = "Officials met in the capital to discuss the agreement."
	batch := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "src", Title: "Wire report", Text: text},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "small", Name: "Small"}, Kind: domain.ActorState},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "hub", Name: "Hub"}, Kind: domain.ActorState},
	}}
	link := func(from, to string) {
		rel := domain.Relation{Type: domain.RelAlliedWith, From: from, To: to}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		batch.Relations = append(batch.Relations, rel)
		batch.Evidence = append(batch.Evidence, domain.Evidence{Subject: rel.ID, Source: "src",
			Quote: "Officials met", Confidence: 0.9, Method: "bench"})
	}
	for i := range 10_000 {
		id := fmt.Sprintf("peer-%05d", i)
		batch.Nodes = append(batch.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Peer " + id}, Kind: domain.ActorGroup})
		link("hub", id)
		if i < 10 {
			link("small", id)
		}
	}
	return batch
}

// BenchmarkImportBatch imports hubBatch (10,010 relations with evidence) into a new
// store, in one bulk write.
func BenchmarkImportBatch(b *testing.B) {
	batch := hubBatch()
	for b.Loop() {
		b.StopTimer()
		g := store.New(testkv.OpenOnDisk(b))
		b.StartTimer()
		if _, err := g.Import(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(batch.Relations))*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkNeighbours reads one node's relations with their evidence (one hop) at
// degree 10 and 10,000, from an on-disk store that also holds the other node's edges.
func BenchmarkNeighbours(b *testing.B) {
	g := store.New(testkv.OpenOnDisk(b))
	if _, err := g.Import(context.Background(), hubBatch()); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		id     string
		degree int
	}{{"small", 10}, {"hub", 10_000}} {
		b.Run(fmt.Sprintf("degree=%d", tc.degree), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				rels, err := g.RelationsOf(ctx, []string{tc.id}, domain.RelationFilter{Direction: domain.DirectionOut})
				if err != nil {
					b.Fatal(err)
				}
				evs, err := g.Evidence(ctx, relationIDs(rels[0]))
				if err != nil {
					b.Fatal(err)
				}
				if len(rels[0]) != tc.degree || len(evs) != tc.degree || len(evs[0]) != 1 {
					b.Fatalf("read %d relations, %d evidence lists", len(rels[0]), len(evs))
				}
			}
		})
	}
}

func relationIDs(rels []*domain.Relation) []string {
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.ID
	}
	return ids
}

// BenchmarkPaths finds the three shortest paths of at most four hops between two
// actors joined through two hubs of 5,000 allies each (the search must reach the hubs
// from their small neighbours rather than read them), and the three shortest of at most
// six hops between two actors of a sparse graph of 10,000 with three relations each,
// from an on-disk store.
func BenchmarkPaths(b *testing.B) {
	g := store.New(testkv.OpenOnDisk(b))
	batch := &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "src", Title: "Wire report", Text: "They were allies."}}}
	actor := func(id string) {
		batch.Nodes = append(batch.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorGroup})
	}
	link := func(from, to string) {
		rel := domain.Relation{Type: domain.RelAlliedWith, From: from, To: to}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		batch.Relations = append(batch.Relations, rel)
		batch.Evidence = append(batch.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "bench"})
	}
	for _, id := range []string{"h1", "h2", "a", "b", "e", "x"} {
		actor(id)
	}
	for i := range 5_000 {
		for _, hub := range []string{"h1", "h2"} {
			peer := fmt.Sprintf("%s-peer-%04d", hub, i)
			actor(peer)
			link(hub, peer)
		}
	}
	for _, pair := range [][2]string{{"a", "h1"}, {"h1", "h2"}, {"h2", "b"}, {"a", "e"}, {"e", "h2"}, {"h1", "x"}, {"x", "h2"}} {
		link(pair[0], pair[1])
	}
	const sparse = 10_000
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range sparse {
		actor(fmt.Sprintf("n-%05d", i))
	}
	linked := map[[2]int]bool{}
	for i := range sparse {
		for range 3 {
			j := rng.IntN(sparse)
			if j != i && !linked[[2]int{i, j}] && !linked[[2]int{j, i}] {
				linked[[2]int{i, j}] = true
				link(fmt.Sprintf("n-%05d", i), fmt.Sprintf("n-%05d", j))
			}
		}
	}
	if _, err := g.Import(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name, from, to string
		maxHops, first int
	}{{"hubs", "a", "b", 4, 3}, {"sparse", "n-00001", "n-09999", 6, 3}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				ps, err := g.Paths(ctx, tc.from, tc.to, tc.maxHops, domain.Walk{}, tc.first)
				if err != nil {
					b.Fatal(err)
				}
				if len(ps) != tc.first {
					b.Fatalf("found %d paths, want %d", len(ps), tc.first)
				}
			}
		})
	}
}

// BenchmarkBackup writes a backup of a store holding hubBatch (10,010 relations with
// evidence), every version of every key, to nowhere.
func BenchmarkBackup(b *testing.B) {
	s := testkv.OpenOnDisk(b)
	if _, err := store.New(s).Import(context.Background(), hubBatch()); err != nil {
		b.Fatal(err)
	}
	backup, ok := s.(interface{ Backup(io.Writer) error })
	if !ok {
		b.Skipf("%T writes no backups", s)
	}
	var written int64
	for b.Loop() {
		w := &counter{}
		if err := backup.Backup(w); err != nil {
			b.Fatal(err)
		}
		written = w.n
	}
	b.ReportMetric(10_010*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
	b.ReportMetric(float64(written), "bytes")
}

// counter counts the bytes written to it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkNewestChanges reads the newest ten commits (Changes since the tenth newest)
// of a store that 1,000 or 10,000 commits wrote, as a server does for a subscriber when
// other servers' commits land: its cost should not grow with the commits before them.
func BenchmarkNewestChanges(b *testing.B) {
	for _, commits := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("commits=%d", commits), func(b *testing.B) {
			g := store.New(testkv.OpenOnDisk(b))
			ctx := context.Background()
			versions := make([]uint64, commits)
			for i := range versions {
				id := fmt.Sprint("actor-", i)
				stats, err := g.Apply(ctx, &store.Batch{Nodes: []domain.Node{&domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorGroup}}})
				if err != nil {
					b.Fatal(err)
				}
				versions[i] = stats.Version
			}
			since := kv.VersionTime(versions[commits-10])
			for b.Loop() {
				page, err := g.Changes(ctx, since, nil, domain.PageArgs{First: 10})
				if err != nil {
					b.Fatal(err)
				}
				if page.Total != 10 {
					b.Fatalf("%d changes since the tenth newest commit, want 10", page.Total)
				}
			}
		})
	}
}
