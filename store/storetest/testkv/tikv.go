//go:build tikv

package testkv

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pingcap/log"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/tikvrpc"
	"go.uber.org/zap/zapcore"

	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/tikvkv"
)

// HopEnv names the environment variable that sets the time each request to the mock
// TiKV cluster waits before it is sent (a Go duration, "1ms"): the in-process cluster
// has no network, and benchmarks run with it to see what a network's round trips cost.
// The wait is a sleep, so at least the timer's granularity (about 1.1 ms on the machine
// the figures in docs/tikv.md come from, whatever shorter time is asked). Requests to
// PD (timestamps) do not wait.
const HopEnv = "EVENTGRAPH_TEST_TIKV_HOP"

// openTiKV returns a store on a fresh in-process mock TiKV cluster, which no other
// store writes (tikvkv.Alone), closed when the test ends.
func openTiKV(t testing.TB) kv.Store { return OpenProcesses(t, 1)[0] }

// OpenProcesses returns n stores on one fresh in-process mock TiKV cluster, as n
// processes open one cluster, closed when the test ends. One alone is tikvkv.Alone.
func OpenProcesses(t testing.TB, n int) []kv.Store {
	t.Helper()
	log.SetLevel(zapcore.ErrorLevel) // the client's informational lines drown a test's
	mock, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	testutils.BootstrapWithSingleStore(cluster)
	var client tikv.Client = mock
	if v := os.Getenv(HopEnv); v != "" {
		wait, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s=%q: %v", HopEnv, v, err)
		}
		client = hop{Client: mock, wait: wait}
	}
	stores := make([]kv.Store, n)
	for i := range stores {
		s, err := tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		opts := []tikvkv.Option{tikvkv.Journal(layout.Journaled()...)}
		if n == 1 {
			opts = append(opts, tikvkv.Alone())
		}
		st, err := tikvkv.New(s, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	return stores
}

// hop is a TiKV client whose requests wait before they are sent, as over a network.
type hop struct {
	tikv.Client
	wait time.Duration
}

func (h hop) SendRequest(ctx context.Context, addr string, req *tikvrpc.Request, timeout time.Duration) (*tikvrpc.Response, error) {
	time.Sleep(h.wait)
	return h.Client.SendRequest(ctx, addr, req, timeout)
}
