package model

import (
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"eventgraph/store/domain"
)

// MarshalTime and UnmarshalTime implement the Time scalar: RFC 3339 in UTC. A time
// that does not parse is an input error (INVALID_INPUT), like every other bad argument.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime parses an RFC 3339 time; see MarshalTime.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return t, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Message: fmt.Sprintf("%v is not an RFC 3339 time", v)}
	}
	return t, nil
}
