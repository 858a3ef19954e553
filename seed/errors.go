package seed

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"eventgraph/store/domain"
)

// Error is one problem with a seed file, located at a line and, where it can be
// named, a field ("evidence[2].quote"). It formats as "file:line: field: message".
type Error struct {
	File    string
	Line    int // 1-based; 0 when the problem concerns the whole file
	Field   string
	Message string
	// Kind is what the problem amounts to, for errors.Is: store.ErrInvalid,
	// store.ErrEvidenceRequired, or the underlying error of a file that could not be
	// read (fs.ErrNotExist, …).
	Kind error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Kind }

// MaxErrors is how many errors an ErrorList keeps; further ones are only counted.
const MaxErrors = 100

// ErrorList is every problem found in a load or an import, in file and line order: at
// most MaxErrors of them, with More counting the rest.
type ErrorList struct {
	Errors []*Error
	More   int
}

func (l *ErrorList) Error() string {
	switch {
	case len(l.Errors) == 0:
		return "no errors"
	case len(l.Errors) == 1 && l.More == 0:
		return l.Errors[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors:", len(l.Errors)+l.More)
	for _, e := range l.Errors {
		b.WriteString("\n\t")
		b.WriteString(e.Error())
	}
	if l.More > 0 {
		fmt.Fprintf(&b, "\n\t(and %d more)", l.More)
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As see every kept error.
func (l *ErrorList) Unwrap() []error {
	out := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		out[i] = e
	}
	return out
}

// collector gathers errors up to MaxErrors and counts the rest.
type collector struct {
	list  ErrorList
	files map[string]int // file order, for sorting
}

func (c *collector) add(e *Error) {
	if e.Kind == nil {
		e.Kind = domain.ErrInvalid
	}
	if len(c.list.Errors) < MaxErrors {
		c.list.Errors = append(c.list.Errors, e)
	} else {
		c.list.More++
	}
}

func (c *collector) count() int { return len(c.list.Errors) + c.list.More }

// err returns the errors sorted by file (in load order) and line, or nil.
func (c *collector) err() error {
	if c.count() == 0 {
		return nil
	}
	slices.SortStableFunc(c.list.Errors, func(a, b *Error) int {
		if a.File != b.File {
			return cmp.Compare(c.files[a.File], c.files[b.File])
		}
		return cmp.Compare(a.Line, b.Line)
	})
	l := c.list
	return &l
}

// AsErrorList returns err's ErrorList, if it has one.
func AsErrorList(err error) (*ErrorList, bool) {
	var l *ErrorList
	ok := errors.As(err, &l)
	return l, ok
}
