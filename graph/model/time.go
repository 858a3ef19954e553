package model

import (
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"eventgraph/store/domain"
)

// The Time scalar has two Go forms (gqlgen.yml): a time the server answers is a
// time.Time, written in RFC 3339 in UTC; a time a client sends is a domain.Period, as
// written (2025, 2025-06, 2025-06-13 or an RFC 3339 timestamp), because which instant
// of a period it means depends on the argument, which the scalar does not know: the
// resolvers choose (docs/api.md, "Dates and instants").

// MarshalTime writes a time the server answers: RFC 3339 in UTC.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime completes the pair gqlgen binds. The schema reads every Time argument
// and input field as a Period, so nothing reaches it today; should a field ever be read
// as a time.Time, it takes the start of the period, the rule for stored times.
func UnmarshalTime(v any) (time.Time, error) {
	p, err := UnmarshalPeriod(v)
	return p.Start, err
}

// UnmarshalPeriod reads a Time argument or input field. Anything but one of the
// accepted forms, as a string, is an input error (INVALID_INPUT) naming them.
func UnmarshalPeriod(v any) (domain.Period, error) {
	s, ok := v.(string)
	if !ok {
		return domain.Period{}, &domain.Error{Kind: domain.ErrInvalid, Index: -1,
			Message: fmt.Sprintf("%v is not a time: want a string (%s)", v, domain.TimeForms)}
	}
	p, err := domain.ParsePeriod(s)
	if err != nil {
		return p, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Message: err.Error()}
	}
	return p, nil
}

// MarshalPeriod writes a period in the form it was read from.
func MarshalPeriod(p domain.Period) graphql.Marshaler { return graphql.MarshalString(p.String()) }
