// Package seed loads eventgraph seed files into the graph.
//
// A seed is a set of YAML (.yaml, .yml) and JSON Lines (.jsonl) files in the format of
// seed/FORMAT.md: sources with their full text, actors, places, events, topics,
// positions and relations, every relation and position with evidence quoting a source
// verbatim.
//
// Load (or LoadFiles, for paths on disk) parses files into a Set: one store.Batch plus,
// for every item in it and every evidence record, the file and line it came from.
//
// The two layers split the checking. Load checks what belongs to the files: YAML and
// JSON syntax, record kinds, unknown and repeated fields, value types, times, text
// files, keys defined twice, and fields left out that the model could not tell from a
// zero value (an evidence record's confidence, a point's lat or lon). Every rule of the
// model is the store's, whatever the entry point: required names and titles, enum
// values, key syntax, CAMEO codes, language tags, aliases, time order, ranges, evidence
// present, and quotes found verbatim in their sources' texts, which the store places at
// Unicode code point offsets (Load leaves them nil). Those problems therefore appear at
// Import or a dry run, mapped back to where they were written. Either way every
// problem is reported, each as an *Error ("file:line: field: message") in an
// *ErrorList (at most MaxErrors kept, the rest counted).
//
// Import writes a Set through an import of the store (store.Graph.BeginImport):
// validated as a whole against the store (references may name nodes the store already
// holds) and written atomically, all of it or none. The store's errors are mapped back
// to file, line and field. Importing the same files again changes nothing.
// Options.DryRun validates without writing. Options.ImportFiles does the same for
// files too large to load first: it reads them twice, nodes first, and hands the
// store their relations a part at a time.
//
// Bundled returns the seed shipped in data/, which `eventgraph serve` imports into an
// empty store. Generate writes a synthetic JSON Lines seed of any size, for load and
// performance tests.
//
// Relation ids are store.RelationID(type, from, to, role), with the role of a
// PARTICIPATED_IN relation defaulting to PARTICIPANT as the store defaults it; an
// evidence record's subject is that id, or a position's key. The same relation written
// twice in a seed is one relation with the evidence of both. Evidence records get
// method "seed:" + the file's base name.
package seed
