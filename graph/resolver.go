package graph

import "eventgraph/store"

// Resolver is the root of the GraphQL resolvers: thin translations between GraphQL and
// the store.Service.
type Resolver struct {
	Graph store.Service
}
