// Package layout is how the graph lies in the ordered key-value store (package kv): the
// key of every record and index entry, the encodings of the records, and the reads of
// one snapshot that follow them (a node by id, a node's adjacency, a page of keys). It
// is the only package that spells a key prefix; every other one builds and parses keys
// through it.
//
// # Keys
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
//	f␀<from>␀<TYPE>␀<to>␀<rel id>   retracted relations, out of o
//	l␀<to>␀<TYPE>␀<from>␀<rel id>   retracted relations, out of i
//	e␀<subject>␀<evidence id>       evidence record under its relation or position
//	s␀<source>␀<subject>␀<ev id>    evidence by source
//	w␀<word>␀<id>                   name, alias and title words (normalized), for search
//	a␀<normalized name>␀<id>        whole names and aliases, for exact matching
//	t␀<span, precision, start>␀<id> events on a timeline: by the span the start stands for,
//	                                coarser first, then exact start ("~" unknown: last)
//	h␀<holder>␀<position id>        positions by holder
//	p␀<topic>␀<position id>         positions by topic
//	q␀<subject>                     relations and positions some evidence disputes
//	M␀<merge id>                    merge record, what unmerge needs (JSON)
//	R␀<merged id>                   redirect: merge id ␀ the entity it became
//	z␀<candidate id>                candidate relation for review (JSON)
//	j␀<status>␀<candidate id>       candidates by review status
//	P␀<proposal id>                 entity proposed for review (JSON)
//	J␀<status>␀<proposal id>        proposals by review status
//	Z␀<proposal id>␀<candidate id>  candidates naming a proposal as an end
//	m␀change                        the change record of the newest write (its author, what it
//	                                wrote), rewritten by every write: its versions are the log
//	                                of writes, and reading it at a version tells who wrote that
//	m␀<index name>                  a derived index's marker: the version of it the store holds
//
// Adjacency keys carry the relation type, so type-filtered neighbours are a narrower
// prefix scan, and their values carry the rest of the relation record (role, valid
// times), so a walk rebuilds each live relation from the keys it scans without a point
// read per relation. Adjacency keys written before values were kept have empty values;
// readers then read the record.
//
// The derived indexes (package index and those under it) keep their keys here too:
//
//	y␀<evidence id>␀<subject>       evidence by id alone (index/evidenceids)
//	x␀<word>␀<doc>                  full-text postings (index/fulltext): field, count, length;
//	                                <doc> a node id or source␀subject␀evidence id for a quote
//	g␀<word>                        words of the name and full-text indexes, for typos
//	X␀<stem>␀<word>                 words of the full-text index by English stem, for other forms
//	m␀counters␀low␀<counter>        low mark: deltas of the counter below it are folded
//	c␀<counter>␀<seq>␀<group>␀<uniq> pending delta (signed varint), written blind by a write
//	b␀<counter>␀<group>             folded count (signed varint)
//	d␀<KIND>␀<^degree>␀<id>         entities by folded degree, highest first
//	v␀<entity>␀<valid from>␀<rel id> relations with a valid start, by start; value: valid end
//	u␀<entity>␀<valid to>␀<rel id>  relations with a valid end, by end
//
// <seq> is 16 hex digits, the newest version when the write began; times are 16 hex
// digits of seconds (offset by 2⁶²) and 8 of nanoseconds, so byte order is time order.
package layout
