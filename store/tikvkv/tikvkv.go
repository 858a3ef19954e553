// Package tikvkv is the kv.Store of eventgraph on TiKV: a range-sharded, replicated,
// transactional key-value store with snapshot reads, for a graph that has outgrown one
// machine.
//
// How the kv contract maps onto TiKV:
//
//   - Versions are TiKV's timestamps, which PD's oracle hands out strictly increasing:
//     a timestamp's physical part is Unix milliseconds and its logical part a counter
//     below 2¹⁸, so version = physical·10⁶ + logical is strictly increasing too and,
//     as the contract wants, the commit's time in Unix nanoseconds (to the
//     millisecond). A snapshot at a version reads at the timestamp it maps back to.
//   - Updates commit side by side and a Bulk alone, from its start to its end (a
//     read-write lock); an Update waits for a Bulk no longer than its deadline. A
//     write-write conflict with a commit since the transaction began
//     (TiKV's optimistic check) runs the Update again. TiKV checks no more than that,
//     where Badger checks what a transaction read: two Updates at once that write one
//     key conflict here even when neither read it, and every commit writes the graph's
//     change record, so writers at once run again (docs/tikv.md). An increment (a key
//     read and written) is never lost; two Updates of other servers that each read
//     what the other writes are not ordered (snapshot isolation; docs/tikv.md).
//   - An Update whose snapshot predates a Bulk this process committed runs again.
//   - The newest version (LatestVersion, View at kv.Latest) is the cluster's current
//     time, fetched from PD: every commit acknowledged before, by any process, is
//     visible there at once. It is not a commit's own version and moves on without
//     commits, as the kv contract allows a shared store.
//   - History reads the MVCC versions TiKV keeps of a key (its MvccGetByKey call), all
//     of them at once. A key every commit writes (the graph's change record) is
//     journaled instead (Journal): History reads its versions from the newest back, as
//     far as its caller goes. TiKV's garbage collection removes versions older than
//     the GC safe point, so an open Store holds it back: it keeps a service GC safe
//     point, "eventgraph", at the first version, renewed every minute for a day
//     (docs/tikv.md).
//   - Values are stored behind a one-byte marker, as TiKV refuses empty values and the
//     graph writes some (index entries).
//   - Bulk is one TiKV transaction, begun with the Bulk and written into as the Bulk
//     is: all or nothing for readers, of any size the client's memory holds (TiKV
//     itself limits each key and value, not a transaction's total; the 100 MiB limit
//     of TiDB's is TiDB's). When another process committed one of its keys since it
//     began, its commit fails with kv.ErrConflict and writes nothing: its writer
//     planned it from what it read, which that commit changed.
//   - A commit returns once all its keys are committed, not only its primary key as
//     TiKV acknowledges, so that no reader meets its locks afterwards.
//   - Backup writes every version of every key in the format of Badger's backups,
//     which restore loads into a Badger data directory. As no TiKV scan shows a deleted
//     key, every delete also notes its key in a ledger in the reserved range.
//   - A commit whose primary key's answer was lost (the client's
//     ErrResultUndetermined) returns kv.ErrUndetermined and is not run again.
package tikvkv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pingcap/kvproto/pkg/kvrpcpb"
	tikverr "github.com/tikv/client-go/v2/error"
	tikvkv "github.com/tikv/client-go/v2/kv"
	"github.com/tikv/client-go/v2/oracle"
	"github.com/tikv/client-go/v2/tikv"
	"github.com/tikv/client-go/v2/tikvrpc"
	"github.com/tikv/client-go/v2/txnkv"
	"github.com/tikv/client-go/v2/txnkv/transaction"

	"eventgraph/store/kv"
)

// maxRuns bounds the runs of an Update's function when commits conflict.
const maxRuns = 25

// timeout bounds one call of the kv interface to the cluster, but for a Bulk's commit.
const timeout = 60 * time.Second

// bulkTimeout bounds a Bulk's commit, which writes an import of any size: the longest
// the client keeps a transaction's locks alive (its MaxTxnTTL), after which a reader
// may roll the transaction back.
const bulkTimeout = time.Hour

// marker opens every stored value: TiKV stores no empty value.
const marker = 0x01

// Store is a kv.Store over a TiKV cluster.
type Store struct {
	tikv     *tikv.KVStore
	commits  sync.RWMutex  // held around each commit: shared by Updates, alone by a Bulk
	latest   atomic.Uint64 // the newest commit's version, or the time the store opened
	stop     chan struct{} // closed by Close, to stop holding GC back
	stopped  chan struct{} // closed when holding GC back has stopped
	alone    bool          // no other process writes the cluster (Alone)
	lastBulk atomic.Uint64 // the newest Bulk's version
	closed   atomic.Bool
	// journals holds the start (journalStartKey) of each key's journal the Store
	// keeps (Journal); it is not written after New.
	journals     map[string]uint64
	journalTimes journalTimes
}

// Open connects to the TiKV cluster whose PD servers answer at pdAddrs (host:port
// each) and returns a store on it.
func Open(pdAddrs []string, opts ...Option) (*Store, error) {
	c, err := txnkv.NewClient(pdAddrs)
	if err != nil {
		return nil, fmt.Errorf("tikv: connecting to PD at %s: %w", strings.Join(pdAddrs, ","), err)
	}
	s, err := New(c.KVStore, opts...)
	if err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

// New wraps a TiKV store: a cluster's (txnkv.NewClient) or the mock cluster tests run
// (testutils.NewMockTiKV). Close closes it.
//
// Errors: the cluster's, when it gives no timestamp.
func New(s *tikv.KVStore, opts ...Option) (*Store, error) {
	ts, err := s.CurrentTimestamp(oracle.GlobalTxnScope)
	if err != nil {
		return nil, err
	}
	st := &Store{tikv: s, stop: make(chan struct{}), stopped: make(chan struct{}),
		journals: map[string]uint64{}, journalTimes: journalTimes{of: map[string]uint64{}}}
	st.latest.Store(version(ts)) // LatestVersion's answer should PD not answer later
	for _, o := range opts {
		o(st)
	}
	if err := st.holdGC(); err != nil {
		return nil, fmt.Errorf("tikv: holding garbage collection back from the graph's history: %w", err)
	}
	go st.keepHoldingGC()
	if err := st.startJournals(); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// GCServiceID names the service GC safe point an open Store keeps in PD.
const GCServiceID = "eventgraph"

// gcHold is how long PD keeps the service GC safe point after its last renewal: every
// server of a cluster down for longer lets garbage collection take old versions again.
const gcHold = 24 * time.Hour

// gcRenewal is how often an open Store renews its service GC safe point.
const gcRenewal = time.Minute

// holdGC sets the service GC safe point GCServiceID at the first version, for gcHold:
// TiKV's garbage collection then keeps every version, as the graph's history and its
// reads "as of" a past moment need them. Versions that GC removed before any
// eventgraph held it back stay removed: PD keeps no safe point below its own.
func (s *Store) holdGC() error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err := s.tikv.GetPDClient().UpdateServiceGCSafePoint(ctx, GCServiceID, int64(gcHold/time.Second), 1)
	return err
}

// keepHoldingGC renews the service GC safe point until Close. A failed renewal is
// tried again at the next: the hold lasts gcHold from the last that succeeded.
func (s *Store) keepHoldingGC() {
	defer close(s.stopped)
	tick := time.NewTicker(gcRenewal)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			_ = s.holdGC()
		}
	}
}

// version is the kv version of a TiKV timestamp.
func version(ts uint64) uint64 {
	if ts == 0 {
		return 0
	}
	return uint64(oracle.ExtractPhysical(ts))*1_000_000 + uint64(oracle.ExtractLogical(ts))
}

// timestamp is the TiKV timestamp of a kv version; a version between two timestamps
// (its logical part beyond 2¹⁸) reads at the last timestamp of its millisecond.
func timestamp(v uint64) uint64 {
	return oracle.ComposeTS(int64(v/1_000_000), min(int64(v%1_000_000), 1<<18-1))
}

// View implements kv.Store.
func (s *Store) View(v uint64, fn func(kv.Reader) error) error {
	if s.closed.Load() {
		return kv.ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if v == kv.Latest {
		v = s.LatestVersion()
	}
	snap := s.tikv.GetSnapshot(timestamp(v))
	return fn(&reader{
		ctx:        ctx,
		get:        snap.Get,
		iter:       func(k, upper []byte) (iterator, error) { return snap.Iter(k, upper) },
		riter:      func(k, lower []byte) (iterator, error) { return snap.IterReverse(k, lower) },
		version:    v,
		concurrent: true,
	})
}

// iterator is TiKV's, over a snapshot or a transaction's writes and snapshot.
type iterator interface {
	Valid() bool
	Key() []byte
	Value() []byte
	Next() error
	Close()
}

// reader reads a snapshot, or a transaction with its own writes.
type reader struct {
	ctx     context.Context
	get     func(ctx context.Context, k []byte, options ...tikvkv.GetOption) (tikvkv.ValueEntry, error)
	iter    func(k, upper []byte) (iterator, error)
	riter   func(k, lower []byte) (iterator, error)
	version uint64
	// concurrent says the reader may be read from several goroutines at once: a
	// snapshot may, a transaction (its buffer of writes) may not.
	concurrent bool
}

func (r *reader) Version() uint64 { return r.version }

func (r *reader) Get(key []byte) ([]byte, error) {
	if kv.CheckKey(key) != nil { // never visited
		return nil, kv.ErrNotFound
	}
	e, err := r.get(r.ctx, key)
	switch {
	case tikverr.IsErrNotFound(err):
		return nil, kv.ErrNotFound
	case err != nil:
		return nil, err
	case len(e.Value) == 0:
		return nil, kv.ErrNotFound // deleted in this transaction
	}
	return slices.Clone(e.Value[1:]), nil
}

func (r *reader) Iterate(opts kv.IterOptions, fn func(key, value []byte) error) error {
	lower, upper := opts.Bounds()
	if bytes.Compare(lower, upper) >= 0 {
		return nil
	}
	var it iterator
	var err error
	if opts.Reverse {
		it, err = r.riter(upper, lower)
	} else {
		it, err = r.iter(lower, upper)
	}
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); err = it.Next() {
		if err != nil {
			return err
		}
		if len(it.Value()) == 0 {
			continue // deleted in this transaction
		}
		if err := fn(it.Key(), it.Value()[1:]); err != nil {
			if errors.Is(err, kv.ErrStop) {
				return nil
			}
			return err
		}
	}
	return err
}

// IterateRanges implements kv.Reader. Each range is a round trip to TiKV at least, so a
// snapshot reads up to rangeReaders ranges ahead at once, each up to rangeAhead
// entries, the rest of a range read when it is reached; fn still sees the ranges one
// after another, in order. A transaction reads them one at a time.
func (r *reader) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	for i := 1; i < len(prefixes); i++ {
		if bytes.Compare(prefixes[i-1], prefixes[i]) > 0 {
			return fmt.Errorf("kv: IterateRanges: prefix %q after %q: prefixes must ascend", prefixes[i], prefixes[i-1])
		}
	}
	if !r.concurrent || len(prefixes) < 2 {
		for i, p := range prefixes {
			if stop, err := r.visitRange(i, kv.IterOptions{Prefix: p}, fn); stop || err != nil {
				return err
			}
		}
		return nil
	}
	reads := make([]chan rangeRead, len(prefixes))
	for i := range reads {
		reads[i] = make(chan rangeRead, 1)
	}
	// slots holds a place for each range read ahead and not yet visited: it bounds
	// the goroutines and the entries held at once.
	slots := make(chan struct{}, rangeReaders)
	done := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for i, p := range prefixes {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			readers.Go(func() { reads[i] <- r.readAhead(p) })
		}
	})
	defer readers.Wait()
	defer close(done)
	for i, p := range prefixes {
		read := <-reads[i]
		<-slots
		if read.err != nil {
			return read.err
		}
		for _, e := range read.entries {
			if err := fn(i, e.key, e.value); errors.Is(err, kv.ErrStop) {
				return nil
			} else if err != nil {
				return err
			}
		}
		if read.more {
			rest := kv.IterOptions{Prefix: p, Start: append(slices.Clone(read.entries[len(read.entries)-1].key), 0)}
			if stop, err := r.visitRange(i, rest, fn); stop || err != nil {
				return err
			}
		}
	}
	return nil
}

// rangeReaders is how many ranges IterateRanges reads ahead at once on a snapshot.
const rangeReaders = 16

// rangeAhead is how many entries of a range IterateRanges reads ahead.
const rangeAhead = 256

// rangeRead is the start of a range, read ahead.
type rangeRead struct {
	entries []entry
	more    bool // the range holds keys past entries
	err     error
}

type entry struct{ key, value []byte }

// readAhead reads the first rangeAhead entries under prefix.
func (r *reader) readAhead(prefix []byte) rangeRead {
	var read rangeRead
	read.err = r.Iterate(kv.IterOptions{Prefix: prefix}, func(key, value []byte) error {
		if len(read.entries) == rangeAhead {
			read.more = true
			return kv.ErrStop
		}
		read.entries = append(read.entries, entry{slices.Clone(key), slices.Clone(value)})
		return nil
	})
	return read
}

// visitRange calls fn with i for each key of opts, reporting whether fn stopped it
// (kv.ErrStop).
func (r *reader) visitRange(i int, opts kv.IterOptions, fn func(i int, key, value []byte) error) (stopped bool, err error) {
	err = r.Iterate(opts, func(key, value []byte) error {
		err := fn(i, key, value)
		stopped = errors.Is(err, kv.ErrStop)
		return err
	})
	return stopped, err
}

// txnWriter is a transaction's reader that also writes.
type txnWriter struct {
	*reader
	s   *Store
	txn *transaction.KVTxn
}

func (w *txnWriter) Set(key, value []byte) error { return w.s.setMarked(w.txn, key, value) }

func (w *txnWriter) Delete(key []byte) error { return w.s.deleteNoted(w.txn, key) }

// begin opens a transaction whose reader sees its own writes.
func (s *Store) begin(ctx context.Context) (*txnWriter, error) {
	txn, err := s.tikv.Begin()
	if err != nil {
		return nil, err
	}
	return &txnWriter{s: s, txn: txn, reader: &reader{
		ctx:     ctx,
		get:     txn.Get,
		iter:    func(k, upper []byte) (iterator, error) { return txn.Iter(k, upper) },
		riter:   func(k, lower []byte) (iterator, error) { return txn.IterReverse(k, lower) },
		version: version(txn.StartTS()),
	}}, nil
}

// commit commits txn, holding the commit lock, and returns the commit's version; a
// transaction that read before a Bulk this process committed is refused (conflict),
// as is an empty one at no cost.
func (s *Store) commit(ctx context.Context, txn *transaction.KVTxn, bulk bool) (uint64, error) {
	if !bulk { // a Bulk holds the lock alone from its start
		if err := s.shareCommits(ctx); err != nil {
			_ = txn.Rollback()
			return 0, err
		}
		defer s.commits.RUnlock()
		if s.lastBulk.Load() > version(txn.StartTS()) {
			_ = txn.Rollback()
			return 0, errBulkSince
		}
	}
	if txn.Len() == 0 {
		_ = txn.Rollback()
		return version(txn.StartTS()), nil // what it read is there
	}
	// Commit times come from PD. With 1PC or async commit TiKV would choose one above
	// the greatest time read in the region, which can fall before a time LatestVersion
	// handed out that no read took to TiKV: the next commit would not come after it.
	txn.SetEnable1PC(false)
	txn.SetEnableAsyncCommit(false)
	// The commit's time is the one it ends with: TiKV refuses a primary's commit time
	// below the least a reader pushed it to, and the client commits again later.
	var committed transaction.TxnInfo
	txn.SetCommitCallback(func(info string, err error) {
		if err == nil {
			_ = json.Unmarshal([]byte(info), &committed)
		}
	})
	// TiKV acknowledges a commit once its primary key is committed; the client commits
	// the other keys after, in goroutines of the transaction's. Until they have, a
	// reader meeting one of their locks asks for the primary's state and resolves the
	// lock's region: after a large Bulk every region, and every reader at once (on the
	// mock cluster, readers queued behind the commit for tens of seconds). A commit
	// therefore returns once they are done: no reader meets this process's locks.
	var background sync.WaitGroup
	txn.SetBackgroundGoroutineLifecycleHooks(transaction.LifecycleHooks{Pre: func() { background.Add(1) }, Post: background.Done})
	err := txn.Commit(ctx)
	waitFor(ctx, &background)
	if tikverr.IsErrorUndetermined(err) {
		return 0, fmt.Errorf("%w: %w", kv.ErrUndetermined, err)
	}
	if err != nil {
		return 0, err
	}
	if committed.CommitTS == 0 {
		return 0, errors.New("tikv: the client did not say when the commit landed")
	}
	v := version(committed.CommitTS)
	for old := s.latest.Load(); v > old && !s.latest.CompareAndSwap(old, v); old = s.latest.Load() {
	}
	if bulk {
		s.lastBulk.Store(v)
	}
	return v, nil
}

// errBulkSince refuses an Update whose snapshot predates a Bulk's commit.
var errBulkSince = errors.New("tikvkv: a bulk committed since the transaction began")

// shareCommits takes the commit lock beside other Updates, waiting for a Bulk of this
// process to end no longer than ctx allows: an Update's sequence number, taken before
// it began, must not fall further behind its commit than WriteHorizon, and an import
// can hold the lock for minutes.
func (s *Store) shareCommits(ctx context.Context) error {
	for !s.commits.TryRLock() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: a bulk write of this process held the commits past the write's deadline", kv.ErrConflict)
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}

// Update implements kv.Store.
func (s *Store) Update(fn func(kv.ReadWriter) error) (uint64, error) {
	if s.closed.Load() {
		return 0, kv.ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for range maxRuns {
		w, err := s.begin(ctx)
		if err != nil {
			return 0, err
		}
		if err := fn(w); err != nil {
			_ = w.txn.Rollback()
			return 0, err
		}
		v, err := s.commit(ctx, w.txn, false)
		if tikverr.IsErrWriteConflict(err) || errors.Is(err, errBulkSince) {
			continue
		}
		if err != nil {
			return 0, err
		}
		return v, nil
	}
	return 0, kv.ErrConflict
}

// Bulk implements kv.Store: one TiKV transaction, begun now, whose buffer keeps the
// writes until Commit. It holds the commit lock alone from now until Commit or Abort,
// as Badger's does: this process's Updates wait for it, so that what its writer reads
// meanwhile stays the newest this process writes. Other processes' do not: Commit
// fails with kv.ErrConflict, writing nothing, when one of them committed a key it
// writes since it began (every graph write writes the change record), since its
// writer computed its writes from what it read before that commit.
func (s *Store) Bulk() (kv.BulkWriter, error) {
	if s.closed.Load() {
		return nil, kv.ErrClosed
	}
	s.commits.Lock()
	txn, err := s.tikv.Begin()
	if err != nil {
		s.commits.Unlock()
		return nil, err
	}
	return &bulk{s: s, txn: txn}, nil
}

// bulk writes straight into one TiKV transaction's buffer, which holds them once until
// the commit.
type bulk struct {
	s    *Store
	txn  *transaction.KVTxn
	done bool // Commit or Abort has run, and released the commit lock
}

func (b *bulk) Set(key, value []byte) error { return b.s.setMarked(b.txn, key, value) }

func (b *bulk) Delete(key []byte) error { return b.s.deleteNoted(b.txn, key) }

// goneSpace opens the keys of the ledger of deleted keys: the key deleted follows it,
// its value is the marker alone. A backup reads it for the keys no snapshot shows.
const goneSpace = "\xffgone/"

// goneEnd is the key the ledger of deleted keys stops before.
const goneEnd = "\xffgone0"

// setMarked sets key to value in txn, behind the marker, and in key's journal when the
// Store keeps one.
func (s *Store) setMarked(txn *transaction.KVTxn, key, value []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	marked := append([]byte{marker}, value...)
	if err := txn.Set(key, marked); err != nil {
		return err
	}
	return s.journalWrite(txn, key, marked)
}

// deleteNoted deletes key in txn and notes it in the ledger of deleted keys, and in
// key's journal when the Store keeps one.
func (s *Store) deleteNoted(txn *transaction.KVTxn, key []byte) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := txn.Delete(key); err != nil {
		return err
	}
	if err := txn.Set(append([]byte(goneSpace), key...), []byte{marker}); err != nil {
		return err
	}
	return s.journalWrite(txn, key, nil)
}

// Staged implements kv.Staged: the writes stay in the transaction's buffer until
// Commit.
func (b *bulk) Staged() bool { return true }

// errBulkEnded is Commit's error after Commit or Abort.
var errBulkEnded = errors.New("tikvkv: the bulk write has ended")

func (b *bulk) Commit() (uint64, error) {
	if b.done {
		return 0, errBulkEnded
	}
	b.done = true
	defer b.s.commits.Unlock()
	if b.s.closed.Load() {
		_ = b.txn.Rollback()
		return 0, kv.ErrClosed
	}
	if b.txn.Len() == 0 { // its version is the time of the commit, not of the Bulk's start
		_ = b.txn.Rollback()
		return b.s.LatestVersion(), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), bulkTimeout)
	defer cancel()
	v, err := b.s.commit(ctx, b.txn, true)
	if tikverr.IsErrWriteConflict(err) {
		return 0, fmt.Errorf("%w: another process wrote a key of this bulk write since it began: %w", kv.ErrConflict, err)
	}
	return v, err
}

func (b *bulk) Abort() error {
	if b.done {
		return nil
	}
	b.done = true
	defer b.s.commits.Unlock()
	return b.txn.Rollback()
}

// waitFor waits until every goroutine wg counts has ended, or ctx has: a goroutine the
// client failed to start is counted and never ends, and a commit's goroutines still at
// work when the commit gives up leave locks that readers resolve, as without waiting.
func waitFor(ctx context.Context, wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// LatestVersion implements kv.Store: the cluster's current time from PD, at which every
// commit acknowledged before the call, by this process or another, is visible (one
// round trip, which the client batches with others'). Should PD not answer, it is this
// process's newest commit, or its time when it opened.
func (s *Store) LatestVersion() uint64 {
	ts, err := s.tikv.CurrentTimestamp(oracle.GlobalTxnScope)
	if err != nil {
		return s.latest.Load()
	}
	return max(version(ts), s.latest.Load())
}

// Option sets up a Store in New.
type Option func(*Store)

// Alone promises that no other process writes the cluster (a test's own cluster): the
// Store's writes in flight are then all this process's, and WriteHorizon is 0.
func Alone() Option { return func(s *Store) { s.alone = true } }

// WriteHorizon implements kv.Shared: every Update commit gives up after timeout from
// its start, which its sequence number precedes; twice that leaves a commit whose last
// request was under way at the deadline room to land. Other processes' counts are
// therefore folded two minutes after they are written, and read from their deltas
// until then. (A Bulk folds its own counts into their bases: docs/tikv.md, "Not yet".)
func (s *Store) WriteHorizon() time.Duration {
	if s.alone {
		return 0
	}
	return 2 * timeout
}

// History implements kv.Store.
func (s *Store) History(key []byte, fn func(version uint64, value []byte, deleted bool) error) error {
	if s.closed.Load() {
		return kv.ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	each := func(commitTS uint64, value []byte, deleted bool) error {
		if !deleted {
			value = value[1:]
		}
		return fn(version(commitTS), value, deleted)
	}
	snap := s.tikv.GetSnapshot(timestamp(s.LatestVersion()))
	from, journaled, err := s.journaling(ctx, snap, key)
	switch {
	case err != nil:
		return err
	case journaled:
		return s.journalVersions(ctx, snap, key, from, each)
	}
	return s.versions(ctx, key, each)
}

// versions calls fn for each committed version of key, newest first, from the MVCC
// record TiKV keeps of it.
func (s *Store) versions(ctx context.Context, key []byte, fn func(commitTS uint64, value []byte, deleted bool) error) error {
	info, err := s.mvcc(ctx, key)
	if err == nil && info != nil && info.Lock != nil {
		// TiKV commits a transaction's primary key first and its other keys after
		// Commit returns, so the key may still hold a lock of a committed write, which
		// its MVCC record does not list yet. Reading the key resolves the lock, as any
		// reader's would, and the record read again lists the write.
		if err = s.resolve(ctx, key); err == nil {
			info, err = s.mvcc(ctx, key)
		}
	}
	if err != nil || info == nil {
		return err
	}
	values := map[uint64][]byte{}
	for _, v := range info.Values {
		values[v.StartTs] = v.Value
	}
	writes := slices.Clone(info.Writes)
	slices.SortFunc(writes, func(a, b *kvrpcpb.MvccWrite) int { return -cmpUint(a.CommitTs, b.CommitTs) })
	for _, w := range writes {
		var err error
		switch w.Type {
		case kvrpcpb.Op_Put:
			value := w.ShortValue
			if value == nil {
				value = values[w.StartTs]
			}
			err = fn(w.CommitTs, value, false)
		case kvrpcpb.Op_Del:
			err = fn(w.CommitTs, nil, true)
		}
		if errors.Is(err, kv.ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// resolve reads key at a fresh timestamp, so that a lock on it is resolved: committed
// when its transaction committed, rolled back when it failed, waited for while it runs.
func (s *Store) resolve(ctx context.Context, key []byte) error {
	ts, err := s.tikv.CurrentTimestamp(oracle.GlobalTxnScope)
	if err != nil {
		return err
	}
	if _, err = s.tikv.GetSnapshot(ts).Get(ctx, key); tikverr.IsErrNotFound(err) {
		return nil
	}
	return err
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mvcc asks the region holding key for its MVCC record, following the region where it
// moved.
func (s *Store) mvcc(ctx context.Context, key []byte) (*kvrpcpb.MvccInfo, error) {
	bo := tikv.NewBackoffer(ctx, 20_000)
	for {
		loc, err := s.tikv.GetRegionCache().LocateKey(bo, key)
		if err != nil {
			return nil, err
		}
		req := tikvrpc.NewRequest(tikvrpc.CmdMvccGetByKey, &kvrpcpb.MvccGetByKeyRequest{Key: key})
		resp, err := s.tikv.SendReq(bo, req, loc.Region, timeout)
		if err != nil {
			return nil, err
		}
		regionErr, err := resp.GetRegionError()
		if err != nil {
			return nil, err
		}
		if regionErr != nil {
			if err := bo.Backoff(tikv.BoRegionMiss(), errors.New(regionErr.String())); err != nil {
				return nil, err
			}
			continue
		}
		got, ok := resp.Resp.(*kvrpcpb.MvccGetByKeyResponse)
		if !ok {
			return nil, fmt.Errorf("tikvkv: MvccGetByKey answered %T", resp.Resp)
		}
		if got.Error != "" {
			return nil, fmt.Errorf("tikvkv: MvccGetByKey: %s", got.Error)
		}
		return got.Info, nil
	}
}

// Close implements kv.Store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	close(s.stop)
	<-s.stopped
	return s.tikv.Close()
}
