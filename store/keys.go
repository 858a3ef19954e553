package store

import (
	"bytes"
	"eventgraph/store/domain"
	"fmt"
)

// Key prefixes; the layout is documented in doc.go.
const (
	pNode       = 'n'
	pKind       = 'k'
	pRelation   = 'r'
	pOut        = 'o'
	pIn         = 'i'
	pEvidence   = 'e'
	pBySource   = 's'
	pToken      = 'w'
	pAlias      = 'a'
	pEventAt    = 't'
	pHolder     = 'h'
	pTopic      = 'p'
	pDisputed   = 'q'
	pEvidenceID = 'y'

	// Derived indexes (derived.go, counters.go, fulltext.go).
	pMarker    = 'm'
	pDelta     = 'c'
	pBase      = 'b'
	pDegree    = 'd'
	pValidFrom = 'v'
	pValidTo   = 'u'
)

const sep = 0

// key joins a prefix byte and parts with NUL separators. Ids never contain NUL.
func key(prefix byte, parts ...string) []byte {
	n := 1
	for _, p := range parts {
		n += len(p) + 1
	}
	k := make([]byte, 0, n)
	k = append(k, prefix)
	for _, p := range parts {
		k = append(k, sep)
		k = append(k, p...)
	}
	return k
}

// prefixKey is key(...) followed by a separator, for scanning everything under parts.
func prefixKey(prefix byte, parts ...string) []byte { return append(key(prefix, parts...), sep) }

// splitKey returns the parts of a key made by key.
func splitKey(k []byte) []string {
	fields := bytes.Split(k[2:], []byte{sep})
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = string(f)
	}
	return out
}

// lastPart is the final part of a key: the id in every index key.
func lastPart(k []byte) string {
	return string(k[bytes.LastIndexByte(k, sep)+1:])
}

// eventTimeKey orders events on a timeline: by the start of the span their start time
// stands for, coarser spans first at the same start (the year 2025, then June 2025,
// then 13 June 2025), then by the exact start. Fixed-width hex keeps byte order equal to
// time order; "~" (no start) sorts after every time.
func eventTimeKey(e *domain.Event) string {
	if e.Start == nil {
		return "~"
	}
	from, _ := e.Precision.Span(*e.Start)
	return fmt.Sprintf("%016x%d%016x", uint64(from.Unix())+1<<62, precisionRank[e.Precision], uint64(e.Start.Unix())+1<<62)
}

var precisionRank = map[domain.Precision]int{domain.PrecisionYear: 0, domain.PrecisionMonth: 1, domain.PrecisionDay: 2}
