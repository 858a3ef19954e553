package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

type authorKey struct{}

// WithAuthor returns a context whose writes are recorded as made by author: "api",
// "seed:<file>", a token's name.
func WithAuthor(ctx context.Context, author string) context.Context {
	return context.WithValue(ctx, authorKey{}, author)
}

// WithDefaultAuthor is WithAuthor unless ctx already names an author.
func WithDefaultAuthor(ctx context.Context, author string) context.Context {
	if _, ok := ctx.Value(authorKey{}).(string); ok {
		return ctx
	}
	return WithAuthor(ctx, author)
}

// Author returns who ctx's writes are recorded as made by; "unknown" when not said.
func Author(ctx context.Context) string {
	if a, ok := ctx.Value(authorKey{}).(string); ok && a != "" {
		return a
	}
	return "unknown"
}

// changeKey holds the author of the newest write: every write sets it, so reading it
// at a version tells who wrote that version.
var changeKey = key(pMarker, "change")

type changeRecord struct {
	Author string `json:"author"`
}

func encodeChange(author string) []byte {
	b, _ := json.Marshal(changeRecord{Author: author})
	return b
}

// ChangeKind says what a version did to a record.
type ChangeKind string

// Change kinds.
const (
	ChangeCreated ChangeKind = "CREATED"
	ChangeUpdated ChangeKind = "UPDATED"
	ChangeDeleted ChangeKind = "DELETED"
)

// RecordVersion is one stored version of a node, relation or evidence record.
type RecordVersion struct {
	Version uint64
	At      time.Time
	Author  string
	Change  ChangeKind
	// Changed lists the record's fields that differ from the version before (every
	// field it has when created), by their JSON names.
	Changed []string
	// Record is the record as this version stored it, as JSON; empty when deleted.
	Record json.RawMessage
}

// History lists every version of the node, relation or evidence record id up to the
// snapshot ctx reads at, oldest first; none when id names nothing that ever was.
func (g *Graph) History(ctx context.Context, id string) ([]RecordVersion, error) {
	at := Version(ctx)
	var k []byte
	switch {
	case domain.IsRelationID(id):
		k = key(pRelation, id)
	case domain.IsEvidenceID(id):
		err := g.view(ctx, func(r kv.Reader) error {
			ev, err := getEvidence(r, id)
			if err == nil {
				k = key(pEvidence, ev.Subject, id)
			}
			return err
		})
		if errors.Is(err, domain.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	default:
		k = key(pNode, id)
	}
	var out []RecordVersion
	err := g.kv.History(k, func(version uint64, value []byte, deleted bool) error {
		if at != kv.Latest && version > at {
			return nil
		}
		v := RecordVersion{Version: version, At: kv.VersionTime(version), Change: ChangeUpdated}
		if deleted {
			v.Change = ChangeDeleted
		} else {
			rec, err := recordJSON(k[0], value)
			if err != nil {
				return err
			}
			v.Record = rec
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	for i := range out {
		var before json.RawMessage
		if i == 0 {
			out[i].Change = ChangeCreated
		} else {
			before = out[i-1].Record
		}
		out[i].Changed = changedFields(before, out[i].Record)
		if err := g.kv.View(out[i].Version, func(r kv.Reader) error {
			b, err := r.Get(changeKey)
			var c changeRecord
			if err == nil {
				err = json.Unmarshal(b, &c)
			}
			out[i].Author = c.Author
			if errors.Is(err, kv.ErrNotFound) || out[i].Author == "" {
				out[i].Author, err = "unknown", nil
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordJSON turns a stored record into JSON, whatever its encoding.
func recordJSON(prefix byte, value []byte) (json.RawMessage, error) {
	var rec any
	var err error
	switch prefix {
	case pRelation:
		rec, err = decodeRelation(value)
	case pEvidence:
		rec, err = decodeEvidence(value)
	default:
		rec, err = decodeNode(value)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(rec)
}

// changedFields lists the top-level fields that differ between two JSON records.
func changedFields(before, after json.RawMessage) []string {
	var a, b map[string]any
	json.Unmarshal(before, &a)
	json.Unmarshal(after, &b)
	var out []string
	for k, v := range b {
		if !reflect.DeepEqual(a[k], v) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func init() {
	registerDerived(derivedIndex{name: "evidence-ids", version: 1, owns: [][]byte{{pEvidenceID, sep}}, rebuild: rebuildEvidenceIDs})
}

// rebuildEvidenceIDs writes the evidence-by-id index from the evidence records.
func rebuildEvidenceIDs(r kv.Reader, w writer) error {
	return r.Iterate(kv.IterOptions{Prefix: []byte{pEvidence, sep}, KeysOnly: true}, func(k, _ []byte) error {
		parts := splitKey(k)
		return w.Set(key(pEvidenceID, parts[1], parts[0]), nil)
	})
}
