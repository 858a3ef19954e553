package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The checks in this file are the model's rules that need nothing but the item: a
// write (store.Graph.Apply) runs them, checks references against what is stored, and
// reports every problem of a batch, each *Error located at its item.

// Patterns of the model's coded fields.
var (
	// cameoPattern is a CAMEO event code: two to four digits ("04", "0431").
	cameoPattern = regexp.MustCompile(`^[0-9]{2,4}$`)
	// languagePattern is the shape of a BCP 47 language tag ("en", "fa-IR").
	languagePattern = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
)

// problems collects the ErrInvalid errors of one item, in the order it is checked.
type problems []*Error

func (ps *problems) add(field, format string, a ...any) {
	*ps = append(*ps, Invalid(field, format, a...))
}

func (ps *problems) check(ok bool, field, format string, a ...any) {
	if !ok {
		ps.add(field, format, a...)
	}
}

// text fails field when s holds a character no stored text may hold (see CheckText).
func (ps *problems) text(field, s string) {
	if e := CheckText(field, s); e != nil {
		*ps = append(*ps, e)
	}
}

// enum checks that field's value v is one of allowed, listing them when it is not.
func enum[T ~string](ps *problems, field string, v T, allowed []T) bool {
	switch {
	case v == "":
		ps.add(field, "is required")
	case !slices.Contains(allowed, v):
		ps.add(field, "%q is not one of %s", v, join(allowed, ", "))
	default:
		return true
	}
	return false
}

func join[T ~string](vs []T, sep string) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(string(v))
	}
	return b.String()
}

// CheckNode returns what is wrong with what a node says about itself, its references
// aside, in the order of its fields; none when nothing is. Call FillDefaults first.
func CheckNode(n Node) []*Error {
	var ps problems
	cameo := func(code string) {
		ps.check(code == "" || cameoPattern.MatchString(code), "cameo", "%q is not a CAMEO code (2 to 4 digits)", code)
	}
	if e, ok := n.(Entity); ok {
		b := e.Base()
		ps.check(b.Name != "", "name", "is required")
		ps.text("name", b.Name)
		ps.text("description", b.Description)
		for k, a := range b.Aliases {
			field := fmt.Sprintf("aliases[%d]", k)
			if a == "" {
				ps.add(field, "is empty")
			} else if slices.Contains(b.Aliases[:k], a) {
				ps.add(field, "%q is listed twice", a)
			}
			ps.text(field, a)
		}
	}
	switch n := n.(type) {
	case *Actor:
		enum(&ps, "kind", n.Kind, ActorKinds)
		if n.Reliability != "" {
			enum(&ps, "reliability", n.Reliability, Reliabilities)
		}
	case *Place:
		enum(&ps, "kind", n.Kind, PlaceKinds)
		if p := n.Point; p != nil {
			ps.check(p.Lat >= -90 && p.Lat <= 90, "point.lat", "%v is outside [-90, 90]", p.Lat)
			ps.check(p.Lon >= -180 && p.Lon <= 180, "point.lon", "%v is outside [-180, 180]", p.Lon)
		}
	case *Event:
		enum(&ps, "kind", n.Kind, EventKinds)
		if enum(&ps, "precision", n.Precision, Precisions) {
			ps.check(n.Start != nil || n.Precision == PrecisionUnknown, "precision", "must be UNKNOWN when there is no start")
			ps.check(n.Start == nil || n.Precision != PrecisionUnknown, "precision", "cannot be UNKNOWN when there is a start")
		}
		if n.End != nil {
			ps.check(n.Start != nil, "end", "needs a start")
			ps.check(n.Start == nil || !n.End.Before(*n.Start), "end", "is before start")
		}
		cameo(n.Cameo)
	case *Position:
		enum(&ps, "stance", n.Stance, Stances)
		cameo(n.Cameo)
		ps.text("statement", n.Statement)
		ps.check(n.ValidFrom == nil || n.ValidTo == nil || !n.ValidTo.Before(*n.ValidFrom), "validTo", "is before validFrom")
	case *Source:
		ps.check(n.Title != "", "title", "is required")
		ps.check(n.URL != "", "url", "is required when the text is not held")
		// Quotes are anchored by code point; only valid UTF-8 has well-defined ones.
		ps.check(utf8.ValidString(n.Text), "text", "is not valid UTF-8")
		ps.text("title", n.Title)
		ps.text("url", n.URL)
		ps.text("text", n.Text)
		ps.check(n.Language == "" || languagePattern.MatchString(n.Language), "language", "%q is not a BCP 47 language tag", n.Language)
	}
	return ps
}

// FillDefaults sets what a node's other fields imply: a source's content hash (and URN
// when it has no URL), an event's precision (DAY with a start, UNKNOWN without).
func FillDefaults(n Node) {
	switch n := n.(type) {
	case *Source:
		if n.Text != "" {
			sum := sha256.Sum256([]byte(n.Text))
			n.ContentHash = "sha256:" + hex.EncodeToString(sum[:])
			if n.URL == "" {
				n.URL = "urn:sha256:" + hex.EncodeToString(sum[:])
			}
		}
	case *Event:
		if n.Precision == "" {
			n.Precision = PrecisionUnknown
			if n.Start != nil {
				n.Precision = PrecisionDay
			}
		}
	}
}

// CheckReference returns what is wrong with field's reference to id, which names a
// node of kind k ("" when it names no node), where a node of one of the kinds want is
// needed; nil when nothing is.
func CheckReference(field, id string, k Kind, want ...Kind) *Error {
	switch {
	case id == "":
		return Invalid(field, "is required")
	case k == "":
		return Invalid(field, "%q names no node", id)
	case !slices.Contains(want, k):
		return Invalid(field, "%q is a %s, want %s", id, k, join(want, " or "))
	}
	return nil
}

// CheckRelationType returns an ErrInvalid *Error naming the type field when t is not a
// relation type, nil when it is.
func CheckRelationType(t RelationType) *Error {
	var ps problems
	if _, ok := RelationTypes[t]; !ok {
		enum(&ps, "type", t, slices.Sorted(maps.Keys(RelationTypes)))
		return ps[0]
	}
	return nil
}

// CheckEnds returns what is wrong with from and to (the nodes a relation of type t would
// connect, nil for an id that names none) as the ends of t: the node kinds
// RelationTypes allows and the actor kinds ActorEnds allows. The message says which
// ends t takes, and suggests swapping them when that would do.
func CheckEnds(t RelationType, fromID string, from Node, toID string, to Node) *Error {
	if e := CheckRelationType(t); e != nil {
		return e
	}
	ends := RelationTypes[t]
	takes := func() string {
		s := fmt.Sprintf("%s goes from %s to %s", t, join(ends.From, " or "), join(ends.To, " or "))
		if actors, ok := ActorEnds[t]; ok {
			s += " of kind " + join(actors, ", ")
		}
		return s
	}
	fits := func(n Node, kinds []Kind, actors []ActorKind) bool {
		if n == nil || !slices.Contains(kinds, n.NodeKind()) {
			return false
		}
		a, ok := n.(*Actor)
		return !ok || actors == nil || slices.Contains(actors, a.Kind)
	}
	describe := func(id string, n Node) string {
		if a, ok := n.(*Actor); ok {
			return fmt.Sprintf("%q is an actor of kind %s", id, a.Kind)
		}
		return fmt.Sprintf("%q is of kind %s", id, n.NodeKind())
	}
	for _, e := range []struct {
		field, id string
		n         Node
		kinds     []Kind
		actors    []ActorKind
	}{{"from", fromID, from, ends.From, nil}, {"to", toID, to, ends.To, ActorEnds[t]}} {
		if e.n == nil {
			return Invalid(e.field, "%q names no node", e.id)
		}
		if fits(e.n, e.kinds, e.actors) {
			continue
		}
		msg := fmt.Sprintf("%s; %s", describe(e.id, e.n), takes())
		if fits(to, ends.From, nil) && fits(from, ends.To, ActorEnds[t]) {
			msg += "; swap from and to?"
		}
		return Invalid(e.field, "%s", msg)
	}
	return nil
}

// CheckRelation returns what is wrong with a relation's role and valid times.
func CheckRelation(rel *Relation) []*Error {
	var ps problems
	if rel.Type == RelParticipatedIn {
		enum(&ps, "role", rel.Role, Roles)
	} else if rel.Role != "" {
		ps.add("role", "only PARTICIPATED_IN relations have a role")
	}
	if rel.ValidFrom != nil && rel.ValidTo != nil && rel.ValidTo.Before(*rel.ValidFrom) {
		ps.add("validTo", "is before validFrom")
	}
	return ps
}

// CheckEvidence returns what is wrong with what an evidence record says about itself,
// its subject, source and attribution aside, and whether its quote can be anchored
// (it is given, as valid UTF-8).
func CheckEvidence(ev *Evidence) (errs []*Error, quoteOK bool) {
	var ps problems
	switch {
	case ev.Quote == "":
		ps.add("quote", "is required")
	case !utf8.ValidString(ev.Quote):
		ps.add("quote", "is not valid UTF-8")
	default:
		quoteOK = true
	}
	ps.text("quote", ev.Quote)
	ps.text("method", ev.Method)
	ps.text("note", ev.Note)
	if ev.Occurrence < 0 {
		ps.add("occurrence", "%d is not a positive number", ev.Occurrence)
	}
	if !(ev.Confidence >= 0 && ev.Confidence <= 1) {
		ps.add("confidence", "%v is outside [0, 1]", ev.Confidence)
	}
	if ev.Method == "" {
		ps.add("method", "is required")
	}
	enum(&ps, "stance", ev.Stance, EvidenceStances)
	if e := CheckCredibility(ev.Credibility); e != nil {
		ps = append(ps, e)
	}
	return ps, quoteOK
}

// CheckCredibility returns an ErrInvalid *Error when c is not an Admiralty credibility
// grade (1 to 6) or 0 (not graded).
func CheckCredibility(c int) *Error {
	if c < 0 || c > 6 {
		return Invalid("credibility", "%d is not a grade from 1 to 6 (0: not graded)", c)
	}
	return nil
}
