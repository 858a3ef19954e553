package store

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
)

// keyPattern is what node ids (seed keys) look like.
var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)

// Relation and evidence ids start with these; node ids, made of keyPattern's
// characters, cannot.
const (
	relationIDPrefix = "rel:"
	evidenceIDPrefix = "ev:"
)

// validKey reports whether id is usable as a node id.
func validKey(id string) bool { return keyPattern.MatchString(id) }

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// RelationID derives a relation's id from what it says, so the same claim from two
// sources is one relation with two evidence records.
func RelationID(t RelationType, from, to string, role Role) string {
	return relationIDPrefix + digest(string(t), from, to, string(role))
}

// EvidenceID derives an evidence record's id from its subject and where it points, so
// re-importing a file yields the same records.
func EvidenceID(subject, source string, start, end *int, quote string) string {
	span := quote
	if start != nil && end != nil {
		span = strconv.Itoa(*start) + ":" + strconv.Itoa(*end)
	}
	return evidenceIDPrefix + digest(subject, source, span)
}

// SourceKey derives a source id from its URL, for sources added without a key.
func SourceKey(url string) string { return "src-" + digest(url) }
