package seed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/storetest"
)

var ctx = context.Background()

func MustLoad(t *testing.T, fsys fstest.MapFS, files ...string) *seed.Set {
	t.Helper()
	set, err := seed.Load(fsys, files...)
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	return set
}

func MustBundled(t *testing.T) *seed.Set {
	t.Helper()
	set, err := seed.Bundled()
	if err != nil {
		t.Fatalf("bundled seed: %v", err)
	}
	return set
}

func MustImport(t *testing.T, g *store.Graph, set *seed.Set) store.WriteStats {
	t.Helper()
	stats, err := seed.Import(ctx, g, set, seed.Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return stats
}

// Dump returns every key and value the store holds.
func Dump(t *testing.T, g *store.Graph) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := g.KV().View(kv.Latest, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{}, func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// AllRelations walks every entity with List and collects its relations with Relations.
func AllRelations(t *testing.T, g *store.Graph) map[string]*domain.Relation {
	t.Helper()
	rels := map[string]*domain.Relation{}
	for _, kind := range []domain.Kind{domain.KindActor, domain.KindPlace, domain.KindEvent, domain.KindTopic} {
		for after := ""; ; {
			page, err := g.List(ctx, kind, domain.NodeFilter{}, domain.PageArgs{First: 100, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range page.Items {
				for rafter := ""; ; {
					rp, err := g.Relations(ctx, n.NodeID(), domain.RelationFilter{}, domain.Walk{}, domain.PageArgs{First: 100, After: rafter})
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range rp.Items {
						rels[r.ID] = r
					}
					if !rp.HasNext {
						break
					}
					rafter = rp.Cursors[len(rp.Cursors)-1]
				}
			}
			if !page.HasNext {
				break
			}
			after = page.Cursors[len(page.Cursors)-1]
		}
	}
	return rels
}

// CheckEvidence checks that every subject has evidence whose quote is the source
// text's code points [start, end), and returns how many records there are.
func CheckEvidence(t *testing.T, g *store.Graph, subjects []string) int {
	t.Helper()
	evs, err := g.Evidence(ctx, subjects)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string][]rune{}
	n := 0
	for i, s := range subjects {
		if len(evs[i]) == 0 {
			t.Errorf("%s has no evidence", s)
		}
		for _, ev := range evs[i] {
			n++
			text, ok := texts[ev.Source]
			if !ok {
				node, err := g.Node(ctx, ev.Source)
				if err != nil {
					t.Fatalf("evidence %s: source %s: %v", ev.ID, ev.Source, err)
				}
				text = []rune(node.(*domain.Source).Text)
				texts[ev.Source] = text
			}
			if ev.Start == nil || ev.End == nil {
				t.Errorf("evidence %s of %s has no offsets", ev.ID, s)
				continue
			}
			if got := string(text[*ev.Start:*ev.End]); got != ev.Quote {
				t.Errorf("evidence %s of %s: text[%d:%d] = %q, quote %q", ev.ID, s, *ev.Start, *ev.End, got, ev.Quote)
			}
			if !strings.HasPrefix(ev.Method, "seed:") {
				t.Errorf("evidence %s: method %q", ev.ID, ev.Method)
			}
		}
	}
	return n
}

func TestBundled(t *testing.T) {
	g := storetest.MustGraph(t)
	set := MustBundled(t)
	nodes, relations, evidence := set.Counts()
	if nodes == 0 || relations == 0 || evidence == 0 {
		t.Fatalf("bundled seed is empty: %d nodes, %d relations, %d evidence", nodes, relations, evidence)
	}
	first := MustImport(t, g, set)
	if first.Nodes != nodes || first.Relations != relations || first.Evidence != evidence {
		t.Fatalf("first import wrote %+v, want %d nodes, %d relations, %d evidence", first, nodes, relations, evidence)
	}

	t.Run("every relation and position has evidence at its offsets", func(t *testing.T) {
		rels := AllRelations(t, g)
		if len(rels) != relations {
			t.Errorf("found %d relations through List and Relations, want %d", len(rels), relations)
		}
		positions, err := g.Positions(ctx, "", "", false)
		if err != nil {
			t.Fatal(err)
		}
		if len(positions) == 0 {
			t.Error("no positions")
		}
		subjects := slices.Sorted(maps.Keys(rels))
		for _, p := range positions {
			subjects = append(subjects, p.ID)
		}
		if n := CheckEvidence(t, g, subjects); n != evidence {
			t.Errorf("found %d evidence records, want %d", n, evidence)
		}
	})

	t.Run("participation without role counts as PARTICIPANT", func(t *testing.T) {
		for _, r := range set.Batch.Relations {
			if r.Type == domain.RelParticipatedIn && r.Role == "" {
				t.Errorf("relation %s has no role", r.ID)
			}
			if r.ID != domain.RelationID(r.Type, r.From, r.To, r.Role) {
				t.Errorf("relation id %s is not derived from the relation", r.ID)
			}
		}
	})

	t.Run("re-import changes nothing", func(t *testing.T) {
		before := Dump(t, g)
		again := MustImport(t, g, MustBundled(t))
		if again != (store.WriteStats{}) {
			t.Errorf("second import wrote %+v, want nothing", again)
		}
		if after := Dump(t, g); !maps.Equal(before, after) {
			t.Errorf("store changed on re-import: %d keys before, %d after", len(before), len(after))
		}
		rels := AllRelations(t, g)
		if len(rels) != relations {
			t.Errorf("%d relations after re-import, want %d", len(rels), relations)
		}
	})

	t.Run("dry run validates without writing", func(t *testing.T) {
		empty := storetest.MustGraph(t)
		stats, err := seed.Import(ctx, empty, MustBundled(t), seed.Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if stats.Nodes != nodes || stats.Relations != relations || stats.Evidence != evidence {
			t.Errorf("dry run reports %+v, want %d nodes, %d relations, %d evidence", stats, nodes, relations, evidence)
		}
		if d := Dump(t, empty); len(d) != 0 {
			t.Errorf("dry run wrote %d keys", len(d))
		}
		stats, err = seed.Import(ctx, g, MustBundled(t), seed.Options{DryRun: true})
		if err != nil || stats != (store.WriteStats{}) {
			t.Errorf("dry run over the imported seed = %+v, %v; want no changes", stats, err)
		}
	})

	t.Run("progress", func(t *testing.T) {
		var out bytes.Buffer
		if _, err := seed.Import(ctx, storetest.MustGraph(t), MustBundled(t), seed.Options{Progress: &out}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "relations/s") {
			t.Errorf("progress output %q", out.String())
		}
	})
}

const text = "Oman hosted the talks in Muscat. Iran and the United States took part. " +
	"Oman hosted the talks. Araghchi said Iran would “stand firm on our rights”."

// fixture is a small valid seed; bad seeds are made from it.
const fixture = `sources:
  - key: article
    title: An article
    textFile: article.txt
actors:
  - key: oman
    name: Oman
    kind: STATE
  - key: iran
    name: Iran
    kind: STATE
  - key: araghchi
    name: Abbas Araghchi
    kind: PERSON
places:
  - key: muscat
    name: Muscat
    kind: CITY
    point: {lat: 23.58, lon: 58.38}
events:
  - key: talks
    name: Muscat talks
    kind: NEGOTIATION
    start: "2025-06"
topics:
  - key: rights
    name: Iran's rights
positions:
  - key: iran-rights
    holder: iran
    topic: rights
    stance: OPPOSES
    evidence:
      - source: article
        quote: "stand firm on our rights"
        confidence: 0.7
relations:
  - type: PARTICIPATED_IN
    from: oman
    to: talks
    role: HOST
    evidence:
      - source: article
        quote: "Oman hosted the talks"
        occurrence: 2
        confidence: 0.9
  - type: PARTICIPATED_IN
    from: iran
    to: talks
    evidence:
      - source: article
        quote: "Iran and the United States took part."
        confidence: 0.9
  - type: LOCATED_IN
    from: talks
    to: muscat
    evidence:
      - source: article
        quote: "the talks in Muscat"
        confidence: 0.9
`

func fixtureFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"seed/article.txt": {Data: []byte(text)}}
	for name, data := range files {
		fsys["seed/"+name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestFixture(t *testing.T) {
	g := storetest.MustGraph(t)
	set := MustLoad(t, fixtureFS(map[string]string{"f.yaml": fixture}), "seed/f.yaml")
	stats := MustImport(t, g, set)
	if stats.Nodes != 8 || stats.Relations != 3 || stats.Evidence != 4 {
		t.Fatalf("stats %+v", stats)
	}
	rels := AllRelations(t, g)
	subjects := append(slices.Sorted(maps.Keys(rels)), "iran-rights")
	CheckEvidence(t, g, subjects)

	t.Run("occurrence picks the second of two", func(t *testing.T) {
		id := domain.RelationID(domain.RelParticipatedIn, "oman", "talks", domain.RoleHost)
		evs, err := g.Evidence(ctx, []string{id})
		if err != nil || len(evs[0]) != 1 {
			t.Fatalf("evidence of %s: %v %v", id, evs, err)
		}
		want := len([]rune(text[:strings.LastIndex(text, "Oman hosted the talks")]))
		if ev := evs[0][0]; *ev.Start != want || ev.Method != "seed:f.yaml" {
			t.Errorf("start %d method %q, want %d seed:f.yaml", *ev.Start, ev.Method, want)
		}
	})

	t.Run("code point offsets after non-ASCII text", func(t *testing.T) {
		evs, err := g.Evidence(ctx, []string{"iran-rights"})
		if err != nil {
			t.Fatal(err)
		}
		ev := evs[0][0]
		if want := len([]rune(text[:strings.Index(text, "stand firm")])); *ev.Start != want {
			t.Errorf("start %d, want %d", *ev.Start, want)
		}
		if ev.Prefix == "" || ev.Suffix != "”." {
			t.Errorf("prefix %q suffix %q", ev.Prefix, ev.Suffix)
		}
	})

	t.Run("same claim from a second file adds evidence to the same relation", func(t *testing.T) {
		more := `relations:
  - type: PARTICIPATED_IN
    from: iran
    to: talks
    role: PARTICIPANT
    evidence:
      - source: article
        quote: "Iran and the United States"
        confidence: 0.6
`
		set := MustLoad(t, fixtureFS(map[string]string{"more.yml": more}), "seed/more.yml")
		stats := MustImport(t, g, set)
		if stats.Relations != 0 || stats.Evidence != 1 {
			t.Errorf("stats %+v, want one evidence record and no relation", stats)
		}
	})

	t.Run("quotes of sources already in the store", func(t *testing.T) {
		other := `{"record":"relation","type":"LOCATED_IN","from":"talks","to":"muscat","evidence":[{"source":"article","quote":"talks in Muscat","confidence":0.5}]}
{"record":"relation","type":"PARTICIPATED_IN","from":"araghchi","to":"talks","evidence":[{"source":"web","quote":"Araghchi attended","confidence":0.5}]}
`
		// A source whose text is not held: its evidence has no offsets.
		if _, err := g.Apply(ctx, &store.Batch{Nodes: []domain.Node{&domain.Source{ID: "web", Title: "A web page", URL: "https://example.org/page"}}}); err != nil {
			t.Fatal(err)
		}
		set := MustLoad(t, fixtureFS(map[string]string{"other.jsonl": other}), "seed/other.jsonl")
		stats := MustImport(t, g, set)
		if stats.Relations != 1 || stats.Evidence != 2 {
			t.Errorf("stats %+v", stats)
		}
		id := domain.RelationID(domain.RelParticipatedIn, "araghchi", "talks", domain.RoleParticipant)
		evs, err := g.Evidence(ctx, []string{id, domain.RelationID(domain.RelLocatedIn, "talks", "muscat", "")})
		if err != nil {
			t.Fatal(err)
		}
		if ev := evs[0][0]; ev.Start != nil || ev.End != nil {
			t.Errorf("evidence from a source without text has offsets %v %v", ev.Start, ev.End)
		}
		CheckEvidence(t, g, []string{domain.RelationID(domain.RelLocatedIn, "talks", "muscat", "")})
	})
}

func TestLoadErrorsWithoutStore(t *testing.T) {
	t.Run("unknown file type", func(t *testing.T) {
		_, err := seed.Load(fixtureFS(map[string]string{"f.json": "{}"}), "seed/f.json")
		if err == nil || !strings.Contains(err.Error(), "seed/f.json: unknown file type") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := seed.Load(fixtureFS(nil), "seed/none.yaml")
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
	})
	t.Run("model rules and quotes are left to the store", func(t *testing.T) {
		bad := strings.Replace(fixture, "stance: OPPOSES", "stance: LOATHES", 1)
		set := MustLoad(t, fixtureFS(map[string]string{"f.yaml": bad}), "seed/f.yaml")
		for _, ev := range set.Batch.Evidence {
			if ev.Start != nil || ev.End != nil {
				t.Errorf("Load placed the quote %q", ev.Quote)
			}
		}
		_, err := seed.Import(ctx, storetest.MustGraph(t), set, seed.Options{DryRun: true})
		if list, ok := seed.AsErrorList(err); !ok || len(list.Errors) != 1 || list.Errors[0].Field != "stance" {
			t.Errorf("dry run = %v, want the stance refused", err)
		}
	})
}

func TestJSONStrings(t *testing.T) {
	raw := `"Caf\u00e9 \ud83d\ude00 said \"yes\"\n\ttab\\slash\/ \ud800 lone"`
	var want string
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatal(err)
	}
	line := `{"record":"source","key":"s","title":"T","text":` + raw + "}\n" +
		` { "record" : "actor", "key":"a", "name":"Caf\u00e9", "kind":"PERSON", "aliases":[] }` + "\n"
	set := MustLoad(t, fstest.MapFS{"f.jsonl": {Data: []byte(line)}}, "f.jsonl")
	if got := set.Batch.Nodes[0].(*domain.Source).Text; got != want {
		t.Errorf("text %q, want %q as encoding/json decodes it", got, want)
	}
	if got := set.Batch.Nodes[1].(*domain.Actor).Name; got != "Café" {
		t.Errorf("name %q", got)
	}
}
