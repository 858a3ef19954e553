// Package store is the eventgraph knowledge graph: the model of package domain (actors,
// places, events, topics, positions, sources, relations and their evidence) stored
// over the ordered, transactional, multi-version key-value seam in package kv.
//
// # Rules the store enforces
//
// Every relation and every position has at least one evidence record; a write that
// would leave one without is refused with ErrEvidenceRequired, whatever API it came
// through. Evidence quotes are checked against the source text at their code point
// offsets, or found in it when a write leaves the offsets out. References must name
// nodes of the kinds a relation type allows (RelationTypes). The model's other rules
// (ids, required fields, enum values, CAMEO codes, language tags, aliases, time order,
// coordinate and confidence ranges) are the store's alone too: entry points such as
// the seed loader only parse, and map the store's errors back to their input. A write
// (Graph.Apply, or Graph.Import for any size) is atomic.
//
// # Key layout
//
// Package layout holds the keys of every record and index and the records' encodings;
// docs/architecture.md draws the packages and how a write flows through them.
//
// # Derived indexes
//
// Some keys hold data derived from the records, kept up to date in the same
// transaction as the records they derive from. Each derived index is a package under
// store/index implementing index.Index (its name, version, write hook and rebuild),
// registered by one line in derived.go; Open rebuilds an index whose marker is missing
// or names another version, and readers at snapshots without a current marker compute
// from the records instead. The registered indexes are the counters (index/counters),
// the full text (index/fulltext) and evidence by id (index/evidenceids).
//
// # Time
//
// The kv layer versions every commit with its transaction time and keeps every
// version, so reading "as of" a past moment is a snapshot read at that version
// (Graph.Pin), retracted and replaced facts stay in history, and a request sees one
// consistent snapshot for all its fields. Valid time (when a relation held in the
// world) is data: Relation.ValidFrom/ValidTo.
//
// # Large imports
//
// Graph.BeginImport starts an import of batches added one after another
// (Importing.Add), each checked against the ones before it and one snapshot of the
// store, keeping only a few bytes per item between them; Importing.Commit writes them
// all through kv.Bulk, which readers cannot see until it commits, or nothing when any
// batch had a problem. Graph.Import is that for one batch. On Badger a crash in between
// leaves a pending marker, and the next open rolls the partial write back (see package
// badgerkv). Writers wait from BeginImport until the import commits or is aborted.
package store
