package layout

import (
	"bytes"
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// Step is one relation seen from one of its ends, read from an adjacency key alone.
type Step struct {
	Relation string
	Type     domain.RelationType
	Other    string
	Forward  bool // travelled from the relation's From to its To
}

// AdjacencyKeys are rel's outgoing and incoming adjacency keys: in the live lists (o,
// i), or the retracted ones (f, l).
func AdjacencyKeys(rel *domain.Relation, retracted bool) (out, in []byte) {
	t := string(rel.Type)
	if retracted {
		return key(pRetractedOut, rel.From, t, rel.To, rel.ID), key(pRetractedIn, rel.To, t, rel.From, rel.ID)
	}
	return key(pOut, rel.From, t, rel.To, rel.ID), key(pIn, rel.To, t, rel.From, rel.ID)
}

// AdjacencyNode returns the node whose adjacency list k is in and the node at the
// relation's other end, when k is an adjacency key (live or retracted, either way);
// ok is false for any other key.
func AdjacencyNode(k []byte) (node, other string, ok bool) {
	if len(k) < 2 {
		return "", "", false
	}
	switch prefix(k[0]) {
	case pOut, pIn, pRetractedOut, pRetractedIn:
	default:
		return "", "", false
	}
	parts := splitKey(k)
	if len(parts) != 4 {
		return "", "", false
	}
	return parts[0], parts[2], true
}

// Outgoing is the prefix of every live relation's outgoing adjacency key: each live
// relation once.
func Outgoing() []byte { return under(pOut) }

// OutgoingType is the type of the relation an outgoing adjacency key lists.
func OutgoingType(k []byte) string { return splitKey(k)[1] }

// AdjacencyPrefixes are the adjacency prefixes of node id that f reads, in the order
// relations are listed: outgoing first, live before retracted.
func AdjacencyPrefixes(f domain.RelationFilter, id string) [][]byte {
	out, in := [][]byte{under(pOut, id)}, [][]byte{under(pIn, id)}
	if f.IncludeRetracted {
		out, in = append(out, under(pRetractedOut, id)), append(in, under(pRetractedIn, id))
	}
	switch f.Direction {
	case domain.DirectionOut:
		return out
	case domain.DirectionIn:
		return in
	}
	return append(out, in...)
}

// adjacencyParts splits the rest of an adjacency key after the node it starts from:
// type␀other␀relation.
func adjacencyParts(rest []byte) (typ domain.RelationType, other, rel string) {
	i := bytes.IndexByte(rest, sep)
	j := i + 1 + bytes.IndexByte(rest[i+1:], sep)
	typ, known := relationTypeNames[string(rest[:i])]
	if !known {
		typ = domain.RelationType(rest[:i])
	}
	return typ, string(rest[i+1 : j]), string(rest[j+1:])
}

// relationTypeNames finds the RelationType constant a key's bytes spell, so steps
// share its string instead of each allocating a copy.
var relationTypeNames = func() map[string]domain.RelationType {
	m := map[string]domain.RelationType{}
	for t := range domain.RelationTypes {
		m[string(t)] = t
	}
	return m
}()

// Follows decides on k, an adjacency key under prefix p of node id: the type filter,
// and a self-loop listed once (going out). It returns the step k stands for.
func Follows(f domain.RelationFilter, k, p []byte, id string) (Step, bool) {
	typ, other, rel := adjacencyParts(k[len(p):])
	if len(f.Types) > 0 && !slices.Contains(f.Types, typ) {
		return Step{}, false
	}
	forward := prefix(k[0]) == pOut || prefix(k[0]) == pRetractedOut
	if !forward && other == id && f.Direction != domain.DirectionIn {
		return Step{}, false
	}
	return Step{Relation: rel, Type: typ, Other: other, Forward: forward}, true
}

// EachStep calls fn for each relation of node id that f keeps, in key order (outgoing
// first), reading adjacency keys alone; fn may return kv.ErrStop to end early.
func EachStep(r kv.Reader, f domain.RelationFilter, id string, fn func(Step) error) error {
	return scanAdjacency(r, f, id, true, func(s Step, _ []byte, _ bool) error { return fn(s) })
}

// EachRelation is EachStep with the relations themselves: a live one rebuilt from its
// adjacency key and value (EncodeAdjacency), so a walk reads no record per relation;
// a retracted one, or one whose adjacency has no value, read from its record.
func EachRelation(r kv.Reader, f domain.RelationFilter, id string, fn func(Step, *domain.Relation) error) error {
	return scanAdjacency(r, f, id, false, func(s Step, v []byte, live bool) error {
		if !live || len(v) == 0 {
			rel, err := ReadRelation(r, s.Relation)
			if err != nil {
				return err
			}
			return fn(s, rel)
		}
		rel := &domain.Relation{ID: s.Relation, Type: s.Type, From: id, To: s.Other}
		if !s.Forward {
			rel.From, rel.To = s.Other, id
		}
		if err := DecodeAdjacency(rel, v); err != nil {
			return err
		}
		return fn(s, rel)
	})
}

// Steps lists the relations at node id that f keeps, in key order: outgoing first.
func Steps(r kv.Reader, f domain.RelationFilter, id string) ([]Step, error) {
	var out []Step
	err := EachStep(r, f, id, func(s Step) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// scanAdjacency reads the adjacency of node id under f's prefixes, calling fn for each
// key f keeps with its value (unless keysOnly) and whether it lists the relation as
// live.
func scanAdjacency(r kv.Reader, f domain.RelationFilter, id string, keysOnly bool, fn func(s Step, value []byte, live bool) error) error {
	for _, p := range AdjacencyPrefixes(f, id) {
		live := prefix(p[0]) == pOut || prefix(p[0]) == pIn
		err := r.Iterate(kv.IterOptions{Prefix: p, KeysOnly: keysOnly}, func(k, v []byte) error {
			if s, ok := Follows(f, k, p, id); ok {
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

// StepsBetween lists the steps f keeps from id to other: one short range per relation
// type and direction, so neither node's whole adjacency is read.
func StepsBetween(r kv.Reader, f domain.RelationFilter, id, other string) ([]Step, error) {
	types := f.Types
	if len(types) == 0 {
		for t := range domain.RelationTypes {
			types = append(types, t)
		}
	}
	var ranges, bases [][]byte
	for _, base := range AdjacencyPrefixes(f, id) {
		for _, t := range types {
			ranges = append(ranges, under(prefix(base[0]), id, string(t), other))
			bases = append(bases, base)
		}
	}
	order := make([]int, len(ranges))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return bytes.Compare(ranges[x], ranges[y]) })
	sorted := make([][]byte, len(order))
	for i, o := range order {
		sorted[i] = ranges[o]
	}
	var out []Step
	err := r.IterateRanges(sorted, func(i int, k, _ []byte) error {
		if st, ok := Follows(f, k, bases[order[i]], id); ok {
			out = append(out, st)
		}
		return nil
	})
	return out, err
}
