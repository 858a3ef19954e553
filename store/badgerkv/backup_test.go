package badgerkv

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"google.golang.org/protobuf/encoding/protowire"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
)

// mustFill writes keys with several versions each, deletions and values large and
// small (some 6 MB, so that a backup has more than one frame), and returns the store's
// directory.
func mustFill(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	s := mustOpen(t, Options{Dir: dir})
	defer s.Close()
	for round := range 3 {
		_, err := s.Update(func(rw kv.ReadWriter) error {
			for i := range 300 {
				k := []byte(fmt.Sprintf("key/%03d", i))
				switch {
				case i%7 == round:
					if err := rw.Delete(k); err != nil {
						return err
					}
				case i%3 == round:
					if err := rw.Set(k, bytes.Repeat([]byte{byte(i)}, 20_000)); err != nil {
						return err
					}
				default:
					if err := rw.Set(k, []byte(fmt.Sprintf("%d.%d", i, round))); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustBackup(t *testing.T, dir string) []byte {
	t.Helper()
	s := mustOpen(t, Options{Dir: dir})
	defer s.Close()
	var b bytes.Buffer
	if err := s.Backup(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mustDump lists every version of every key in the store in dir, deletions included.
func mustDump(t *testing.T, dir string) string {
	t.Helper()
	s := mustOpen(t, Options{Dir: dir})
	defer s.Close()
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
	defer it.Close()
	var out strings.Builder
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%q@%d meta %d: %x\n", item.Key(), item.Version(), item.UserMeta(), sha256.Sum256(v))
	}
	return out.String()
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := mustFill(t)
	backup := mustBackup(t, dir)
	restored := filepath.Join(t.TempDir(), "restored")
	info, err := Restore(context.Background(), Options{Dir: restored}, bytes.NewReader(backup), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mustDump(t, dir)
	if got := mustDump(t, restored); got != want {
		t.Fatalf("the restored store differs:\n%.2000s\nwant\n%.2000s", got, want)
	}
	if versions := uint64(strings.Count(want, "\n")); info.Keys != 300 || info.Versions != versions {
		t.Errorf("restore reports %d keys in %d versions, want 300 in %d", info.Keys, info.Versions, versions)
	}
	mustAllBeAtLastLevel(t, restored)
}

// mustAllBeAtLastLevel checks that every table of the store in dir is at Badger's last
// level, where a StreamWriter builds them; a restore through memtables leaves its
// tables in level 0.
func mustAllBeAtLastLevel(t *testing.T, dir string) {
	t.Helper()
	s := mustOpen(t, Options{Dir: dir})
	defer s.Close()
	tables := s.db.Tables()
	if len(tables) == 0 {
		t.Fatal("the restored store has no tables")
	}
	for _, table := range tables {
		if table.Level != s.db.Opts().MaxLevels-1 {
			t.Fatalf("a table is at level %d, want every one at the last level, %d", table.Level, s.db.Opts().MaxLevels-1)
		}
	}
}

// TestRestoreFormat1 restores a backup of the first format, Badger's own stream in no
// particular order: testdata/backup-format1 was written by that format's Backup from
// sixty keys filled as mustFill fills them, and backup-format1.dump is mustDump of the
// store it was written from.
func TestRestoreFormat1(t *testing.T) {
	backup, err := os.ReadFile("testdata/backup-format1")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/backup-format1.dump")
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	info, err := Restore(context.Background(), Options{Dir: restored}, bytes.NewReader(backup), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustDump(t, restored); got != string(want) {
		t.Fatalf("the restored store differs:\n%.2000s\nwant\n%.2000s", got, want)
	}
	if info.Keys != 60 || info.Versions != uint64(bytes.Count(want, []byte("\n"))) {
		t.Errorf("restore reports %d keys in %d versions", info.Keys, info.Versions)
	}
}

// format2 frames encoded pb.KV entries as a whole backup of format 2 in one frame,
// with the counts and checksum a writer that does not check them would give it.
func format2(entries ...[]byte) []byte {
	b := binary.LittleEndian.AppendUint32([]byte(backupMagic), backupFormat)
	b = binary.LittleEndian.AppendUint64(b, 1)
	var list []byte
	for _, e := range entries {
		list = protowire.AppendTag(list, 1, protowire.BytesType)
		list = protowire.AppendBytes(list, e)
	}
	var counts kvCounts
	if err := counts.add(list); err != nil {
		panic(err)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(list)))
	b = append(b, list...)
	b = binary.LittleEndian.AppendUint64(b, endMarker)
	b = binary.LittleEndian.AppendUint64(b, counts.keys)
	b = binary.LittleEndian.AppendUint64(b, counts.versions)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// encoded is e as a backup carries it, followed by extra encoded fields.
func encoded(e kvEntry, extra ...byte) []byte {
	return append(e.append(nil), extra...)
}

// TestRestoreRefusesEntriesOutOfOrder restores backups of format 2 that are whole but
// whose entries a StreamWriter cannot take as they are: each is refused with
// ErrBadBackup, leaving nothing behind.
func TestRestoreRefusesEntriesOutOfOrder(t *testing.T) {
	at := func(key string, version uint64) kvEntry {
		return kvEntry{key: []byte(key), value: []byte(key), version: version}
	}
	withMeta := func(e kvEntry, meta byte) kvEntry { e.meta = meta; return e }
	streamDone := protowire.AppendVarint(protowire.AppendTag(nil, 11, protowire.VarintType), 1)
	cases := []struct {
		name, message string
		file          []byte
	}{
		{"keys in reverse", "out of key order", format2(encoded(at("b", 1)), encoded(at("a", 1)))},
		{"versions oldest first", "out of key order", format2(encoded(at("a", 1)), encoded(at("a", 2)))},
		{"a version twice", "out of key order", format2(encoded(at("a", 2)), encoded(at("a", 2)))},
		{"a value pointer", "holds a value pointer", format2(encoded(withMeta(at("a", 1), bitValuePointer)))},
		{"a StreamWriter field", "has fields a backup does not carry", format2(encoded(at("a", 1), streamDone...))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "restored")
			_, err := Restore(context.Background(), Options{Dir: target}, bytes.NewReader(c.file), nil)
			if !errors.Is(err, ErrBadBackup) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("Restore = %v, want ErrBadBackup saying %q", err, c.message)
			}
			mustBeAsBefore(t, target, false)
		})
	}
	t.Run("in order", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "restored")
		file := format2(encoded(at("a", 3)), encoded(withMeta(at("a", 2), bitDelete)), encoded(at("a", 1)), encoded(at("b", 1)))
		info, err := Restore(context.Background(), Options{Dir: target}, bytes.NewReader(file), nil)
		if err != nil || info.Keys != 2 || info.Versions != 4 {
			t.Fatalf("Restore = %+v, %v; want 2 keys in 4 versions", info, err)
		}
		if dump := mustDump(t, target); strings.Count(dump, "\n") != 4 {
			t.Fatalf("the restored store holds\n%s", dump)
		}
	})
}

// TestRestoreStopsWhenCancelled checks that a restore whose context is done stops,
// leaving nothing behind.
func TestRestoreStopsWhenCancelled(t *testing.T) {
	backup := mustBackup(t, mustFill(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	target := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(ctx, Options{Dir: target}, bytes.NewReader(backup), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Restore = %v, want context.Canceled", err)
	}
	mustBeAsBefore(t, target, false)
}

// resum rewrites the checksum of a backup whose bytes were changed on purpose.
func resum(b []byte) []byte {
	sum := sha256.Sum256(b[:len(b)-sha256.Size])
	return append(b[:len(b)-sha256.Size], sum[:]...)
}

// TestRestoreRefusesAllButAWholeBackup restores damaged backups: each is refused
// with ErrBadBackup, leaving the target as it was and nothing beside it.
func TestRestoreRefusesAllButAWholeBackup(t *testing.T) {
	dir := mustFill(t)
	backup := mustBackup(t, dir)
	at := func(fraction float64) int { return int(fraction * float64(len(backup))) }
	changed := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(backup)) }
	flip := func(i int) []byte { return changed(func(b []byte) []byte { b[i] ^= 0x20; return b }) }
	unframed := func() []byte {
		s := mustOpen(t, Options{Dir: dir})
		defer s.Close()
		var b bytes.Buffer
		if _, err := s.db.NewStreamAt(s.LatestVersion()).Backup(&b, 0); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	const (
		cutShort   = "before its end record: it was cut short"
		notABackup = "it does not start as one"
		corrupted  = "it is corrupted"
	)
	cases := []struct {
		name, message string
		file          []byte
	}{
		{"empty", notABackup, nil},
		{"cut in the header", notABackup, backup[:backupHeaderSize-1]},
		{"only the header", cutShort, backup[:backupHeaderSize]},
		{"cut at 16%", cutShort, backup[:at(0.16)]},
		{"cut at 45%", cutShort, backup[:at(0.45)]},
		{"cut after the last frame", cutShort, backup[:len(backup)-endRecordSize]},
		{"cut in the end record", cutShort, backup[:len(backup)-endRecordSize/2]},
		{"without its last byte", cutShort, backup[:len(backup)-1]},
		{"a changed byte in the magic", notABackup, flip(2)},
		{"a changed byte at 30%", corrupted, flip(at(0.30))},
		{"a changed byte in the checksum", "its SHA-256 does not match its contents: it is corrupted", flip(len(backup) - 1)},
		{"a frame length out of bounds", "the frame at byte 20 claims 1152921504",
			changed(func(b []byte) []byte { b[backupHeaderSize+7] = 0x10; return b })},
		{"counts that do not match, checksum rewritten", "its end record counts 301 keys",
			changed(func(b []byte) []byte { b[len(b)-endRecordSize+8]++; return resum(b) })},
		{"another format version", "format version 3; this eventgraph reads versions 1 and 2",
			changed(func(b []byte) []byte { b[len(backupMagic)] = 3; return b })},
		{"data after the end record", "there is more after its end record", append(bytes.Clone(backup), '\n')},
		{"a second backup after the first", "there is more after its end record", append(bytes.Clone(backup), backup...)},
		{"Badger's stream without the frame", notABackup, unframed()},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "restored")
			if i%2 == 0 { // an empty directory stays, an absent one stays absent
				if err := os.Mkdir(target, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Restore(context.Background(), Options{Dir: target}, bytes.NewReader(c.file), nil)
			if !errors.Is(err, ErrBadBackup) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("Restore = %v, want ErrBadBackup saying %q", err, c.message)
			}
			mustBeAsBefore(t, target, i%2 == 0)
		})
	}
}

// mustBeAsBefore checks that a refused restore into target left it empty (existed) or
// absent, and left no staging directory.
func mustBeAsBefore(t *testing.T, target string, existed bool) {
	t.Helper()
	entries, err := os.ReadDir(target)
	switch {
	case existed && (err != nil || len(entries) > 0):
		t.Errorf("the target holds %v (%v), want it empty", entries, err)
	case !existed && !errors.Is(err, fs.ErrNotExist):
		t.Errorf("the target exists (%v), want it absent", err)
	}
	if _, err := os.Stat(target + ".restoring"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the staging directory is left behind (%v)", err)
	}
}

func TestRestoreRunsCheck(t *testing.T) {
	backup := mustBackup(t, mustFill(t))
	target := filepath.Join(t.TempDir(), "restored")
	refused := errors.New("refused")
	var seen string
	_, err := Restore(context.Background(), Options{Dir: target}, bytes.NewReader(backup), func(s kv.Store) error {
		seen, _ = kvtest.MustGet(t, s, kv.Latest, "key/004")
		return refused
	})
	if !errors.Is(err, refused) || seen != "4.2" {
		t.Fatalf("Restore = %v having read %q, want the check's error having read 4.2", err, seen)
	}
	mustBeAsBefore(t, target, false)
}
