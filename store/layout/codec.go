package layout

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"eventgraph/store/domain"
	"fmt"
	"math"
	"time"
)

// Node records are one kind byte, so a record decodes without knowing its kind in
// advance, then the node in the binary record encoding below (recordFormat1). Records
// written before that encoding hold JSON after the kind byte; they stay readable
// because old versions and merge records keep them.
var kindByte = map[domain.Kind]byte{domain.KindActor: 'A', domain.KindPlace: 'P', domain.KindEvent: 'E', domain.KindTopic: 'T', domain.KindPosition: 'O', domain.KindSource: 'S'}

func EncodeNode(n domain.Node) []byte {
	w := recordWriter{b: make([]byte, 0, 64)}
	w.b = append(w.b, kindByte[n.NodeKind()], recordFormat1)
	switch n := n.(type) {
	case *domain.Actor:
		w.entity(&n.EntityBase)
		w.str(string(n.Kind))
		w.str(string(n.Reliability))
	case *domain.Place:
		w.entity(&n.EntityBase)
		w.str(string(n.Kind))
		if n.Point == nil {
			w.b = append(w.b, 0)
		} else {
			w.b = append(w.b, 1)
			w.float(n.Point.Lat)
			w.float(n.Point.Lon)
		}
	case *domain.Event:
		w.entity(&n.EntityBase)
		w.str(string(n.Kind))
		w.optZonedTime(n.Start)
		w.optZonedTime(n.End)
		w.str(string(n.Precision))
		w.str(n.Cameo)
	case *domain.Topic:
		w.entity(&n.EntityBase)
	case *domain.Position:
		w.str(n.ID)
		w.str(n.Holder)
		w.str(n.Topic)
		w.str(string(n.Stance))
		w.str(n.Statement)
		w.optZonedTime(n.StatedAt)
		w.optZonedTime(n.ValidFrom)
		w.optZonedTime(n.ValidTo)
		w.str(n.Cameo)
		if n.Retracted == nil {
			w.b = append(w.b, 0)
		} else {
			w.b = append(w.b, 1)
			w.retraction(n.Retracted)
		}
	case *domain.Source:
		w.str(n.ID)
		w.str(n.Title)
		w.str(n.URL)
		w.str(n.Publisher)
		w.optZonedTime(n.PublishedAt)
		w.optZonedTime(n.RetrievedAt)
		w.str(n.Language)
		w.str(n.Text)
		w.str(n.ContentHash)
		w.str(n.CopyOf)
	}
	return w.b
}

func DecodeNode(b []byte) (domain.Node, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("node record of %d bytes", len(b))
	}
	var n domain.Node
	switch b[0] {
	case 'A':
		n = &domain.Actor{}
	case 'P':
		n = &domain.Place{}
	case 'E':
		n = &domain.Event{}
	case 'T':
		n = &domain.Topic{}
	case 'O':
		n = &domain.Position{}
	case 'S':
		n = &domain.Source{}
	default:
		return nil, fmt.Errorf("unknown node record kind %q", b[0])
	}
	if b[1] == '{' {
		if err := json.Unmarshal(b[1:], n); err != nil {
			return nil, fmt.Errorf("decode node: %w", err)
		}
		return n, nil
	}
	r := recordReader{b: b[2:]}
	if b[1] != recordFormat1 {
		return nil, fmt.Errorf("decode node: unknown record format")
	}
	switch n := n.(type) {
	case *domain.Actor:
		r.entity(&n.EntityBase)
		n.Kind = domain.ActorKind(r.str())
		n.Reliability = domain.Reliability(r.str())
	case *domain.Place:
		r.entity(&n.EntityBase)
		n.Kind = domain.PlaceKind(r.str())
		if r.byte() == 1 {
			n.Point = &domain.Point{Lat: r.float(), Lon: r.float()}
		}
	case *domain.Event:
		r.entity(&n.EntityBase)
		n.Kind = domain.EventKind(r.str())
		n.Start, n.End = r.optZonedTime(), r.optZonedTime()
		n.Precision = domain.Precision(r.str())
		n.Cameo = r.str()
	case *domain.Topic:
		r.entity(&n.EntityBase)
	case *domain.Position:
		n.ID, n.Holder, n.Topic, n.Stance, n.Statement = r.str(), r.str(), r.str(), domain.Stance(r.str()), r.str()
		n.StatedAt, n.ValidFrom, n.ValidTo = r.optZonedTime(), r.optZonedTime(), r.optZonedTime()
		n.Cameo = r.str()
		if r.byte() == 1 {
			n.Retracted = r.retraction()
		}
	case *domain.Source:
		n.ID, n.Title, n.URL, n.Publisher = r.str(), r.str(), r.str(), r.str()
		n.PublishedAt, n.RetrievedAt = r.optZonedTime(), r.optZonedTime()
		n.Language, n.Text, n.ContentHash, n.CopyOf = r.str(), r.str(), r.str(), r.str()
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d bytes after the record", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode node: %w", r.err)
	}
	return n, nil
}

func (w *recordWriter) entity(e *domain.EntityBase) {
	w.str(e.ID)
	w.str(e.Name)
	w.b = binary.AppendUvarint(w.b, uint64(len(e.Aliases)))
	for _, a := range e.Aliases {
		w.str(a)
	}
	w.str(e.Description)
}

func (r *recordReader) entity(e *domain.EntityBase) {
	e.ID, e.Name = r.str(), r.str()
	if n := r.uvarint(); n > 0 {
		if n > uint64(len(r.b)) {
			r.fail()
			return
		}
		e.Aliases = make([]string, n)
		for i := range e.Aliases {
			e.Aliases[i] = r.str()
		}
	}
	e.Description = r.str()
}

// Relation and evidence records, the bulk of a large graph and of every exploration
// read, use a compact binary encoding instead of JSON: a format byte, then each field in
// order, strings as a uvarint length and bytes, optional values behind a presence byte,
// times as Unix nanoseconds. Encoding is deterministic, so equal records are equal bytes.
const recordFormat1 byte = 1

type recordWriter struct{ b []byte }

func (w *recordWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recordWriter) time(t time.Time) { w.b = binary.AppendVarint(w.b, t.UnixNano()) }

// optTime writes a presence byte, then the time: as Unix nanoseconds (presence 1) when
// they can hold it, which is every time written before wide times existed, else as
// Unix seconds and nanoseconds apart (presence wideTime), for a relation valid from
// 1600 or until 3000.
func (w *recordWriter) optTime(t *time.Time) {
	switch {
	case t == nil:
		w.b = append(w.b, 0)
	case t.Before(minNanoTime) || t.After(maxNanoTime):
		w.b = append(w.b, wideTime)
		w.b = binary.AppendVarint(w.b, t.Unix())
		w.b = binary.AppendUvarint(w.b, uint64(t.Nanosecond()))
	default:
		w.b = append(w.b, 1)
		w.time(*t)
	}
}

// wideTime is optTime's presence byte for a time outside what Unix nanoseconds hold.
const wideTime = 2

// minNanoTime and maxNanoTime bound the times int64 Unix nanoseconds can hold.
var (
	minNanoTime = time.Unix(0, math.MinInt64).UTC()
	maxNanoTime = time.Unix(0, math.MaxInt64).UTC()
)

func (w *recordWriter) optInt(i *int) {
	if i == nil {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.b = binary.AppendVarint(w.b, int64(*i))
}

func (w *recordWriter) float(f float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f))
}

// optZonedTime keeps what a node's times held as JSON: any year, and the offset
// the time was given in (an event at 03:00 +03:00 stays so). Seconds and nanoseconds
// are apart because Unix nanoseconds only reach the years 1678 to 2262.
func (w *recordWriter) optZonedTime(t *time.Time) {
	if t == nil {
		w.b = append(w.b, 0)
		return
	}
	_, offset := t.Zone()
	w.b = append(w.b, 1)
	w.b = binary.AppendVarint(w.b, t.Unix())
	w.b = binary.AppendUvarint(w.b, uint64(t.Nanosecond()))
	w.b = binary.AppendVarint(w.b, int64(offset))
}

type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated record")
	}
	r.b = nil
}

func (r *recordReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *recordReader) str() string {
	n := r.uvarint()
	if uint64(len(r.b)) < n {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *recordReader) time() time.Time { return time.Unix(0, r.varint()).UTC() }

func (r *recordReader) optTime() *time.Time {
	var t time.Time
	switch r.byte() {
	case 0:
		return nil
	case 1:
		t = r.time()
	case wideTime:
		t = time.Unix(r.varint(), int64(r.uvarint())).UTC()
	default:
		r.fail()
		return nil
	}
	return &t
}

func (r *recordReader) float() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return f
}

func (r *recordReader) optZonedTime() *time.Time {
	if r.byte() == 0 {
		return nil
	}
	t := time.Unix(r.varint(), int64(r.uvarint())).UTC()
	if offset := r.varint(); offset != 0 {
		t = t.In(time.FixedZone("", int(offset)))
	}
	return &t
}

func (r *recordReader) optInt() *int {
	if r.byte() == 0 {
		return nil
	}
	i := int(r.varint())
	return &i
}

// Relation format 2 and evidence format 3 add a retraction to formats 1 and 2; a record
// that is not retracted keeps the shorter format, byte for byte.
const (
	relationFormat2 = 2
	evidenceFormat3 = 3
)

func (w *recordWriter) retraction(r *domain.Retraction) {
	w.str(r.Reason)
	w.time(r.At)
	w.str(r.Author)
}

func (r *recordReader) retraction() *domain.Retraction {
	return &domain.Retraction{Reason: r.str(), At: r.time(), Author: r.str()}
}

// encodeAdjacency is the value of a relation's adjacency keys (o, i, f and l): what
// its record holds beyond the key's type, ends and id, so a walk rebuilds a live
// relation from the keys it scans instead of reading each record. An empty value was
// written before adjacency carried it; readers then read the record.
func EncodeAdjacency(rel *domain.Relation) []byte {
	w := recordWriter{b: make([]byte, 0, 24)}
	w.b = append(w.b, recordFormat1)
	w.str(string(rel.Role))
	w.optTime(rel.ValidFrom)
	w.optTime(rel.ValidTo)
	return w.b
}

// decodeAdjacency fills in rel, whose type, ends and id its key gave, from an
// adjacency value.
func DecodeAdjacency(rel *domain.Relation, b []byte) error {
	r := recordReader{b: b}
	if r.byte() != recordFormat1 {
		return fmt.Errorf("decode adjacency of %s: unknown format", rel.ID)
	}
	rel.Role = domain.Role(r.str())
	rel.ValidFrom, rel.ValidTo = r.optTime(), r.optTime()
	if r.err != nil {
		return fmt.Errorf("decode adjacency of %s: %w", rel.ID, r.err)
	}
	return nil
}

func EncodeRelation(rel *domain.Relation) []byte {
	w := recordWriter{b: make([]byte, 0, 96)}
	format := byte(recordFormat1)
	if rel.Retracted != nil {
		format = relationFormat2
	}
	w.b = append(w.b, format)
	w.str(rel.ID)
	w.str(string(rel.Type))
	w.str(rel.From)
	w.str(rel.To)
	w.str(string(rel.Role))
	w.optTime(rel.ValidFrom)
	w.optTime(rel.ValidTo)
	if rel.Retracted != nil {
		w.retraction(rel.Retracted)
	}
	return w.b
}

func DecodeRelation(b []byte) (*domain.Relation, error) {
	r := recordReader{b: b}
	format := r.byte()
	if format != recordFormat1 && format != relationFormat2 {
		return nil, fmt.Errorf("decode relation: unknown record format")
	}
	rel := &domain.Relation{ID: r.str(), Type: domain.RelationType(r.str()), From: r.str(), To: r.str(), Role: domain.Role(r.str())}
	rel.ValidFrom, rel.ValidTo = r.optTime(), r.optTime()
	if format == relationFormat2 {
		rel.Retracted = r.retraction()
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode relation: %w", r.err)
	}
	return rel, nil
}

// Evidence format 2 is format 1 followed by the stance (0 supports, 1 disputes, 2
// mentions) and the credibility grade; format 1 records read as supporting and
// ungraded.
const evidenceFormat2 = 2

func EncodeEvidence(ev *domain.Evidence) []byte {
	w := recordWriter{b: make([]byte, 0, 66+len(ev.Quote)+len(ev.Prefix)+len(ev.Suffix)+len(ev.Note))}
	format := byte(evidenceFormat2)
	if ev.Retracted != nil {
		format = evidenceFormat3
	}
	w.b = append(w.b, format)
	w.str(ev.ID)
	w.str(ev.Subject)
	w.str(ev.Source)
	w.str(ev.Quote)
	w.optInt(ev.Start)
	w.optInt(ev.End)
	w.str(ev.Prefix)
	w.str(ev.Suffix)
	w.str(ev.AttributedTo)
	w.float(ev.Confidence)
	w.str(ev.Method)
	w.time(ev.RecordedAt)
	w.str(ev.Note)
	stance := byte(0)
	switch ev.Stance {
	case domain.EvidenceDisputes:
		stance = 1
	case domain.EvidenceMentions:
		stance = 2
	}
	w.b = append(w.b, stance, byte(ev.Credibility))
	if ev.Retracted != nil {
		w.retraction(ev.Retracted)
	}
	return w.b
}

func DecodeEvidence(b []byte) (*domain.Evidence, error) {
	r := recordReader{b: b}
	format := r.byte()
	if format != recordFormat1 && format != evidenceFormat2 && format != evidenceFormat3 {
		return nil, fmt.Errorf("decode evidence: unknown record format")
	}
	ev := &domain.Evidence{ID: r.str(), Subject: r.str(), Source: r.str(), Quote: r.str()}
	ev.Start, ev.End = r.optInt(), r.optInt()
	ev.Prefix, ev.Suffix, ev.AttributedTo = r.str(), r.str(), r.str()
	ev.Confidence = r.float()
	ev.Method = r.str()
	ev.RecordedAt = r.time()
	ev.Note = r.str()
	ev.Stance = domain.EvidenceSupports
	if format >= evidenceFormat2 {
		switch r.byte() {
		case 1:
			ev.Stance = domain.EvidenceDisputes
		case 2:
			ev.Stance = domain.EvidenceMentions
		}
		ev.Credibility = int(r.byte())
	}
	if format == evidenceFormat3 {
		ev.Retracted = r.retraction()
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode evidence: %w", r.err)
	}
	return ev, nil
}

// ChangeRecord is what the change record (ChangeKey) says of the newest write: who
// made it and what it wrote. Every commit rewrites it, so its versions, read with
// kv.Store.History, are the log of writes. Records written before it listed what was
// written hold the author alone.
type ChangeRecord struct {
	Author string `json:"author"`
	// Kinds are the kinds of the nodes written and of the ends of the relations written
	// (and POSITION for evidence of a position).
	Kinds []domain.Kind `json:"kinds,omitempty"`
	// NodeIDs and RelationIDs list what was written, at most MaxChangeIDs of each; the
	// counts are complete.
	NodeIDs     []string `json:"nodeIds,omitempty"`
	RelationIDs []string `json:"relationIds,omitempty"`
	Nodes       int      `json:"nodes,omitempty"`
	Relations   int      `json:"relations,omitempty"`
	Evidence    int      `json:"evidence,omitempty"`
	// Commit is a random id telling the records of two commits apart when all else is
	// the same (one author writing one node twice), so that a process following
	// another's commits knows from the newest record alone whether any landed.
	Commit string `json:"commit,omitempty"`
}

// MaxChangeIDs bounds the ids a change record lists, so a million-relation import
// does not become a million-id record.
const MaxChangeIDs = 1000

// EncodeChange is the change record c.
func EncodeChange(c ChangeRecord) []byte {
	b, _ := json.Marshal(c)
	return b
}

// DecodeChange reads a change record.
func DecodeChange(b []byte) (ChangeRecord, error) {
	var c ChangeRecord
	err := json.Unmarshal(b, &c)
	return c, err
}
