package store

import (
	"bytes"
	"context"
	"maps"
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// NamesStarting returns the nodes of kinds (any kind when none are given) that have a
// name or alias whose first word is one of firstWords and that keep accepts (every one
// when keep is nil), keyed by that name normalized (Normalize): every name a text made
// of those words (folded, as EachWord gives them) can contain. A name is looked up as
// Named looks it up, but all of them are read in one snapshot with one cursor, so a long
// text's runs of words are matched in memory instead of with a lookup each. keep sees
// the name alone, before any node is read: in a large graph most names a text's words
// begin hold a word the text does not, and reading their nodes is most of the cost.
func (g *Graph) NamesStarting(ctx context.Context, firstWords []string, kinds []domain.Kind, keep func(name string) bool) (map[string][]domain.Node, error) {
	words := slices.Compact(slices.Sorted(slices.Values(firstWords)))
	prefixes := make([][]byte, 0, 2*len(words))
	for _, w := range words {
		if w != "" {
			// The name that is the word alone, and the names it begins.
			prefixes = append(prefixes, layout.Name(w), layout.NamesFrom(w))
		}
	}
	slices.SortFunc(prefixes, bytes.Compare)
	out := map[string][]domain.Node{}
	wanted := map[string]domain.Node{} // by id; nil for a node of another kind
	err := g.view(ctx, func(r *layout.Snapshot) error {
		return eachInRanges(ctx, r, prefixes, func(_ int, k []byte) error {
			name, id := layout.NameOf(k), layout.ID(k)
			if keep != nil && !keep(name) {
				return nil
			}
			n, seen := wanted[id]
			if !seen {
				var err error
				if n, err = layout.ReadNode(r, id); err != nil {
					return err
				}
				if len(kinds) > 0 && !slices.Contains(kinds, n.NodeKind()) {
					n = nil
				}
				wanted[id] = n
			}
			if n != nil {
				out[name] = append(out[name], n)
			}
			return nil
		})
	})
	return out, err
}

// eachInRanges visits the keys under each of prefixes (in ascending order) as
// IterateRanges does, fn given the prefix's index, in chunks, so that a cancellation
// of ctx is noticed while a long text's words are looked up: most have no name, and
// the cursor seeks past them silently.
func eachInRanges(ctx context.Context, r kv.Reader, prefixes [][]byte, fn func(i int, k []byte) error) error {
	for start := 0; start < len(prefixes); start += cancelCheckEvery {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := prefixes[start:min(len(prefixes), start+cancelCheckEvery)]
		if err := r.IterateRanges(chunk, func(i int, k, _ []byte) error { return fn(start+i, k) }); err != nil {
			return err
		}
	}
	return nil
}

// NameWordsLike returns, for each of words (folded, as domain.EachWord gives them), the
// words of entity names and aliases that share its consonant skeleton (domain.Skeleton):
// the name words it may be a transliteration of ("araghchi" for "araqchi"), itself
// among them when a name has it. A word without any is left out. Candidates only: the
// skeleton joins words of other languages too, so the caller compares them.
func (g *Graph) NameWordsLike(ctx context.Context, words []string) (map[string][]string, error) {
	bySkeleton := map[string][]string{}
	for _, w := range words {
		if s := domain.Skeleton(w); s != "" {
			bySkeleton[s] = append(bySkeleton[s], w)
		}
	}
	skeletons := slices.Sorted(maps.Keys(bySkeleton))
	prefixes := make([][]byte, len(skeletons))
	for i, s := range skeletons {
		prefixes[i] = layout.SoundalikesOf(s)
	}
	out := map[string][]string{}
	err := g.view(ctx, func(r *layout.Snapshot) error {
		return eachInRanges(ctx, r, prefixes, func(i int, k []byte) error {
			name := layout.SoundalikeWord(k)
			for _, w := range bySkeleton[skeletons[i]] {
				if !slices.Contains(out[w], name) {
					out[w] = append(out[w], name)
				}
			}
			return nil
		})
	})
	return out, err
}

// NamesWithWord returns, for each of words (folded), the nodes of kinds (any kind when
// none are given) that have a name or alias with that word anywhere in it ("trump" for
// Donald Trump and the Trump administration), at most max of them: a word more names
// have than that (of any kind) is left out, as too common to name anyone, and costs a
// count of its index keys only. A word no name has is left out too.
func (g *Graph) NamesWithWord(ctx context.Context, words []string, kinds []domain.Kind, max int) (map[string][]domain.Node, error) {
	words = slices.Compact(slices.Sorted(slices.Values(words)))
	prefixes := make([][]byte, len(words))
	for i, w := range words {
		prefixes[i] = layout.Word(w)
	}
	out := map[string][]domain.Node{}
	err := g.view(ctx, func(r *layout.Snapshot) error {
		ids := make([][]string, len(words))
		if err := eachInRanges(ctx, r, prefixes, func(i int, k []byte) error {
			if len(ids[i]) <= max {
				ids[i] = append(ids[i], layout.ID(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for i, list := range ids {
			if err := cancelled(ctx, i); err != nil {
				return err
			}
			if len(list) > max {
				continue
			}
			for _, id := range list {
				n, err := layout.ReadNode(r, id)
				if err != nil {
					return err
				}
				if len(kinds) == 0 || slices.Contains(kinds, n.NodeKind()) {
					out[words[i]] = append(out[words[i]], n)
				}
			}
		}
		return nil
	})
	return out, err
}
