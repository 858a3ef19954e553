package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
	"eventgraph/store/search"
)

// talksBatch is a small graph: an article, the actors and place it names, and the talks
// they took part in, each link backed by a quote from the article.
func talksBatch() *store.Batch {
	const text = "Oman hosted talks between Iran and the United States in Muscat."
	b := &store.Batch{Nodes: []domain.Node{
		&domain.Source{ID: "article", Title: "Talks in Muscat", Text: text},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman"}, Kind: domain.ActorState},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "iran", Name: "Iran"}, Kind: domain.ActorState},
		&domain.Actor{EntityBase: domain.EntityBase{ID: "us", Name: "United States"}, Kind: domain.ActorState},
		&domain.Place{EntityBase: domain.EntityBase{ID: "muscat", Name: "Muscat"}, Kind: domain.PlaceCity},
		&domain.Event{EntityBase: domain.EntityBase{ID: "talks", Name: "Muscat talks"}, Kind: domain.EventNegotiation},
	}}
	link := func(typ domain.RelationType, from, to string, role domain.Role, quote string) {
		rel := domain.Relation{Type: typ, From: from, To: to, Role: role}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		b.Relations = append(b.Relations, rel)
		b.Evidence = append(b.Evidence, domain.Evidence{Subject: rel.ID, Source: "article", Quote: quote, Confidence: 0.9, Method: "example"})
	}
	link(domain.RelParticipatedIn, "oman", "talks", domain.RoleHost, "Oman hosted talks")
	link(domain.RelParticipatedIn, "iran", "talks", domain.RoleParticipant, "talks between Iran")
	link(domain.RelParticipatedIn, "us", "talks", domain.RoleParticipant, "the United States")
	link(domain.RelLocatedIn, "talks", "muscat", "", "in Muscat")
	return b
}

// openTalks opens a graph over an in-memory store holding talksBatch; closeGraph closes it.
func openTalks() (g *store.Graph, closeGraph func()) {
	ctx := context.Background()
	kv, err := badgerkv.Open(badgerkv.Options{InMemory: true})
	if err != nil {
		log.Fatal(err)
	}
	if g, err = store.Open(ctx, kv); err == nil {
		_, err = g.Apply(ctx, talksBatch())
	}
	if err != nil {
		log.Fatal(err)
	}
	return g, func() { kv.Close() }
}

// A graph lives in an ordered key-value store: Badger on disk (badgerkv.Options{Dir:
// …}), or in memory as here. Open brings the store's derived indexes up to date.
func ExampleOpen() {
	ctx := context.Background()
	kv, err := badgerkv.Open(badgerkv.Options{InMemory: true})
	if err != nil {
		log.Fatal(err)
	}
	defer kv.Close()
	g, err := store.Open(ctx, kv)
	if err != nil {
		log.Fatal(err)
	}
	actors, err := g.List(ctx, domain.KindActor, domain.NodeFilter{}, domain.PageArgs{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("actors:", actors.Total)
	// Output: actors: 0
}

// A batch is one atomic write. The store finds each quote's offsets in its source's
// text, refuses a relation without evidence, and leaves alone what is already stored.
func ExampleGraph_Apply() {
	ctx := context.Background()
	g, closeGraph := openTalks()
	defer closeGraph()

	stats, err := g.Apply(ctx, talksBatch())
	fmt.Println("written again:", stats.Nodes, stats.Relations, stats.Evidence, err)

	_, err = g.Apply(ctx, &store.Batch{Relations: []domain.Relation{{Type: domain.RelAlliedWith, From: "oman", To: "iran"}}})
	fmt.Println("without evidence:", errors.Is(err, domain.ErrEvidenceRequired))
	// Output:
	// written again: 0 0 0 <nil>
	// without evidence: true
}

// Node reads any node by its id; ErrNotFound says there is none.
func ExampleGraph_Node() {
	g, closeGraph := openTalks()
	defer closeGraph()

	n, err := g.Node(context.Background(), "talks")
	if err != nil {
		log.Fatal(err)
	}
	event := n.(*domain.Event)
	fmt.Println(event.Name, event.Kind)

	_, err = g.Node(context.Background(), "geneva")
	fmt.Println(errors.Is(err, domain.ErrNotFound))
	// Output:
	// Muscat talks NEGOTIATION
	// true
}

// A node's relations come a page at a time; their evidence is read for all of them at
// once.
func ExampleGraph_Relations() {
	ctx := context.Background()
	g, closeGraph := openTalks()
	defer closeGraph()

	page, err := g.Relations(ctx, "talks", domain.RelationFilter{Types: []domain.RelationType{domain.RelParticipatedIn}}, domain.Walk{}, domain.PageArgs{First: 10})
	if err != nil {
		log.Fatal(err)
	}
	ids := make([]string, len(page.Items))
	for i, rel := range page.Items {
		ids[i] = rel.ID
	}
	evidence, err := g.Evidence(ctx, ids)
	if err != nil {
		log.Fatal(err)
	}
	for i, rel := range page.Items {
		ev := evidence[i][0]
		fmt.Printf("%s %s: %q at %d–%d\n", rel.From, rel.Role, ev.Quote, *ev.Start, *ev.End)
	}
	// Output:
	// iran PARTICIPANT: "talks between Iran" at 12–30
	// oman HOST: "Oman hosted talks" at 0–17
	// us PARTICIPANT: "the United States" at 35–52
}

// Neighbourhood gives the relations within depth hops of an entity, nearest first, and
// every entity they touch, in one read.
func ExampleGraph_Neighbourhood() {
	g, closeGraph := openTalks()
	defer closeGraph()

	sub, err := g.Neighbourhood(context.Background(), "muscat", 2, domain.Walk{}, 500)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range sub.Nodes {
		fmt.Println(n.NodeID(), n.NodeKind())
	}
	for _, rel := range sub.Relations {
		fmt.Println(rel.From, rel.Type, rel.To)
	}
	// Output:
	// muscat PLACE
	// talks EVENT
	// iran ACTOR
	// oman ACTOR
	// us ACTOR
	// talks LOCATED_IN muscat
	// iran PARTICIPATED_IN talks
	// oman PARTICIPATED_IN talks
	// us PARTICIPATED_IN talks
}

// Paths finds the shortest loop-free chains of relations between two entities; each
// hop's relation has its evidence.
func ExampleGraph_Paths() {
	g, closeGraph := openTalks()
	defer closeGraph()

	paths, err := g.Paths(context.Background(), "oman", "muscat", 4, domain.Walk{}, 3)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		for _, hop := range p.Hops {
			fmt.Println(hop.Relation.From, hop.Relation.Type, hop.Relation.To, "forward:", hop.Forward)
		}
	}
	// Output:
	// oman PARTICIPATED_IN talks forward: true
	// talks LOCATED_IN muscat forward: true
}

// Search matches names, aliases and texts, forgiving case, accents and typos; name
// matches rank above text matches.
func ExampleGraph_Search() {
	g, closeGraph := openTalks()
	defer closeGraph()

	hits, err := g.Search(context.Background(), "Muskat", search.Options{}, domain.PageArgs{First: 5})
	if err != nil {
		log.Fatal(err)
	}
	for _, hit := range hits.Items {
		fmt.Printf("%s %s %q\n", hit.Node.NodeID(), hit.Field, hit.Matched)
	}
	// Output:
	// muscat NAME "Muscat"
	// talks NAME "Muscat talks"
	// article TITLE "Talks in Muscat"
}
