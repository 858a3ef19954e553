package domain

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by the store wrap one of these (test with errors.Is)
// and are usually an *Error naming the item and field at fault. The storage's own
// (store.ErrConflict, store.ErrLocked) are the store's.
var (
	// ErrNotFound: no node, relation or evidence has the id.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the model (a missing name, an unknown
	// enum value, a reference to a node of the wrong kind, a quote not at its offsets,
	// a control or bidirectional override character in a text, …).
	ErrInvalid = errors.New("invalid input")
	// ErrEvidenceRequired: a relation or position would have no evidence.
	ErrEvidenceRequired = errors.New("evidence required")
	// ErrDependentMerge: a merge cannot be undone while a later merge that builds on it
	// stands; undo that one first.
	ErrDependentMerge = errors.New("a later merge depends on this one")
)

// Error describes what is wrong with one item of a write.
type Error struct {
	// Kind is the sentinel this error wraps.
	Kind error
	// Item locates the item in the Batch, e.g. "relations[3]"; empty for a lookup.
	Item string
	// Index is the item's position in its Batch slice (-1 when not from a batch).
	Index int
	// Field is the item's field at fault, e.g. "evidence[0].quote".
	Field   string
	Message string
}

func (e *Error) Error() string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Item != "" {
		s = e.Item + ": " + s
	}
	return s
}

func (e *Error) Unwrap() error { return e.Kind }

// NotFound returns an ErrNotFound *Error saying what was not found.
func NotFound(format string, a ...any) error {
	return &Error{Kind: ErrNotFound, Index: -1, Message: fmt.Sprintf(format, a...)}
}

// Invalid returns an ErrInvalid *Error naming field (of no batch item).
func Invalid(field, format string, a ...any) *Error {
	return &Error{Kind: ErrInvalid, Index: -1, Field: field, Message: fmt.Sprintf(format, a...)}
}

// Errors is every problem found in one Batch, in item order.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", es[0].Error(), len(es)-1)
}

// Unwrap lets errors.Is see the kinds of all the errors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
