package seed_test

import (
	"bytes"
	"slices"
	"testing"
	"testing/fstest"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/storetest"
)

func MustGenerate(t *testing.T, relations int, s int64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := seed.Generate(&b, relations, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerate(t *testing.T) {
	const n = 10_000
	out := MustGenerate(t, n, 7)

	t.Run("deterministic", func(t *testing.T) {
		if again := MustGenerate(t, n, 7); !bytes.Equal(out, again) {
			t.Error("two runs with the same seed differ")
		}
		if other := MustGenerate(t, n, 8); bytes.Equal(out, other) {
			t.Error("another seed gives the same output")
		}
	})

	set := MustLoad(t, fstest.MapFS{"gen.jsonl": {Data: out}}, "gen.jsonl")
	t.Run("shape", func(t *testing.T) {
		_, relations, evidence := set.Counts()
		if relations < n*99/100 || relations > n {
			t.Errorf("%d relations, want about %d", relations, n)
		}
		if evidence < relations {
			t.Errorf("%d evidence for %d relations", evidence, relations)
		}
		kinds := map[store.Kind]int{}
		positions := 0
		for _, node := range set.Batch.Nodes {
			kinds[node.NodeKind()]++
			if node.NodeKind() == store.KindPosition {
				positions++
			}
		}
		for _, k := range store.Kinds {
			if kinds[k] == 0 {
				t.Errorf("no %s nodes", k)
			}
		}
		types := map[store.RelationType]bool{}
		degree := map[string]int{}
		for _, r := range set.Batch.Relations {
			types[r.Type] = true
			degree[r.From]++
			degree[r.To]++
		}
		if len(types) != len(store.RelationTypes) {
			t.Errorf("%d relation types used, want all %d", len(types), len(store.RelationTypes))
		}
		ds := slices.Sorted(func(yield func(int) bool) {
			for _, d := range degree {
				if !yield(d) {
					return
				}
			}
		})
		if median, top := ds[len(ds)/2], ds[len(ds)-1]; median >= 20 || top < n/50 {
			t.Errorf("degrees: median %d, top %d; want a skew (median under 20, hubs over %d)", median, top, n/50)
		}
	})

	t.Run("imports cleanly, and again as a no-op", func(t *testing.T) {
		g := storetest.MustGraph(t)
		nodes, relations, evidence := set.Counts()
		stats := MustImport(t, g, set)
		if stats.Nodes != nodes || stats.Relations != relations || stats.Evidence != evidence {
			t.Errorf("import wrote %+v, want %d nodes, %d relations, %d evidence", stats, nodes, relations, evidence)
		}
		withOffsets := 0 // the store placed every quote, with the occurrence generated
		for _, ev := range set.Batch.Evidence {
			if ev.Start != nil {
				withOffsets++
			}
		}
		if withOffsets != evidence {
			t.Errorf("%d of %d evidence records have offsets", withOffsets, evidence)
		}
		again := MustImport(t, g, MustLoad(t, fstest.MapFS{"gen.jsonl": {Data: out}}, "gen.jsonl"))
		if again != (store.WriteStats{}) {
			t.Errorf("re-import wrote %+v", again)
		}
	})
}

func TestGenerateTiny(t *testing.T) {
	for _, n := range []int{1, 7, 120} {
		out := MustGenerate(t, n, 1)
		set := MustLoad(t, fstest.MapFS{"gen.jsonl": {Data: out}}, "gen.jsonl")
		if _, relations, _ := set.Counts(); relations != n {
			t.Errorf("Generate(%d) made %d relations", n, relations)
		}
		MustImport(t, storetest.MustGraph(t), set)
	}
	if err := seed.Generate(&bytes.Buffer{}, 0, 1); err == nil {
		t.Error("Generate(0) succeeded")
	}
}

func BenchmarkLoadJSONL(b *testing.B) {
	var buf bytes.Buffer
	if err := seed.Generate(&buf, 20_000, 1); err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{"gen.jsonl": {Data: buf.Bytes()}}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := seed.Load(fsys, "gen.jsonl"); err != nil {
			b.Fatal(err)
		}
	}
}
