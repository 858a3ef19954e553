package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// UnsupportedError is what CheckEvidence finds: live relations and positions that no
// live evidence record supports. It wraps ErrEvidenceRequired.
type UnsupportedError struct {
	// Count is how many there are.
	Count int
	// First names the first of them found (positions, then relations, in id order),
	// at most maxUnsupportedNamed.
	First []string
}

const maxUnsupportedNamed = 5

func (e *UnsupportedError) Error() string {
	more := ""
	if e.Count > len(e.First) {
		more = ", …"
	}
	return fmt.Sprintf("%d relations and positions have no live evidence supporting them (%s%s)", e.Count, strings.Join(e.First, ", "), more)
}

func (e *UnsupportedError) Unwrap() error { return domain.ErrEvidenceRequired }

// checkBatch is how many claims CheckEvidence looks up the evidence of with one cursor.
const checkBatch = 1024

// CheckEvidence checks the whole newest snapshot against the rule every write keeps:
// each live (not retracted) relation and position has at least one live evidence
// record supporting it (Evidence.Supports). The relations are those with a record and
// those a walk reaches through the adjacency index without one. Writes cannot break
// the rule; a store that does not hold it came from elsewhere (a damaged or cut-short
// copy of a data directory).
//
// Errors: *UnsupportedError when the rule does not hold; the store's read errors.
func (g *Graph) CheckEvidence(ctx context.Context) error {
	unsupported := &UnsupportedError{}
	var claims []string
	// flush looks up the evidence of the claims gathered so far.
	flush := func(r kv.Reader) error {
		if len(claims) == 0 {
			return nil
		}
		slices.Sort(claims) // as IterateRanges needs them
		prefixes := make([][]byte, len(claims))
		for i, id := range claims {
			prefixes[i] = layout.EvidenceOf(id)
		}
		supported := make([]bool, len(claims))
		err := r.IterateRanges(prefixes, func(i int, _, v []byte) error {
			if supported[i] {
				return nil
			}
			ev, err := layout.DecodeEvidence(v)
			supported[i] = err == nil && ev.Supports()
			return err
		})
		if err != nil {
			return err
		}
		for i, ok := range supported {
			if !ok {
				unsupported.Count++
				if len(unsupported.First) < maxUnsupportedNamed {
					unsupported.First = append(unsupported.First, claims[i])
				}
			}
		}
		claims = claims[:0]
		return ctx.Err()
	}
	claim := func(r kv.Reader, id string) error {
		claims = append(claims, id)
		if len(claims) < checkBatch {
			return nil
		}
		return flush(r)
	}
	err := g.kv.View(kv.Latest, func(r kv.Reader) error {
		err := r.Iterate(kv.IterOptions{Prefix: layout.KindPrefix(domain.KindPosition)}, func(k, _ []byte) error {
			id := string(k[len(layout.KindPrefix(domain.KindPosition)):])
			n, err := layout.ReadNode(r, id)
			if err != nil || domain.IsRetracted(n) {
				return err
			}
			return claim(r, id)
		})
		if err == nil {
			err = flush(r)
		}
		if err != nil {
			return err
		}
		err = r.Iterate(kv.IterOptions{Prefix: layout.Relations()}, func(_, v []byte) error {
			rel, err := layout.DecodeRelation(v)
			if err != nil || rel.Retracted != nil {
				return err
			}
			return claim(r, rel.ID)
		})
		if err == nil {
			err = flush(r)
		}
		if err != nil {
			return err
		}
		// Relations in the adjacency index without a record, which only damage
		// beneath the store leaves.
		err = r.Iterate(kv.IterOptions{Prefix: layout.Outgoing(), KeysOnly: true}, func(k, _ []byte) error {
			id := layout.ID(k)
			_, err := r.Get(layout.RelationKey(id))
			if errors.Is(err, kv.ErrNotFound) {
				return claim(r, id)
			}
			return err
		})
		if err != nil {
			return err
		}
		return flush(r)
	})
	if err != nil {
		return err
	}
	if unsupported.Count > 0 {
		return unsupported
	}
	return nil
}
