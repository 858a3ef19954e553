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
