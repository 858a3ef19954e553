package seed

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/spill"
)

// Writer writes a graph in the JSON Lines seed format, so that importing the file into
// an empty store gives the same graph: the same ids, the same evidence with its
// offsets, grades, method and recording time. Sources must be written before the
// evidence quoting them (Graph.Visit's order), so a quote that occurs more than once
// in its source is written with the occurrence that points at its offsets.
//
// The sources' texts are kept to number repeated quotes: in memory up to
// writerTextBytes, past that in a temporary file, so that a graph of any size is
// written in bounded memory.
type Writer struct {
	w          *bufio.Writer
	texts      map[string]string // source id → text, while they fit textBudget
	held       int               // bytes of texts
	textBudget int
	spilled    map[string]spill.Ref // source id → where its text went, past that
	overflow   spill.Texts
	err        error
}

// writerTextBytes is how many bytes of sources' texts a Writer holds in memory.
const writerTextBytes = 256 << 20

// NewWriter returns a Writer on w; call Close when done.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 1<<16), texts: map[string]string{}, spilled: map[string]spill.Ref{}, textBudget: writerTextBytes}
}

// keepText keeps a source's text for the evidence that quotes it.
func (w *Writer) keepText(id, text string) error {
	if w.held+len(text) <= w.textBudget {
		w.texts[id] = text
		w.held += len(text)
		return nil
	}
	ref, err := w.overflow.Put(text)
	w.spilled[id] = ref
	return err
}

// text returns the text of a source written before; ok is false for one not written.
func (w *Writer) text(id string) (text string, ok bool, err error) {
	if text, ok := w.texts[id]; ok {
		return text, true, nil
	}
	ref, ok := w.spilled[id]
	if !ok {
		return "", false, nil
	}
	text, err = w.overflow.Get(ref)
	return text, true, err
}

// The records below mirror the seed format's fields (FORMAT.md), empty ones left out.

type sourceOut struct {
	Record      string `json:"record"`
	Key         string `json:"key"`
	Title       string `json:"title"`
	URL         string `json:"url,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	PublishedAt string `json:"publishedAt,omitempty"`
	RetrievedAt string `json:"retrievedAt,omitempty"`
	Language    string `json:"language,omitempty"`
	Text        string `json:"text,omitempty"`
	CopyOf      string `json:"copyOf,omitempty"`
}

type entityOut struct {
	Record      string           `json:"record"`
	Key         string           `json:"key"`
	Name        string           `json:"name"`
	Aliases     []string         `json:"aliases,omitempty"`
	Description string           `json:"description,omitempty"`
	Kind        string           `json:"kind,omitempty"`
	Reliability string           `json:"reliability,omitempty"`
	Point       *domain.Point    `json:"point,omitempty"`
	Start       string           `json:"start,omitempty"`
	End         string           `json:"end,omitempty"`
	Precision   domain.Precision `json:"precision,omitempty"`
	Cameo       string           `json:"cameo,omitempty"`
}

type positionOut struct {
	Record    string        `json:"record"`
	Key       string        `json:"key"`
	Holder    string        `json:"holder"`
	Topic     string        `json:"topic"`
	Stance    domain.Stance `json:"stance"`
	Statement string        `json:"statement,omitempty"`
	StatedAt  string        `json:"statedAt,omitempty"`
	ValidFrom string        `json:"validFrom,omitempty"`
	ValidTo   string        `json:"validTo,omitempty"`
	Cameo     string        `json:"cameo,omitempty"`
	Evidence  []evidenceOut `json:"evidence"`
}

type relationOut struct {
	Record    string        `json:"record"`
	Type      string        `json:"type"`
	From      string        `json:"from"`
	To        string        `json:"to"`
	Role      string        `json:"role,omitempty"`
	ValidFrom string        `json:"validFrom,omitempty"`
	ValidTo   string        `json:"validTo,omitempty"`
	Evidence  []evidenceOut `json:"evidence"`
}

type evidenceOut struct {
	Source       string  `json:"source"`
	Quote        string  `json:"quote"`
	Occurrence   int     `json:"occurrence,omitempty"`
	AttributedTo string  `json:"attributedTo,omitempty"`
	Confidence   float64 `json:"confidence"`
	Note         string  `json:"note,omitempty"`
	Stance       string  `json:"stance,omitempty"`
	Credibility  int     `json:"credibility,omitempty"`
	Method       string  `json:"method"`
	RecordedAt   string  `json:"recordedAt"`
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (w *Writer) line(v any) error {
	if w.err != nil {
		return w.err
	}
	b, err := json.Marshal(v)
	if err == nil {
		b = append(b, '\n')
		_, err = w.w.Write(b)
	}
	w.err = err
	return err
}

// Node writes an entity or a source. Positions are written with their evidence by
// Position; Node skips them.
func (w *Writer) Node(n domain.Node) error {
	switch n := n.(type) {
	case *domain.Source:
		if err := w.keepText(n.ID, n.Text); err != nil {
			return err
		}
		return w.line(sourceOut{Record: "source", Key: n.ID, Title: n.Title, URL: n.URL, Publisher: n.Publisher,
			PublishedAt: stamp(n.PublishedAt), RetrievedAt: stamp(n.RetrievedAt), Language: n.Language, Text: n.Text, CopyOf: n.CopyOf})
	case domain.Entity:
		b := n.Base()
		out := entityOut{Record: string(kindRecord[n.NodeKind()]), Key: b.ID, Name: b.Name, Aliases: b.Aliases, Description: b.Description}
		switch n := n.(type) {
		case *domain.Actor:
			out.Kind, out.Reliability = string(n.Kind), string(n.Reliability)
		case *domain.Place:
			out.Kind, out.Point = string(n.Kind), n.Point
		case *domain.Event:
			out.Kind, out.Start, out.End, out.Precision, out.Cameo = string(n.Kind), stamp(n.Start), stamp(n.End), n.Precision, n.Cameo
		}
		return w.line(out)
	}
	return nil
}

var kindRecord = map[domain.Kind]string{domain.KindActor: "actor", domain.KindPlace: "place", domain.KindEvent: "event", domain.KindTopic: "topic"}

// Position writes a position with its evidence.
func (w *Writer) Position(p *domain.Position, evs []*domain.Evidence) error {
	out, err := w.evidence(evs)
	if err != nil {
		return err
	}
	return w.line(positionOut{Record: "position", Key: p.ID, Holder: p.Holder, Topic: p.Topic, Stance: p.Stance,
		Statement: p.Statement, StatedAt: stamp(p.StatedAt), ValidFrom: stamp(p.ValidFrom), ValidTo: stamp(p.ValidTo),
		Cameo: p.Cameo, Evidence: out})
}

// Relation writes a relation with its evidence.
func (w *Writer) Relation(r *domain.Relation, evs []*domain.Evidence) error {
	out, err := w.evidence(evs)
	if err != nil {
		return err
	}
	return w.line(relationOut{Record: "relation", Type: string(r.Type), From: r.From, To: r.To, Role: string(r.Role),
		ValidFrom: stamp(r.ValidFrom), ValidTo: stamp(r.ValidTo), Evidence: out})
}

func (w *Writer) evidence(evs []*domain.Evidence) ([]evidenceOut, error) {
	out := make([]evidenceOut, len(evs))
	for i, ev := range evs {
		o := evidenceOut{Source: ev.Source, Quote: ev.Quote, AttributedTo: ev.AttributedTo, Confidence: ev.Confidence,
			Note: ev.Note, Credibility: ev.Credibility, Method: ev.Method, RecordedAt: stamp(&ev.RecordedAt)}
		if ev.Disputes() {
			o.Stance = string(ev.Stance)
		}
		if ev.Start != nil {
			text, ok, err := w.text(ev.Source)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("seed: evidence %s quotes source %s, which was not written before it", ev.ID, ev.Source)
			}
			if domain.CountQuote(text, ev.Quote) > 1 {
				o.Occurrence = occurrenceAt(text, ev.Quote, *ev.Start)
			}
		}
		out[i] = o
	}
	return out, nil
}

// occurrenceAt numbers the occurrence of quote that starts at code point start, as
// Evidence.Occurrence counts them (overlapping ones included).
func occurrenceAt(text, quote string, start int) int {
	n, cp := 0, 0
	for i := range text {
		if cp == start {
			return n + 1
		}
		if len(text)-i >= len(quote) && text[i:i+len(quote)] == quote {
			n++
		}
		cp++
	}
	return n + 1
}

// Close writes what is buffered, removes the Writer's temporary file, and returns the
// first error met.
func (w *Writer) Close() error {
	err := w.overflow.Close()
	if w.err != nil {
		return errors.Join(w.err, err)
	}
	return errors.Join(w.w.Flush(), err)
}
