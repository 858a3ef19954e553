// Package export writes an eventgraph graph, or the subgraph around a node, in the
// formats other tools read:
//
//   - seed: the JSON Lines seed format; importing it into an empty store gives the same
//     graph (ids, evidence, offsets, grades, method and recording times).
//   - jsonld: JSON-LD using W3C PROV-O for provenance: claims are derived from
//     evidence, evidence quotes its source (with W3C Web Annotation selectors) and is
//     attributed to originators; the context is inline, nothing is fetched.
//   - graphml: GraphML for Gephi and yEd: entities as nodes, relations and positions
//     as edges with their evidence counts.
//   - csv: a zip archive of nodes.csv, relations.csv and evidence.csv, a row per item.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/explore"
)

// Format names an export format.
type Format string

// Export formats.
const (
	Seed    Format = "seed"
	JSONLD  Format = "jsonld"
	GraphML Format = "graphml"
	CSV     Format = "csv"
)

// Formats lists every format.
var Formats = []Format{Seed, JSONLD, GraphML, CSV}

// ContentType is the media type of a format's output, and Extension its file name's.
func (f Format) ContentType() string {
	return map[Format]string{Seed: "application/x-ndjson", JSONLD: "application/ld+json",
		GraphML: "application/graphml+xml", CSV: "application/zip"}[f]
}

// Extension is the usual file name extension of a format's output.
func (f Format) Extension() string {
	return map[Format]string{Seed: ".jsonl", JSONLD: ".jsonld", GraphML: ".graphml", CSV: ".zip"}[f]
}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	if f := Format(s); slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown export format %q: want seed, jsonld, graphml or csv", s)
}

// sink receives a graph in Graph.Visit's order: nodes, then positions, then relations,
// each with its evidence.
type sink interface {
	node(domain.Node) error
	position(*domain.Position, []*domain.Evidence) error
	relation(*domain.Relation, []*domain.Evidence) error
	close() error
}

// Graph is what an export reads.
type Graph interface {
	Visit(ctx context.Context, v store.Visitor) error
	Nodes(ctx context.Context, ids []string) ([]domain.Node, error)
	Evidence(ctx context.Context, subjects []string) ([][]*domain.Evidence, error)
}

// Write writes the graph as of ctx's snapshot in format f. When sub is set, only its
// entities and relations are written, with their evidence, and with the sources and
// actors that evidence and those sources refer to, so the result stands on its own.
func Write(ctx context.Context, g Graph, w io.Writer, f Format, sub *explore.Subgraph) error {
	var s sink
	switch f {
	case Seed:
		s = seedSink{seed.NewWriter(w)}
	case JSONLD:
		s = newJSONLD(w)
	case GraphML:
		s = newGraphML(w)
	case CSV:
		s = newCSV(w)
	default:
		return fmt.Errorf("unknown export format %q", f)
	}
	var err error
	if sub == nil {
		err = g.Visit(ctx, store.Visitor{Node: s.node, Position: s.position, Relation: s.relation})
	} else {
		err = writeSubgraph(ctx, g, s, sub)
	}
	// Closed on an error too: a sink may hold a temporary file.
	return errors.Join(err, s.close())
}

// writeSubgraph sends sub to s with its evidence and everything that evidence refers
// to: the sources it quotes (and the sources they copy, and their publishers) and the
// actors it is attributed to.
func writeSubgraph(ctx context.Context, g Graph, s sink, sub *explore.Subgraph) error {
	ids := make([]string, len(sub.Relations))
	for i, r := range sub.Relations {
		ids[i] = r.ID
	}
	evidence, err := g.Evidence(ctx, ids)
	if err != nil {
		return err
	}
	nodes := map[string]domain.Node{}
	for _, n := range sub.Nodes {
		nodes[n.NodeID()] = n
	}
	var want []string
	need := func(id string) {
		if _, ok := nodes[id]; id != "" && !ok && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	for _, evs := range evidence {
		for _, ev := range evs {
			need(ev.Source)
			need(ev.AttributedTo)
		}
	}
	for len(want) > 0 {
		found, err := g.Nodes(ctx, want)
		if err != nil {
			return err
		}
		want = nil
		for _, n := range found {
			if n == nil {
				continue
			}
			nodes[n.NodeID()] = n
			if src, ok := n.(*domain.Source); ok {
				need(src.Publisher)
				need(src.CopyOf)
			}
		}
	}
	order := make([]string, 0, len(nodes))
	for id := range nodes {
		order = append(order, id)
	}
	slices.Sort(order)
	for _, id := range order {
		if err := s.node(nodes[id]); err != nil {
			return err
		}
	}
	for i, r := range sub.Relations {
		if err := s.relation(r, evidence[i]); err != nil {
			return err
		}
	}
	return nil
}

type seedSink struct{ w *seed.Writer }

func (s seedSink) node(n domain.Node) error { return s.w.Node(n) }
func (s seedSink) position(p *domain.Position, evs []*domain.Evidence) error {
	return s.w.Position(p, evs)
}
func (s seedSink) relation(r *domain.Relation, evs []*domain.Evidence) error {
	return s.w.Relation(r, evs)
}
func (s seedSink) close() error { return s.w.Close() }
