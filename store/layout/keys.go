package layout

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// prefix is the first byte of a key: which space of the layout it is in. Every prefix
// is declared here, and no other package spells one (the architecture test checks).
type prefix byte

// Key prefixes; the layout is in doc.go.
const (
	pNode         prefix = 'n'
	pKind         prefix = 'k'
	pRelation     prefix = 'r'
	pOut          prefix = 'o'
	pIn           prefix = 'i'
	pRetractedOut prefix = 'f'
	pRetractedIn  prefix = 'l'
	pEvidence     prefix = 'e'
	pBySource     prefix = 's'
	pToken        prefix = 'w'
	pAlias        prefix = 'a'
	pEventAt      prefix = 't'
	pHolder       prefix = 'h'
	pTopic        prefix = 'p'
	pDisputed     prefix = 'q'
	pMerge        prefix = 'M'
	pRedirect     prefix = 'R'
	pCandidate    prefix = 'z'
	pQueue        prefix = 'j'
	pProposal     prefix = 'P'
	pProposals    prefix = 'J'
	pProposalOf   prefix = 'Z'
	pMarker       prefix = 'm'

	// Derived indexes.
	pEvidenceID prefix = 'y'
	pText       prefix = 'x'
	pVocab      prefix = 'g'
	pStem       prefix = 'X'
	pDelta      prefix = 'c'
	pBase       prefix = 'b'
	pDegree     prefix = 'd'
	pValidFrom  prefix = 'v'
	pValidTo    prefix = 'u'
	pSoundalike prefix = 'K'
)

const sep = 0

// key joins a prefix byte and parts with NUL separators. Ids never contain NUL.
func key(p prefix, parts ...string) []byte {
	n := 1
	for _, part := range parts {
		n += len(part) + 1
	}
	k := make([]byte, 0, n)
	k = append(k, byte(p))
	for _, part := range parts {
		k = append(k, sep)
		k = append(k, part...)
	}
	return k
}

// under is key(...) followed by a separator, for scanning everything under parts.
func under(p prefix, parts ...string) []byte { return append(key(p, parts...), sep) }

// splitKey returns the parts of a key made by key.
func splitKey(k []byte) []string {
	fields := bytes.Split(k[2:], []byte{sep})
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = string(f)
	}
	return out
}

// ID is the final part of a key: the id in every index key.
func ID(k []byte) string { return string(IDBytes(k)) }

// IDBytes is ID as k's own bytes.
func IDBytes(k []byte) []byte { return k[bytes.LastIndexByte(k, sep)+1:] }

// After is the rest of k, a key under prefix, after it.
func After(prefix, k []byte) string { return string(k[len(prefix):]) }

// Records.

// NodeKey is the key of a node's record.
func NodeKey(id string) []byte { return key(pNode, id) }

// Nodes is the prefix of every node record.
func Nodes() []byte { return under(pNode) }

// RelationKey is the key of a relation's record.
func RelationKey(id string) []byte { return key(pRelation, id) }

// Relations is the prefix of every relation record.
func Relations() []byte { return under(pRelation) }

// EvidenceKey is the key of an evidence record, under its subject.
func EvidenceKey(subject, id string) []byte { return key(pEvidence, subject, id) }

// EvidenceOf is the prefix of the evidence records of a relation or position (or the
// MENTIONS evidence of an entity).
func EvidenceOf(subject string) []byte { return under(pEvidence, subject) }

// AllEvidence is the prefix of every evidence record.
func AllEvidence() []byte { return under(pEvidence) }

// EvidenceParts splits an evidence record's key into its subject and evidence id.
func EvidenceParts(k []byte) (subject, id string) {
	parts := splitKey(k)
	return parts[0], parts[1]
}

// Indexes of the records, written with them.

// KindPrefix is the prefix of the ids of the nodes of kind, in id order.
func KindPrefix(kind domain.Kind) []byte { return under(pKind, string(kind)) }

// KindKey is the key listing node id among those of kind.
func KindKey(kind domain.Kind, id string) []byte { return key(pKind, string(kind), id) }

// NodeIndexKeys lists the index keys that point at n: by kind, by name word and whole
// name (normalized), by timeline place, by holder and topic.
func NodeIndexKeys(n domain.Node) [][]byte {
	id := n.NodeID()
	keys := [][]byte{KindKey(n.NodeKind(), id)}
	switch n := n.(type) {
	case *domain.Position:
		keys = append(keys, key(pHolder, n.Holder, id), key(pTopic, n.Topic, id))
	case *domain.Event:
		keys = append(keys, EventAtKey(n))
	}
	seen := map[string]bool{}
	for _, name := range domain.Names(n) {
		if a := domain.Normalize(name); a != "" && !seen["a"+a] {
			seen["a"+a] = true
			keys = append(keys, key(pAlias, a, id))
		}
		for _, t := range domain.Tokens(name) {
			if !seen["w"+t] {
				seen["w"+t] = true
				keys = append(keys, key(pToken, t, id))
			}
		}
	}
	return keys
}

// BySourceKey is the key listing evidence under the source it cites.
func BySourceKey(source, subject, id string) []byte { return key(pBySource, source, subject, id) }

// BySource is the prefix of the evidence citing source, by subject.
func BySource(source string) []byte { return under(pBySource, source) }

// BySourceEvidence is the key of the evidence record a by-source key lists.
func BySourceEvidence(k []byte) []byte {
	parts := splitKey(k)
	return EvidenceKey(parts[1], parts[2])
}

// Words is the prefix of the name-index keys of every word.
func Words() []byte { return under(pToken) }

// Word is the prefix of the nodes a name word (normalized) belongs to.
func Word(word string) []byte { return under(pToken, word) }

// WordsFrom is the prefix of the words that begin with s, and of s itself first.
func WordsFrom(s string) []byte { return key(pToken, s) }

// WordParts splits a name-index key into its word and node id.
func WordParts(k []byte) (word, id string) {
	parts := splitKey(k)
	return parts[0], parts[1]
}

// Name is the prefix of the nodes a whole name or alias, normalized, belongs to.
func Name(name string) []byte { return under(pAlias, name) }

// NamesFrom is the prefix of the names that begin with the words of s and go on.
func NamesFrom(s string) []byte { return key(pAlias, s+" ") }

// NamesStarting is the prefix of the names (normalized) that begin with s, s itself
// first.
func NamesStarting(s string) []byte { return key(pAlias, s) }

// NameOf is the normalized name a name-index key lists.
func NameOf(k []byte) string { return splitKey(k)[0] }

// EventAtKey places an event on the timeline: by the span its start stands for,
// coarser spans first at the same start (the year 2025, then June 2025, then 13 June
// 2025), then by the exact start. Fixed-width hex keeps byte order equal to time order;
// "~" (no start) sorts after every time.
func EventAtKey(e *domain.Event) []byte {
	at := "~"
	if e.Start != nil {
		from, _ := e.Precision.Span(*e.Start)
		at = fmt.Sprintf("%016x%d%016x", uint64(from.Unix())+1<<62, precisionRank[e.Precision], uint64(e.Start.Unix())+1<<62)
	}
	return key(pEventAt, at, e.ID)
}

var precisionRank = map[domain.Precision]int{domain.PrecisionYear: 0, domain.PrecisionMonth: 1, domain.PrecisionDay: 2}

// Timeline is the prefix of every event, in timeline order.
func Timeline() []byte { return under(pEventAt) }

// HeldBy is the prefix of the positions an actor holds.
func HeldBy(holder string) []byte { return under(pHolder, holder) }

// OnTopic is the prefix of the positions on a topic.
func OnTopic(topic string) []byte { return under(pTopic, topic) }

// Topics is the prefix of the positions on every topic, by topic.
func Topics() []byte { return under(pTopic) }

// TopicOf is the topic a positions-by-topic key lists.
func TopicOf(k []byte) string { return splitKey(k)[0] }

// DisputedKey lists a relation or position some evidence disputes.
func DisputedKey(subject string) []byte { return key(pDisputed, subject) }

// Disputed is the prefix of the relations and positions some evidence disputes.
func Disputed() []byte { return under(pDisputed) }

// ClaimKey is a relation's or position's place in a list of claims by id: a key of the
// disputed family's form whether the claim is disputed or not, so that every list of
// claims pages alike (under Disputed). It names a place in a list, for a cursor; it
// need not be stored.
func ClaimKey(id string) []byte { return DisputedKey(id) }

// Merges.

// MergeKey is the key of a merge record (JSON).
func MergeKey(id string) []byte { return key(pMerge, id) }

// Merges is the prefix of every merge record.
func Merges() []byte { return under(pMerge) }

// RedirectKey is the key of the redirect a merge leaves from a merged entity's id.
func RedirectKey(id string) []byte { return key(pRedirect, id) }

// EncodeRedirect is the value of a redirect: the merge, and the entity it made id part
// of.
func EncodeRedirect(merge, into string) []byte { return []byte(merge + "\x00" + into) }

// RedirectTarget is the entity a redirect's value names.
func RedirectTarget(v []byte) string {
	_, into, _ := strings.Cut(string(v), "\x00")
	return into
}

// Candidates.

// CandidateKey is the key of a candidate record (JSON).
func CandidateKey(id string) []byte { return key(pCandidate, id) }

// QueueKey lists a candidate under its review status.
func QueueKey(status domain.CandidateStatus, id string) []byte {
	return key(pQueue, string(status), id)
}

// Queue is the prefix of the candidates with status, by id.
func Queue(status domain.CandidateStatus) []byte { return under(pQueue, string(status)) }

// Proposals.

// ProposalKey is the key of a proposal record (JSON).
func ProposalKey(id string) []byte { return key(pProposal, id) }

// ProposalQueueKey lists a proposal under its review status.
func ProposalQueueKey(status domain.ProposalStatus, id string) []byte {
	return key(pProposals, string(status), id)
}

// ProposalQueue is the prefix of the proposals with status, by id.
func ProposalQueue(status domain.ProposalStatus) []byte { return under(pProposals, string(status)) }

// ProposalCandidateKey lists a candidate under a proposal it names as an end.
func ProposalCandidateKey(proposal, candidate string) []byte {
	return key(pProposalOf, proposal, candidate)
}

// ProposalCandidates is the prefix of the candidates naming a proposal, by id.
func ProposalCandidates(proposal string) []byte { return under(pProposalOf, proposal) }

// Markers.

// MarkerKey holds the version of the derived index name that a store holds.
func MarkerKey(name string) []byte { return key(pMarker, name) }

// ChangeKey holds the author of the newest write: every write sets it, so reading it
// at a version tells who wrote that version.
func ChangeKey() []byte { return key(pMarker, "change") }

// Journaled lists the keys every commit writes and whose versions are read from the
// newest back (the change feed reads the change record's): a backend whose History
// reads all of a key's versions at once keeps a journal of these (tikvkv.Journal).
func Journaled() [][]byte { return [][]byte{ChangeKey()} }

// The evidence-ids index.

// EvidenceIDKey lists an evidence record by its id alone.
func EvidenceIDKey(id, subject string) []byte { return key(pEvidenceID, id, subject) }

// EvidenceID is the prefix under which evidence id is listed with its subject.
func EvidenceID(id string) []byte { return under(pEvidenceID, id) }

// EvidenceIDs is the prefix of the whole evidence-ids index.
func EvidenceIDs() []byte { return under(pEvidenceID) }

// The soundalike index.

// SoundalikeKey lists a word of entity id's names under the word's skeleton
// (domain.Skeleton).
func SoundalikeKey(skeleton, word, id string) []byte { return key(pSoundalike, skeleton, word, id) }

// SoundalikesOf is the prefix of the name words whose skeleton is skeleton.
func SoundalikesOf(skeleton string) []byte { return under(pSoundalike, skeleton) }

// Soundalikes is the prefix of the whole soundalike index.
func Soundalikes() []byte { return under(pSoundalike) }

// SoundalikeWord is the name word a soundalike key lists.
func SoundalikeWord(k []byte) string { return splitKey(k)[1] }

// The full-text index.

// PostingKey is the key of a word's posting for a document: a node id, or for a quote
// of evidence, QuoteDoc.
func PostingKey(word, doc string) []byte { return append(Postings(word), doc...) }

// QuoteDoc is the document the full-text index files an evidence record's quote as.
func QuoteDoc(source, subject, id string) string {
	return source + "\x00" + subject + "\x00" + id
}

// ParseDoc splits a document into the node it is on and, for a quote, the evidence
// record: its key, nil for a node's own text.
func ParseDoc(doc []byte) (node string, evidence []byte) {
	id, quote, isQuote := bytes.Cut(doc, []byte{sep})
	if !isQuote {
		return string(id), nil
	}
	subject, ev, _ := bytes.Cut(quote, []byte{sep})
	return string(id), EvidenceKey(string(subject), string(ev))
}

// Postings is the prefix of a word's postings, in document order.
func Postings(word string) []byte { return under(pText, word) }

// PostingsFrom is the prefix of the postings of the words that begin with s, s's own
// first.
func PostingsFrom(s string) []byte { return key(pText, s) }

// PostingParts splits a posting key into its word and document.
func PostingParts(k []byte) (word, doc []byte) {
	word, doc, _ = bytes.Cut(k[2:], []byte{sep})
	return word, doc
}

// AllPostings is the prefix of every posting.
func AllPostings() []byte { return under(pText) }

// VocabularyKey lists a word of the name or full-text index, for typo matching.
func VocabularyKey(word string) []byte { return key(pVocab, word) }

// VocabularyFrom is the prefix of the vocabulary's words that begin with s.
func VocabularyFrom(s string) []byte { return key(pVocab, s) }

// VocabularyWord is the word a vocabulary key lists.
func VocabularyWord(k []byte) string { return string(k[2:]) }

// Vocabulary is the prefix of the whole vocabulary.
func Vocabulary() []byte { return under(pVocab) }

// StemKey lists a word of the full-text index under its stem, for matching the other
// forms of a searched word.
func StemKey(stem, word string) []byte { return key(pStem, stem, word) }

// StemWords is the prefix of the full-text index's words that have stem.
func StemWords(stem string) []byte { return under(pStem, stem) }

// StemWord is the word a stem key lists.
func StemWord(k []byte) string {
	_, word, _ := bytes.Cut(k[2:], []byte{sep})
	return string(word)
}

// AllStems is the prefix of every stem key.
func AllStems() []byte { return under(pStem) }

// The counters index.

// seqPart orders sequence numbers as bytes.
func seqPart(seq uint64) string { return fmt.Sprintf("%016x", seq) }

// DeltaKey is the key of a pending change d of a counter's group, written by a write
// of sequence number seq; unique makes it a key of its own.
func DeltaKey(counter string, seq uint64, group, unique string) []byte {
	return key(pDelta, counter, seqPart(seq), group, unique)
}

// Deltas selects the pending deltas of counter with sequence numbers in [from, limit),
// in sequence order; limit 0 is no limit.
func Deltas(counter string, from, limit uint64) kv.IterOptions {
	o := kv.IterOptions{Prefix: under(pDelta, counter), Start: key(pDelta, counter, seqPart(from))}
	if limit > 0 {
		o.End = key(pDelta, counter, seqPart(limit))
	}
	return o
}

// ParseDelta splits a delta key of counter into its sequence number and group.
func ParseDelta(counter string, k []byte) (seq uint64, group string, err error) {
	rest := k[len(under(pDelta, counter)):]
	if len(rest) < 17 {
		return 0, "", fmt.Errorf("counter delta key %q: too short", k)
	}
	if seq, err = strconv.ParseUint(string(rest[:16]), 16, 64); err != nil {
		return 0, "", fmt.Errorf("counter delta key %q: %w", k, err)
	}
	rest = rest[17:]
	return seq, string(rest[:bytes.LastIndexByte(rest, sep)]), nil
}

// AllDeltas is the prefix of every pending delta.
func AllDeltas() []byte { return under(pDelta) }

// LowKey is the key of a counter's low mark: its deltas below it are folded.
func LowKey(counter string) []byte { return key(pMarker, "counters", "low", counter) }

// LowMarks is the prefix of every counter's low mark.
func LowMarks() []byte { return under(pMarker, "counters") }

// EncodeLow is the value of a low mark at sequence number seq.
func EncodeLow(seq uint64) []byte { return []byte(seqPart(seq)) }

// DecodeLow reads a low mark's value.
func DecodeLow(v []byte) (uint64, error) { return strconv.ParseUint(string(v), 16, 64) }

// BaseKey is the key of a counter group's folded count.
func BaseKey(counter, group string) []byte { return key(pBase, counter, group) }

// Bases is the prefix of a counter's folded counts, by group.
func Bases(counter string) []byte { return under(pBase, counter) }

// AllBases is the prefix of every folded count.
func AllBases() []byte { return under(pBase) }

// RankKey orders an entity among those of its kind by degree, highest first, then by id.
func RankKey(kind domain.Kind, degree int64, id string) []byte {
	return key(pDegree, string(kind), fmt.Sprintf("%016x", ^uint64(degree)), id)
}

// Ranks is the prefix of the degree ranks of kind, highest first.
func Ranks(kind domain.Kind) []byte { return under(pDegree, string(kind)) }

// ParseRank reads the degree and id from a rank key of kind.
func ParseRank(kind domain.Kind, k []byte) (int64, string, error) {
	rest := k[len(Ranks(kind)):]
	if len(rest) < 17 {
		return 0, "", fmt.Errorf("degree rank key %q: too short", k)
	}
	inv, err := strconv.ParseUint(string(rest[:16]), 16, 64)
	return int64(^inv), string(rest[17:]), err
}

// AllRanks is the prefix of every degree rank.
func AllRanks() []byte { return under(pDegree) }

// TimePart orders times as bytes: fixed-width hex seconds (offset so times before 1970
// sort first), then nanoseconds.
func TimePart(t time.Time) string {
	return fmt.Sprintf("%016x%08x", uint64(t.Unix())+1<<62, t.Nanosecond())
}

// ValidFromKey indexes relation rel under one end by the start of its valid time.
func ValidFromKey(end string, from time.Time, rel string) []byte {
	return key(pValidFrom, end, TimePart(from), rel)
}

// ValidToKey indexes relation rel under one end by the end of its valid time.
func ValidToKey(end string, to time.Time, rel string) []byte {
	return key(pValidTo, end, TimePart(to), rel)
}

// StartingFrom selects the relations of end whose valid time starts at or after t.
func StartingFrom(end string, t time.Time) kv.IterOptions {
	return kv.IterOptions{Prefix: under(pValidFrom, end), Start: key(pValidFrom, end, TimePart(t))}
}

// EndingBy selects the relations of end whose valid time ends at or before t.
func EndingBy(end string, t time.Time) kv.IterOptions {
	// Keys at exactly t end with a separator, which sorts below 1.
	return kv.IterOptions{Prefix: under(pValidTo, end), End: append(key(pValidTo, end, TimePart(t)), sep+1)}
}

// AllValidFrom and AllValidTo are the prefixes of the whole valid-time index.
func AllValidFrom() []byte { return under(pValidFrom) }
func AllValidTo() []byte   { return under(pValidTo) }
