package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"eventgraph/seed/ingest"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// Error codes carried in extensions.code.
const (
	CodeNotFound         = "NOT_FOUND"
	CodeInvalidInput     = "INVALID_INPUT"
	CodeEvidenceRequired = "EVIDENCE_REQUIRED"
	CodeConflict         = "CONFLICT"
	CodeInternal         = "INTERNAL"
	// CodeResultUnknown: the store lost the answer to a write's commit (store.
	// ErrUndetermined): the write is there whole or not at all; read before sending it
	// again, which could apply it twice.
	CodeResultUnknown = "RESULT_UNKNOWN"
	// CodeDependentMerge: unmerge of a merge a later, standing merge builds on; the
	// message names the later merge, to undo first.
	CodeDependentMerge = "DEPENDENT_MERGE"
	// CodeTooComplex: the query would cost more than the server allows, or an argument
	// is beyond its bound; the message names the bound.
	CodeTooComplex = "QUERY_TOO_COMPLEX"
	// CodeIntrospectionDisabled: the server runs with introspection switched off.
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"
	// CodeQueryTooLarge: the document has more tokens, fields, fields of one name in
	// one place, or fragments than the server reads; extensions.limit names the bound
	// and extensions.max its value. The document is refused before it is validated.
	CodeQueryTooLarge = "QUERY_TOO_LARGE"
	// CodeTooManyErrors: the answer had more errors than are reported (extensions.max);
	// it follows the ones reported.
	CodeTooManyErrors = "TOO_MANY_ERRORS"
	// CodeTimeout: the query was still running when its deadline passed; the answer
	// has no data.
	CodeTimeout = "TIMEOUT"
	// CodeResponseTooLarge: the answer is larger than the server sends; it has no data.
	CodeResponseTooLarge = "RESPONSE_TOO_LARGE"
	// CodeCancelled: the request was abandoned by its client before it finished; no
	// client receives it, but it is not an internal error.
	CodeCancelled = "CANCELLED"
)

// errcodeComplexity is the code gqlgen's complexity limit gives; eventgraph reports it
// as CodeTooComplex, like every other bound.
const errcodeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"

// introspectionField reports whether the error is about a root introspection field,
// however aliased: gqlgen refuses those at execution, when introspection is off, with
// an error that carries no code.
func introspectionField(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return false
	}
	return fc.Object == "Query" && (fc.Field.Name == "__schema" || fc.Field.Name == "__type")
}

// inputError reports a bad argument; field names the argument path.
func inputError(field, format string, a ...any) error {
	return &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: field, Message: fmt.Sprintf(format, a...)}
}

// PresentError gives every error an extensions.code, and for input errors the input
// field at fault in extensions.field. Internal errors are not described to clients.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Extensions["code"] != nil {
		if gqlErr.Extensions["code"] == errcodeComplexity {
			gqlErr.Extensions["code"] = CodeTooComplex
		}
		return gqlErr
	}
	out := graphql.DefaultErrorPresenter(ctx, err)
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	var first *domain.Error
	var all domain.Errors
	switch {
	case errors.As(err, &all) && len(all) > 0:
		first = all[0]
		if len(all) > 1 {
			problems := make([]string, len(all))
			for i, e := range all {
				problems[i] = e.Error()
			}
			out.Extensions["problems"] = problems
		}
	default:
		errors.As(err, &first)
	}
	switch {
	case errors.Is(err, domain.ErrEvidenceRequired):
		out.Extensions["code"] = CodeEvidenceRequired
	case errors.Is(err, domain.ErrInvalid):
		out.Extensions["code"] = CodeInvalidInput
	case errors.Is(err, domain.ErrDependentMerge):
		out.Extensions["code"] = CodeDependentMerge
	case errors.Is(err, domain.ErrNotFound):
		out.Extensions["code"] = CodeNotFound
	case errors.Is(err, store.ErrConflict):
		out.Extensions["code"] = CodeConflict
	case errors.Is(err, store.ErrUndetermined):
		out.Extensions["code"] = CodeResultUnknown
	case errors.Is(err, context.DeadlineExceeded):
		out.Extensions["code"] = CodeTimeout
	case errors.Is(err, context.Canceled):
		out.Extensions["code"] = CodeCancelled
	case out.Extensions["code"] != nil:
	case introspectionField(ctx):
		out.Extensions["code"] = CodeIntrospectionDisabled
	default:
		out.Extensions["code"] = CodeInternal
		slog.ErrorContext(ctx, "graphql internal error", "path", out.Path.String(), "err", err)
		out.Message = "internal error"
	}
	if first != nil && first.Field != "" {
		out.Extensions["field"] = first.Field
	}
	return out
}

// ingestError reports what ingestion refuses about an article as INVALID_INPUT naming
// the input field at fault; other errors (the store's) pass as they are.
func ingestError(err error) error {
	switch {
	case errors.Is(err, ingest.ErrAmbiguousPublisher):
		return inputError("article.publisher", "%v", err)
	case errors.Is(err, ingest.ErrTooLarge), errors.Is(err, ingest.ErrNotUTF8):
		return inputError("article.text", "%v", err)
	case errors.Is(err, ingest.ErrInvalidSubmission):
		return inputError("article", "%v", err)
	}
	return err
}
