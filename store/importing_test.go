package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/storetest"
)

// chainParts is a claim-heavy seed cut into parts as a streamed import sends them: the
// nodes (a source, n actors, a topic and a position with its evidence) first, then the
// relations between neighbouring actors, each with its evidence, in parts of per.
// Every record carries its time, so two imports of it write the same keys.
func chainParts(n, per int) []*store.Batch {
	recorded := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var text strings.Builder
	for i := range n {
		fmt.Fprintf(&text, "Actor %d allied with Actor %d. ", i, i+1)
	}
	nodes := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "article", Title: "Article", Text: text.String()},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "peace", Name: "Peace"}},
	}}
	for i := range n + 1 {
		nodes.Nodes = append(nodes.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: fmt.Sprintf("actor-%d", i), Name: fmt.Sprintf("Actor %d", i)}, Kind: domain.ActorPerson})
	}
	nodes.Nodes = append(nodes.Nodes, &domain.Position{ID: "stance", Holder: "actor-0", Topic: "peace", Stance: domain.StanceSupports})
	nodes.Evidence = append(nodes.Evidence, domain.Evidence{Subject: "stance", Source: "article", Quote: "Actor 0 allied", Confidence: 1, Method: "test", RecordedAt: recorded})
	parts := []*store.Batch{nodes}
	for i := range n {
		if i%per == 0 {
			parts = append(parts, &store.Batch{})
		}
		b := parts[len(parts)-1]
		rel := domain.Relation{Type: domain.RelAlliedWith, From: fmt.Sprintf("actor-%d", i), To: fmt.Sprintf("actor-%d", i+1)}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "article", Quote: fmt.Sprintf("Actor %d allied with Actor %d.", i, i+1),
			Confidence: 0.8, Method: "test", RecordedAt: recorded})
	}
	return parts
}

// whole is the parts as one batch.
func whole(parts []*store.Batch) *store.Batch {
	b := &store.Batch{}
	for _, p := range parts {
		b.Nodes = append(b.Nodes, p.Nodes...)
		b.Relations = append(b.Relations, p.Relations...)
		b.Evidence = append(b.Evidence, p.Evidence...)
	}
	return b
}

// partLocate locates a problem by the part it was found in.
func partLocate(part int) store.Locate {
	return func(e *domain.Error) error { return fmt.Errorf("part %d: %s: %s: %w", part, e.Item, e.Message, e.Kind) }
}

// mustImportParts imports parts in one import, each part located by its number.
func mustImportParts(t *testing.T, g *store.Graph, dryRun bool, parts []*store.Batch) (store.WriteStats, error) {
	t.Helper()
	im, err := g.BeginImport(context.Background(), dryRun)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Abort()
	for i, p := range parts {
		if err := im.Add(p, partLocate(i)); err != nil {
			t.Fatal(err)
		}
	}
	return im.Commit()
}

// mustImportPartsErr is the error of importing parts.
func mustImportPartsErr(t *testing.T, g *store.Graph, parts []*store.Batch) error {
	t.Helper()
	_, err := mustImportParts(t, g, false, parts)
	return err
}

// mustRefused returns the problems of an import refused, failing the test otherwise.
func mustRefused(t *testing.T, err error) *store.Refused {
	t.Helper()
	var r *store.Refused
	if !errors.As(err, &r) {
		t.Fatalf("import: %v; want it refused", err)
	}
	return r
}

func TestImportInParts(t *testing.T) {
	ctx := context.Background()

	t.Run("parts write what one batch writes, a claim stated again in a later part once", func(t *testing.T) {
		one := storetest.MustGraph(t)
		stats, err := one.Import(ctx, whole(chainParts(30, 7)))
		if err != nil {
			t.Fatal(err)
		}
		parts := chainParts(30, 7)
		// The first relation again, in the last part, with its evidence and one more.
		again := parts[len(parts)-1]
		first := parts[1]
		again.Relations = append(again.Relations, first.Relations[0])
		again.Evidence = append(again.Evidence, first.Evidence[0], first.Evidence[1])
		again.Evidence[len(again.Evidence)-1].Subject = first.Relations[0].ID
		many := storetest.MustGraph(t)
		got, err := mustImportParts(t, many, false, parts)
		if err != nil {
			t.Fatal(err)
		}
		stats.Version, got.Version = 0, 0
		stats.Evidence++ // the second quote of actor 1 for the first relation
		if got != stats {
			t.Errorf("import in parts = %+v, want %+v", got, stats)
		}
		if again, err := mustImportParts(t, many, false, chainParts(30, 7)); err != nil || again.Relations+again.Evidence+again.Nodes != 0 {
			t.Errorf("second import = %+v, %v; want no change", again, err)
		}
	})

	t.Run("the same parts write the same graph as one batch", func(t *testing.T) {
		one, many := storetest.MustGraph(t), storetest.MustGraph(t)
		if _, err := one.Import(ctx, whole(chainParts(40, 9))); err != nil {
			t.Fatal(err)
		}
		if _, err := mustImportParts(t, many, false, chainParts(40, 9)); err != nil {
			t.Fatal(err)
		}
		mustSameDump(t, "parts against one batch", mustDump(t, ctx, many, dumpAll), mustDump(t, ctx, one, dumpAll))
	})

	t.Run("support may come in a later part", func(t *testing.T) {
		parts := chainParts(10, 5)
		rel := parts[1].Relations[0]
		parts[1].Evidence[0].Stance = domain.EvidenceDisputes
		parts[2].Relations = append(parts[2].Relations, rel)
		parts[2].Evidence = append(parts[2].Evidence, domain.Evidence{Subject: rel.ID, Source: "article", Quote: "Actor 0 allied",
			Confidence: 0.5, Method: "test"})
		g := storetest.MustGraph(t)
		if _, err := mustImportParts(t, g, false, parts); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a claim no part supports is refused where it was given, nothing written", func(t *testing.T) {
		parts := chainParts(10, 5)
		parts[1].Evidence[2].Stance = domain.EvidenceDisputes
		g := storetest.MustGraph(t)
		before := validateDump(t, g.KV())
		_, err := mustImportParts(t, g, false, parts)
		r := mustRefused(t, err)
		if len(r.Problems) != 1 || r.More != 0 || !strings.HasPrefix(r.Problems[0].Error(), "part 1: relations[2]:") || !errors.Is(err, domain.ErrEvidenceRequired) {
			t.Errorf("problems = %v (+%d); want relations[2] of part 1 without support", r.Problems, r.More)
		}
		if after := validateDump(t, g.KV()); len(after) != len(before) {
			t.Errorf("a refused import wrote %d keys", len(after)-len(before))
		}
		storetest.MustApply(t, g, storetest.AlliedHub(1, nil)) // the import let go of the store
	})

	t.Run("a relation given again with other valid times is refused in its part", func(t *testing.T) {
		parts := chainParts(10, 5)
		rel := parts[1].Relations[3]
		from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		rel.ValidFrom = &from
		parts[2].Relations = append(parts[2].Relations, rel)
		_, err := mustImportParts(t, storetest.MustGraph(t), false, parts)
		r := mustRefused(t, err)
		if len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0].Error(), "part 2: relations[5]:") {
			t.Errorf("problems = %v; want relations[5] of part 2", r.Problems)
		}
	})

	t.Run("a problem in the last part leaves the store as it was", func(t *testing.T) {
		g := storetest.MustGraph(t)
		storetest.MustApply(t, g, storetest.AlliedHub(3, nil))
		before := mustDump(t, ctx, g, dumpAll)
		parts := chainParts(10, 5)
		parts[2].Relations[4].To = "nobody"
		parts[2].Relations[4].ID = ""
		_, err := mustImportParts(t, g, false, parts)
		mustRefused(t, err)
		mustSameDump(t, "after a refused import", mustDump(t, ctx, g, dumpAll), before)
	})

	t.Run("problems past the thousandth are counted, support withdrawing reports", func(t *testing.T) {
		parts := chainParts(1200, 600)
		for i := range parts[1].Evidence {
			parts[1].Evidence[i].Stance = domain.EvidenceDisputes
			parts[2].Evidence[i].Stance = domain.EvidenceDisputes
		}
		// A last part supports 150 relations of the first two.
		last := &store.Batch{}
		for _, i := range []int{0, 599} {
			for k := range 75 {
				ev := parts[1+i/599].Evidence[k]
				ev.Stance, ev.Quote, ev.Occurrence = domain.EvidenceSupports, "allied", k+1
				last.Evidence = append(last.Evidence, ev)
			}
		}
		parts = append(parts, last)
		_, err := mustImportParts(t, storetest.MustGraph(t), false, parts)
		r := mustRefused(t, err)
		// The first 1,000 reports were kept; the 150 withdrawn are among them.
		if got := len(r.Problems) + r.More; len(r.Problems) != 1000-150 || got != 1200-150 {
			t.Errorf("%d problems kept, %d in all; want %d kept of %d", len(r.Problems), got, 1000-150, 1200-150)
		}
		for _, p := range r.Problems {
			var part, item int
			if _, err := fmt.Sscanf(p.Error(), "part %d: relations[%d]", &part, &item); err != nil || item < 75 {
				t.Errorf("problem %q: a relation a later part supported", p)
			}
		}
	})

	t.Run("a source may copy a source a later part gives", func(t *testing.T) {
		parts := chainParts(4, 2)
		parts[0].Nodes = append(parts[0].Nodes, &domain.Source{ID: "copy", Title: "Copy", Text: "They met.", CopyOf: "original"})
		orphan := storetest.MustGraph(t)
		r := mustRefused(t, mustImportPartsErr(t, orphan, parts))
		if len(r.Problems) != 1 || r.Problems[0].Error() != `part 0: nodes[8]: "original" names no source: invalid input` {
			t.Errorf("problems = %v; want the copy's copyOf", r.Problems)
		}
		parts = chainParts(4, 2)
		parts[0].Nodes = append(parts[0].Nodes, &domain.Source{ID: "copy", Title: "Copy", Text: "They met.", CopyOf: "original"})
		parts[2].Nodes = append(parts[2].Nodes, &domain.Source{ID: "original", Title: "Original", Text: "They met."})
		if _, err := mustImportParts(t, storetest.MustGraph(t), false, parts); err != nil {
			t.Fatal(err)
		}
		parts[2].Nodes[0] = &domain.Topic{EntityBase: domain.EntityBase{ID: "original", Name: "Original"}}
		if r := mustRefused(t, mustImportPartsErr(t, storetest.MustGraph(t), parts)); len(r.Problems) != 1 {
			t.Errorf("problems = %v; want the copy's copyOf naming a topic", r.Problems)
		}
	})

	t.Run("the texts of earlier parts and the writes waiting for the checks leave no file behind", func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		g := storetest.MustGraph(t)
		if _, err := mustImportParts(t, g, false, chainParts(10, 5)); err != nil {
			t.Fatal(err)
		}
		parts := chainParts(10, 5)
		parts[0].Nodes = append(parts[0].Nodes, &domain.Source{ID: "other", Title: "Other", Text: "More text."})
		parts[2].Relations[0].To = "nobody"
		mustRefused(t, mustImportPartsErr(t, g, parts))
		if stats, err := mustImportParts(t, g, false, chainParts(12, 5)); err != nil || stats.Relations != 2 {
			t.Fatalf("an import into the store holding data = %+v, %v; want 2 relations added", stats, err)
		}
		if l, ok := g.KV().(kv.Local); ok && l.TempDir() != "" {
			tmp = l.TempDir()
		}
		if left, err := os.ReadDir(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) || len(left) != 0 {
			t.Errorf("left in the temporary folder %s: %v, %v", tmp, left, err)
		}
	})

	t.Run("a dry run counts as the import and writes nothing", func(t *testing.T) {
		g := storetest.MustGraph(t)
		before := validateDump(t, g.KV())
		dry, err := mustImportParts(t, g, true, chainParts(20, 6))
		if err != nil {
			t.Fatal(err)
		}
		if after := validateDump(t, g.KV()); len(after) != len(before) {
			t.Errorf("a dry run wrote %d keys", len(after)-len(before))
		}
		real, err := mustImportParts(t, g, false, chainParts(20, 6))
		if err != nil {
			t.Fatal(err)
		}
		real.Version = 0
		if dry != real || real.Relations != 20 || real.Nodes != 24 || real.Evidence != 21 {
			t.Errorf("dry run = %+v, import = %+v; want the same, 20 relations, 24 nodes, 21 evidence", dry, real)
		}
	})
}
