package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"eventgraph/store/kv"
)

// PageArgs asks for First items after the opaque cursor After.
type PageArgs struct {
	First int
	After string
}

// DefaultPageSize is used when PageArgs.First is not positive.
const DefaultPageSize = 50

// Page is one page of a list, with each item's opaque, stable cursor.
type Page[T any] struct {
	Items   []T
	Cursors []string
	HasNext bool
	// Total counts the whole list, not just this page.
	Total int
}

// ErrBadCursor is wrapped by errors for cursors this store did not make.
var errBadCursor = fmt.Errorf("%w: malformed cursor", ErrInvalid)

func encodeCursor(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

func decodeCursor(c string) ([]byte, error) {
	if c == "" {
		return nil, nil
	}
	k, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(k) == 0 {
		return nil, errBadCursor
	}
	return k, nil
}

// pager collects one page from keys offered in list order, counting every key. Keys
// come in groups (one per prefix scanned, in order); the cursor names its group by the
// prefix it has.
type pager struct {
	after      []byte
	afterGroup int
	first      int
	keys       [][]byte
	hasNext    bool
	total      int
}

// newPager starts a page for args over keys grouped under prefixes.
func newPager(args PageArgs, prefixes [][]byte) (*pager, error) {
	after, err := decodeCursor(args.After)
	if err != nil {
		return nil, err
	}
	p := &pager{after: after, afterGroup: -1, first: args.First}
	if p.first <= 0 {
		p.first = DefaultPageSize
	}
	for i, prefix := range prefixes {
		if after != nil && bytes.HasPrefix(after, prefix) {
			p.afterGroup = i
		}
	}
	if after != nil && p.afterGroup < 0 {
		return nil, errBadCursor
	}
	return p, nil
}

// offer counts k, the next key of group, and keeps it if it belongs on the page.
func (p *pager) offer(group int, k []byte) {
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

// pageKeys walks the keys under each prefix in turn (keys only), keeps those accept
// approves (told which prefix a key is under; nil keeps every key), counts them all,
// and returns the page after the cursor.
func pageKeys(r kv.Reader, prefixes [][]byte, args PageArgs, accept func(prefix, k []byte) (bool, error)) (keys [][]byte, hasNext bool, total int, err error) {
	p, err := newPager(args, prefixes)
	if err != nil {
		return nil, false, 0, err
	}
	for i, prefix := range prefixes {
		err = r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
			ok, err := true, error(nil)
			if accept != nil {
				ok, err = accept(prefix, k)
			}
			if ok && err == nil {
				p.offer(i, k)
			}
			return err
		})
		if err != nil {
			return nil, false, 0, err
		}
	}
	return p.keys, p.hasNext, p.total, nil
}

func cursors(keys [][]byte) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = encodeCursor(k)
	}
	return out
}

// Node returns the node with id, or the entity a merge made it part of.
//
// Errors: ErrNotFound.
func (g *Graph) Node(ctx context.Context, id string) (Node, error) {
	var n Node
	err := g.view(ctx, func(r kv.Reader) error {
		var err error
		n, err = resolveNode(r, id)
		return err
	})
	return n, err
}

// resolveNode reads a node, following the redirects merges leave (a merged entity
// merged again redirects twice).
func resolveNode(r kv.Reader, id string) (Node, error) {
	for hops := 0; ; hops++ {
		n, err := getNode(r, id)
		if !errors.Is(err, ErrNotFound) || hops == 8 {
			return n, err
		}
		into, rerr := redirect(r, id)
		if rerr != nil || into == "" {
			return nil, errors.Join(err, rerr)
		}
		id = into
	}
}

// Nodes returns the nodes with ids, in order (merged ids giving the entity they are
// part of), with nil for ids that name none: the batch read behind GraphQL dataloaders.
func (g *Graph) Nodes(ctx context.Context, ids []string) ([]Node, error) {
	out := make([]Node, len(ids))
	err := g.view(ctx, func(r kv.Reader) error {
		for i, id := range ids {
			n, err := resolveNode(r, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out[i] = n
		}
		return nil
	})
	return out, err
}

// NodeFilter narrows List.
type NodeFilter struct {
	// Subtypes keeps actors, places or events of these kinds (ActorKind, PlaceKind or
	// EventKind values); empty keeps all.
	Subtypes []string
	// From and To keep events whose time span overlaps [From, To); events of unknown
	// time are dropped when either is set.
	From, To *time.Time
}

// List pages through the nodes of one kind: events in time order (unknown times last),
// everything else in id order.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) List(ctx context.Context, kind Kind, f NodeFilter, args PageArgs) (Page[Node], error) {
	var page Page[Node]
	err := g.view(ctx, func(r kv.Reader) error {
		prefix := prefixKey(pKind, string(kind))
		if kind == KindEvent {
			prefix = []byte{pEventAt, sep}
		}
		plain := len(f.Subtypes) == 0 && f.From == nil && f.To == nil
		accept := func(_, k []byte) (bool, error) {
			if plain {
				return true, nil
			}
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return false, err
			}
			return f.matches(n), nil
		}
		keys, hasNext, total, err := pageKeys(r, [][]byte{prefix}, args, accept)
		if err != nil {
			return err
		}
		page = Page[Node]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, n)
		}
		return nil
	})
	return page, err
}

func (f NodeFilter) matches(n Node) bool {
	var sub string
	switch n := n.(type) {
	case *Actor:
		sub = string(n.Kind)
	case *Place:
		sub = string(n.Kind)
	case *Event:
		sub = string(n.Kind)
		if f.From != nil || f.To != nil {
			if n.Start == nil {
				return false
			}
			from, _ := n.Precision.Span(*n.Start)
			end := n.Start
			if n.End != nil {
				end = n.End
			}
			_, to := n.Precision.Span(*end)
			if f.From != nil && !to.After(*f.From) || f.To != nil && !from.Before(*f.To) {
				return false
			}
		}
	}
	return len(f.Subtypes) == 0 || slices.Contains(f.Subtypes, sub)
}

// RelationFilter narrows the relations of a node.
type RelationFilter struct {
	Types     []RelationType // empty keeps all
	Direction Direction      // "" means BOTH
	// IncludeRetracted lists retracted relations too, after the others.
	IncludeRetracted bool
}

func (f RelationFilter) prefixes(id string) [][]byte {
	out, in := [][]byte{prefixKey(pOut, id)}, [][]byte{prefixKey(pIn, id)}
	if f.IncludeRetracted {
		out, in = append(out, prefixKey(pRetractedOut, id)), append(in, prefixKey(pRetractedIn, id))
	}
	switch f.Direction {
	case DirectionOut:
		return out
	case DirectionIn:
		return in
	}
	return append(out, in...)
}

// follows decides on k, an adjacency key under prefix p of node id: the type filter,
// and a self-loop listed once (going out). It returns the step k stands for.
func (f RelationFilter) follows(k, p []byte, id string) (step, bool) {
	typ, other, rel := adjacencyParts(k[len(p):])
	if len(f.Types) > 0 && !slices.Contains(f.Types, typ) {
		return step{}, false
	}
	forward := k[0] == pOut || k[0] == pRetractedOut
	if !forward && other == id && f.Direction != DirectionIn {
		return step{}, false
	}
	return step{relation: rel, typ: typ, other: other, forward: forward}, true
}

// eachStep calls fn for each relation of node id that f keeps, in key order (outgoing
// first), reading adjacency keys alone; fn may return kv.ErrStop to end early.
func (f RelationFilter) eachStep(r kv.Reader, id string, fn func(step) error) error {
	return f.scan(r, id, true, func(s step, _ []byte, _ bool) error { return fn(s) })
}

// eachRelation is eachStep with the relations themselves: a live one rebuilt from its
// adjacency key and value (encodeAdjacency), so a walk reads no record per relation;
// a retracted one, or one whose adjacency has no value, read from its record.
func (f RelationFilter) eachRelation(r kv.Reader, id string, fn func(step, *Relation) error) error {
	return f.scan(r, id, false, func(s step, v []byte, live bool) error {
		if !live || len(v) == 0 {
			rel, err := getRelation(r, s.relation)
			if err != nil {
				return err
			}
			return fn(s, rel)
		}
		rel := &Relation{ID: s.relation, Type: s.typ, From: id, To: s.other}
		if !s.forward {
			rel.From, rel.To = s.other, id
		}
		if err := decodeAdjacency(rel, v); err != nil {
			return err
		}
		return fn(s, rel)
	})
}

// scan reads the adjacency of node id under f's prefixes, calling fn for each key f
// keeps with its value (unless keysOnly) and whether it lists the relation as live.
func (f RelationFilter) scan(r kv.Reader, id string, keysOnly bool, fn func(s step, value []byte, live bool) error) error {
	for _, p := range f.prefixes(id) {
		live := p[0] == pOut || p[0] == pIn
		err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: keysOnly}, func(k, v []byte) error {
			if s, ok := f.follows(k, p, id); ok {
				return fn(s, v, live)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Relations pages through the relations of node id: outgoing first, then incoming,
// each ordered by type, other end and relation id. A node's adjacency is one prefix
// scan per direction.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Relations(ctx context.Context, id string, f RelationFilter, args PageArgs) (Page[*Relation], error) {
	var page Page[*Relation]
	err := g.view(ctx, func(r kv.Reader) error {
		keys, hasNext, total, err := pageKeys(r, f.prefixes(id), args, func(p, k []byte) (bool, error) {
			_, ok := f.follows(k, p, id)
			return ok, nil
		})
		if err != nil {
			return err
		}
		page = Page[*Relation]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			rel, err := getRelation(r, lastPart(k))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, rel)
		}
		return nil
	})
	return page, err
}

// RelationsOf returns, for each id, all its relations that pass f (no paging): the
// batch read behind GraphQL dataloaders for fields like Event.participants.
func (g *Graph) RelationsOf(ctx context.Context, ids []string, f RelationFilter) ([][]*Relation, error) {
	out := make([][]*Relation, len(ids))
	err := g.view(ctx, func(r kv.Reader) error {
		for i, id := range ids {
			err := f.eachRelation(r, id, func(_ step, rel *Relation) error {
				out[i] = append(out[i], rel)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func getRelation(r kv.Reader, id string) (*Relation, error) {
	b, err := r.Get(key(pRelation, id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, notFound("no relation has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	return decodeRelation(b)
}

// Relation returns the relation with id.
//
// Errors: ErrNotFound.
func (g *Graph) Relation(ctx context.Context, id string) (*Relation, error) {
	var rel *Relation
	err := g.view(ctx, func(r kv.Reader) error {
		var err error
		rel, err = getRelation(r, id)
		return err
	})
	return rel, err
}

// Evidence returns, for each subject (relation or position id), its evidence records
// in id order: one cursor over the subjects' ranges, visited in key order.
func (g *Graph) Evidence(ctx context.Context, subjects []string) ([][]*Evidence, error) {
	out := make([][]*Evidence, len(subjects))
	order := make([]int, len(subjects))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(subjects[a], subjects[b]) })
	var prefixes [][]byte
	var owners [][]int // the subjects (indexes into subjects) behind each prefix
	for _, i := range order {
		if n := len(prefixes); n > 0 && subjects[owners[n-1][0]] == subjects[i] {
			owners[n-1] = append(owners[n-1], i)
			continue
		}
		prefixes = append(prefixes, prefixKey(pEvidence, subjects[i]))
		owners = append(owners, []int{i})
	}
	err := g.view(ctx, func(r kv.Reader) error {
		return g.inHalves(r, len(prefixes), func(r kv.Reader, from, to int) error {
			return r.IterateRanges(prefixes[from:to], func(p int, _, v []byte) error {
				ev, err := decodeEvidence(v)
				if err != nil {
					return err
				}
				for _, i := range owners[from+p] {
					out[i] = append(out[i], ev)
				}
				return nil
			})
		})
	})
	return out, err
}

// EvidenceBySource pages through the evidence that cites source, by subject; when
// attributedTo is set, only evidence the source credits to that actor.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) EvidenceBySource(ctx context.Context, source, attributedTo string, args PageArgs) (Page[*Evidence], error) {
	var page Page[*Evidence]
	err := g.view(ctx, func(r kv.Reader) error {
		load := func(k []byte) (*Evidence, error) {
			parts := splitKey(k)
			b, err := r.Get(key(pEvidence, parts[1], parts[2]))
			if err != nil {
				return nil, err
			}
			return decodeEvidence(b)
		}
		accept := func(_, k []byte) (bool, error) {
			if attributedTo == "" {
				return true, nil
			}
			ev, err := load(k)
			return err == nil && ev.AttributedTo == attributedTo, err
		}
		keys, hasNext, total, err := pageKeys(r, [][]byte{prefixKey(pBySource, source)}, args, accept)
		if err != nil {
			return err
		}
		page = Page[*Evidence]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			ev, err := load(k)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, ev)
		}
		return nil
	})
	return page, err
}

// Positions returns positions on topic and/or by holder (either may be empty; both
// empty lists every position), ordered by topic, holder and id; retracted ones only
// when includeRetracted.
func (g *Graph) Positions(ctx context.Context, topic, holder string, includeRetracted bool) ([]*Position, error) {
	var out []*Position
	err := g.view(ctx, func(r kv.Reader) error {
		prefix := prefixKey(pKind, string(KindPosition))
		switch {
		case topic != "":
			prefix = prefixKey(pTopic, topic)
		case holder != "":
			prefix = prefixKey(pHolder, holder)
		}
		return r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
			n, err := getNode(r, lastPart(k))
			if err != nil {
				return err
			}
			if p := n.(*Position); (holder == "" || p.Holder == holder) && (includeRetracted || p.Retracted == nil) {
				out = append(out, p)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Topic < b.Topic || a.Topic == b.Topic && (a.Holder < b.Holder || a.Holder == b.Holder && a.ID < b.ID)
	})
	return out, err
}

// Named returns the entities and sources whose name, alias or title equals name once
// both are normalized (case, accents, punctuation), in id order: how a mention in a new
// text resolves to what the graph already knows ("Seyyed Abbas Araghchi", "ARAGHCHI"
// and "Araghchi" all name the same actor). kinds empty accepts every kind.
func (g *Graph) Named(ctx context.Context, name string, kinds []Kind) ([]Node, error) {
	norm := Normalize(name)
	if norm == "" {
		return nil, nil
	}
	var out []Node
	err := g.view(ctx, func(r kv.Reader) error {
		return r.Iterate(kv.IterOptions{Prefix: prefixKey(pAlias, norm), KeysOnly: true}, func(k, _ []byte) error {
			n, err := getNode(r, lastPart(k))
			if err == nil && (len(kinds) == 0 || slices.Contains(kinds, n.NodeKind())) {
				out = append(out, n)
			}
			return err
		})
	})
	return out, err
}

// Visitor receives everything a graph holds, one kind of record after another: every
// node (entities, positions, sources) in id order, then every relation in id order
// with its evidence. A nil field skips that part. Returning an error stops the visit.
type Visitor struct {
	Node     func(Node) error
	Relation func(*Relation, []*Evidence) error
	// Position receives each position's evidence, after every node.
	Position func(*Position, []*Evidence) error
}

// Visit walks the whole graph as of ctx's snapshot, as current answers see it (the
// export of everything): retracted relations, positions and evidence are left out.
func (g *Graph) Visit(ctx context.Context, v Visitor) error {
	return g.view(ctx, func(r kv.Reader) error {
		var positions []*Position
		err := r.Iterate(kv.IterOptions{Prefix: []byte{pNode, sep}}, func(_, b []byte) error {
			n, err := decodeNode(b)
			if err != nil {
				return err
			}
			if retracted(n) {
				return nil
			}
			if p, ok := n.(*Position); ok && v.Position != nil {
				positions = append(positions, p)
			}
			if v.Node != nil {
				return v.Node(n)
			}
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		evidence := func(subject string) ([]*Evidence, error) {
			var out []*Evidence
			err := r.Iterate(kv.IterOptions{Prefix: prefixKey(pEvidence, subject)}, func(_, b []byte) error {
				ev, err := decodeEvidence(b)
				if err == nil && ev.Retracted == nil {
					out = append(out, ev)
				}
				return err
			})
			return out, err
		}
		for _, p := range positions {
			evs, err := evidence(p.ID)
			if err == nil {
				err = v.Position(p, evs)
			}
			if err != nil {
				return err
			}
		}
		if v.Relation == nil {
			return nil
		}
		return r.Iterate(kv.IterOptions{Prefix: []byte{pRelation, sep}}, func(_, b []byte) error {
			rel, err := decodeRelation(b)
			if err != nil || rel.Retracted != nil {
				return err
			}
			evs, err := evidence(rel.ID)
			if err == nil {
				err = v.Relation(rel, evs)
			}
			return err
		})
	})
}
