package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// keyPattern is what node ids (seed keys) look like.
var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)

// Relation and evidence ids start with these; node ids, made of keyPattern's
// characters, cannot.
const (
	relationIDPrefix = "rel:"
	evidenceIDPrefix = "ev:"
)

// ValidID reports whether id is usable as a node id.
func ValidID(id string) bool { return keyPattern.MatchString(id) }

// IsRelationID reports whether id has the form of a relation's id.
func IsRelationID(id string) bool { return strings.HasPrefix(id, relationIDPrefix) }

// IsEvidenceID reports whether id has the form of an evidence record's id.
func IsEvidenceID(id string) bool { return strings.HasPrefix(id, evidenceIDPrefix) }

// DigestSize is how many bytes of SHA-256 a derived id spells in hex.
const DigestSize = 10

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:DigestSize])
}

// IDDigest returns the digest a relation or evidence id derived here (RelationID,
// EvidenceID) spells after its prefix; ok is false for any other string.
func IDDigest(id string) (d [DigestSize]byte, ok bool) {
	i := strings.IndexByte(id, ':')
	if i < 0 || len(id)-i-1 != 2*DigestSize {
		return d, false
	}
	_, err := hex.Decode(d[:], []byte(id[i+1:]))
	return d, err == nil
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

// CandidateID derives a candidate's id from the source, the pair, the sentence and, for
// a position, its stance, so ingesting the same text again proposes nothing new.
func CandidateID(source, from, to string, start int, stance Stance) string {
	if stance != "" {
		return "cand:" + digest(source, from, to, fmt.Sprint(start), string(stance))
	}
	return "cand:" + digest(source, from, to, fmt.Sprint(start))
}

// MergeID derives a merge's id from the entity merged into, the merge's time and the
// entities merged.
func MergeID(into string, at time.Time, from []string) string {
	return "merge:" + digest(append([]string{into, at.Format(time.RFC3339Nano)}, from...)...)
}

// ProposalID derives a proposal's id from what it would become and its name, so that
// articles naming it alike propose it once.
func ProposalID(node Kind, name string) string {
	return "proposal:" + digest(string(node), Normalize(name))
}

// IsProposalID reports whether id is a proposal's rather than a node's: a candidate's
// end may be a proposal until it is accepted.
func IsProposalID(id string) bool { return strings.HasPrefix(id, "proposal:") }

// KeyFromName derives an entity key from a name: its folded words of ASCII letters and
// digits joined by hyphens ("Badr Al Bousaidi" is "badr-al-bousaidi"), or, for a name
// with none, "entity-" and a digest of it.
func KeyFromName(name string) string {
	var words []string
	for _, w := range strings.Fields(Normalize(name)) {
		w = strings.Map(func(r rune) rune {
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
				return r
			}
			return -1
		}, w)
		if w != "" {
			words = append(words, w)
		}
	}
	key := strings.Join(words, "-")
	if len(key) > 100 {
		key = strings.TrimRight(key[:100], "-")
	}
	if key == "" {
		return "entity-" + digest(name)
	}
	return key
}

// Fingerprint is a 128-bit hash of a string (Fingerprinter.Of). A map keyed by
// fingerprints rather than the strings holds no pointer for the garbage collector to
// follow and keeps no string alive: an import checks ten million ids against one, and
// keyed by the ids it was marked again by every collection.
type Fingerprint [2]uint64

// Fingerprinter hashes strings under two random seeds of its own. Two of n strings
// share a fingerprint with a chance of about n²/2¹²⁹: 10⁻²⁵ for ten million.
type Fingerprinter struct{ a, b maphash.Seed }

// NewFingerprinter returns a Fingerprinter with new seeds.
func NewFingerprinter() Fingerprinter {
	return Fingerprinter{maphash.MakeSeed(), maphash.MakeSeed()}
}

// Of is the fingerprint of s.
func (f Fingerprinter) Of(s string) Fingerprint {
	return Fingerprint{maphash.String(f.a, s), maphash.String(f.b, s)}
}

// OfPair is the fingerprint of the pair a, b, for an a holding no NUL byte.
func (f Fingerprinter) OfPair(a, b string) Fingerprint {
	var h maphash.Hash
	sum := func(seed maphash.Seed) uint64 {
		h.SetSeed(seed)
		h.WriteString(a)
		h.WriteByte(0)
		h.WriteString(b)
		return h.Sum64()
	}
	return Fingerprint{sum(f.a), sum(f.b)}
}
