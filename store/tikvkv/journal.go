package tikvkv

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	tikverr "github.com/tikv/client-go/v2/error"
	"github.com/tikv/client-go/v2/txnkv/transaction"
	"github.com/tikv/client-go/v2/txnkv/txnsnapshot"
	"golang.org/x/sync/errgroup"

	"eventgraph/store/kv"
)

// A journal keeps the versions of a key every commit writes (the graph's change
// record), so that History reads them from the newest back and stops where its caller
// does. TiKV answers for a key's versions with its MVCC record, all of it at once: the
// change record's grows with every commit the cluster has held, and the change feed,
// which reads its newest versions again and again, would slow down with it.
//
// A journaled key's every write also sets an entry, in the reserved range, under the
// key and its transaction's start time: journalKey(key, startTS), holding the value
// written (behind the marker) or journalGone for a delete. Of two transactions that
// write one key, TiKV commits one only if the other committed before it began, so the
// entries' start times are in the order of their commits. An entry is written once
// and never deleted: its MVCC record holds one write, whose commit time is the
// version's, and garbage collection keeps it.
//
// Versions written before the key was journaled are read from the key's MVCC record:
// the journal's start (journalStartKey) holds the commit time of the newest of them
// (0: none), set once, by the first process opened to journal the key.

// journalSpace opens the journal entries: the key's length (uvarint), the key, the
// start time (8 bytes, big-endian).
const journalSpace = "\xffjournal/"

// journalStartSpace opens the journals' starts: the key journaled follows it.
const journalStartSpace = "\xffjournal-start/"

// journalGone is a journal entry's value for a delete; a set's opens with marker.
const journalGone = 0x00

// journalReaders is how many entries' MVCC records History reads at once.
const journalReaders = 64

// journalTimesHeld bounds the entries whose commit times a Store remembers: the
// change feed reads the newest ones again at every look.
const journalTimesHeld = 1 << 16

// Journal has a Store keep a journal of each of keys: History then reads a key's
// versions from the newest back, only as far as its caller goes, where it would
// otherwise read all of them at once. Every process writing one of the keys must be
// opened with it (eventgraph journals layout.Journaled); a process that is not writes
// versions its journal misses.
func Journal(keys ...[]byte) Option {
	return func(s *Store) {
		for _, k := range keys {
			s.journals[string(k)] = 0
		}
	}
}

// journalPrefix is the prefix of key's journal entries.
func journalPrefix(key []byte) []byte {
	p := binary.AppendUvarint([]byte(journalSpace), uint64(len(key)))
	return append(p, key...)
}

func journalKey(key []byte, startTS uint64) []byte {
	return binary.BigEndian.AppendUint64(journalPrefix(key), startTS)
}

func journalStartKey(key []byte) []byte { return append([]byte(journalStartSpace), key...) }

// startJournals finds or sets the start of each journal the Store keeps. Two processes
// starting one at once write its start both, and one runs again and finds the other's.
func (s *Store) startJournals() error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for key := range s.journals {
		from, err := s.startJournal(ctx, []byte(key))
		if err != nil {
			return fmt.Errorf("tikv: starting the journal of %q: %w", key, err)
		}
		s.journals[key] = from
	}
	return nil
}

func (s *Store) startJournal(ctx context.Context, key []byte) (uint64, error) {
	for range maxRuns {
		txn, err := s.tikv.Begin()
		if err != nil {
			return 0, err
		}
		start := journalStartKey(key)
		b, err := txn.Get(ctx, start)
		if err == nil {
			_ = txn.Rollback()
			return decodeJournalStart(b.Value)
		}
		if !tikverr.IsErrNotFound(err) {
			_ = txn.Rollback()
			return 0, err
		}
		// No journaling process has written key yet: each waits for the start to be
		// committed. Every version there is now was written unjournaled.
		newest, err := s.newestCommit(ctx, key)
		if err == nil {
			err = txn.Set(start, binary.BigEndian.AppendUint64([]byte{marker}, newest))
		}
		if err != nil {
			_ = txn.Rollback()
			return 0, err
		}
		_, err = s.commit(ctx, txn, false)
		if tikverr.IsErrWriteConflict(err) {
			continue
		}
		return newest, err
	}
	return 0, kv.ErrConflict
}

func decodeJournalStart(b []byte) (uint64, error) {
	if len(b) != 9 || b[0] != marker {
		return 0, fmt.Errorf("tikvkv: a journal's start holds %x", b)
	}
	return binary.BigEndian.Uint64(b[1:]), nil
}

// newestCommit is the commit time of key's newest version, 0 when it has none.
func (s *Store) newestCommit(ctx context.Context, key []byte) (uint64, error) {
	var newest uint64
	err := s.versions(ctx, key, func(commitTS uint64, _ []byte, _ bool) error {
		newest = commitTS
		return kv.ErrStop
	})
	return newest, err
}

// journaling is where a journal's start is found: a journal this process keeps was
// started when it opened; another process's is read from the cluster, in snap.
func (s *Store) journaling(ctx context.Context, snap *txnsnapshot.KVSnapshot, key []byte) (from uint64, ok bool, err error) {
	if from, ok := s.journals[string(key)]; ok {
		return from, true, nil
	}
	b, err := snap.Get(ctx, journalStartKey(key))
	if tikverr.IsErrNotFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	from, err = decodeJournalStart(b.Value)
	return from, err == nil, err
}

// journalWrite notes in key's journal, when the Store keeps one, what txn writes to
// key: the marked value set, or nil for a delete.
func (s *Store) journalWrite(txn *transaction.KVTxn, key, marked []byte) error {
	if _, ok := s.journals[string(key)]; !ok {
		return nil
	}
	if marked == nil {
		marked = []byte{journalGone}
	}
	return txn.Set(journalKey(key, txn.StartTS()), marked)
}

// journalVersions calls fn for each version of key, newest first, from its journal
// as snap holds it, then, past the journal's oldest, those from before it (committed
// at or before from) from the key's MVCC record. It reads the journal in growing
// batches, the commit times of a batch's entries up to journalReaders at once.
func (s *Store) journalVersions(ctx context.Context, snap *txnsnapshot.KVSnapshot, key []byte, from uint64, fn func(commitTS uint64, value []byte, deleted bool) error) error {
	prefix := journalPrefix(key)
	it, err := snap.IterReverse(kv.PrefixEnd(prefix), prefix)
	if err != nil {
		return err
	}
	defer it.Close()
	type entry struct{ key, value []byte }
	for size := 8; ; size = min(2*size, 1024) {
		var batch []entry
		for it.Valid() && len(batch) < size {
			batch = append(batch, entry{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
			if err := it.Next(); err != nil {
				return err
			}
		}
		keys := make([][]byte, len(batch))
		for i, e := range batch {
			keys[i] = e.key
		}
		times, err := s.commitTimes(ctx, keys)
		if err != nil {
			return err
		}
		for i, e := range batch {
			deleted := len(e.value) == 1 && e.value[0] == journalGone
			if deleted {
				e.value = nil
			}
			err := fn(times[i], e.value, deleted)
			if errors.Is(err, kv.ErrStop) {
				return nil
			}
			if err != nil {
				return err
			}
		}
		if len(batch) < size {
			break
		}
	}
	if from == 0 {
		return nil
	}
	return s.versions(ctx, key, func(commitTS uint64, value []byte, deleted bool) error {
		if commitTS > from {
			return nil // journaled
		}
		return fn(commitTS, value, deleted)
	})
}

// commitTimes is the commit time of each of entries, keys written once: remembered,
// or read from their MVCC records.
func (s *Store) commitTimes(ctx context.Context, entries [][]byte) ([]uint64, error) {
	times := make([]uint64, len(entries))
	var unknown []int
	s.journalTimes.Lock()
	for i, e := range entries {
		if times[i] = s.journalTimes.of[string(e)]; times[i] == 0 {
			unknown = append(unknown, i)
		}
	}
	s.journalTimes.Unlock()
	var readers errgroup.Group
	readers.SetLimit(journalReaders)
	for _, i := range unknown {
		readers.Go(func() error {
			var err error
			times[i], err = s.newestCommit(ctx, entries[i])
			if err == nil && times[i] == 0 {
				err = fmt.Errorf("tikvkv: journal entry %q has no committed write", entries[i])
			}
			return err
		})
	}
	if err := readers.Wait(); err != nil {
		return nil, err
	}
	s.journalTimes.Lock()
	defer s.journalTimes.Unlock()
	if len(s.journalTimes.of)+len(unknown) > journalTimesHeld {
		clear(s.journalTimes.of)
	}
	for _, i := range unknown {
		s.journalTimes.of[string(entries[i])] = times[i]
	}
	return times, nil
}

// journalTimes remembers the commit times of journal entries read.
type journalTimes struct {
	sync.Mutex
	of map[string]uint64
}
