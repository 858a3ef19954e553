package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/spill"
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
// copy of a data directory). It reads each key family once, in key order, and holds
// a bounded part of what it reads in memory (the adjacency ids spill to sorted runs in
// the store's folder).
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
		// Relations in the adjacency index without a record, which only damage
		// beneath the store leaves, are found by merging its relation ids, sorted
		// on disk, with the records' ids (in key order): looking each one's record
		// up reads the records in no order, from disk once they outgrow memory.
		adjacent := spill.Sorted{Dir: g.tempDir()}
		defer adjacent.Close()
		err = r.Iterate(kv.IterOptions{Prefix: layout.Outgoing(), KeysOnly: true}, func(k, _ []byte) error {
			return adjacent.Add(layout.IDBytes(k))
		})
		if err != nil {
			return err
		}
		ids, err := adjacent.Read()
		if err != nil {
			return err
		}
		// next is the next adjacent id not yet matched, nil past the last.
		var next []byte
		advance := func() error {
			var err error
			if next, err = ids.Next(); errors.Is(err, io.EOF) {
				next, err = nil, nil
			}
			return err
		}
		// recordless claims the adjacent ids before id, or all with id == "" (as
		// records' ids are never empty), and passes id's own. An id listed twice is
		// claimed once.
		var claimed []byte
		recordless := func(id string) error {
			for next != nil && (id == "" || string(next) <= id) {
				if string(next) != id && !bytes.Equal(next, claimed) {
					claimed = append(claimed[:0], next...)
					if err := claim(r, string(next)); err != nil {
						return err
					}
				}
				if err := advance(); err != nil {
					return err
				}
			}
			return nil
		}
		if err := advance(); err != nil {
			return err
		}
		prefix := layout.Relations()
		err = r.Iterate(kv.IterOptions{Prefix: prefix}, func(k, v []byte) error {
			if err := recordless(layout.After(prefix, k)); err != nil {
				return err
			}
			rel, err := layout.DecodeRelation(v)
			if err != nil || rel.Retracted != nil {
				return err
			}
			return claim(r, rel.ID)
		})
		if err == nil {
			err = recordless("")
		}
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
