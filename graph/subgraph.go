package graph

import (
	"bytes"
	"context"
	"io"
	"time"

	"eventgraph/graph/model"
	"eventgraph/store/domain"
	"eventgraph/store/explore"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// DirectSubgraphs is a root field middleware that encodes neighbourhood answers itself
// when their selection allows it, and hands everything else to the executor.
//
// A graph view asks for hundreds of relations, each with its evidence, and for every
// entity they touch. gqlgen's executor marshals each item of a list in a goroutine of
// its own and each field through a field context, a deferred group and the resolver
// middleware; for a 500-relation answer that costs about twice what reading the answer
// from the store does. When every field selected below neighbourhood is one that
// subgraphFields lists, the answer is encoded here instead: the arguments are parsed
// and the resolvers called by the generated code, each field's value written with the
// scalar marshaler the executor would use. Any other selection, and any error, goes
// to the executor, which reports it as usual. A differential test holds the two
// encodings byte for byte equal, and another holds subgraphFields to exactly the
// fields that test's queries select.
//
// Field middleware does not run for the fields encoded here: they never reach the
// executor. A server that installs field middleware must leave DirectSubgraphs out
// (server.Config.NoDirectEncoding).
func DirectSubgraphs(es graphql.ExecutableSchema) graphql.RootFieldMiddleware {
	schema := es.(*executableSchema)
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		rc := graphql.GetRootFieldContext(ctx)
		oc := graphql.GetOperationContext(ctx)
		if rc == nil || oc.Operation.Operation != ast.Query || rc.Field.Name != "neighbourhood" {
			return next(ctx)
		}
		ec := newExecutionContext(oc, schema, nil)
		plan, ok := planSelection(ctx, ec, []string{"Subgraph"}, rc.Field.Selections)
		if !ok {
			return next(ctx)
		}
		args, err := ec.field_Query_neighbourhood_args(ctx, rc.Field.ArgumentMap(oc.Variables))
		if err != nil {
			return next(ctx)
		}
		fc := &graphql.FieldContext{Object: "Query", Field: rc.Field, Args: args, IsMethod: true, IsResolver: true}
		fctx := graphql.WithFieldContext(ctx, fc)
		sub, err := ec.Resolvers.Query().Neighbourhood(fctx, args["id"].(string), args["depth"].(*int),
			args["types"].([]domain.RelationType), args["direction"].(*domain.Direction), args["from"].(*domain.Period),
			args["to"].(*domain.Period), args["limit"].(*int), args["asOf"].(*domain.Period))
		if err != nil {
			return next(ctx)
		}
		enc := subgraphEncoder{ctx: fctx, resolvers: ec.Resolvers}
		enc.subgraph(plan["Subgraph"], sub)
		if enc.failed {
			return next(ctx)
		}
		return encoded(enc.buf.Bytes())
	}
}

// subgraphFields lists, for each type below neighbourhood, the fields DirectSubgraphs
// encodes: stored values and the resolvers that need nothing but the primed loaders.
var subgraphFields = map[string]map[string]bool{
	"Subgraph": set("__typename", "nodes", "relations", "truncated"),
	"Relation": set("__typename", "id", "type", "from", "to", "role", "validFrom", "validTo", "evidence"),
	"Evidence": set("__typename", "id", "quote", "start", "end", "prefix", "suffix", "stance", "credibility",
		"confidence", "method", "recordedAt", "note"),
	"Actor": entityFields,
	"Place": entityFields,
	"Event": entityFields,
	"Topic": entityFields,
}

var entityFields = set("__typename", "id", "name", "aliases", "description")

// fieldTypes names the types an object-valued field of subgraphFields can hold, by
// "Type.field"; an entity field is planned for each concrete entity type.
var fieldTypes = map[string][]string{
	"Subgraph.nodes":     entityTypes,
	"Subgraph.relations": {"Relation"},
	"Relation.from":      entityTypes,
	"Relation.to":        entityTypes,
	"Relation.evidence":  {"Evidence"},
}

var entityTypes = []string{"Actor", "Place", "Event", "Topic"}

var implementors = map[string][]string{
	"Subgraph": subgraphImplementors,
	"Relation": relationImplementors,
	"Evidence": evidenceImplementors,
	"Actor":    actorImplementors,
	"Place":    placeImplementors,
	"Event":    eventImplementors,
	"Topic":    topicImplementors,
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// plannedField is one field of a selection: its response key, already quoted as gqlgen
// writes it, its arguments, and what it selects below, per concrete type.
type plannedField struct {
	key  []byte
	name string
	args map[string]any
	sel  map[string][]plannedField
}

// planSelection collects sel for each of types the way the executor does, through
// fragments, aliases and @skip/@include. It is false when a field is not in
// subgraphFields, is deferred, or has arguments that do not parse.
func planSelection(ctx context.Context, ec *executionContext, types []string, sel ast.SelectionSet) (map[string][]plannedField, bool) {
	plan := make(map[string][]plannedField, len(types))
	for _, t := range types {
		var fields []plannedField
		for _, f := range graphql.CollectFields(ec.OperationContext, sel, implementors[t]) {
			if !subgraphFields[t][f.Name] || f.IsDeferred() {
				return nil, false
			}
			var key bytes.Buffer
			graphql.MarshalString(f.Alias).MarshalGQL(&key)
			key.WriteByte(':')
			p := plannedField{key: key.Bytes(), name: f.Name}
			if t == "Relation" && f.Name == "evidence" {
				args, err := ec.field_Relation_evidence_args(ctx, f.ArgumentMap(ec.Variables))
				if err != nil {
					return nil, false
				}
				p.args = args
			}
			if below, ok := fieldTypes[t+"."+f.Name]; ok {
				if p.sel, ok = planSelection(ctx, ec, below, f.Selections); !ok {
					return nil, false
				}
			}
			fields = append(fields, p)
		}
		plan[t] = fields
	}
	return plan, true
}

// encoded is an answer written ahead.
type encoded []byte

func (e encoded) MarshalGQL(w io.Writer) { w.Write(e) }

// subgraphEncoder writes a Subgraph as planned. failed says a value could not be
// encoded (a resolver's error, a null where the schema forbids one); the executor then
// answers instead and reports it.
type subgraphEncoder struct {
	ctx       context.Context
	resolvers ResolverRoot
	buf       bytes.Buffer
	failed    bool
}

func (e *subgraphEncoder) subgraph(fields []plannedField, sub *explore.Subgraph) {
	e.object("Subgraph", fields, func(f *plannedField) {
		switch f.name {
		case "truncated":
			e.value(graphql.MarshalBoolean(sub.Truncated))
		case "nodes":
			e.list(len(sub.Nodes), func(i int) { e.entity(f.sel, sub.Nodes[i]) })
		case "relations":
			e.list(len(sub.Relations), func(i int) { e.relation(f.sel["Relation"], sub.Relations[i]) })
		}
	})
}

func (e *subgraphEncoder) relation(fields []plannedField, r *domain.Relation) {
	resolve := e.resolvers.Relation()
	e.object("Relation", fields, func(f *plannedField) {
		switch f.name {
		case "id":
			e.value(graphql.MarshalID(r.ID))
		case "type":
			e.value(graphql.MarshalString(string(r.Type)))
		case "role":
			role, err := resolve.Role(e.ctx, r)
			e.check(err)
			if role == nil {
				e.value(graphql.Null)
			} else {
				e.value(graphql.MarshalString(string(*role)))
			}
		case "validFrom":
			e.optionalTime(r.ValidFrom)
		case "validTo":
			e.optionalTime(r.ValidTo)
		case "from", "to":
			load := resolve.From
			if f.name == "to" {
				load = resolve.To
			}
			n, err := load(e.ctx, r)
			e.check(err)
			e.entity(f.sel, n)
		case "evidence":
			evs, err := resolve.Evidence(e.ctx, r, f.args["stance"].(*domain.EvidenceStance), f.args["includeRetracted"].(*bool))
			e.check(err)
			e.list(len(evs), func(i int) { e.evidence(f.sel["Evidence"], evs[i]) })
		}
	})
}

func (e *subgraphEncoder) evidence(fields []plannedField, ev *domain.Evidence) {
	e.object("Evidence", fields, func(f *plannedField) {
		switch f.name {
		case "id":
			e.value(graphql.MarshalID(ev.ID))
		case "quote":
			e.value(graphql.MarshalString(ev.Quote))
		case "start":
			e.optionalInt(ev.Start)
		case "end":
			e.optionalInt(ev.End)
		case "prefix":
			e.value(graphql.MarshalString(ev.Prefix))
		case "suffix":
			e.value(graphql.MarshalString(ev.Suffix))
		case "stance":
			e.value(graphql.MarshalString(string(ev.Stance)))
		case "credibility":
			c, err := e.resolvers.Evidence().Credibility(e.ctx, ev)
			e.check(err)
			e.optionalInt(c)
		case "confidence":
			e.check(graphql.MarshalFloatContext(ev.Confidence).MarshalGQLContext(e.ctx, &e.buf))
		case "method":
			e.value(graphql.MarshalString(ev.Method))
		case "recordedAt":
			e.requiredTime(ev.RecordedAt)
		case "note":
			e.value(graphql.MarshalString(ev.Note))
		}
	})
}

func (e *subgraphEncoder) entity(plan map[string][]plannedField, n domain.Entity) {
	var typeName string
	switch n.(type) {
	case *domain.Actor:
		typeName = "Actor"
	case *domain.Place:
		typeName = "Place"
	case *domain.Event:
		typeName = "Event"
	case *domain.Topic:
		typeName = "Topic"
	default:
		e.failed = true
		return
	}
	b := n.Base()
	e.object(typeName, plan[typeName], func(f *plannedField) {
		switch f.name {
		case "id":
			e.value(graphql.MarshalID(b.ID))
		case "name":
			e.value(graphql.MarshalString(b.Name))
		case "aliases":
			e.list(len(b.Aliases), func(i int) { e.value(graphql.MarshalString(b.Aliases[i])) })
		case "description":
			e.value(graphql.MarshalString(b.Description))
		}
	})
}

// object writes fields in order, each as its key and what value writes for it; the
// type's name answers __typename. When value writes nothing for a field (one that
// subgraphFields lists but the encoder does not handle), the query goes to the executor
// instead of leaving a key without a value.
func (e *subgraphEncoder) object(typeName string, fields []plannedField, value func(f *plannedField)) {
	e.buf.WriteByte('{')
	for i := range fields {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.buf.Write(fields[i].key)
		at := e.buf.Len()
		if fields[i].name == "__typename" {
			e.value(graphql.MarshalString(typeName))
		} else {
			value(&fields[i])
		}
		if e.buf.Len() == at {
			e.failed = true
		}
	}
	e.buf.WriteByte('}')
}

func (e *subgraphEncoder) list(n int, item func(i int)) {
	e.buf.WriteByte('[')
	for i := range n {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		item(i)
	}
	e.buf.WriteByte(']')
}

func (e *subgraphEncoder) value(m graphql.Marshaler) { m.MarshalGQL(&e.buf) }

func (e *subgraphEncoder) check(err error) {
	if err != nil {
		e.failed = true
	}
}

func (e *subgraphEncoder) optionalInt(v *int) {
	if v == nil {
		e.value(graphql.Null)
		return
	}
	e.value(graphql.MarshalInt(*v))
}

func (e *subgraphEncoder) optionalTime(t *time.Time) {
	if t == nil {
		e.value(graphql.Null)
		return
	}
	e.value(model.MarshalTime(*t))
}

func (e *subgraphEncoder) requiredTime(t time.Time) {
	m := model.MarshalTime(t)
	if m == graphql.Null {
		e.failed = true
	}
	e.value(m)
}
