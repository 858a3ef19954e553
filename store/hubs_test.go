package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"eventgraph/store/domain"
	"eventgraph/store/explore"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// TestPathsFollowCommitsToKeptHubs: paths through hubs whose adjacency the graph keeps
// between searches are those of a search reading the snapshot, at the newest version
// and at older ones, after commits that add relations to the hubs, retract one of
// them, and touch other nodes only.
func TestPathsFollowCommitsToKeptHubs(t *testing.T) {
	g := openGraph(t, memStore(t))
	g.hubs = explore.NewHubCache(1<<24, 100, g.kv.LatestVersion())
	ctx := context.Background()
	src := &domain.Source{ID: "src", Title: "Report", Text: "They were allies."}
	batch := func() *Batch { return &Batch{Nodes: []domain.Node{src}} }
	actor := func(b *Batch, id string) {
		b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: domain.ActorGroup})
	}
	link := func(b *Batch, from, to string) string {
		rel := domain.Relation{Type: domain.RelAlliedWith, From: from, To: to}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "src", Quote: "allies", Confidence: 1, Method: "test"})
		return rel.ID
	}
	apply := func(b *Batch) uint64 {
		t.Helper()
		stats, err := g.Apply(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return stats.Version
	}
	b := batch()
	for _, id := range []string{"h1", "h2", "t", "u"} {
		actor(b, id)
	}
	// Hubs of 1,400 peers: more than a search reads to weigh a node, and enough that
	// the far side of one costs more to expand than reading the other.
	for i := range 1400 {
		for _, hub := range []string{"h1", "h2"} {
			peer := fmt.Sprintf("%s-peer-%04d", hub, i)
			actor(b, peer)
			link(b, hub, peer)
		}
	}
	var shared []string
	for i := range 3 {
		peer := fmt.Sprintf("shared-%d", i)
		actor(b, peer)
		shared = append(shared, link(b, "h1", peer))
		link(b, peer, "h2")
	}
	link(b, "h2", "t")
	versions := []uint64{apply(b)}

	// want is the answer of a search reading the snapshot at version, nothing kept.
	want := func(version uint64) string {
		var ps []explore.Path
		err := layout.View(g.kv, version, func(r *layout.Snapshot) error {
			var err error
			ps, err = explore.Paths(r, "h1", "t", 3, domain.Walk{}, 10, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return pathIDs(ps)
	}
	check := func(when string, version uint64) {
		t.Helper()
		ps, err := g.Paths(g.Pin(ctx, version), "h1", "t", 3, domain.Walk{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pathIDs(ps), want(version); got != want {
			t.Fatalf("%s, at %d: paths %s; want %s", when, version, got, want)
		}
	}
	check("first search", kv.Latest)
	check("hubs kept", kv.Latest)
	if hubs, _ := g.hubs.Kept(); hubs != 2 {
		t.Fatalf("%d hubs kept; want h1 and h2", hubs)
	}

	b = batch()
	for i := range 3 {
		peer := fmt.Sprintf("new-%d", i)
		actor(b, peer)
		link(b, "h1", peer)
		link(b, peer, "h2")
	}
	versions = append(versions, apply(b))
	check("after new shared peers", kv.Latest)
	_, v, err := g.Retract(ctx, shared[0], "mistaken")
	if err != nil {
		t.Fatal(err)
	}
	versions = append(versions, v)
	check("after a retraction", kv.Latest)
	b = batch()
	actor(b, "w")
	link(b, "u", "w")
	versions = append(versions, apply(b))
	check("after a commit away from the hubs", kv.Latest)
	for i := len(versions) - 1; i >= 0; i-- {
		check("as of an earlier commit", versions[i])
		check("again", versions[i])
	}
	if want(versions[0]) == want(versions[1]) || want(versions[1]) == want(versions[2]) {
		t.Fatal("the commits did not change the paths: the test shows nothing")
	}
}

// pathIDs spells paths as their relation ids.
func pathIDs(ps []explore.Path) string {
	var out []string
	for _, p := range ps {
		var ids []string
		for _, h := range p.Hops {
			ids = append(ids, h.Relation.ID)
		}
		out = append(out, strings.Join(ids, ">"))
	}
	return fmt.Sprint(slices.Clip(out))
}
