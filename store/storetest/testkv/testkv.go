// Package testkv opens the kv.Store that eventgraph's tests run on, and is the one
// place that chooses it: the environment variable EVENTGRAPH_TEST_KV names the
// backend, "badger" (the default), "memory" (memkv) or "tikv" (tikvkv on the TiKV
// client's in-process mock cluster, which also needs the build tag tikv, so that other
// runs do not link the TiKV client into every test binary). CI runs the store, server,
// graph and seed suites on all three.
//
// It imports no graph code, so that the graph packages' own internal tests can use it
// too. Tests of what only Badger does (backups, crash recovery, the on-disk format)
// open Badger whatever the variable says.
package testkv

import (
	"os"
	"sync"
	"testing"

	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
	"eventgraph/store/memkv"
)

// Env is the environment variable naming the backend.
const Env = "EVENTGRAPH_TEST_KV"

// The backends Env can name.
const (
	Badger = "badger"
	Memory = "memory"
	TiKV   = "tikv"
)

// Backend returns the backend Env names, Badger when it is unset or empty. Any other
// value fails the test: a mistyped name must not quietly test Badger again.
func Backend(t testing.TB) string {
	t.Helper()
	switch b := os.Getenv(Env); b {
	case "", Badger:
		return Badger
	case Memory, TiKV:
		return b
	default:
		t.Fatalf("%s=%q: want %q, %q or %q", Env, b, Badger, Memory, TiKV)
		return ""
	}
}

// Open returns a new, empty store of the chosen backend, Badger keeping its data in
// memory, and closes it when the test ends.
func Open(t testing.TB) kv.Store {
	t.Helper()
	switch Backend(t) {
	case Memory:
		return openMemory(t)
	case TiKV:
		return openTiKV(t)
	}
	return mustBadger(t, badgerkv.Options{InMemory: true})
}

// OpenOnDisk is Open with Badger keeping its data in a temporary directory, as serve
// keeps it; memkv and the mock TiKV cluster have no disk to use.
func OpenOnDisk(t testing.TB) kv.Store {
	t.Helper()
	switch Backend(t) {
	case Memory:
		return openMemory(t)
	case TiKV:
		return openTiKV(t)
	}
	return OpenBadger(t)
}

// OpenBadger returns a new Badger store in a temporary directory whatever Env says,
// for tests of what only Badger does, and closes it when the test ends.
func OpenBadger(t testing.TB) *badgerkv.Store {
	t.Helper()
	return mustBadger(t, badgerkv.Options{Dir: t.TempDir()})
}

func mustBadger(t testing.TB, o badgerkv.Options) *badgerkv.Store {
	t.Helper()
	s, err := badgerkv.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openMemory(t testing.TB) kv.Store {
	s := memkv.New(memkv.Options{})
	t.Cleanup(func() { s.Close() })
	return s
}

// BeforeBulkCommit is s, a store other processes write too (kv.Shared), whose first
// Bulk runs meanwhile once, just before its commit: another process's commit landing
// while an import or a rebuild is under way.
func BeforeBulkCommit(s kv.Store, meanwhile func()) kv.Store {
	return &beforeBulkCommit{Store: s, Shared: s.(kv.Shared), meanwhile: meanwhile}
}

type beforeBulkCommit struct {
	kv.Store
	kv.Shared
	once      sync.Once
	meanwhile func()
}

func (s *beforeBulkCommit) Bulk() (kv.BulkWriter, error) {
	bw, err := s.Store.Bulk()
	if err != nil {
		return nil, err
	}
	return &bulkMeanwhile{BulkWriter: bw, store: s}, nil
}

type bulkMeanwhile struct {
	kv.BulkWriter
	store *beforeBulkCommit
}

func (b *bulkMeanwhile) Commit() (uint64, error) {
	b.store.once.Do(b.store.meanwhile)
	return b.BulkWriter.Commit()
}

// Staged passes on the store's answer: it decides how an import writes.
func (b *bulkMeanwhile) Staged() bool {
	s, ok := b.BulkWriter.(kv.Staged)
	return ok && s.Staged()
}
