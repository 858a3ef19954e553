package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
)

// BenchmarkHistory measures what keeping every version costs: the bytes on disk each
// edit of a node adds (its record, its changed index keys, the author record), and
// reading the current version of a node edited 1,000 times against one written once.
func BenchmarkHistory(b *testing.B) {
	dir := b.TempDir()
	open := func() (*store.Graph, func()) {
		kv, err := badgerkv.Open(badgerkv.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		return store.New(kv), func() { kv.Close() }
	}
	actor := func(i, edit int) *domain.Actor {
		return &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("actor-%04d", i), Name: fmt.Sprintf("Actor %d", i),
			Description: fmt.Sprintf("Edit %d: a delegate who travelled to the talks and spoke to the press afterwards.", edit)},
			Kind: domain.ActorPerson}
	}
	ctx := context.Background()
	g, closeStore := open()
	batch := &store.Batch{}
	for i := range 1000 {
		batch.Nodes = append(batch.Nodes, actor(i, 0))
	}
	if _, err := g.Import(ctx, batch); err != nil {
		b.Fatal(err)
	}
	closeStore()
	before := dirSize(b, dir)
	g, closeStore = open()
	const edits = 2000
	for e := range edits {
		i := e % 1000
		if e >= 1000 {
			i = 0 // actor-0000 gets 1,001 versions
		}
		if _, err := g.Apply(ctx, &store.Batch{Nodes: []domain.Node{actor(i, e+1)}}); err != nil {
			b.Fatal(err)
		}
	}
	closeStore()
	perVersion := float64(dirSize(b, dir)-before) / edits
	g, closeStore = open()
	defer closeStore()
	for _, id := range []string{"actor-0001", "actor-0000"} {
		versions, err := g.History(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("read-current/versions=%d", len(versions)), func(b *testing.B) {
			for b.Loop() {
				if _, err := g.Node(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(perVersion, "bytes/version")
		})
	}
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		n += info.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
