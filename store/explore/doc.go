// Package explore walks the graph in one snapshot: a node's neighbourhood, the
// shortest paths between two entities, the timeline of the events linked to an entity,
// a place or a topic, and lists of the nodes of a kind. It reads through package layout
// from any kv.Reader (a layout.Snapshot for reads shared between two goroutines), so
// it runs over whatever store holds the graph; package store answers with it at the
// snapshot a request is pinned to. Path searches may keep hubs' adjacency between
// requests in a HubCache their caller owns and tells of its commits.
package explore
