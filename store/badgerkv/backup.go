package badgerkv

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/encoding/protowire"

	"eventgraph/store/kv"
)

// A backup is a stream of Badger's pb.KV entries framed so that a restore can prove it
// whole and write it straight into tables:
//
//	header  "EGBACKUP", uint32 format version (2), uint64 version the backup is as of
//	body    frames of a uint64 length n and n bytes of a pb.KVList
//	end     uint64 endMarker, uint64 keys, uint64 versions, 32-byte SHA-256
//
// Integers are little-endian, as in Badger's frames. In format 2 the entries are in
// key order, each key's versions newest first, and carry no value pointers (values are
// inline); a restore checks that and hands the entries to Badger's StreamWriter, which
// builds the tables directly, in bounded memory. Format 1 (eventgraph before format 2)
// is Badger's own backup stream, in no particular order, and is restored through
// Badger's Load. versions counts the key versions (pb.KV entries) in the body and keys
// the runs of one key among them. The SHA-256 is of every byte before it. A file cut
// short has no end record, a corrupted one fails the checksum, and bytes after the end
// record are refused too.
const (
	backupMagic      = "EGBACKUP"
	backupFormat1    = 1
	backupFormat     = 2
	backupHeaderSize = len(backupMagic) + 4 + 8
	endRecordSize    = 8 + 8 + 8 + sha256.Size
	// endMarker stands where a frame's length would: no frame is that long.
	endMarker = ^uint64(0)
	// maxFrame bounds a frame's length, so that a corrupted length fails at once
	// rather than after reading up to it. Badger's stream (format 1) sends about 100 MiB
	// at a time, more only for a key whose versions are larger.
	maxFrame = 1 << 30
	// backupFrameSize is about how much a frame of format 2 holds: a frame is checked
	// and handed to the StreamWriter whole.
	backupFrameSize = 4 << 20
	// The bits of Badger's entry meta a backup carries (value.go in Badger).
	bitDelete                 = 1 << 0
	bitValuePointer           = 1 << 1
	bitDiscardEarlierVersions = 1 << 2
)

// ErrBadBackup is wrapped by every error Restore returns for a file that is not a
// whole backup in this format.
var ErrBadBackup = errors.New("not a whole eventgraph backup")

// BackupInfo is what a backup's header and end record say about it.
type BackupInfo struct {
	// AsOf is the version (commit time in Unix nanoseconds) the backup was taken at.
	AsOf uint64
	// Keys and Versions count the keys and key versions it holds.
	Keys, Versions uint64
}

// Backup writes every version of every key, as of the newest committed version, to w
// as a backup (format 2 above). Writers go on meanwhile; what they commit after the
// backup began is not in it.
func (s *Store) Backup(w io.Writer) error {
	asOf := s.visible.Load()
	bw, err := NewBackupWriter(w, asOf)
	if err != nil {
		return err
	}
	// One iterator over every version, in key order: the order is what lets a restore
	// build tables directly, and one reader keeps up with a writer that hashes and
	// writes every byte.
	txn := s.db.NewTransactionAt(asOf, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
	defer it.Close()
	var value, discarded []byte // discarded: a key whose older versions are not kept
	now := uint64(time.Now().Unix())
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if discarded != nil && bytes.Equal(item.Key(), discarded) {
			continue
		}
		discarded = nil
		var meta byte
		value = value[:0]
		switch expires := item.ExpiresAt(); {
		case !item.IsDeletedOrExpired():
			var err error
			if value, err = item.ValueCopy(value); err != nil {
				return err
			}
		case expires == 0 || expires > now: // deleted, not merely expired
			meta = bitDelete
		}
		if item.DiscardEarlierVersions() {
			meta |= bitDiscardEarlierVersions
			discarded = item.KeyCopy(nil)
		}
		err := bw.add(kvEntry{key: item.Key(), value: value, userMeta: item.UserMeta(), version: item.Version(), expiresAt: item.ExpiresAt(), meta: meta})
		if err != nil {
			return err
		}
	}
	return bw.Close()
}

// BackupWriter writes a backup in format 2 (above), entries in key order and each
// key's versions newest first. Besides Badger's own Backup, another backend writes its
// backups with it (tikvkv), so that restore loads them into a Badger data directory.
type BackupWriter struct {
	w      io.Writer
	sum    hash.Hash
	counts kvCounts
	frame  []byte // the frame being filled: its length, then its entries
}

// NewBackupWriter starts a backup as of version asOf on w, writing its header.
//
// Errors: w's.
func NewBackupWriter(w io.Writer, asOf uint64) (*BackupWriter, error) {
	b := &BackupWriter{w: w, sum: sha256.New(), counts: kvCounts{sorted: true}, frame: make([]byte, 8, backupFrameSize+64<<10)}
	header := binary.LittleEndian.AppendUint32([]byte(backupMagic), backupFormat)
	return b, b.write(binary.LittleEndian.AppendUint64(header, asOf))
}

func (b *BackupWriter) write(p []byte) error {
	b.sum.Write(p)
	_, err := b.w.Write(p)
	return err
}

// Add adds the version of key written at version: value, or its deletion. The kv keys
// of another backend are Badger's keys as this package stores them, its deletions
// this package's tombstones.
//
// Errors: one for an entry out of key order (or a key's versions not newest first),
// found when its frame is written; w's.
func (b *BackupWriter) Add(key []byte, version uint64, value []byte, deleted bool) error {
	e := kvEntry{key: key, value: value, version: version}
	if deleted {
		e.value, e.userMeta = nil, tombstone
	}
	return b.add(e)
}

func (b *BackupWriter) add(e kvEntry) error {
	if len(b.frame)-8 >= backupFrameSize {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.frame = protowire.AppendTag(b.frame, 1, protowire.BytesType) // KVList.kv
	b.frame = protowire.AppendVarint(b.frame, uint64(e.size()))
	b.frame = e.append(b.frame)
	return nil
}

// flush checks the frame's order and writes it.
func (b *BackupWriter) flush() error {
	binary.LittleEndian.PutUint64(b.frame, uint64(len(b.frame)-8))
	err := b.counts.add(b.frame[8:])
	if err == nil {
		err = b.write(b.frame)
	}
	b.frame = b.frame[:8]
	return err
}

// Close writes the last frame and the end record, which makes the backup whole. It
// does not close w.
//
// Errors: as Add's; w's.
func (b *BackupWriter) Close() error {
	if len(b.frame) > 8 {
		if err := b.flush(); err != nil {
			return err
		}
	}
	end := binary.LittleEndian.AppendUint64(nil, endMarker)
	end = binary.LittleEndian.AppendUint64(end, b.counts.keys)
	end = binary.LittleEndian.AppendUint64(end, b.counts.versions)
	if err := b.write(end); err != nil {
		return err
	}
	_, err := b.w.Write(b.sum.Sum(nil))
	return err
}

// kvEntry is one version of a key as a backup and Badger's StreamWriter carry it: a
// pb.KV message.
type kvEntry struct {
	key, value         []byte
	userMeta, meta     byte
	version, expiresAt uint64
	// foreign is set by parseKV for a field past meta: format 2 carries none, and the
	// StreamWriter would take its stream fields as orders.
	foreign bool
}

// size is the length of e encoded. Proto3 leaves out empty fields; the user meta is
// always there.
func (e *kvEntry) size() int {
	n := protowire.SizeTag(1) + protowire.SizeBytes(len(e.key)) +
		protowire.SizeTag(3) + protowire.SizeBytes(1) +
		protowire.SizeTag(4) + protowire.SizeVarint(e.version)
	if len(e.value) > 0 {
		n += protowire.SizeTag(2) + protowire.SizeBytes(len(e.value))
	}
	if e.expiresAt != 0 {
		n += protowire.SizeTag(5) + protowire.SizeVarint(e.expiresAt)
	}
	if e.meta != 0 {
		n += protowire.SizeTag(6) + protowire.SizeBytes(1)
	}
	return n
}

// append appends e encoded as a pb.KV. It is written with protowire because
// badger.KVToBuffer goes through protobuf reflection, which took a tenth of a
// million-relation import's processor time.
func (e *kvEntry) append(b []byte) []byte {
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, e.key)
	if len(e.value) > 0 {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, e.value)
	}
	b = protowire.AppendTag(b, 3, protowire.BytesType)
	b = protowire.AppendBytes(b, []byte{e.userMeta})
	b = protowire.AppendTag(b, 4, protowire.VarintType)
	b = protowire.AppendVarint(b, e.version)
	if e.expiresAt != 0 {
		b = protowire.AppendTag(b, 5, protowire.VarintType)
		b = protowire.AppendVarint(b, e.expiresAt)
	}
	if e.meta != 0 {
		b = protowire.AppendTag(b, 6, protowire.BytesType)
		b = protowire.AppendBytes(b, []byte{e.meta})
	}
	return b
}

// parseKV reads the fields of an encoded pb.KV that a restore checks: key, version and
// meta, and whether it has fields past those of kvEntry.
func parseKV(entry []byte) (e kvEntry, err error) {
	for len(entry) > 0 {
		num, typ, n := protowire.ConsumeTag(entry)
		if n < 0 {
			return e, protowire.ParseError(n)
		}
		entry = entry[n:]
		switch {
		case num == 1 && typ == protowire.BytesType:
			e.key, n = protowire.ConsumeBytes(entry)
		case num == 4 && typ == protowire.VarintType:
			e.version, n = protowire.ConsumeVarint(entry)
		case num == 6 && typ == protowire.BytesType:
			var meta []byte
			if meta, n = protowire.ConsumeBytes(entry); len(meta) > 0 {
				e.meta = meta[0]
			}
		default:
			e.foreign = e.foreign || num > 6
			n = protowire.ConsumeFieldValue(num, typ, entry)
		}
		if n < 0 {
			return e, protowire.ParseError(n)
		}
		entry = entry[n:]
	}
	return e, nil
}

// eachKV calls f with each encoded pb.KV of a frame, an encoded pb.KVList.
func eachKV(list []byte, f func(entry []byte) error) error {
	for len(list) > 0 {
		num, typ, n := protowire.ConsumeTag(list)
		if n < 0 {
			return protowire.ParseError(n)
		}
		list = list[n:]
		if num != 1 || typ != protowire.BytesType { // KVList.kv is field 1
			if n = protowire.ConsumeFieldValue(num, typ, list); n < 0 {
				return protowire.ParseError(n)
			}
			list = list[n:]
			continue
		}
		entry, n := protowire.ConsumeBytes(list)
		if n < 0 {
			return protowire.ParseError(n)
		}
		list = list[n:]
		if err := f(entry); err != nil {
			return err
		}
	}
	return nil
}

// kvCounts counts the key versions of a backup body and the runs of one key among
// them. In format 2 (sorted) it also checks that the entries come in key order, each
// key's versions newest first, without value pointers, and counts a key once across
// frames; format 1 counted the runs within each frame, and its counts are checked as
// they were written.
type kvCounts struct {
	keys, versions uint64
	sorted         bool
	last           []byte // the key of the entry before
	lastVersion    uint64
}

// add counts the entries of one frame, an encoded pb.KVList.
func (c *kvCounts) add(list []byte) error {
	if !c.sorted {
		c.last = c.last[:0]
	}
	return eachKV(list, func(entry []byte) error {
		e, err := parseKV(entry)
		if err != nil {
			return err
		}
		order := bytes.Compare(e.key, c.last)
		if c.sorted {
			switch {
			case c.versions > 0 && (order < 0 || order == 0 && e.version >= c.lastVersion):
				return fmt.Errorf("%q at version %d comes after %q at version %d, out of key order", e.key, e.version, c.last, c.lastVersion)
			case e.meta&bitValuePointer != 0:
				return fmt.Errorf("%q at version %d holds a value pointer, not its value", e.key, e.version)
			case e.foreign:
				return fmt.Errorf("%q at version %d has fields a backup does not carry", e.key, e.version)
			}
		}
		c.versions++
		if order != 0 { // Badger keys are never empty
			c.keys++
		}
		c.last, c.lastVersion = append(c.last[:0], e.key...), e.version
		return nil
	})
}

// backupReader reads a backup a frame at a time, checking each frame once it is read
// whole: a format-1 backup through Read, as the stream Badger's Load reads, a format-2
// one through next. It ends with io.EOF only after an end record whose counts and
// checksum match what came before, followed by nothing; otherwise with an error
// wrapping ErrBadBackup, or ctx's error once ctx is done.
type backupReader struct {
	ctx    context.Context
	r      *bufio.Reader
	sum    hash.Hash
	format uint32
	counts kvCounts
	info   BackupInfo
	at     int64  // bytes read
	frame  []byte // what Load has yet to read of the current frame
	buf    []byte // the current frame: its length, then its body
	err    error
}

func newBackupReader(ctx context.Context, r io.Reader) (*backupReader, error) {
	b := &backupReader{ctx: ctx, r: bufio.NewReaderSize(r, 1<<20), sum: sha256.New()}
	header, err := b.readInto(nil, backupHeaderSize)
	if err != nil || string(header[:len(backupMagic)]) != backupMagic {
		return nil, fmt.Errorf("%w: it does not start as one (a backup written by an eventgraph from before backups had a checksum cannot be proved whole: restore it with the eventgraph that wrote it, then back up again)", ErrBadBackup)
	}
	b.format = binary.LittleEndian.Uint32(header[len(backupMagic):])
	if b.format != backupFormat1 && b.format != backupFormat {
		return nil, fmt.Errorf("%w: format version %d; this eventgraph reads versions %d and %d", ErrBadBackup, b.format, backupFormat1, backupFormat)
	}
	b.counts.sorted = b.format != backupFormat1
	b.info.AsOf = binary.LittleEndian.Uint64(header[len(backupMagic)+4:])
	return b, nil
}

// readInto appends the next n bytes to dst and hashes them. dst grows as the bytes
// arrive, not at once to a length a corrupted file may claim.
func (b *backupReader) readInto(dst []byte, n int) ([]byte, error) {
	for want := len(dst) + n; len(dst) < want; {
		chunk := min(want-len(dst), 4<<20)
		dst = slices.Grow(dst, chunk)
		got, err := io.ReadFull(b.r, dst[len(dst):len(dst)+chunk])
		b.sum.Write(dst[len(dst) : len(dst)+got])
		dst = dst[:len(dst)+got]
		b.at += int64(got)
		if err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func (b *backupReader) Read(p []byte) (int, error) {
	for len(b.frame) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		b.err = b.next()
	}
	n := copy(p, b.frame)
	b.frame = b.frame[n:]
	return n, nil
}

// truncated is the error for a file that ends too soon.
func (b *backupReader) truncated() error {
	return fmt.Errorf("%w: it ends after %d bytes, before its end record: it was cut short", ErrBadBackup, b.at)
}

// corrupted is the error for a file whose bytes are not what was written.
func (b *backupReader) corrupted(format string, a ...any) error {
	return fmt.Errorf("%w: %s: it is corrupted", ErrBadBackup, fmt.Sprintf(format, a...))
}

// next reads the next frame into b.frame, or the end record; it returns io.EOF after
// an end record that proves the backup whole.
func (b *backupReader) next() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	start := b.at
	frame, err := b.readInto(b.buf[:0], 8)
	if err != nil {
		return b.truncated()
	}
	n := binary.LittleEndian.Uint64(frame)
	if n == endMarker {
		return b.end()
	}
	if n > maxFrame {
		return b.corrupted("the frame at byte %d claims %d bytes", start, n)
	}
	if frame, err = b.readInto(frame, int(n)); err != nil {
		return b.truncated()
	}
	if err := b.counts.add(frame[8:]); err != nil {
		return b.corrupted("the frame at byte %d: %v", start, err)
	}
	b.buf, b.frame = frame, frame
	return nil
}

// end reads the end record, whose marker next has read, and what follows it.
func (b *backupReader) end() error {
	counts, err := b.readInto(nil, 16)
	if err != nil {
		return b.truncated()
	}
	want := b.sum.Sum(nil)
	got := make([]byte, sha256.Size)
	if _, err := io.ReadFull(b.r, got); err != nil {
		return b.truncated()
	}
	if !bytes.Equal(got, want) {
		return b.corrupted("its SHA-256 does not match its contents")
	}
	b.info.Keys, b.info.Versions = binary.LittleEndian.Uint64(counts), binary.LittleEndian.Uint64(counts[8:])
	if b.info.Keys != b.counts.keys || b.info.Versions != b.counts.versions {
		return b.corrupted("its end record counts %d keys in %d versions, its body holds %d in %d",
			b.info.Keys, b.info.Versions, b.counts.keys, b.counts.versions)
	}
	if _, err := b.r.ReadByte(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: there is more after its end record", ErrBadBackup)
	}
	return io.EOF
}

// Restore loads a backup written by Backup into o.Dir, which must be empty or absent,
// keeping every version as it was. It loads into a sibling directory (o.Dir +
// ".restoring"), checks that the file was a whole backup, opens the result and runs
// check on it (when not nil), and only then renames it into place: o.Dir ends up
// holding the whole backup or nothing, and a failed restore leaves nothing behind.
// A backup in format 2 is written straight into tables in bounded memory; one in
// format 1 goes through Badger's Load, whose memtables and compactions grow with it.
//
// Errors: one wrapping ErrBadBackup for a file that is not a whole backup in a format
// this eventgraph reads (cut short, corrupted, out of order, with data after it, or
// written before backups were framed); ctx's error once ctx is done; check's error;
// file system and Badger errors.
func Restore(ctx context.Context, o Options, r io.Reader, check func(kv.Store) error) (BackupInfo, error) {
	if entries, err := os.ReadDir(o.Dir); err == nil && len(entries) > 0 {
		return BackupInfo{}, fmt.Errorf("restore: %s is not empty; restore into a new directory", o.Dir)
	}
	br, err := newBackupReader(ctx, r)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("restore: %w", err)
	}
	staging := o
	staging.Dir = filepath.Clean(o.Dir) + ".restoring"
	if err := os.RemoveAll(staging.Dir); err != nil {
		return BackupInfo{}, err
	}
	err = load(staging, br, check)
	if err == nil {
		if err = os.Remove(o.Dir); errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	}
	if err == nil {
		err = os.Rename(staging.Dir, o.Dir)
	}
	if err == nil {
		err = syncDir(filepath.Dir(filepath.Clean(o.Dir)))
	}
	if err != nil {
		os.RemoveAll(staging.Dir)
		return BackupInfo{}, fmt.Errorf("restore: %w", err)
	}
	return br.info, nil
}

// load loads the backup br reads into a new database in o.Dir and runs check on it.
func load(o Options, br *backupReader, check func(kv.Store) error) error {
	db, err := badger.OpenManaged(o.badger())
	if err != nil {
		return err
	}
	stopPaging := pageMappedFiles(o.Dir, o.MappedPagesLimit, o.logger())
	if br.format == backupFormat1 {
		// 256 batches waiting for Badger's writer took 12 GB at ten million relations.
		err = db.Load(br, loaderPendingWrites)
	} else {
		err = streamBackup(db, br)
	}
	stopPaging()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil || check == nil {
		return err
	}
	s, err := Open(o)
	if err != nil {
		return err
	}
	err = check(s)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// streamBackup writes the entries of a format-2 backup, checked in key order, into
// the empty db with a StreamWriter, a frame at a time. The tables are built directly
// at the last level: no memtables, no compactions, and memory bounded by a frame and
// the tables under construction, whatever the backup's size. Nothing is flushed until
// the end record has proved the backup whole.
func streamBackup(db *badger.DB, br *backupReader) error {
	sw := db.NewStreamWriter()
	if err := sw.Prepare(); err != nil {
		return err
	}
	buf := z.NewBuffer(backupFrameSize+64<<10, "eventgraph.restore")
	defer buf.Release()
	for {
		err := br.next()
		if errors.Is(err, io.EOF) {
			return sw.Flush()
		}
		if err == nil {
			buf.Reset()
			err = eachKV(br.buf[8:], func(entry []byte) error {
				copy(buf.SliceAllocate(len(entry)), entry)
				return nil
			})
		}
		if err == nil {
			err = sw.Write(buf)
		}
		if err != nil {
			sw.Cancel()
			return err
		}
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
