package tikvkv_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

// history is every version of key in s, newest first, as History lists it.
func history(t *testing.T, s kv.Store, key string) []string {
	t.Helper()
	var out []string
	err := s.History([]byte(key), func(version uint64, value []byte, deleted bool) error {
		out = append(out, fmt.Sprintf("%d:%q:%v", version, value, deleted))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupRestoresIntoBadger backs a store on the mock cluster up and restores the
// backup into a Badger data directory: every key, including those deleted and never
// written again (which no TiKV snapshot shows), has the same versions there, and every
// snapshot between the commits reads the same. There are more keys than the backup reads
// in one batch, some written by a Bulk, and one committed after the backup is not in it.
func TestBackupRestoresIntoBadger(t *testing.T) {
	s := mustProcesses(t, 1)[0]
	var versions []uint64
	keys := []string{"gone", "kept", "rewritten"}
	versions = append(versions, kvtest.MustUpdate(t, s, func(rw kv.ReadWriter) error {
		for i := range 2500 {
			if err := rw.Set(fmt.Appendf(nil, "many/%05d", i), fmt.Appendf(nil, "value %d", i)); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if err := rw.Set([]byte(k), []byte("first")); err != nil {
				return err
			}
		}
		return nil
	}))
	versions = append(versions, kvtest.MustUpdate(t, s, func(rw kv.ReadWriter) error {
		if err := rw.Delete([]byte("gone")); err != nil {
			return err
		}
		return rw.Delete([]byte("rewritten"))
	}))
	versions = append(versions, kvtest.MustSet(t, s, "rewritten", ""))
	b, err := s.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1250 {
		if err := b.Delete(fmt.Appendf(nil, "many/%05d", 2*i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Set([]byte("bulk"), []byte("bulk")); err != nil {
		t.Fatal(err)
	}
	v, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	versions = append(versions, v)
	for i := range 2500 {
		keys = append(keys, fmt.Sprintf("many/%05d", i))
	}
	keys = append(keys, "bulk")
	var backup bytes.Buffer
	if err := s.Backup(&backup); err != nil {
		t.Fatal(err)
	}
	kvtest.MustSet(t, s, "after", "after the backup")

	dir := filepath.Join(t.TempDir(), "restored")
	info, err := badgerkv.Restore(context.Background(), badgerkv.Options{Dir: dir}, &backup, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Keys != uint64(len(keys)) || info.Versions != 2500+3+2+1+1250+1 {
		t.Errorf("the backup holds %d keys in %d versions; want %d in %d", info.Keys, info.Versions, len(keys), 2500+3+2+1+1250+1)
	}
	restored, err := badgerkv.Open(badgerkv.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, k := range append(keys, "after") {
		if got, want := history(t, restored, k), history(t, s, k); k != "after" && !slices.Equal(got, want) {
			t.Errorf("%s restored holds %v; on the cluster %v", k, got, want)
		} else if k == "after" && len(got) != 0 {
			t.Errorf("a key written after the backup began was restored: %v", got)
		}
	}
	for _, v := range versions {
		got, want := kvtest.MustKeys(t, restored, v, kv.IterOptions{}), kvtest.MustKeys(t, s, v, kv.IterOptions{})
		if !slices.Equal(got, want) {
			t.Errorf("restored, the snapshot at %d holds %d keys; on the cluster %d", v, len(got), len(want))
		}
	}
	if got, _ := kvtest.MustGet(t, restored, kv.Latest, "rewritten"); got != "" {
		t.Errorf("rewritten restored = %q", got)
	}
}
