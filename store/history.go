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
	"eventgraph/store/layout"
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
	decode := func(b []byte) (any, error) { return layout.DecodeNode(b) }
	switch {
	case domain.IsRelationID(id):
		k = layout.RelationKey(id)
		decode = func(b []byte) (any, error) { return layout.DecodeRelation(b) }
	case domain.IsEvidenceID(id):
		decode = func(b []byte) (any, error) { return layout.DecodeEvidence(b) }
		err := g.view(ctx, func(r *layout.Snapshot) error {
			ev, err := layout.ReadEvidence(r, id)
			if err == nil {
				k = layout.EvidenceKey(ev.Subject, id)
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
		k = layout.NodeKey(id)
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
			rec, err := decode(value)
			if err == nil {
				v.Record, err = json.Marshal(rec)
			}
			if err != nil {
				return err
			}
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
		rec, err := g.changeAt(out[i].Version)
		if err != nil {
			return nil, err
		}
		out[i].Author = rec.Author
	}
	return out, nil
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
