package store

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Node returns the node with id, or the entity a merge made it part of.
//
// Errors: ErrNotFound.
func (g *Graph) Node(ctx context.Context, id string) (domain.Node, error) {
	var n domain.Node
	err := g.view(ctx, func(r *layout.Snapshot) error {
		var err error
		n, err = layout.ResolveNode(r, id)
		return err
	})
	return n, err
}

// Nodes returns the nodes with ids, in order (merged ids giving the entity they are
// part of), with nil for ids that name none: the batch read behind GraphQL dataloaders.
func (g *Graph) Nodes(ctx context.Context, ids []string) ([]domain.Node, error) {
	out := make([]domain.Node, len(ids))
	err := g.view(ctx, func(r *layout.Snapshot) error {
		for i, id := range ids {
			n, err := layout.ResolveNode(r, id)
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

// Relations pages through the relations of node id: outgoing first, then incoming,
// each ordered by type, other end and relation id. A node's adjacency is one prefix
// scan per direction. valid's From and To keep the relations whose valid time overlaps
// them (its types and direction are f's business); reading each relation to check costs
// a read per relation, so only a window asks for it.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) Relations(ctx context.Context, id string, f domain.RelationFilter, valid domain.Walk, args domain.PageArgs) (domain.Page[*domain.Relation], error) {
	var page domain.Page[*domain.Relation]
	windowed := valid.From != nil || valid.To != nil
	err := g.view(ctx, func(r *layout.Snapshot) error {
		keys, hasNext, total, err := layout.PageKeys(r, layout.AdjacencyPrefixes(f, id), args, func(p, k []byte) (bool, error) {
			s, ok := layout.Follows(f, k, p, id)
			if !ok || !windowed {
				return ok, nil
			}
			rel, err := layout.ReadRelation(r, s.Relation)
			if err != nil {
				return false, err
			}
			return valid.ValidDuring(rel), nil
		})
		if err != nil {
			return err
		}
		page = domain.Page[*domain.Relation]{Cursors: layout.Cursors(keys), HasNext: hasNext, Total: total}
		for _, k := range keys {
			rel, err := layout.ReadRelation(r, layout.ID(k))
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
	err := g.view(ctx, func(r *layout.Snapshot) error {
		for i, id := range ids {
			err := layout.EachRelation(r, f, id, func(_ layout.Step, rel *domain.Relation) error {
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

// Relation returns the relation with id.
//
// Errors: ErrNotFound.
func (g *Graph) Relation(ctx context.Context, id string) (*domain.Relation, error) {
	var rel *domain.Relation
	err := g.view(ctx, func(r *layout.Snapshot) error {
		var err error
		rel, err = layout.ReadRelation(r, id)
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
	var unique []string
	var owners [][]int // the subjects (indexes into subjects) behind each of unique
	for _, i := range order {
		if n := len(unique); n > 0 && unique[n-1] == subjects[i] {
			owners[n-1] = append(owners[n-1], i)
			continue
		}
		unique = append(unique, subjects[i])
		owners = append(owners, []int{i})
	}
	err := g.view(ctx, func(r *layout.Snapshot) error {
		lists, err := r.ReadEvidenceOf(unique)
		for u, list := range lists {
			for _, i := range owners[u] {
				out[i] = list
			}
		}
		return err
	})
	return out, err
}

// EvidenceBySource pages through the evidence that cites source, by subject; when
// attributedTo is set, only evidence the source credits to that actor.
//
// Errors: ErrInvalid for a malformed cursor.
func (g *Graph) EvidenceBySource(ctx context.Context, source, attributedTo string, args domain.PageArgs) (domain.Page[*domain.Evidence], error) {
	var page domain.Page[*domain.Evidence]
	err := g.view(ctx, func(r *layout.Snapshot) error {
		load := func(k []byte) (*domain.Evidence, error) {
			return layout.ReadEvidenceAt(r, layout.BySourceEvidence(k))
		}
		accept := func(_, k []byte) (bool, error) {
			if attributedTo == "" {
				return true, nil
			}
			ev, err := load(k)
			return err == nil && ev.AttributedTo == attributedTo, err
		}
		keys, hasNext, total, err := layout.PageKeys(r, [][]byte{layout.BySource(source)}, args, accept)
		if err != nil {
			return err
		}
		page = domain.Page[*domain.Evidence]{Cursors: layout.Cursors(keys), HasNext: hasNext, Total: total}
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
	err := g.view(ctx, func(r *layout.Snapshot) error {
		prefix := layout.KindPrefix(domain.KindPosition)
		switch {
		case topic != "":
			prefix = layout.OnTopic(topic)
		case holder != "":
			prefix = layout.HeldBy(holder)
		}
		return eachPosition(r, prefix, func(p *domain.Position) error {
			if (holder == "" || p.Holder == holder) && (includeRetracted || p.Retracted == nil) {
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

// eachPosition calls fn with each position listed under prefix (a kind, topic or holder
// list of positions), stopping at its first error.
func eachPosition(r kv.Reader, prefix []byte, fn func(*domain.Position) error) error {
	return r.Iterate(kv.IterOptions{Prefix: prefix, KeysOnly: true}, func(k, _ []byte) error {
		n, err := layout.ReadNode(r, layout.ID(k))
		if err != nil {
			return err
		}
		return fn(n.(*domain.Position))
	})
}

// Named returns the entities and sources whose name, alias or title equals name once
// both are normalized (case, accents, punctuation), in id order: how a mention in a new
// text resolves to what the graph already knows ("Seyyed Abbas Araghchi", "ARAGHCHI"
// and "Araghchi" all name the same actor). Where nothing has the name as spelt, the
// names it may transliterate are tried ("Abbas Araqchi": domain.Soundalike). kinds empty
// accepts every kind.
func (g *Graph) Named(ctx context.Context, name string, kinds []domain.Kind) ([]domain.Node, error) {
	norm := domain.Normalize(name)
	if norm == "" {
		return nil, nil
	}
	var out []domain.Node
	err := g.view(ctx, func(r *layout.Snapshot) error {
		lookup := func(name string) error {
			return r.Iterate(kv.IterOptions{Prefix: layout.Name(name), KeysOnly: true}, func(k, _ []byte) error {
				n, err := layout.ReadNode(r, layout.ID(k))
				if err == nil && (len(kinds) == 0 || slices.Contains(kinds, n.NodeKind())) &&
					!slices.ContainsFunc(out, func(o domain.Node) bool { return o.NodeID() == n.NodeID() }) {
					out = append(out, n)
				}
				return err
			})
		}
		if err := lookup(norm); err != nil || len(out) > 0 {
			return err
		}
		respelled, err := respellings(r, strings.Fields(norm))
		for _, name := range respelled {
			if err == nil {
				err = lookup(name)
			}
		}
		return err
	})
	slices.SortFunc(out, func(a, b domain.Node) int { return strings.Compare(a.NodeID(), b.NodeID()) })
	return out, err
}

// maxRespellings bounds the names a name spelt another way is tried as.
const maxRespellings = 16

// respellings are the names words may be spelt another way: each word as it is or as a
// name word it may transliterate (layout.SoundalikeWords), at most maxRespellings of
// them, the name as given aside.
func respellings(r kv.Reader, words []string) ([]string, error) {
	names := []string{""}
	for _, w := range words {
		options, err := layout.SoundalikeWords(r, w)
		if err != nil {
			return nil, err
		}
		options = append([]string{w}, options...)
		var next []string
		for _, n := range names {
			for _, o := range options {
				if len(next) < maxRespellings {
					next = append(next, strings.TrimSpace(n+" "+o))
				}
			}
		}
		names = next
	}
	return names[1:], nil
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
	return g.view(ctx, func(r *layout.Snapshot) error {
		var positions []*domain.Position
		err := r.Iterate(kv.IterOptions{Prefix: layout.Nodes()}, func(_, b []byte) error {
			n, err := layout.DecodeNode(b)
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
			err := r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(subject)}, func(_, b []byte) error {
				ev, err := layout.DecodeEvidence(b)
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
		return r.Iterate(kv.IterOptions{Prefix: layout.Relations()}, func(_, b []byte) error {
			rel, err := layout.DecodeRelation(b)
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
