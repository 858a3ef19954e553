// Package search ranks the nodes matching a text in one snapshot: names through the
// name index (package layout), texts through the full-text index (package fulltext)
// with English stems for unquoted words, with snippets and highlights. It reads from
// any kv.Reader.
package search
