package layout

import (
	"errors"
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// ReadNode reads a node, or a relation or evidence record when id is one's id.
//
// Errors: domain.ErrNotFound.
func ReadNode(r kv.Reader, id string) (domain.Node, error) {
	switch {
	case domain.IsRelationID(id):
		return ReadRelation(r, id)
	case domain.IsEvidenceID(id):
		return ReadEvidence(r, id)
	}
	b, err := r.Get(NodeKey(id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, domain.NotFound("no node has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	return DecodeNode(b)
}

// ResolveNode reads a node, following the redirects merges leave (a merged entity
// merged again redirects twice).
//
// Errors: domain.ErrNotFound.
func ResolveNode(r kv.Reader, id string) (domain.Node, error) {
	for hops := 0; ; hops++ {
		n, err := ReadNode(r, id)
		if !errors.Is(err, domain.ErrNotFound) || hops == 8 {
			return n, err
		}
		into, rerr := Redirect(r, id)
		if rerr != nil || into == "" {
			return nil, errors.Join(err, rerr)
		}
		id = into
	}
}

// Redirect returns the entity a merged id now belongs to, or "".
func Redirect(r kv.Reader, id string) (string, error) {
	b, err := r.Get(RedirectKey(id))
	if errors.Is(err, kv.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return RedirectTarget(b), nil
}

// ReadRelation reads a relation's record.
//
// Errors: domain.ErrNotFound.
func ReadRelation(r kv.Reader, id string) (*domain.Relation, error) {
	b, err := r.Get(RelationKey(id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, domain.NotFound("no relation has id %q", id)
	}
	if err != nil {
		return nil, err
	}
	return DecodeRelation(b)
}

// ReadEvidence reads an evidence record by its id alone, through the evidence-ids index.
//
// Errors: domain.ErrNotFound.
func ReadEvidence(r kv.Reader, id string) (*domain.Evidence, error) {
	var k []byte
	err := r.Iterate(kv.IterOptions{Prefix: EvidenceID(id), KeysOnly: true}, func(ik, _ []byte) error {
		k = EvidenceKey(ID(ik), id)
		return kv.ErrStop
	})
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, domain.NotFound("no evidence has id %q", id)
	}
	return ReadEvidenceAt(r, k)
}

// ReadEvidenceAt reads the evidence record at key k (EvidenceKey, BySourceEvidence,
// ParseDoc).
func ReadEvidenceAt(r kv.Reader, k []byte) (*domain.Evidence, error) {
	b, err := r.Get(k)
	if err != nil {
		return nil, err
	}
	return DecodeEvidence(b)
}

// HasNodes reports whether the snapshot holds any node.
func HasNodes(r kv.Reader) (bool, error) {
	found := false
	err := r.Iterate(kv.IterOptions{Prefix: Nodes(), KeysOnly: true}, func(_, _ []byte) error {
		found = true
		return kv.ErrStop
	})
	return found, err
}

// SoundalikeWords returns the words of entity names that word (folded) may be another
// spelling of (domain.Soundalike: "araghchi" for "araqchi"), read from the soundalike
// index; none in a snapshot older than the index.
func SoundalikeWords(r kv.Reader, word string) ([]string, error) {
	skeleton := domain.Skeleton(word)
	if skeleton == "" {
		return nil, nil
	}
	var out []string
	err := r.Iterate(kv.IterOptions{Prefix: SoundalikesOf(skeleton), KeysOnly: true}, func(k, _ []byte) error {
		if name := SoundalikeWord(k); domain.Soundalike(word, name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
		return nil
	})
	return out, err
}
