// Package analytics answers questions about the whole graph in one snapshot: counts
// (Aggregate) and centrality (Central) from the counters index, with the same answers
// computed from the records for snapshots without it; stances compared by topic and
// actor; pairs of entities likely to be one; and claims judged by what they say and how
// they are supported (Claims). It reads through package layout from any kv.Reader.
package analytics
