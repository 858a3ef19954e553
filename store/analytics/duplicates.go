package analytics

import (
	"sort"
	"strings"
	"unicode/utf8"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// DuplicateCandidate is a pair of entities of one kind that may be the same one.
type DuplicateCandidate struct {
	A, B domain.Entity
	// Score in (0, 1] weighs NameSimilarity (0.8) and SharedNeighbours (0.2, full
	// from three).
	Score float64
	// NameSimilarity is the best match between a name or alias of A and one of B: the
	// share of their words that match, words a spelling apart counting partly
	// ("Araqchi" and "Araghchi": see wordOverlap).
	NameSimilarity   float64
	SharedNeighbours int
}

// Bounds of a duplicate search: a name word more entities share than maxBlock pairs
// nothing by itself ("republic"); at most maxPairs pairs sharing words are compared,
// and maxSteps of each entity's relations read for neighbours.
const (
	maxBlock          = 50
	maxPairs          = 20_000
	maxSteps          = 1000
	minNameSimilarity = 0.5
)

// Duplicates suggests the pairs of entities of kind ("" for any entity kind) most
// likely to be one, best first: pairs sharing a name word (that at most maxBlock
// entities share) whose names are alike, ranked with the neighbours they have in
// common.
func Duplicates(r kv.Reader, kind domain.Kind, first int) ([]DuplicateCandidate, error) {
	var out []DuplicateCandidate
	shared := map[[2]string]int{}
	var word string
	var ids []string
	flush := func() {
		if len(ids) >= 2 && len(ids) <= maxBlock {
			for i := range ids {
				for j := i + 1; j < len(ids) && len(shared) < maxPairs; j++ {
					shared[[2]string{ids[i], ids[j]}]++
				}
			}
		}
		ids = ids[:0]
	}
	err := r.Iterate(kv.IterOptions{Prefix: layout.Words(), KeysOnly: true}, func(k, _ []byte) error {
		w, id := layout.WordParts(k)
		if w != word {
			flush()
			word = w
		}
		if len(ids) <= maxBlock {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	pairs := make([][2]string, 0, len(shared))
	for p := range shared {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool {
		a, b := pairs[i], pairs[j]
		return shared[a] > shared[b] || shared[a] == shared[b] && (a[0] < b[0] || a[0] == b[0] && a[1] < b[1])
	})
	nodes := map[string]domain.Entity{}
	neighbours := map[string]map[string]bool{}
	entity := func(id string) (domain.Entity, error) {
		if e, ok := nodes[id]; ok {
			return e, nil
		}
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return nil, err
		}
		e, _ := n.(domain.Entity)
		if e != nil && kind != "" && e.NodeKind() != kind {
			e = nil
		}
		nodes[id] = e
		return e, nil
	}
	around := func(id string) (map[string]bool, error) {
		if set, ok := neighbours[id]; ok {
			return set, nil
		}
		set := map[string]bool{}
		n := 0
		err := layout.EachStep(r, domain.RelationFilter{}, id, func(s layout.Step) error {
			if n++; n > maxSteps {
				return kv.ErrStop
			}
			set[s.Other] = true
			return nil
		})
		neighbours[id] = set
		return set, err
	}
	for _, p := range pairs {
		a, err := entity(p[0])
		if err != nil {
			return nil, err
		}
		b, err := entity(p[1])
		if err != nil {
			return nil, err
		}
		if a == nil || b == nil || a.NodeKind() != b.NodeKind() {
			continue
		}
		sim := nameSimilarity(a, b)
		if sim < minNameSimilarity {
			continue
		}
		na, err := around(p[0])
		if err != nil {
			return nil, err
		}
		nb, err := around(p[1])
		if err != nil {
			return nil, err
		}
		common := 0
		for id := range na {
			if nb[id] && id != p[0] && id != p[1] {
				common++
			}
		}
		out = append(out, DuplicateCandidate{A: a, B: b, NameSimilarity: sim, SharedNeighbours: common,
			Score: 0.8*sim + 0.2*min(1, float64(common)/3)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

// nameSimilarity is the best word overlap between a name or alias of a and one of b.
func nameSimilarity(a, b domain.Entity) float64 {
	best := 0.0
	for _, x := range domain.Names(a) {
		for _, y := range domain.Names(b) {
			best = max(best, wordOverlap(strings.Fields(domain.Normalize(x)), strings.Fields(domain.Normalize(y))))
		}
	}
	return best
}

// wordOverlap is the share of the words of x and y that have a match in the other,
// each counting by how alike its best match is: 1 when equal, 1 - edits/length for a
// word of five letters or more within two edits ("araghchi" and "araqchi": 0.75).
func wordOverlap(x, y []string) float64 {
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	sum := 0.0
	for _, pair := range [2][2][]string{{x, y}, {y, x}} {
		for _, w := range pair[0] {
			best := 0.0
			for _, v := range pair[1] {
				best = max(best, wordSimilarity(w, v))
			}
			sum += best
		}
	}
	return sum / float64(len(x)+len(y))
}

func wordSimilarity(w, v string) float64 {
	if w == v {
		return 1
	}
	n := max(utf8.RuneCountInString(w), utf8.RuneCountInString(v))
	if n < 5 {
		return 0
	}
	for edits := 1; edits <= 2; edits++ {
		if domain.WithinEdits(w, v, edits) {
			return 1 - float64(edits)/float64(n)
		}
	}
	return 0
}
