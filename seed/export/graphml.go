package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"eventgraph/store/domain"
)

// graphML writes GraphML (http://graphml.graphdrawing.org/): entities are nodes,
// relations and positions are directed edges. Attributes are declared once as keys:
// node kind, name, subtype (actor, place or event kind), aliases; edge type, role,
// stance (of a position), valid time, and the evidence counts.
type graphML struct {
	w   *bufio.Writer
	err error
}

const graphMLHeader = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="subtype" for="node" attr.name="subtype" attr.type="string"/>
  <key id="aliases" for="node" attr.name="aliases" attr.type="string"/>
  <key id="type" for="edge" attr.name="type" attr.type="string"/>
  <key id="role" for="edge" attr.name="role" attr.type="string"/>
  <key id="stance" for="edge" attr.name="stance" attr.type="string"/>
  <key id="validFrom" for="edge" attr.name="validFrom" attr.type="string"/>
  <key id="validTo" for="edge" attr.name="validTo" attr.type="string"/>
  <key id="evidence" for="edge" attr.name="evidence" attr.type="int"/>
  <key id="disputes" for="edge" attr.name="disputes" attr.type="int"/>
  <key id="confidence" for="edge" attr.name="confidence" attr.type="double"/>
  <graph id="eventgraph" edgedefault="directed">
`

func newGraphML(w io.Writer) *graphML {
	g := &graphML{w: bufio.NewWriterSize(w, 1<<16)}
	g.printf("%s", graphMLHeader)
	return g
}

func (g *graphML) printf(format string, a ...any) {
	if g.err == nil {
		_, g.err = fmt.Fprintf(g.w, format, a...)
	}
}

// escape makes s safe in XML text and attribute values.
func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (g *graphML) data(key, value string) {
	if value != "" {
		g.printf("      <data key=%q>%s</data>\n", key, escape(value))
	}
}

func (g *graphML) node(n domain.Node) error {
	e, ok := n.(domain.Entity)
	if !ok {
		return g.err // sources and positions are not graph nodes here
	}
	g.printf("    <node id=\"%s\">\n", escape(e.NodeID()))
	g.data("kind", string(e.NodeKind()))
	g.data("name", e.Base().Name)
	g.data("subtype", subtype(e))
	g.data("aliases", strings.Join(e.Base().Aliases, "; "))
	g.printf("    </node>\n")
	return g.err
}

// subtype is an entity's actor, place or event kind.
func subtype(e domain.Entity) string {
	switch e := e.(type) {
	case *domain.Actor:
		return string(e.Kind)
	case *domain.Place:
		return string(e.Kind)
	case *domain.Event:
		return string(e.Kind)
	}
	return ""
}

// counts returns how many records support and dispute, and the highest confidence of
// the supporting ones.
func counts(evs []*domain.Evidence) (support, disputes int, confidence float64) {
	for _, ev := range evs {
		if ev.Disputes() {
			disputes++
		} else {
			support++
			confidence = max(confidence, ev.Confidence)
		}
	}
	return support, disputes, confidence
}

func (g *graphML) edge(id, from, to string, evs []*domain.Evidence, attrs ...string) {
	g.printf("    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", escape(id), escape(from), escape(to))
	for i := 0; i+1 < len(attrs); i += 2 {
		g.data(attrs[i], attrs[i+1])
	}
	support, disputes, confidence := counts(evs)
	g.printf("      <data key=\"evidence\">%d</data>\n      <data key=\"disputes\">%d</data>\n      <data key=\"confidence\">%g</data>\n",
		support, disputes, confidence)
	g.printf("    </edge>\n")
}

func (g *graphML) position(p *domain.Position, evs []*domain.Evidence) error {
	g.edge(p.ID, p.Holder, p.Topic, evs, "type", "HOLDS_POSITION", "stance", string(p.Stance))
	return g.err
}

func (g *graphML) relation(r *domain.Relation, evs []*domain.Evidence) error {
	g.edge(r.ID, r.From, r.To, evs, "type", string(r.Type), "role", string(r.Role),
		"validFrom", stampOf(r.ValidFrom), "validTo", stampOf(r.ValidTo))
	return g.err
}

func (g *graphML) close() error {
	g.printf("  </graph>\n</graphml>\n")
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}
