package tikvkv

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tikverr "github.com/tikv/client-go/v2/error"
	"github.com/tikv/client-go/v2/oracle"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/tikvrpc"
	"github.com/tikv/client-go/v2/txnkv/transaction"
	pd "github.com/tikv/pd/client"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

// mustAloneOnMock is a Store alone on a fresh mock cluster of one TiKV store, closed
// when the test ends, with the client's store beneath it; wrap, when not nil, stands
// between the client and the cluster.
func mustAloneOnMock(t *testing.T, wrap func(tikv.Client) tikv.Client) (*Store, *tikv.KVStore) {
	t.Helper()
	return newMock(t, wrap).mustOpen(t, Alone())
}

// mock is a fresh mock cluster of one TiKV store, which processes open.
type mock struct {
	client tikv.Client
	pd     pd.Client
}

// newMock starts a mock cluster; wrap, when not nil, stands between the clients of
// the processes opening it and the cluster.
func newMock(t *testing.T, wrap func(tikv.Client) tikv.Client) *mock {
	t.Helper()
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	testutils.BootstrapWithSingleStore(cluster)
	m := &mock{client: client, pd: pdClient}
	if wrap != nil {
		m.client = wrap(client)
	}
	return m
}

// mustOpen opens a Store on the cluster with opts, as a process does, closed when the
// test ends, with the client's store beneath it.
func (m *mock) mustOpen(t *testing.T, opts ...Option) (*Store, *tikv.KVStore) {
	t.Helper()
	s, ts, err := m.open(t, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s, ts
}

// open is mustOpen returning its error, for a goroutine of the test's.
func (m *mock) open(t *testing.T, opts ...Option) (*Store, *tikv.KVStore, error) {
	ts, err := tikv.NewTestTiKVStore(m.client, m.pd, nil, nil, 0)
	if err != nil {
		return nil, nil, err
	}
	s, err := New(ts, opts...)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { s.Close() })
	return s, ts, nil
}

// readerAtCommit reads key through a snapshot newer than the commit time the client
// just chose, as a reader between a transaction's prewrite and its commit does: the
// reader pushes the primary lock's least commit time past its own, and TiKV refuses
// the commit time the client chose. (The client asks a transaction's schema checker
// exactly there; eventgraph sets none of its own.)
type readerAtCommit struct {
	s   *tikv.KVStore
	key []byte
	err error
}

func (r *readerAtCommit) CheckBySchemaVer(commitTS uint64, _ transaction.SchemaVer) (*transaction.RelatedSchemaChange, error) {
	ts, err := r.s.CurrentTimestamp(oracle.GlobalTxnScope)
	if err == nil && ts <= commitTS {
		err = errors.New("PD's time is not past the commit's")
	}
	if err == nil {
		_, err = r.s.GetSnapshot(ts).Get(context.Background(), r.key)
	}
	if err != nil && !tikverr.IsErrNotFound(err) {
		r.err = err
	}
	return nil, nil
}

// TestCommitTimeAfterAReaderPushedIt: the version commit returns is the time the commit
// landed at, also when TiKV refused the first one the client chose and the client
// committed again at a later one.
func TestCommitTimeAfterAReaderPushedIt(t *testing.T) {
	s, ts := mustAloneOnMock(t, nil)
	txn, err := ts.Begin()
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("pushed")
	if err := txn.Set(key, append([]byte{marker}, "value"...)); err != nil {
		t.Fatal(err)
	}
	reader := &readerAtCommit{s: ts, key: key}
	txn.SetSchemaLeaseChecker(reader)
	v, err := s.commit(context.Background(), txn, false)
	if err != nil || reader.err != nil {
		t.Fatalf("commit: %v; the reader: %v", err, reader.err)
	}
	err = s.View(v, func(r kv.Reader) error {
		_, err := r.Get(key)
		return err
	})
	if err != nil {
		t.Fatalf("at the version the commit returned, %d: %v", v, err)
	}
}

// losingClient is the mock cluster's client losing one commit request's answer, as a
// network does: the first commit request after arm reaches the cluster and lands
// (landed) or is lost on the way; either way the client hears an error it does not
// retry.
type losingClient struct {
	tikv.Client
	armed  atomic.Bool
	landed bool
}

func (c *losingClient) arm(landed bool) {
	c.landed = landed
	c.armed.Store(true)
}

func (c *losingClient) SendRequest(ctx context.Context, addr string, req *tikvrpc.Request, timeout time.Duration) (*tikvrpc.Response, error) {
	if req.Type != tikvrpc.CmdCommit || !c.armed.CompareAndSwap(true, false) {
		return c.Client.SendRequest(ctx, addr, req, timeout)
	}
	if c.landed {
		if _, err := c.Client.SendRequest(ctx, addr, req, timeout); err != nil {
			return nil, err
		}
	}
	return nil, context.Canceled
}

// TestCommitWhoseAnswerIsLost: an Update whose commit answer is lost returns
// kv.ErrUndetermined without running again (which could apply it twice), and readers
// then see its writes whole when the commit landed and none of them when it did not;
// the store goes on writing.
func TestCommitWhoseAnswerIsLost(t *testing.T) {
	for _, landed := range []bool{true, false} {
		t.Run(fmt.Sprintf("landed=%v", landed), func(t *testing.T) {
			var losing *losingClient
			s, _ := mustAloneOnMock(t, func(c tikv.Client) tikv.Client {
				losing = &losingClient{Client: c}
				return losing
			})
			kvtest.MustSet(t, s, "before", "x")
			losing.arm(landed)
			runs := 0
			_, err := s.Update(func(w kv.ReadWriter) error {
				runs++
				for _, k := range []string{"a", "b", "c"} {
					if err := w.Set([]byte(k), []byte("new")); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, kv.ErrUndetermined) || runs != 1 {
				t.Fatalf("Update = %v after %d runs; want kv.ErrUndetermined after one", err, runs)
			}
			if losing.armed.Load() {
				t.Fatal("no commit request was sent")
			}
			for _, k := range []string{"c", "b", "a"} {
				if got, ok := kvtest.MustGet(t, s, kv.Latest, k); ok != landed || ok && got != "new" {
					t.Errorf("%s = %q, %v; want it there (%v)", k, got, ok, landed)
				}
			}
			kvtest.MustSet(t, s, "after", "y")
			if got, ok := kvtest.MustGet(t, s, kv.Latest, "before"); got != "x" || !ok {
				t.Errorf("before = %q, %v; want x", got, ok)
			}
		})
	}
}
