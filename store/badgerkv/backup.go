package badgerkv

import (
	"bufio"
	"bytes"
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

	"github.com/dgraph-io/badger/v4"
	"google.golang.org/protobuf/encoding/protowire"

	"eventgraph/store/kv"
)

// A backup is Badger's backup stream framed so that a restore can prove it whole:
//
//	header  "EGBACKUP", uint32 format version (1), uint64 version the backup is as of
//	body    Badger's stream: frames of a uint64 length n and n bytes of a pb.KVList
//	end     uint64 endMarker, uint64 keys, uint64 versions, 32-byte SHA-256
//
// Integers are little-endian, as in Badger's frames. versions counts the key versions
// (pb.KV entries) in the body and keys the runs of one key among them (Badger sends all
// versions of a key together). The SHA-256 is of every byte before it. A file cut
// short has no end record, a corrupted one fails the checksum, and bytes after the end
// record are refused too.
const (
	backupMagic             = "EGBACKUP"
	backupFormat     uint32 = 1
	backupHeaderSize        = len(backupMagic) + 4 + 8
	endRecordSize           = 8 + 8 + 8 + sha256.Size
	// endMarker stands where a frame's length would: no frame is that long.
	endMarker = ^uint64(0)
	// maxFrame bounds a frame's length, so that a corrupted length fails at once
	// rather than after reading up to it. Badger sends about 100 MiB at a time, more
	// only for a key whose versions are larger.
	maxFrame = 1 << 30
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
// as a backup (the format above). Writers go on meanwhile; what they commit after the
// backup began is not in it.
func (s *Store) Backup(w io.Writer) error {
	asOf := s.visible.Load()
	bw := &backupWriter{w: w, sum: sha256.New()}
	header := binary.LittleEndian.AppendUint32([]byte(backupMagic), backupFormat)
	if err := bw.raw(binary.LittleEndian.AppendUint64(header, asOf)); err != nil {
		return err
	}
	// One goroutine reads the keys: Badger's stream queues up to 32 batches of 32 MB
	// that its readers have made and the writer has not yet written, and eight readers
	// outrun a writer that hashes and writes every byte, filling it (4.4 GB at ten
	// million relations). One reader is about as fast as the writer. The writer is
	// handed 16 MB at a time rather than up to 100.
	stream := s.db.NewStreamAt(asOf)
	stream.NumGo = 1
	stream.MaxSize = 16 << 20
	if _, err := stream.Backup(bw, 0); err != nil {
		return err
	}
	if bw.left > 0 || bw.headN > 0 {
		return errors.New("backup: Badger's stream ended inside a frame")
	}
	end := binary.LittleEndian.AppendUint64(nil, endMarker)
	end = binary.LittleEndian.AppendUint64(end, bw.counts.keys)
	end = binary.LittleEndian.AppendUint64(end, bw.counts.versions)
	if err := bw.raw(end); err != nil {
		return err
	}
	_, err := w.Write(bw.sum.Sum(nil))
	return err
}

// kvCounts counts the key versions of a backup body and the runs of one key among
// them.
type kvCounts struct{ keys, versions uint64 }

// add counts the entries of one frame, an encoded pb.KVList.
func (c *kvCounts) add(list []byte) error {
	var prev []byte
	for len(list) > 0 {
		num, typ, n := protowire.ConsumeTag(list)
		if n < 0 {
			return protowire.ParseError(n)
		}
		list = list[n:]
		if num != 1 || typ != protowire.BytesType { // KVList.kv is field 1
			n = protowire.ConsumeFieldValue(num, typ, list)
			if n < 0 {
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
		key, err := kvKey(entry)
		if err != nil {
			return err
		}
		c.versions++
		if prev == nil || !bytes.Equal(key, prev) {
			c.keys++
		}
		prev = key
	}
	return nil
}

// kvKey returns the key of an encoded pb.KV (field 1).
func kvKey(entry []byte) ([]byte, error) {
	var key []byte
	for len(entry) > 0 {
		num, typ, n := protowire.ConsumeTag(entry)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		entry = entry[n:]
		if num == 1 && typ == protowire.BytesType {
			if key, n = protowire.ConsumeBytes(entry); n < 0 {
				return nil, protowire.ParseError(n)
			}
		} else if n = protowire.ConsumeFieldValue(num, typ, entry); n < 0 {
			return nil, protowire.ParseError(n)
		}
		entry = entry[n:]
	}
	return key, nil
}

// backupWriter passes Badger's stream through to w, hashing it and counting the
// entries of each frame as it goes by.
type backupWriter struct {
	w      io.Writer
	sum    hash.Hash
	counts kvCounts
	head   [8]byte // the length of the frame being written
	headN  int     // bytes of head written so far
	left   uint64  // bytes of the frame's body still to come
	body   []byte  // the body so far, when it comes in more than one write
}

// raw writes bytes that are not part of Badger's stream.
func (b *backupWriter) raw(p []byte) error {
	b.sum.Write(p)
	_, err := b.w.Write(p)
	return err
}

func (b *backupWriter) Write(p []byte) (int, error) {
	if err := b.raw(p); err != nil {
		return 0, err
	}
	for rest := p; len(rest) > 0; {
		if b.left == 0 {
			k := copy(b.head[b.headN:], rest)
			rest, b.headN = rest[k:], b.headN+k
			if b.headN == len(b.head) {
				b.headN, b.left, b.body = 0, binary.LittleEndian.Uint64(b.head[:]), b.body[:0]
			}
			continue
		}
		k := min(uint64(len(rest)), b.left)
		chunk := rest[:k]
		rest, b.left = rest[k:], b.left-k
		if b.left > 0 || len(b.body) > 0 {
			b.body = append(b.body, chunk...)
			if b.left > 0 {
				continue
			}
			chunk = b.body
		}
		if err := b.counts.add(chunk); err != nil {
			return 0, fmt.Errorf("backup: Badger's stream: %w", err)
		}
	}
	return len(p), nil
}

// backupReader reads a backup and gives Badger's Load the stream inside it, a frame
// at a time once the frame is read whole. It ends with io.EOF only after an end record
// whose counts and checksum match what came before, followed by nothing; otherwise
// with an error wrapping ErrBadBackup.
type backupReader struct {
	r      *bufio.Reader
	sum    hash.Hash
	counts kvCounts
	info   BackupInfo
	at     int64  // bytes read
	frame  []byte // what Load has yet to read of the current frame
	buf    []byte // the current frame: its length, then its body
	err    error
}

func newBackupReader(r io.Reader) (*backupReader, error) {
	b := &backupReader{r: bufio.NewReaderSize(r, 1<<20), sum: sha256.New()}
	header, err := b.readInto(nil, backupHeaderSize)
	if err != nil || string(header[:len(backupMagic)]) != backupMagic {
		return nil, fmt.Errorf("%w: it does not start as one (a backup written by an eventgraph from before backups had a checksum cannot be proved whole: restore it with the eventgraph that wrote it, then back up again)", ErrBadBackup)
	}
	if v := binary.LittleEndian.Uint32(header[len(backupMagic):]); v != backupFormat {
		return nil, fmt.Errorf("%w: format version %d; this eventgraph reads version %d", ErrBadBackup, v, backupFormat)
	}
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
//
// Errors: one wrapping ErrBadBackup for a file that is not a whole backup in this
// format (cut short, corrupted, with data after it, or written before backups were
// framed); check's error; file system and Badger errors.
func Restore(o Options, r io.Reader, check func(kv.Store) error) (BackupInfo, error) {
	if entries, err := os.ReadDir(o.Dir); err == nil && len(entries) > 0 {
		return BackupInfo{}, fmt.Errorf("restore: %s is not empty; restore into a new directory", o.Dir)
	}
	br, err := newBackupReader(r)
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

// loadPendingWrites is how many batches a restore hands Badger's writer ahead.
const loadPendingWrites = 4

// load loads the backup br reads into a new database in o.Dir and runs check on it.
func load(o Options, br *backupReader, check func(kv.Store) error) error {
	db, err := badger.OpenManaged(o.badger())
	if err != nil {
		return err
	}
	// Load has up to this many batches of about 10 MB (decoded into entries of several
	// times that) waiting for Badger's writer at once: 256 of them took 12 GB at ten
	// million relations, and the writer, one goroutine, is kept busy by a few.
	err = db.Load(br, loadPendingWrites)
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
