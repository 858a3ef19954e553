package seed_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

func MustGenerate(t *testing.T, relations int, s int64) []byte {
	t.Helper()
	return mustGenerateWith(t, seed.GenerateOptions{Relations: relations, Seed: s})
}

func mustGenerateWith(t *testing.T, o seed.GenerateOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := seed.Generate(&b, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// degrees lists the degree of every entity of a generated graph, highest first.
func degrees(t *testing.T, out []byte) []int {
	t.Helper()
	degree := map[string]int{}
	for _, r := range MustLoad(t, fstest.MapFS{"gen.jsonl": {Data: out}}, "gen.jsonl").Batch.Relations {
		degree[r.From]++
		degree[r.To]++
	}
	ds := slices.Collect(maps.Values(degree))
	slices.Sort(ds)
	slices.Reverse(ds)
	return ds
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
		kinds := map[domain.Kind]int{}
		positions := 0
		for _, node := range set.Batch.Nodes {
			kinds[node.NodeKind()]++
			if node.NodeKind() == domain.KindPosition {
				positions++
			}
		}
		for _, k := range domain.Kinds {
			if kinds[k] == 0 {
				t.Errorf("no %s nodes", k)
			}
		}
		types := map[domain.RelationType]bool{}
		for _, r := range set.Batch.Relations {
			types[r.Type] = true
		}
		if len(types) != len(domain.RelationTypes) {
			t.Errorf("%d relation types used, want all %d", len(types), len(domain.RelationTypes))
		}
		ds := degrees(t, out)
		if median, top := ds[len(ds)/2], ds[0]; median >= 20 || top < n/50 {
			t.Errorf("degrees: median %d, top %d; want a skew (median under 20, hubs over %d)", median, top, n/50)
		}
	})

	t.Run("hub spread", func(t *testing.T) {
		// Eight hubs by default; spread five times, forty share what they had.
		def, spread := degrees(t, out), degrees(t, mustGenerateWith(t, seed.GenerateOptions{Relations: n, Seed: 7, HubSpread: 5}))
		sum := func(ds []int) (s int) {
			for _, d := range ds {
				s += d
			}
			return s
		}
		if spread[0]*3 > def[0] {
			t.Errorf("top degree %d spread five times, %d by default: the hubs did not shrink", spread[0], def[0])
		}
		if a, b := sum(def[:8]), sum(spread[:40]); b < a*3/4 || b > a*4/3 {
			t.Errorf("forty spread hubs take %d relation ends, eight hubs %d: the hubs' share changed", b, a)
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
	if err := seed.Generate(&bytes.Buffer{}, seed.GenerateOptions{Seed: 1}); err == nil {
		t.Error("Generate(0) succeeded")
	}
}

func BenchmarkLoadJSONL(b *testing.B) {
	var buf bytes.Buffer
	if err := seed.Generate(&buf, seed.GenerateOptions{Relations: 20_000, Seed: 1}); err != nil {
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

// TestJSONLinesAcrossBatches breaks lines in different batches of a file the loader
// decodes in parallel, and checks each problem is reported at its own line, in file
// order, and that the rest of the file still loads.
func TestJSONLinesAcrossBatches(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(MustGenerate(t, 3000, 3)), "\n"), "\n")
	relationAt := func(from int) int {
		for i := from - 1; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], `{"record":"relation"`) {
				return i + 1
			}
		}
		t.Fatalf("no relation line after line %d", from)
		return 0
	}
	truncated, unknown, blank := relationAt(1100), relationAt(2049), relationAt(1500)
	lines[truncated-1] = `{"record":"relation","type":`
	lines[unknown-1] = `{"record":"planet","key":"x"}`
	lines[blank-1] = ""
	all := []byte(strings.Join(lines, "\n"))

	_, err := seed.Load(fstest.MapFS{"g.jsonl": {Data: all}}, "g.jsonl")
	list, ok := seed.AsErrorList(err)
	if !ok || len(list.Errors) != 2 {
		t.Fatalf("Load = %v, want two problems", err)
	}
	for i, want := range []struct {
		line    int
		message string
	}{{truncated, "malformed JSON"}, {unknown, `"planet" is not one of`}} {
		got := list.Errors[i]
		if got.File != "g.jsonl" || got.Line != want.line || !strings.Contains(got.Message, want.message) {
			t.Errorf("problem %d = %s:%d %s, want line %d: %s…", i, got.File, got.Line, got.Message, want.line, want.message)
		}
	}

	// Fixed, with a byte order mark before the first line and a line longer than the
	// read buffer, the rest loads.
	long := strings.Repeat("Delegates met. ", 100_000)
	lines[truncated-1] = `{"record":"source","key":"long","title":"Long","text":"` + long + `"}`
	lines[unknown-1] = ""
	lines[0] = "\xef\xbb\xbf" + lines[0]
	set := MustLoad(t, fstest.MapFS{"g.jsonl": {Data: []byte(strings.Join(lines, "\n"))}}, "g.jsonl")
	if _, relations, _ := set.Counts(); relations != 2997 {
		t.Errorf("%d relations loaded, want the 2,997 left", relations)
	}
	i := slices.IndexFunc(set.Batch.Nodes, func(n domain.Node) bool { return n.NodeID() == "long" })
	if i < 0 || set.Batch.Nodes[i].(*domain.Source).Text != long {
		t.Errorf("the %d-byte line did not load whole", len(long))
	}
}
