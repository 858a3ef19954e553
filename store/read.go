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

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// ErrBadCursor is wrapped by errors for cursors this store did not make.
var errBadCursor = fmt.Errorf("%w: malformed cursor", domain.ErrInvalid)

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
func newPager(args domain.PageArgs, prefixes [][]byte) (*pager, error) {
	after, err := decodeCursor(args.After)
	if err != nil {
		return nil, err
	}
	p := &pager{after: after, afterGroup: -1, first: args.First}
	if p.first <= 0 {
		p.first = domain.DefaultPageSize
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
func pageKeys(r kv.Reader, prefixes [][]byte, args domain.PageArgs, accept func(prefix, k []byte) (bool, error)) (keys [][]byte, hasNext bool, total int, err error) {
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
func (g *Graph) Node(ctx context.Context, id string) (domain.Node, error) {
	var n domain.Node
	err := g.view(ctx, func(r kv.Reader) error {
		var err error
		n, err = resolveNode(r, id)
		return err
	})
	return n, err
}

// resolveNode reads a node, following the redirects merges leave (a merged entity
// merged again redirects twice).
func resolveNode(r kv.Reader, id string) (domain.Node, error) {
	for hops := 0; ; hops++ {
		n, err := getNode(r, id)
		if !errors.Is(err, domain.ErrNotFound) || hops == 8 {
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
func (g *Graph) Nodes(ctx context.Context, ids []string) ([]domain.Node, error) {
	out := make([]domain.Node, len(ids))
	err := g.view(ctx, func(r kv.Reader) error {
		for i, id := range ids {
			n, err := resolveNode(r, id)
			if errors.Is(err, domain.ErrNotFound) {
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

// List pages through the nodes of one kind: events in time order (unknown times last),
// everything else in id order.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) List(ctx context.Context, kind domain.Kind, f domain.NodeFilter, args domain.PageArgs) (domain.Page[domain.Node], error) {
	var page domain.Page[domain.Node]
	err := g.view(ctx, func(r kv.Reader) error {
		prefix := prefixKey(pKind, string(kind))
		if kind == domain.KindEvent {
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
			return f.Matches(n), nil
		}
		keys, hasNext, total, err := pageKeys(r, [][]byte{prefix}, args, accept)
		if err != nil {
			return err
		}
		page = domain.Page[domain.Node]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
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

// adjacencyPrefixes are the adjacency prefixes of node id that f reads.
func adjacencyPrefixes(f domain.RelationFilter, id string) [][]byte {
	out, in := [][]byte{prefixKey(pOut, id)}, [][]byte{prefixKey(pIn, id)}
	if f.IncludeRetracted {
		out, in = append(out, prefixKey(pRetractedOut, id)), append(in, prefixKey(pRetractedIn, id))
	}
	switch f.Direction {
	case domain.DirectionOut:
		return out
	case domain.DirectionIn:
		return in
	}
	return append(out, in...)
}

// follows decides on k, an adjacency key under prefix p of node id: the type filter,
// and a self-loop listed once (going out). It returns the step k stands for.
func follows(f domain.RelationFilter, k, p []byte, id string) (step, bool) {
	typ, other, rel := adjacencyParts(k[len(p):])
	if len(f.Types) > 0 && !slices.Contains(f.Types, typ) {
		return step{}, false
	}
	forward := k[0] == pOut || k[0] == pRetractedOut
	if !forward && other == id && f.Direction != domain.DirectionIn {
		return step{}, false
	}
	return step{relation: rel, typ: typ, other: other, forward: forward}, true
}

// eachStep calls fn for each relation of node id that f keeps, in key order (outgoing
// first), reading adjacency keys alone; fn may return kv.ErrStop to end early.
func eachStep(r kv.Reader, f domain.RelationFilter, id string, fn func(step) error) error {
	return scanAdjacency(r, f, id, true, func(s step, _ []byte, _ bool) error { return fn(s) })
}

// eachRelation is eachStep with the relations themselves: a live one rebuilt from its
// adjacency key and value (encodeAdjacency), so a walk reads no record per relation;
// a retracted one, or one whose adjacency has no value, read from its record.
func eachRelation(r kv.Reader, f domain.RelationFilter, id string, fn func(step, *domain.Relation) error) error {
	return scanAdjacency(r, f, id, false, func(s step, v []byte, live bool) error {
		if !live || len(v) == 0 {
			rel, err := getRelation(r, s.relation)
			if err != nil {
				return err
			}
			return fn(s, rel)
		}
		rel := &domain.Relation{ID: s.relation, Type: s.typ, From: id, To: s.other}
		if !s.forward {
			rel.From, rel.To = s.other, id
		}
		if err := decodeAdjacency(rel, v); err != nil {
			return err
		}
		return fn(s, rel)
	})
}

// scanAdjacency reads the adjacency of node id under f's prefixes, calling fn for each key f
// keeps with its value (unless keysOnly) and whether it lists the relation as live.
func scanAdjacency(r kv.Reader, f domain.RelationFilter, id string, keysOnly bool, fn func(s step, value []byte, live bool) error) error {
	for _, p := range adjacencyPrefixes(f, id) {
		live := p[0] == pOut || p[0] == pIn
		err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: keysOnly}, func(k, v []byte) error {
			if s, ok := follows(f, k, p, id); ok {
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
func (g *Graph) Relations(ctx context.Context, id string, f domain.RelationFilter, args domain.PageArgs) (domain.Page[*domain.Relation], error) {
	var page domain.Page[*domain.Relation]
	err := g.view(ctx, func(r kv.Reader) error {
		keys, hasNext, total, err := pageKeys(r, adjacencyPrefixes(f, id), args, func(p, k []byte) (bool, error) {
			_, ok := follows(f, k, p, id)
			return ok, nil
		})
		if err != nil {
			return err
		}
		page = domain.Page[*domain.Relation]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
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
func (g *Graph) RelationsOf(ctx context.Context, ids []string, f domain.RelationFilter) ([][]*domain.Relation, error) {
	out := make([][]*domain.Relation, len(ids))
	err := g.view(ctx, func(r kv.Reader) error {
		for i, id := range ids {
			err := eachRelation(r, f, id, func(_ step, rel *domain.Relation) error {
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

func getRelation(r kv.Reader, id string) (*domain.Relation, error) {
	b, err := r.Get(key(pRelation, id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, domain.NotFound("no relation has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	return decodeRelation(b)
}

// Relation returns the relation with id.
//
// Errors: ErrNotFound.
func (g *Graph) Relation(ctx context.Context, id string) (*domain.Relation, error) {
	var rel *domain.Relation
	err := g.view(ctx, func(r kv.Reader) error {
		var err error
		rel, err = getRelation(r, id)
		return err
	})
	return rel, err
}

// Evidence returns, for each subject (relation or position id), its evidence records
// in id order: one cursor over the subjects' ranges, visited in key order.
func (g *Graph) Evidence(ctx context.Context, subjects []string) ([][]*domain.Evidence, error) {
	out := make([][]*domain.Evidence, len(subjects))
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
func (g *Graph) EvidenceBySource(ctx context.Context, source, attributedTo string, args domain.PageArgs) (domain.Page[*domain.Evidence], error) {
	var page domain.Page[*domain.Evidence]
	err := g.view(ctx, func(r kv.Reader) error {
		load := func(k []byte) (*domain.Evidence, error) {
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
		page = domain.Page[*domain.Evidence]{Cursors: cursors(keys), HasNext: hasNext, Total: total}
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
func (g *Graph) Positions(ctx context.Context, topic, holder string, includeRetracted bool) ([]*domain.Position, error) {
	var out []*domain.Position
	err := g.view(ctx, func(r kv.Reader) error {
		prefix := prefixKey(pKind, string(domain.KindPosition))
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
			if p := n.(*domain.Position); (holder == "" || p.Holder == holder) && (includeRetracted || p.Retracted == nil) {
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
func (g *Graph) Named(ctx context.Context, name string, kinds []domain.Kind) ([]domain.Node, error) {
	norm := domain.Normalize(name)
	if norm == "" {
		return nil, nil
	}
	var out []domain.Node
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
	Node     func(domain.Node) error
	Relation func(*domain.Relation, []*domain.Evidence) error
	// Position receives each position's evidence, after every node.
	Position func(*domain.Position, []*domain.Evidence) error
}

// Visit walks the whole graph as of ctx's snapshot, as current answers see it (the
// export of everything): retracted relations, positions and evidence are left out.
func (g *Graph) Visit(ctx context.Context, v Visitor) error {
	return g.view(ctx, func(r kv.Reader) error {
		var positions []*domain.Position
		err := r.Iterate(kv.IterOptions{Prefix: []byte{pNode, sep}}, func(_, b []byte) error {
			n, err := decodeNode(b)
			if err != nil {
				return err
			}
			if domain.IsRetracted(n) {
				return nil
			}
			if p, ok := n.(*domain.Position); ok && v.Position != nil {
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
		evidence := func(subject string) ([]*domain.Evidence, error) {
			var out []*domain.Evidence
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
