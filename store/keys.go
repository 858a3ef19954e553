package store

import (
	"bytes"
	"fmt"
	"time"
)

// Key prefixes; the layout is documented in doc.go.
const (
	pNode     = 'n'
	pKind     = 'k'
	pRelation = 'r'
	pOut      = 'o'
	pIn       = 'i'
	pEvidence = 'e'
	pBySource = 's'
	pToken    = 'w'
	pAlias    = 'a'
	pEventAt  = 't'
	pHolder   = 'h'
	pTopic    = 'p'
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

// successor is the smallest key greater than k, for resuming after a cursor.
func successor(k []byte) []byte { return append(bytes.Clone(k), 0) }

// timeKey encodes t as fixed-width hex so that byte order is time order; "~" (unknown)
// sorts after every time.
func timeKey(t *time.Time) string {
	if t == nil {
		return "~"
	}
	return fmt.Sprintf("%016x", uint64(t.Unix())+1<<62)
}
