package tikvkv

import (
	"context"
	"errors"
	"testing"

	tikverr "github.com/tikv/client-go/v2/error"
	"github.com/tikv/client-go/v2/oracle"
	"github.com/tikv/client-go/v2/testutils"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/txnkv/transaction"

	"eventgraph/store/kv"
)

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
	client, cluster, pdClient, err := testutils.NewMockTiKV("", nil)
	if err != nil {
		t.Fatal(err)
	}
	testutils.BootstrapWithSingleStore(cluster)
	ts, err := tikv.NewTestTiKVStore(client, pdClient, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ts, Alone())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
