package store

import "eventgraph/store/kv"

// Errors of the storage beneath the graph, which it returns as they are. The model's
// own (domain.ErrNotFound, domain.ErrInvalid, …) are in package domain.
var (
	// ErrConflict: concurrent writers kept colliding; the write may be retried.
	ErrConflict = kv.ErrConflict
	// ErrUndetermined: the store could not tell whether a write landed; it is there
	// whole or not at all. Read before sending it again.
	ErrUndetermined = kv.ErrUndetermined
	// ErrLocked: another process holds the data directory.
	ErrLocked = kv.ErrLocked
)
