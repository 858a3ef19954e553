package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"eventgraph/store/domain"
)

// primeRelations reads ahead, for a list of relations the field being resolved
// returns, what their fields selected at any of paths will ask the loaders for: the
// evidence of every relation in one read, and the entities at their ends in another
// (none when known holds them already, as a neighbourhood's nodes do).
//
// Relation's fields are plain resolvers reading the request's loaders. gqlgen resolves
// a list's items one goroutine each; unprimed, the loaders would first wait for those
// siblings to gather, and batch resolvers would instead work out each item's place in
// the list from its response path, which costs more than the item's read.
func primeRelations(ctx context.Context, rels []*domain.Relation, known []domain.Entity, paths ...[]string) error {
	if len(rels) == 0 {
		return nil
	}
	fields := map[string]bool{}
	for _, path := range paths {
		selectedAt(ctx, path, fields)
	}
	l := loadersFrom(ctx)
	if fields["from"] || fields["to"] {
		for _, n := range known {
			l.nodes.prime(n.NodeID(), n)
		}
		var ends []string
		for _, rel := range rels {
			ends = append(ends, rel.From, rel.To)
		}
		if _, err := l.nodes.LoadAll(ctx, ends); err != nil {
			return err
		}
	}
	if fields["evidence"] || fields["corroboration"] || fields["contested"] {
		if _, err := l.evidence.LoadAll(ctx, relationIDs(rels)); err != nil {
			return err
		}
	}
	return nil
}

// selectedAt adds to fields the names of the fields the query selects at path below
// the field being resolved, through fragments and aliases.
func selectedAt(ctx context.Context, path []string, fields map[string]bool) {
	oc := graphql.GetOperationContext(ctx)
	sets := []ast.SelectionSet{graphql.GetFieldContext(ctx).Field.Selections}
	for _, name := range path {
		var next []ast.SelectionSet
		for _, set := range sets {
			for _, f := range graphql.CollectFields(oc, set, nil) {
				if f.Name == name {
					next = append(next, f.Selections)
				}
			}
		}
		sets = next
	}
	for _, set := range sets {
		for _, f := range graphql.CollectFields(oc, set, nil) {
			fields[f.Name] = true
		}
	}
}
