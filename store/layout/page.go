package layout

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// ErrBadCursor is wrapped by errors for cursors this store did not make. It wraps
// domain.ErrInvalid.
var ErrBadCursor = fmt.Errorf("%w: malformed cursor", domain.ErrInvalid)

// EncodeCursor makes an opaque cursor of a position in a list: the key of its item.
func EncodeCursor(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

// DecodeCursor returns the position a cursor made by EncodeCursor names, nil for none.
//
// Errors: ErrBadCursor.
func DecodeCursor(c string) ([]byte, error) {
	if c == "" {
		return nil, nil
	}
	k, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(k) == 0 {
		return nil, ErrBadCursor
	}
	return k, nil
}

// Pager collects one page from keys offered in list order, counting every key. Keys
// come in groups (one per prefix scanned, in order); the cursor names its group by the
// prefix it has.
type Pager struct {
	after      []byte
	afterGroup int
	first      int
	keys       [][]byte
	hasNext    bool
	total      int
}

// NewPager starts a page for args over keys grouped under prefixes.
//
// Errors: ErrBadCursor.
func NewPager(args domain.PageArgs, prefixes [][]byte) (*Pager, error) {
	after, err := DecodeCursor(args.After)
	if err != nil {
		return nil, err
	}
	p := &Pager{after: after, afterGroup: -1, first: args.First}
	if p.first <= 0 {
		p.first = domain.DefaultPageSize
	}
	for i, prefix := range prefixes {
		if after != nil && bytes.HasPrefix(after, prefix) {
			p.afterGroup = i
		}
	}
	if after != nil && p.afterGroup < 0 {
		return nil, ErrBadCursor
	}
	return p, nil
}

// Offer counts k, the next key of group, and keeps it if it belongs on the page.
func (p *Pager) Offer(group int, k []byte) {
	p.total++
	if group < p.afterGroup || group == p.afterGroup && bytes.Compare(k, p.after) <= 0 {
		return
	}
	if len(p.keys) == p.first {
		p.hasNext = true
	} else {
		p.keys = append(p.keys, bytes.Clone(k))
	}
}

// Page returns the keys on the page, whether more follow, and how many were offered.
func (p *Pager) Page() (keys [][]byte, hasNext bool, total int) { return p.keys, p.hasNext, p.total }

// PageKeys walks the keys under each prefix in turn (keys only), keeps those accept
// approves (told which prefix a key is under; nil keeps every key), counts them all,
// and returns the page after the cursor. With args.Uncounted it reads only from the
// cursor to the key after the page, and total means nothing.
//
// Errors: ErrBadCursor.
func PageKeys(r kv.Reader, prefixes [][]byte, args domain.PageArgs, accept func(prefix, k []byte) (bool, error)) (keys [][]byte, hasNext bool, total int, err error) {
	p, err := NewPager(args, prefixes)
	if err != nil {
		return nil, false, 0, err
	}
	for i, prefix := range prefixes {
		opts := kv.IterOptions{Prefix: prefix, KeysOnly: true}
		if args.Uncounted {
			if i < p.afterGroup {
				continue
			}
			if i == p.afterGroup {
				opts.Start = append(bytes.Clone(p.after), 0) // the key after the cursor's
			}
		}
		err = r.Iterate(opts, func(k, _ []byte) error {
			ok, err := true, error(nil)
			if accept != nil {
				ok, err = accept(prefix, k)
			}
			if ok && err == nil {
				p.Offer(i, k)
				if args.Uncounted && p.hasNext {
					return kv.ErrStop
				}
			}
			return err
		})
		if err != nil {
			return nil, false, 0, err
		}
		if args.Uncounted && p.hasNext {
			break
		}
	}
	keys, hasNext, total = p.Page()
	return keys, hasNext, total, nil
}

// Cursors are the cursors of keys.
func Cursors(keys [][]byte) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = EncodeCursor(k)
	}
	return out
}

// NodePage reads the nodes of a page of index keys, each ending in a node id
// (PageKeys, Pager).
//
// Errors: domain.ErrNotFound when a key lists a node that is not stored.
func NodePage(r kv.Reader, keys [][]byte, hasNext bool, total int) (domain.Page[domain.Node], error) {
	page := domain.Page[domain.Node]{Cursors: Cursors(keys), HasNext: hasNext, Total: total}
	for _, k := range keys {
		n, err := ReadNode(r, ID(k))
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, n)
	}
	return page, nil
}
