package tikvkv

import (
	"bytes"
	"context"
	"io"

	"github.com/tikv/client-go/v2/txnkv/txnsnapshot"
	"golang.org/x/sync/errgroup"

	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
)

// Backup writes every version of every key the graph has held, as of now, to w in the
// format of Badger's backups (badgerkv.BackupWriter), which `eventgraph restore` loads
// into a Badger data directory: a cluster's graph, history included, moved to one
// machine or kept as a file. Writers go on meanwhile; what they commit after the
// backup began is not in it.
//
// A TiKV scan shows the keys alive at its snapshot only, so every delete also notes
// its key in a ledger (goneSpace): the backup's keys are those alive as of the backup
// and those the ledger lists, and each one's versions come from its MVCC record, read
// for up to backupReaders keys at once. A key deleted before the ledger existed
// (eventgraph before backups on TiKV) is missing from the backup.
//
// Errors: kv.ErrClosed; the cluster's; w's.
func (s *Store) Backup(w io.Writer) error {
	if s.closed.Load() {
		return kv.ErrClosed
	}
	asOf := s.LatestVersion()
	bw, err := badgerkv.NewBackupWriter(w, asOf)
	if err != nil {
		return err
	}
	snapTS := timestamp(asOf)
	snap := s.tikv.GetSnapshot(snapTS)
	snap.SetKeyOnly(true)
	alive, err := keysOf(snap, []byte{}, []byte{0xff}, 0)
	if err != nil {
		return err
	}
	defer alive.close()
	gone, err := keysOf(snap, []byte(goneSpace), []byte(goneEnd), len(goneSpace))
	if err != nil {
		return err
	}
	defer gone.close()
	batch := make([][]byte, 0, backupBatch)
	for {
		key, err := nextKey(alive, gone)
		if err != nil {
			return err
		}
		if key != nil {
			batch = append(batch, key)
		}
		if len(batch) == backupBatch || key == nil && len(batch) > 0 {
			if err := s.backUp(batch, snapTS, bw); err != nil {
				return err
			}
			batch = batch[:0]
		}
		if key == nil {
			return bw.Close()
		}
	}
}

// backupBatch is how many keys a backup reads the versions of before writing them.
const backupBatch = 1024

// backupReaders is how many keys' MVCC records a backup reads at once.
const backupReaders = 64

// backUp adds the versions of keys committed at or before the timestamp snapTS to bw,
// in order, reading up to backupReaders MVCC records at once.
func (s *Store) backUp(keys [][]byte, snapTS uint64, bw *badgerkv.BackupWriter) error {
	type held struct {
		commitTS uint64
		value    []byte
		deleted  bool
	}
	versions := make([][]held, len(keys))
	var readers errgroup.Group
	readers.SetLimit(backupReaders)
	for i, key := range keys {
		readers.Go(func() error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return s.versions(ctx, key, func(commitTS uint64, value []byte, deleted bool) error {
				if commitTS > snapTS {
					return nil // committed after the backup began
				}
				if !deleted {
					value = value[1:]
				}
				versions[i] = append(versions[i], held{commitTS, value, deleted})
				return nil
			})
		})
	}
	if err := readers.Wait(); err != nil {
		return err
	}
	for i, key := range keys {
		for _, v := range versions[i] {
			if err := bw.Add(key, version(v.commitTS), v.value, v.deleted); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyStream is the keys of a range of a snapshot, in order, with the first skip bytes
// of each left out.
type keyStream struct {
	it   iterator
	skip int
}

func keysOf(snap *txnsnapshot.KVSnapshot, lower, upper []byte, skip int) (*keyStream, error) {
	it, err := snap.Iter(lower, upper)
	if err != nil {
		return nil, err
	}
	return &keyStream{it: it, skip: skip}, nil
}

// peek is the stream's next key, nil at its end.
func (k *keyStream) peek() []byte {
	if !k.it.Valid() {
		return nil
	}
	return k.it.Key()[k.skip:]
}

func (k *keyStream) close() { k.it.Close() }

// nextKey takes the lower of the two streams' next keys (both, when they are the same
// key) and returns a copy of it; nil when both have ended.
func nextKey(a, b *keyStream) ([]byte, error) {
	ka, kb := a.peek(), b.peek()
	order := bytes.Compare(ka, kb)
	switch {
	case ka == nil && kb == nil:
		return nil, nil
	case kb == nil || ka != nil && order <= 0:
		key := bytes.Clone(ka)
		if order == 0 {
			if err := b.it.Next(); err != nil {
				return nil, err
			}
		}
		return key, a.it.Next()
	}
	key := bytes.Clone(kb)
	return key, b.it.Next()
}
