package tikvkv

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pingcap/kvproto/pkg/kvrpcpb"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/tikvrpc"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

// mvccCounter counts the versions the cluster's MVCC records answer with: what
// reading a key's history costs.
type mvccCounter struct {
	tikv.Client
	versions atomic.Int64
}

func (c *mvccCounter) SendRequest(ctx context.Context, addr string, req *tikvrpc.Request, timeout time.Duration) (*tikvrpc.Response, error) {
	resp, err := c.Client.SendRequest(ctx, addr, req, timeout)
	if err == nil && req.Type == tikvrpc.CmdMvccGetByKey {
		if got, ok := resp.Resp.(*kvrpcpb.MvccGetByKeyResponse); ok && got.Info != nil {
			c.versions.Add(int64(len(got.Info.Writes)))
		}
	}
	return resp, err
}

// versionsOf is what History lists of key through s, newest first, stopping after
// most versions (0: all of them).
func versionsOf(t *testing.T, s kv.Store, key string, most int) []string {
	t.Helper()
	var out []string
	err := s.History([]byte(key), func(version uint64, value []byte, deleted bool) error {
		out = append(out, fmt.Sprintf("%d:%q:%v", version, value, deleted))
		if len(out) == most {
			return kv.ErrStop
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mvccVersionsOf is every version of key in its MVCC record, newest first, as History
// lists a key no journal keeps.
func mvccVersionsOf(t *testing.T, s *Store, key string) []string {
	t.Helper()
	var out []string
	err := s.versions(context.Background(), []byte(key), func(commitTS uint64, value []byte, deleted bool) error {
		if !deleted {
			value = value[1:]
		}
		out = append(out, fmt.Sprintf("%d:%q:%v", version(commitTS), value, deleted))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJournaledHistoryIsTheKeysHistory writes a key through a process that does not
// journal it, then through two that do, by Updates, a delete and a Bulk: History
// through each of the three processes (the one that does not journal it reads the
// journal the others keep) lists every version the key's MVCC record holds, in the
// same order, and the journal's start is the last version written before it.
func TestJournaledHistoryIsTheKeysHistory(t *testing.T) {
	m := newMock(t, nil)
	plain, _ := m.mustOpen(t)
	var before uint64
	for i := range 3 {
		before = kvtest.MustSet(t, plain, "feed", fmt.Sprint("before ", i))
	}
	a, _ := m.mustOpen(t, Journal([]byte("feed")))
	b, _ := m.mustOpen(t, Journal([]byte("feed")))
	if a.journals["feed"] != timestamp(before) || b.journals["feed"] != timestamp(before) {
		t.Fatalf("the journal starts at %d and %d; the last version before it is %d", version(a.journals["feed"]), version(b.journals["feed"]), before)
	}
	for i := range 4 {
		kvtest.MustSet(t, []*Store{a, b}[i%2], "feed", fmt.Sprint("journaled ", i))
	}
	kvtest.MustUpdate(t, a, func(rw kv.ReadWriter) error { return rw.Delete([]byte("feed")) })
	kvtest.MustSet(t, b, "feed", "")
	bw, err := a.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Set([]byte("feed"), []byte("bulk")); err != nil {
		t.Fatal(err)
	}
	if _, err := bw.Commit(); err != nil {
		t.Fatal(err)
	}
	want := mvccVersionsOf(t, a, "feed")
	if len(want) != 10 {
		t.Fatalf("the key's MVCC record holds %d versions, want 10: %v", len(want), want)
	}
	for name, s := range map[string]*Store{"journaling": a, "other journaling": b, "not journaling": plain} {
		if got := versionsOf(t, s, "feed", 0); !slices.Equal(got, want) {
			t.Errorf("History through the %s process:\n%v\nwant\n%v", name, got, want)
		}
		if got := versionsOf(t, s, "feed", 2); !slices.Equal(got, want[:2]) {
			t.Errorf("History through the %s process, stopped after two: %v, want %v", name, got, want[:2])
		}
	}
}

// TestJournaledHistoryReadsWhatItsCallerReads: of a key written by 300 commits, the
// newest three versions cost History a batch of the journal's entries, one version
// each, and nothing when read again; a key without a journal costs all 300.
func TestJournaledHistoryReadsWhatItsCallerReads(t *testing.T) {
	counter := &mvccCounter{}
	s, _ := newMock(t, func(c tikv.Client) tikv.Client { counter.Client = c; return counter }).mustOpen(t, Alone(), Journal([]byte("feed")))
	for i := range 300 {
		kvtest.MustUpdate(t, s, func(rw kv.ReadWriter) error {
			return twoSets(rw, "feed", "plain", fmt.Sprint(i))
		})
	}
	for _, c := range []struct {
		key      string
		most     int64
		doesWhat string
	}{
		{"feed", 8, "reads a batch of the journal"},
		{"feed", 0, "reads the batch again from what it remembers"},
		{"plain", 300, "reads every version (no journal)"},
	} {
		counter.versions.Store(0)
		got := versionsOf(t, s, c.key, 3)
		if want := fmt.Sprintf("%q:false", "299"); len(got) != 3 || got[0][len(got[0])-len(want):] != want {
			t.Fatalf("the newest versions of %s: %v", c.key, got)
		}
		if n := counter.versions.Load(); n != c.most {
			t.Errorf("the newest three versions of %s cost %d versions of MVCC records, want %d: History %s", c.key, n, c.most, c.doesWhat)
		}
	}
}

func twoSets(rw kv.ReadWriter, k1, k2, value string) error {
	if err := rw.Set([]byte(k1), []byte(value)); err != nil {
		return err
	}
	return rw.Set([]byte(k2), []byte(value))
}

// TestJournalStartedByTwoProcessesAtOnce: processes opening at once on a cluster whose
// key has versions from before any journal all find one start, the newest of them.
func TestJournalStartedByTwoProcessesAtOnce(t *testing.T) {
	m := newMock(t, nil)
	plain, _ := m.mustOpen(t)
	before := kvtest.MustSet(t, plain, "feed", "before")
	starts := make([]uint64, 4)
	errs := make([]error, len(starts))
	var opening sync.WaitGroup
	for i := range starts {
		opening.Go(func() {
			var s *Store
			if s, _, errs[i] = m.open(t, Journal([]byte("feed"))); errs[i] == nil {
				starts[i] = s.journals["feed"]
			}
		})
	}
	opening.Wait()
	for i, start := range starts {
		if errs[i] != nil {
			t.Fatalf("process %d: %v", i, errs[i])
		}
		if start != timestamp(before) {
			t.Errorf("process %d found the journal starting at %d, want %d", i, version(start), before)
		}
	}
}
