//go:build tikv

package seed_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/kv"
	"eventgraph/store/storetest"
	"eventgraph/store/storetest/testkv"
)

// TestImportRunsAgainAfterAnotherProcessWrote: two processes import one file into an
// empty TiKV cluster at once. The import that commits second checked the file against
// the empty store; the store refuses its commit, and the import is checked again, finds
// every record there and changes nothing. The graph then exports and counts as the file
// imported once, alone.
func TestImportRunsAgainAfterAnotherProcessWrote(t *testing.T) {
	ctx := context.Background()
	path := mustWriteFile(t, "gen.jsonl", bytes.TrimSpace(MustGenerate(t, 2000, 5)))
	stores := testkv.OpenProcesses(t, 2)
	open := func(s kv.Store) *store.Graph {
		g, err := store.Open(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	other := open(stores[1])
	g := open(testkv.BeforeBulkCommit(stores[0], func() {
		if _, err := (seed.Options{}).ImportFiles(ctx, other, path); err != nil {
			t.Error(err)
		}
	}))
	var progress bytes.Buffer
	stats, err := seed.Options{Progress: &progress}.ImportFiles(ctx, g, path)
	if err != nil || stats.Nodes+stats.Relations+stats.Evidence != 0 {
		t.Fatalf("the import beside another process's: %+v, %v; want it to change nothing, run again", stats, err)
	}
	if !strings.Contains(progress.String(), "checking it again") {
		t.Fatalf("the import did not say it ran again:\n%s", &progress)
	}
	alone := storetest.MustGraph(t)
	if _, err := (seed.Options{}).ImportFiles(ctx, alone, path); err != nil {
		t.Fatal(err)
	}
	if got, want := mustExport(t, g), mustExport(t, alone); got != want {
		t.Fatal("the graph two processes imported exports otherwise than the file imported alone")
	}
	got, err := g.Aggregate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := alone.Aggregate(ctx)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("counts after two processes' imports: %v\nthe file imported alone: %v (%v)", got, want, err)
	}
}
