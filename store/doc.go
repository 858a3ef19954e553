// Package store is the eventgraph knowledge graph: the domain model (actors, places,
// events, topics, positions, sources, relations and their evidence) and its storage
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
// Keys are a one-byte prefix and parts joined by NUL bytes (ids never contain NUL).
// Node records are a kind byte and, like relation and evidence records, the compact
// binary encoding in codec.go; most index keys have empty values, adjacency keys a
// relation's role and valid times.
//
//	n␀<id>                          node record (entity, position or source)
//	k␀<KIND>␀<id>                   nodes by kind, in id order
//	r␀<relation id>                 relation record
//	o␀<from>␀<TYPE>␀<to>␀<rel id>   outgoing adjacency: one prefix scan per node
//	i␀<to>␀<TYPE>␀<from>␀<rel id>   incoming adjacency: one prefix scan per node
//	e␀<subject>␀<evidence id>       evidence record under its relation or position
//	s␀<source>␀<subject>␀<ev id>    evidence by source
//	w␀<word>␀<id>                   name, alias and title words (normalized), for search
//	a␀<normalized name>␀<id>        whole names and aliases, for exact matching
//	t␀<span, precision, start>␀<id> events on a timeline: by the span the start stands for,
//	                                coarser first, then exact start ("~" unknown: last)
//	h␀<holder>␀<position id>        positions by holder
//	p␀<topic>␀<position id>         positions by topic
//	q␀<subject>                     relations and positions some evidence disputes
//	f␀<from>␀<TYPE>␀<to>␀<rel id>   retracted relations, out of o (retract.go)
//	l␀<to>␀<TYPE>␀<from>␀<rel id>   retracted relations, out of i
//	M␀<merge id>                    merge record, what unmerge needs (JSON; merge.go)
//	R␀<merged id>                   redirect: merge id ␀ the entity it became
//	y␀<evidence id>␀<subject>       evidence by id alone (a derived index, below)
//	z␀<candidate id>                candidate relation for review (JSON; candidates.go)
//	j␀<status>␀<candidate id>       candidates by review status
//	x␀<word>␀<doc>                  full-text postings (fulltext.go; derived): field, count,
//	                                length
//	g␀<word>                        words of the name and full-text indexes, for typos
//	m␀change                        the author of the newest write, rewritten by every write,
//	                                so reading it at a version tells who wrote that version
//
// Adjacency keys carry the relation type, so type-filtered neighbours are a narrower
// prefix scan, and their values carry the rest of the relation record (role, valid
// times), so a walk rebuilds each live relation from the keys it scans without a point
// read per relation. Adjacency keys written before values were kept have empty values;
// readers then read the record.
//
// # Derived indexes
//
// Some keys hold data derived from the records above, kept up to date in the same
// transaction as the records they derive from. Each derived index is registered in
// derived.go with a name, a version and a rebuild function; Open rebuilds an index
// whose marker is missing or names another version, and readers at snapshots without
// a current marker compute from the records instead. The registered indexes are the
// counters, the full text (x, g) and evidence ids (y). The counters index (counters.go)
// holds:
//
//	m␀<index name>                  marker: the index's version
//	m␀counters␀low␀<counter>        low mark: deltas of the counter below it are folded
//	c␀<counter>␀<seq>␀<group>␀<uniq> pending delta (signed varint), written blind by Apply
//	b␀<counter>␀<group>             folded count (signed varint)
//	d␀<KIND>␀<^degree>␀<id>         entities by folded degree, highest first
//	v␀<entity>␀<valid from>␀<rel id> relations with a valid start, by end; value: valid end
//	u␀<entity>␀<valid to>␀<rel id>  relations with a valid end, by end
//
// Counters are event-kind, event-month, relation-type, publisher (by source publisher)
// and degree.<KIND> (by entity). A count is its folded value plus its deltas from the
// low mark on. <seq> is 16 hex digits, the newest version when the write began; times
// are 16 hex digits of seconds (offset by 2⁶²) and 8 of nanoseconds, so byte order is
// time order.
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
// Graph.Import validates the whole batch against one snapshot before writing, then
// writes through kv.Bulk: Badger's WriteBatch at a single version that readers cannot
// see until it commits. A crash in between leaves a pending marker; the next open rolls
// the partial write back (see package badgerkv). Writers wait while an import commits.
package store
