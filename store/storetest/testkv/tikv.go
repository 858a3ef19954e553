//go:build tikv

package testkv

import (
	"testing"

	"github.com/pingcap/log"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikv"
	"go.uber.org/zap/zapcore"

	"eventgraph/store/kv"
	"eventgraph/store/tikvkv"
)

// openTiKV returns a store on a fresh in-process mock TiKV cluster, closed when the
// test ends.
func openTiKV(t testing.TB) kv.Store {
	t.Helper()
	log.SetLevel(zapcore.ErrorLevel) // the client's informational lines drown a test's
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	testutils.BootstrapWithSingleStore(cluster)
	s, err := tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tikvkv.New(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
