//go:build !tikv

package testkv

import (
	"testing"

	"eventgraph/store/kv"
)

// openTiKV fails the test: the TiKV backend is built into tests only with -tags tikv.
func openTiKV(t testing.TB) kv.Store {
	t.Helper()
	t.Fatalf("%s=%s needs the build tag: go test -tags tikv", Env, TiKV)
	return nil
}
