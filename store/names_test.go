package store_test

import (
	"context"
	"slices"
	"testing"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// TestNameWordsLike: a word spelt another way finds the name words it may transliterate,
// through the names the graph holds now.
func TestNameWordsLike(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)
	araghchi := &domain.Actor{EntityBase: domain.EntityBase{ID: "araghchi", Name: "Abbas Araghchi", Aliases: []string{"Seyyed Abbas Araghchi"}}, Kind: domain.ActorPerson}
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		araghchi,
		&domain.Actor{EntityBase: domain.EntityBase{ID: "busaidi", Name: "Badr Albusaidi"}, Kind: domain.ActorPerson},
	}})
	mustLike := func(t *testing.T, word string, want ...string) {
		t.Helper()
		got, err := g.NameWordsLike(ctx, []string{word})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got[word])
		if !slices.Equal(got[word], want) {
			t.Errorf("words like %q: %q, want %q", word, got[word], want)
		}
	}
	t.Run("transliterations", func(t *testing.T) {
		mustLike(t, "araqchi", "araghchi")
		mustLike(t, "arakchi", "araghchi")
		mustLike(t, "busaidi", "albusaidi")
		mustLike(t, "bousaidi", "albusaidi")
		mustLike(t, "abbas", "abbas")
		mustLike(t, "witkoff")
	})
	t.Run("a rename drops the old name's words", func(t *testing.T) {
		renamed := *araghchi
		renamed.Name, renamed.Aliases = "Abbas Arakchi", nil
		storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{&renamed}})
		mustLike(t, "araqchi", "arakchi")
		mustLike(t, "seyyed")
	})
}

// TestNamesWithWord: a word finds the entities with it anywhere in a name or alias.
func TestNamesWithWord(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustSeeded(t)
	got, err := g.NamesWithWord(ctx, []string{"trump", "witkoff", "nobody", "iran"}, []domain.Kind{domain.KindActor}, 3)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(w string) []string {
		var out []string
		for _, n := range got[w] {
			out = append(out, n.NodeID())
		}
		slices.Sort(out)
		return out
	}
	if want := []string{"trump", "trump-administration"}; !slices.Equal(ids("trump"), want) {
		t.Errorf("trump: %v, want %v", ids("trump"), want)
	}
	if want := []string{"witkoff"}; !slices.Equal(ids("witkoff"), want) {
		t.Errorf("witkoff: %v, want %v", ids("witkoff"), want)
	}
	if _, ok := got["nobody"]; ok {
		t.Error("a word no name has is listed")
	}
	if _, ok := got["iran"]; ok {
		t.Errorf("\"iran\", in more than 3 names, is listed: %v", ids("iran"))
	}
}

// TestNamesStarting: the names a word begins, alone and longer, keyed by name; keep
// decides from the name alone which are read, and kinds which nodes are kept.
func TestNamesStarting(t *testing.T) {
	ctx := context.Background()
	g := storetest.MustGraph(t)
	storetest.MustApply(t, g, &store.Batch{Nodes: []domain.Node{
		&domain.Actor{EntityBase: domain.EntityBase{ID: "oman", Name: "Oman", Aliases: []string{"Sultanate of Oman"}}, Kind: domain.ActorState},
		&domain.Place{EntityBase: domain.EntityBase{ID: "oman-country", Name: "Oman"}, Kind: domain.PlaceCountry},
		&domain.Place{EntityBase: domain.EntityBase{ID: "gulf", Name: "Gulf of Oman"}, Kind: domain.PlaceSea},
	}})
	names := func(t *testing.T, kinds []domain.Kind, keep func(string) bool) map[string][]string {
		t.Helper()
		got, err := g.NamesStarting(ctx, []string{"oman", "sultanate", "gulf"}, kinds, keep)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for name, nodes := range got {
			for _, n := range nodes {
				out[name] = append(out[name], n.NodeID())
			}
			slices.Sort(out[name])
		}
		return out
	}
	t.Run("all", func(t *testing.T) {
		got := names(t, nil, nil)
		if len(got) != 3 || !slices.Equal(got["oman"], []string{"oman", "oman-country"}) || !slices.Equal(got["sultanate of oman"], []string{"oman"}) ||
			!slices.Equal(got["gulf of oman"], []string{"gulf"}) {
			t.Errorf("names %v", got)
		}
	})
	t.Run("kept", func(t *testing.T) {
		got := names(t, nil, func(name string) bool { return name != "gulf of oman" })
		if _, ok := got["gulf of oman"]; ok || len(got) != 2 {
			t.Errorf("names %v, want the Gulf of Oman left out", got)
		}
	})
	t.Run("of kinds", func(t *testing.T) {
		got := names(t, []domain.Kind{domain.KindActor}, nil)
		if len(got) != 2 || !slices.Equal(got["oman"], []string{"oman"}) {
			t.Errorf("actors' names %v", got)
		}
	})
}
