package seed_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"eventgraph/seed"
	"eventgraph/seed/export"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// recordedAt matches the time an import stamps on each evidence record.
var recordedAt = regexp.MustCompile(`"recordedAt":"[^"]*"`)

// mustExport is g's seed export with the import times left out, for comparing graphs
// imported at different times.
func mustExport(t *testing.T, g *store.Graph) string {
	t.Helper()
	var b bytes.Buffer
	if err := export.Write(context.Background(), g, &b, export.Seed, nil); err != nil {
		t.Fatal(err)
	}
	return recordedAt.ReplaceAllString(b.String(), `"recordedAt":"-"`)
}

// mustWriteFile writes lines to a file in a new folder and returns its path.
func mustWriteFile(t *testing.T, name string, lines ...[]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, bytes.Join(lines, []byte("\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportFiles(t *testing.T) {
	ctx := context.Background()
	gen := bytes.TrimSpace(MustGenerate(t, 3000, 11))
	path := mustWriteFile(t, "gen.jsonl", gen)
	inParts := seed.Options{PartItems: 256}

	whole := storetest.MustGraph(t)
	set, err := seed.LoadFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	wantStats, err := seed.Import(ctx, whole, set, seed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantStats.Version = 0
	want := mustExport(t, whole)

	parts := storetest.MustGraph(t)
	t.Run("a file read in parts makes the graph the file loaded whole makes", func(t *testing.T) {
		stats, err := inParts.ImportFiles(ctx, parts, path)
		if err != nil {
			t.Fatal(err)
		}
		stats.Version = 0
		if stats != wantStats {
			t.Errorf("stats = %+v, want %+v", stats, wantStats)
		}
		if got := mustExport(t, parts); got != want {
			t.Error("the graphs differ")
		}
	})

	t.Run("YAML and JSON Lines files together, text files read through the seed's folder", func(t *testing.T) {
		files := []string{filepath.Join("data", "us-iran-oman-talks.yaml"), path}
		loaded, err := seed.LoadFiles(files...)
		if err != nil {
			t.Fatal(err)
		}
		g := storetest.MustGraph(t)
		want, err := seed.Import(ctx, g, loaded, seed.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := storetest.MustGraph(t)
		got, err := inParts.ImportFiles(ctx, h, files...)
		if err != nil {
			t.Fatal(err)
		}
		got.Version, want.Version = 0, 0
		if got != want || mustExport(t, h) != mustExport(t, g) {
			t.Errorf("streamed %+v, loaded %+v, or the graphs differ", got, want)
		}
	})

	t.Run("importing it again changes nothing", func(t *testing.T) {
		stats, err := inParts.ImportFiles(ctx, parts, path)
		if err != nil || stats.Nodes+stats.Relations+stats.Evidence != 0 {
			t.Errorf("second import = %+v, %v; want no change", stats, err)
		}
	})

	t.Run("relations before the nodes they name", func(t *testing.T) {
		lines := bytes.Split(gen, []byte("\n"))
		slices.Reverse(lines)
		g := storetest.MustGraph(t)
		if _, err := inParts.ImportFiles(ctx, g, mustWriteFile(t, "gen.jsonl", lines...)); err != nil {
			t.Fatal(err)
		}
		if got := mustExport(t, g); got != want {
			t.Error("the graph differs from the file's in its order")
		}
	})

	t.Run("a dry run counts as the import and writes nothing", func(t *testing.T) {
		g := storetest.MustGraph(t)
		stats, err := seed.Options{PartItems: 256, DryRun: true}.ImportFiles(ctx, g, path)
		stats.Version = 0
		if err != nil || stats != wantStats {
			t.Errorf("dry run = %+v, %v; want %+v", stats, err, wantStats)
		}
		if got := mustExport(t, g); got != mustExport(t, storetest.MustGraph(t)) {
			t.Error("a dry run wrote to the graph")
		}
	})

	// Problems in every phase and part, each at its line, and nothing written.
	lines := bytes.Split(gen, []byte("\n"))
	n := len(lines)
	bad := slices.Clone(lines)
	bad[n-1] = []byte(`{"record":"relation","type":"ALLIED_WITH","from":"actor-0","to":"nobody","evidence":[{"source":"source-0","quote":"zzqq","confidence":1}]}`)
	bad = append(bad,
		[]byte(`{"record":"relation","type":"ALLIED_WITH","from":"actor-0","to":"loner","evidence":[{"source":"source-0","quote":"zzqq","confidence":1,"stance":"DISPUTES"}]}`),
		[]byte(`{"record":"actor","key":"loner","name":"Loner","kind":"PERSON"}`))

	t.Run("a line the loader cannot read stops the checking, not the reading", func(t *testing.T) {
		broken := slices.Clone(bad)
		broken[1] = []byte(`{"record":"actor","key":"actor-1",`)
		broken[n-2] = []byte(`{"record":"relation"`)
		_, err := inParts.ImportFiles(ctx, storetest.MustGraph(t), mustWriteFile(t, "bad.jsonl", broken...))
		if got := problems(err); !slices.Equal(got, []string{"2 ", itoa(n-1) + " "}) {
			t.Errorf("problems at %q; want lines 2 and %d only", got, n-1)
		}
	})

	t.Run("every problem at its line, in line order, and nothing written", func(t *testing.T) {
		g := storetest.MustGraph(t)
		_, err := inParts.ImportFiles(ctx, g, mustWriteFile(t, "bad.jsonl", bad...))
		want := []string{itoa(n) + " to", itoa(n) + " evidence[0].quote", itoa(n+1) + " evidence[0].quote", itoa(n+1) + " evidence"}
		if got := problems(err); !slices.Equal(got, want) || !errors.Is(err, domain.ErrEvidenceRequired) {
			t.Errorf("problems at %q (%v); want %q", got, err, want)
		}
		if got := mustExport(t, g); got != mustExport(t, storetest.MustGraph(t)) {
			t.Error("a refused import wrote to the graph")
		}
	})
}

func TestImportFilesReportsAFileOnce(t *testing.T) {
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(yamlPath, []byte("unknown: []\nsources: 5\nactors:\n  - key: a\n    name: A\n    kind: PERSON\nrelations: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	files := []string{filepath.Join(dir, "missing.jsonl"), yamlPath, filepath.Join(dir, "notes.txt")}
	_, err := seed.Options{}.ImportFiles(context.Background(), storetest.MustGraph(t), files...)
	list, ok := seed.AsErrorList(err)
	if !ok || len(list.Errors) != 5 || list.More != 0 {
		t.Fatalf("import = %v; want 5 problems, each once", err)
	}
}

// problems lists the line and field of each problem err lists.
func problems(err error) []string {
	list, ok := seed.AsErrorList(err)
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range list.Errors {
		out = append(out, itoa(e.Line)+" "+e.Field)
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
