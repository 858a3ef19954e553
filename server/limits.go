package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"eventgraph/graph"
)

// Bounds on a GraphQL document, checked in one linear pass over it before it is
// validated. Validation is where a small document costs most: the rule that fields of
// one response name can be merged compares every pair of them, so 1,500 copies of one
// alias (42 KB) took 2.2 GB, and the complexity of a document whose fragments spread
// others twice doubles with each one. Within these bounds the costliest document found
// takes under half a second and 70 MB to refuse (docs/trust.md has the figures), and
// they are far above what the API's own queries, GraphiQL's introspection query
// included, need.
const (
	// MaxTokens bounds the tokens the parser reads: names, punctuation, values.
	MaxTokens = 20_000
	// MaxFields bounds the fields of a document, each fragment spread counted as the
	// fields it brings in, over every operation and every fragment definition (the
	// validator walks each of them).
	MaxFields = 5_000
	// MaxFieldsOfOneName bounds the fields that share one response name in one place
	// once fragments are expanded: the fields validation compares pairwise.
	MaxFieldsOfOneName = 50
	// MaxFragments bounds the fragment definitions of a document.
	MaxFragments = 100
	// MaxErrors bounds the errors one answer reports.
	MaxErrors = 100
)

// Defaults of Config's execution bounds.
const (
	DefaultRequestTimeout   = 5 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// limitRequests installs the bounds on what one request may cost: the document
// bounds above before validation, a deadline on every query, and caps on the errors
// and bytes of every answer. cache is the handler's query cache: a query found there
// passed the document bounds when it was first validated.
func limitRequests(gql *handler.Server, cache graphql.Cache[*ast.QueryDocument], cfg Config) {
	gql.Use(documentBounds{cache: cache})
	gql.SetValidationRulesFn(validationRules)
	gql.AroundOperations(deadline(cfg.RequestTimeout))
	gql.AroundResponses(boundAnswers(cfg.MaxResponseBytes))
}

// documentBounds refuses a document beyond the bounds before gqlgen validates it,
// whichever transport brought it.
type documentBounds struct {
	cache graphql.Cache[*ast.QueryDocument]
}

var (
	_ graphql.HandlerExtension          = documentBounds{}
	_ graphql.OperationParameterMutator = documentBounds{}
)

func (documentBounds) ExtensionName() string                   { return "DocumentBounds" }
func (documentBounds) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters parses the query with the token bound and checks the
// document against the others. A document that does not parse is left to the
// executor, which reports the syntax error as usual.
func (b documentBounds) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if _, ok := b.cache.Get(ctx, params.Query); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, MaxTokens)
	if err != nil {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Message == tokenLimitMessage {
			return tooLarge("tokens", MaxTokens, "the document has more than %d tokens", MaxTokens)
		}
		return nil
	}
	return checkDocument(doc)
}

// tokenLimitMessage is the parser's message when it stops at MaxTokens.
var tokenLimitMessage = fmt.Sprintf("exceeded token limit of %d", MaxTokens)

func tooLarge(limit string, max int, format string, a ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, a...),
		Extensions: map[string]any{"code": graph.CodeQueryTooLarge, "limit": limit, "max": max},
	}
}

// checkDocument checks doc against MaxFragments, MaxFields and MaxFieldsOfOneName.
// The fields are counted with each fragment's count worked out once, so the pass is
// linear in the document however its fragments spread one another; only when that
// count is within MaxFields are the fragments expanded to group fields by place. A
// document whose fragments spread themselves is not expanded (its simple paths through
// the fragments can be exponentially many): validation refuses it, visiting each
// fragment once per operation.
func checkDocument(doc *ast.QueryDocument) *gqlerror.Error {
	if n := len(doc.Fragments); n > MaxFragments {
		return tooLarge("fragments", MaxFragments, "the document defines %d fragments; at most %d are allowed", n, MaxFragments)
	}
	c := fieldCounter{fragments: map[string]*ast.FragmentDefinition{}, counted: map[string]int{}}
	for _, f := range doc.Fragments {
		if _, ok := c.fragments[f.Name]; !ok {
			c.fragments[f.Name] = f
		}
	}
	roots := make([]ast.SelectionSet, 0, len(doc.Operations)+len(doc.Fragments))
	for _, op := range doc.Operations {
		roots = append(roots, op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		roots = append(roots, f.SelectionSet)
	}
	total := 0
	for _, set := range roots {
		total = capped(total + c.count(set))
	}
	if total > MaxFields {
		return tooLarge("fields", MaxFields, "the document selects more than %d fields once its fragments are expanded", MaxFields)
	}
	if c.cyclic {
		return nil
	}
	for _, set := range roots {
		if err := c.sameNames(nil, []ast.SelectionSet{set}); err != nil {
			return err
		}
	}
	return nil
}

// capped keeps counts from overflowing: anything past MaxFields is refused anyway.
func capped(n int) int { return min(n, MaxFields+1) }

// fieldCounter counts the fields of selection sets with fragments expanded.
type fieldCounter struct {
	fragments map[string]*ast.FragmentDefinition
	// counted holds each fragment's expanded field count once worked out, and -1
	// while it is being worked out: a spread that reaches it then closes a cycle,
	// counted as nothing and remembered in cyclic.
	counted map[string]int
	cyclic  bool
}

func (c *fieldCounter) count(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n = capped(n + 1 + c.count(sel.SelectionSet))
		case *ast.InlineFragment:
			n = capped(n + c.count(sel.SelectionSet))
		case *ast.FragmentSpread:
			n = capped(n + c.fragment(sel.Name))
		}
	}
	return n
}

func (c *fieldCounter) fragment(name string) int {
	if n, ok := c.counted[name]; ok {
		c.cyclic = c.cyclic || n < 0
		return max(n, 0)
	}
	f, ok := c.fragments[name]
	if !ok {
		return 0
	}
	c.counted[name] = -1
	n := c.count(f.SelectionSet)
	c.counted[name] = n
	return n
}

// sameNames groups the fields of sets (the selection sets merged at path) by response
// name, fragments expanded, refuses a group larger than MaxFieldsOfOneName, and goes
// on into each group's merged selection sets. The document has no fragment cycles,
// so this visits each field of the expanded document once: no more than MaxFields.
func (c *fieldCounter) sameNames(path []string, sets []ast.SelectionSet) *gqlerror.Error {
	var names []string
	groups := map[string][]*ast.Field{}
	var collect func(set ast.SelectionSet)
	collect = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				name := sel.Alias
				if name == "" {
					name = sel.Name
				}
				if _, ok := groups[name]; !ok {
					names = append(names, name)
				}
				groups[name] = append(groups[name], sel)
			case *ast.InlineFragment:
				collect(sel.SelectionSet)
			case *ast.FragmentSpread:
				if f, ok := c.fragments[sel.Name]; ok {
					collect(f.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		collect(set)
	}
	for _, name := range names {
		fields := groups[name]
		at := append(path[:len(path):len(path)], name)
		if len(fields) > MaxFieldsOfOneName {
			return tooLarge("fieldsOfOneName", MaxFieldsOfOneName,
				"%d fields are named %q at %s; at most %d fields may share a name in one place",
				len(fields), name, strings.Join(at, "."), MaxFieldsOfOneName)
		}
		var subsets []ast.SelectionSet
		for _, f := range fields {
			if len(f.SelectionSet) > 0 {
				subsets = append(subsets, f.SelectionSet)
			}
		}
		if len(subsets) > 0 {
			if err := c.sameNames(at, subsets); err != nil {
				return err
			}
		}
	}
	return nil
}

// validationRules returns gqlparser's validation rules reporting at most MaxErrors+1
// errors between them (boundAnswers reports the first MaxErrors and says there were
// more): a document within the bounds can still break a rule thousands of times, and
// every error kept is formatted, presented and held until the answer is written. The
// executor asks for the rules once per validation, so each gets its own count.
func validationRules() *rules.Rules {
	reported := 0
	limited := rules.NewRules()
	for name, check := range rules.NewDefaultRules().GetInner() {
		limited.AddRule(name, func(observers *core.Events, addError core.AddErrFunc) {
			check(observers, func(options ...core.ErrorOption) {
				if reported++; reported <= MaxErrors+1 {
					addError(options...)
				}
			})
		})
	}
	return limited
}

// deadline gives every query d to run (none when d is not positive). A query still running when
// it passes is answered with one TIMEOUT error and no data: the store's reads stop at
// the deadline, so whatever data there is would be incomplete. Mutations are not
// timed: each commits in one transaction, and cutting one short would leave its
// client unsure whether it did. Subscriptions last as long as their client wants.
func deadline(d time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		responses := next(ctx)
		if d <= 0 || graphql.GetOperationContext(ctx).Operation.Operation != ast.Query {
			return responses
		}
		return func(ctx context.Context) *graphql.Response {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			resp := responses(ctx)
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return &graphql.Response{Errors: gqlerror.List{{
					Message:    fmt.Sprintf("the query took longer than the %v the server allows", d),
					Extensions: map[string]any{"code": graph.CodeTimeout, "max": d.String()},
				}}}
			}
			return resp
		}
	}
}

// boundAnswers caps every answer at MaxErrors errors (a last TOO_MANY_ERRORS error
// says there were more) and, when maxBytes is set, the answer to every query and
// subscription event at maxBytes of JSON: a larger one is replaced by one
// RESPONSE_TOO_LARGE error and no data. A mutation's answer is sent whatever its
// size, for the same reason mutations are not timed: its write has committed.
func boundAnswers(maxBytes int64) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		if len(resp.Errors) > MaxErrors {
			resp.Errors = append(resp.Errors[:MaxErrors:MaxErrors], &gqlerror.Error{
				Message:    fmt.Sprintf("the answer has more than %d errors; the first %d are reported", MaxErrors, MaxErrors),
				Extensions: map[string]any{"code": graph.CodeTooManyErrors, "max": MaxErrors},
			})
		}
		if maxBytes > 0 && !isMutation(ctx) && answerSize(resp) > maxBytes {
			return &graphql.Response{Errors: gqlerror.List{{
				Message:    fmt.Sprintf("the answer is larger than the %d bytes the server sends; ask for fewer items or fields", maxBytes),
				Extensions: map[string]any{"code": graph.CodeResponseTooLarge, "max": maxBytes},
			}}}
		}
		return resp
	}
}

func isMutation(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Mutation
}

// answerSize is the length of resp as JSON, near enough: its data as the executor
// wrote it and its (at most MaxErrors+1) errors and extensions encoded.
func answerSize(resp *graphql.Response) int64 {
	n := int64(len(resp.Data))
	if len(resp.Errors) > 0 {
		b, _ := json.Marshal(resp.Errors)
		n += int64(len(b))
	}
	if len(resp.Extensions) > 0 {
		b, _ := json.Marshal(resp.Extensions)
		n += int64(len(b))
	}
	return n
}
