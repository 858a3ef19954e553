package export

import (
	"bufio"
	"encoding/json"
	"io"

	"eventgraph/store/domain"
)

// jsonLD writes one JSON-LD document: an inline @context mapping short terms to W3C
// PROV-O (provenance), RDF (relations as statements), RDFS (labels) and the W3C Web
// Annotation vocabulary (text selectors), and an @graph of every item.
//
// Entities are prov:Entity (actors prov:Agent); a source is a prov:Entity attributed
// to its publisher and, when it is a copy, prov:alternateOf its original. A relation is
// an rdf:Statement (subject, predicate, object) and a prov:Entity that
// prov:wasDerivedFrom its supporting evidence (eg:disputedBy the disputing); a
// position likewise. Evidence is a prov:Entity that prov:wasQuotedFrom its source,
// whose prov:value is the quote, located by an oa:TextPositionSelector and an
// oa:TextQuoteSelector, prov:wasAttributedTo its originator when the source credits
// one, prov:generatedAtTime when recorded.
type jsonLD struct {
	w     *bufio.Writer
	first bool
	err   error
}

// ldContext is the inline @context: nothing is fetched to read the document.
var ldContext = map[string]any{
	"prov": "http://www.w3.org/ns/prov#",
	"rdf":  "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
	"xsd":  "http://www.w3.org/2001/XMLSchema#",
	"oa":   "http://www.w3.org/ns/oa#",
	"eg":   "urn:eventgraph:",
	"egv":  "urn:eventgraph:vocab#",

	"name":            "rdfs:label",
	"aliases":         "egv:alias",
	"description":     "rdfs:comment",
	"kind":            "egv:kind",
	"url":             map[string]any{"@id": "egv:url", "@type": "@id"},
	"title":           "egv:title",
	"text":            "egv:text",
	"language":        "egv:language",
	"start":           map[string]any{"@id": "egv:start", "@type": "xsd:dateTime"},
	"end":             map[string]any{"@id": "egv:end", "@type": "xsd:dateTime"},
	"precision":       "egv:precision",
	"validFrom":       map[string]any{"@id": "egv:validFrom", "@type": "xsd:dateTime"},
	"validTo":         map[string]any{"@id": "egv:validTo", "@type": "xsd:dateTime"},
	"role":            "egv:role",
	"stance":          "egv:stance",
	"statement":       "egv:statement",
	"confidence":      map[string]any{"@id": "egv:confidence", "@type": "xsd:double"},
	"credibility":     map[string]any{"@id": "egv:credibility", "@type": "xsd:integer"},
	"reliability":     "egv:reliability",
	"method":          "egv:method",
	"note":            "rdfs:comment",
	"subject":         map[string]any{"@id": "rdf:subject", "@type": "@id"},
	"predicate":       map[string]any{"@id": "rdf:predicate", "@type": "@id"},
	"object":          map[string]any{"@id": "rdf:object", "@type": "@id"},
	"wasDerivedFrom":  map[string]any{"@id": "prov:wasDerivedFrom", "@type": "@id"},
	"disputedBy":      map[string]any{"@id": "egv:disputedBy", "@type": "@id"},
	"wasQuotedFrom":   map[string]any{"@id": "prov:wasQuotedFrom", "@type": "@id"},
	"wasAttributedTo": map[string]any{"@id": "prov:wasAttributedTo", "@type": "@id"},
	"alternateOf":     map[string]any{"@id": "prov:alternateOf", "@type": "@id"},
	"generatedAtTime": map[string]any{"@id": "prov:generatedAtTime", "@type": "xsd:dateTime"},
	"value":           "prov:value",
	"selector":        "oa:hasSelector",
	"exact":           "oa:exact",
	"prefix":          "oa:prefix",
	"suffix":          "oa:suffix",
	"startOffset":     map[string]any{"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
	"endOffset":       map[string]any{"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
}

func newJSONLD(w io.Writer) *jsonLD {
	j := &jsonLD{w: bufio.NewWriterSize(w, 1<<16), first: true}
	ctx, err := json.Marshal(ldContext)
	j.err = err
	j.raw(`{"@context":`)
	j.raw(string(ctx))
	j.raw(`,"@graph":[` + "\n")
	return j
}

func (j *jsonLD) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *jsonLD) item(v map[string]any) error {
	for k, x := range v {
		if x == "" || x == nil {
			delete(v, k)
		}
	}
	b, err := json.Marshal(v)
	if j.err == nil {
		j.err = err
	}
	if !j.first {
		j.raw(",\n")
	}
	j.first = false
	j.raw(string(b))
	return j.err
}

func iri(id string) string { return "eg:" + id }

func optionalIRI(id string) any {
	if id == "" {
		return nil
	}
	return iri(id)
}

func (j *jsonLD) node(n domain.Node) error {
	switch n := n.(type) {
	case *domain.Source:
		return j.item(map[string]any{"@id": iri(n.ID), "@type": []string{"prov:Entity", "egv:Source"}, "title": n.Title,
			"url": n.URL, "wasAttributedTo": optionalIRI(n.Publisher), "generatedAtTime": stampOf(n.PublishedAt),
			"language": n.Language, "text": n.Text, "alternateOf": optionalIRI(n.CopyOf)})
	case *domain.Position:
		return nil // written with its evidence by position
	case domain.Entity:
		b := n.Base()
		types := []string{"prov:Entity", "egv:" + string(n.NodeKind())}
		if n.NodeKind() == domain.KindActor {
			types[0] = "prov:Agent"
		}
		v := map[string]any{"@id": iri(b.ID), "@type": types, "name": b.Name, "description": b.Description,
			"kind": subtype(n)}
		if len(b.Aliases) > 0 {
			v["aliases"] = b.Aliases
		}
		switch n := n.(type) {
		case *domain.Event:
			v["start"], v["end"], v["precision"] = stampOf(n.Start), stampOf(n.End), string(n.Precision)
		case *domain.Actor:
			v["reliability"] = string(n.Reliability)
		}
		return j.item(v)
	}
	return nil
}

// claim writes the evidence of a relation or position and returns the ids of the
// supporting and the disputing records.
func (j *jsonLD) claim(evs []*domain.Evidence) (support, disputes []string, err error) {
	for _, ev := range evs {
		v := map[string]any{"@id": iri(ev.ID), "@type": []string{"prov:Entity", "egv:Evidence"}, "wasQuotedFrom": iri(ev.Source),
			"value": ev.Quote, "wasAttributedTo": optionalIRI(ev.AttributedTo), "generatedAtTime": stampOf(&ev.RecordedAt),
			"confidence": ev.Confidence, "method": ev.Method, "note": ev.Note, "stance": string(ev.Stance)}
		if ev.Credibility > 0 {
			v["credibility"] = ev.Credibility
		}
		selectors := []map[string]any{{"@type": "oa:TextQuoteSelector", "exact": ev.Quote, "prefix": ev.Prefix, "suffix": ev.Suffix}}
		if ev.Start != nil && ev.End != nil {
			selectors = append(selectors, map[string]any{"@type": "oa:TextPositionSelector", "startOffset": *ev.Start, "endOffset": *ev.End})
		}
		v["selector"] = selectors
		if err := j.item(v); err != nil {
			return nil, nil, err
		}
		if ev.Disputes() {
			disputes = append(disputes, iri(ev.ID))
		} else {
			support = append(support, iri(ev.ID))
		}
	}
	return support, disputes, nil
}

func (j *jsonLD) position(p *domain.Position, evs []*domain.Evidence) error {
	support, disputes, err := j.claim(evs)
	if err != nil {
		return err
	}
	return j.item(map[string]any{"@id": iri(p.ID), "@type": []string{"rdf:Statement", "prov:Entity", "egv:Position"},
		"subject": iri(p.Holder), "predicate": "egv:" + string(p.Stance), "object": iri(p.Topic), "stance": string(p.Stance),
		"statement": p.Statement, "generatedAtTime": stampOf(p.StatedAt), "wasDerivedFrom": support, "disputedBy": nilIfEmpty(disputes)})
}

func (j *jsonLD) relation(r *domain.Relation, evs []*domain.Evidence) error {
	support, disputes, err := j.claim(evs)
	if err != nil {
		return err
	}
	return j.item(map[string]any{"@id": iri(r.ID), "@type": []string{"rdf:Statement", "prov:Entity", "egv:Relation"},
		"subject": iri(r.From), "predicate": "egv:" + string(r.Type), "object": iri(r.To), "role": string(r.Role),
		"validFrom": stampOf(r.ValidFrom), "validTo": stampOf(r.ValidTo), "wasDerivedFrom": support, "disputedBy": nilIfEmpty(disputes)})
}

func nilIfEmpty(ids []string) any {
	if len(ids) == 0 {
		return nil
	}
	return ids
}

func (j *jsonLD) close() error {
	j.raw("\n]}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}
