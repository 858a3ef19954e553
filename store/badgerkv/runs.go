package badgerkv

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// A streamed Bulk (the first write into an empty database) buffers its writes to sort
// them for Badger's StreamWriter. Past runEntries writes it sorts what it holds and
// spills it to a run file beside the database, keeping one write per key (the last),
// and Commit merges the runs; the buffer's memory is then bounded whatever the write's
// size, at the cost of writing the keys to disk once more. A run is a sequence of
// records, in key order:
//
//	uvarint len(key), key, uvarint len(value), value, meta byte

// runsDir holds a streamed Bulk's runs while it is under way; Open removes one a crash
// left.
const runsDir = "eventgraph-bulk-runs"

// defaultRunEntries is how many writes a streamed Bulk buffers before it spills them:
// some 42 MB of buffer (80 bytes a write) beside about as much of their keys
// and values, and a twenty-sixth of a million-relation import. Two buffers are held
// while one spills: twice as many writes a buffer took 0.3 GB more at ten million
// relations, and went past 2 GB.
const defaultRunEntries = 1 << 19

// runReadBuffer is how much of each run a merge reads ahead: a 10-million-relation
// import merges some 260 runs.
const runReadBuffer = 256 << 10

// sortedWrites yields a streamed Bulk's writes in key order, one per key (the last
// written), and nil at the end. A write it yields may change at the next call.
type sortedWrites func() (*streamed, error)

// inMemory yields entries in key order, one per key: the last one written.
func inMemory(entries []streamed) sortedWrites {
	next := sortedStream(entries)
	e := next()
	return func() (*streamed, error) {
		for e != nil {
			cur := e
			e = next()
			if e != nil && cur.head == e.head && bytes.Equal(cur.key, e.key) {
				continue // a key set twice keeps its last value, as in a WriteBatch
			}
			return cur, nil
		}
		return nil, nil
	}
}

// spill writes entries, sorted, to a new run file under dir and returns its path.
func spill(dir string, n int, entries []streamed) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("run-%06d", n))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	next := inMemory(entries)
	var e *streamed
	for e, err = next(); e != nil && err == nil; e, err = next() {
		b := binary.AppendUvarint(w.AvailableBuffer(), uint64(len(e.key)))
		if _, err = w.Write(b); err == nil {
			_, err = w.Write(e.key)
		}
		if err == nil {
			_, err = w.Write(binary.AppendUvarint(w.AvailableBuffer(), uint64(len(e.value))))
		}
		if err == nil {
			_, err = w.Write(e.value)
		}
		if err == nil {
			err = w.WriteByte(e.meta)
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// runReader reads one run file's records in order.
type runReader struct {
	f   *os.File
	r   *bufio.Reader
	run int // its place among the runs: a later run's write of a key wins
	// cur is the record read last; its key and value are in key and value, which the
	// next record's overwrite: merging a run allocates nothing a record.
	cur        streamed
	key, value []byte
}

// next reads the next record into cur; io.EOF at the end.
func (rr *runReader) next() error {
	var err error
	if rr.key, err = rr.field(rr.key); err != nil {
		return err // io.EOF only here, between records
	}
	rr.value, err = rr.field(rr.value)
	if err == nil {
		rr.cur.meta, err = rr.r.ReadByte()
	}
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("badger: bulk run %s: cut short", rr.f.Name())
	}
	rr.cur.key, rr.cur.value = rr.key, rr.value
	copy(rr.cur.head[:], rr.key)
	clear(rr.cur.head[min(len(rr.key), len(rr.cur.head)):])
	return err
}

// field reads a length and that many bytes into buf's memory.
func (rr *runReader) field(buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(rr.r)
	if err != nil {
		return buf, err
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(rr.r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return buf, err
	}
	return buf, nil
}

// runHeap orders the runs' current records by key, the latest run first among equal
// keys.
type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	if c := compareStreamed(&h[i].cur, &h[j].cur); c != 0 {
		return c < 0
	}
	return h[i].run > h[j].run
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// merged yields the writes of the run files at paths (oldest first) in key order, one
// per key: the latest run's, valid until the next call. closeRuns closes the files.
func merged(paths []string) (next sortedWrites, closeRuns func(), err error) {
	var h runHeap
	closeRuns = func() {
		for _, rr := range h {
			rr.f.Close()
		}
	}
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			closeRuns()
			return nil, nil, err
		}
		rr := &runReader{f: f, r: bufio.NewReaderSize(f, runReadBuffer), run: i}
		h = append(h, rr)
		if err := rr.next(); errors.Is(err, io.EOF) {
			h = h[:len(h)-1]
			f.Close()
		} else if err != nil {
			closeRuns()
			return nil, nil, err
		}
	}
	heap.Init(&h)
	var out streamed
	next = func() (*streamed, error) {
		if len(h) == 0 {
			return nil, nil
		}
		win := h[0].cur
		out = streamed{head: win.head, meta: win.meta,
			key: append(out.key[:0], win.key...), value: append(out.value[:0], win.value...)}
		for len(h) > 0 && bytes.Equal(h[0].cur.key, out.key) {
			rr := h[0]
			if err := rr.next(); errors.Is(err, io.EOF) {
				heap.Pop(&h)
				rr.f.Close()
			} else if err != nil {
				return nil, err
			} else {
				heap.Fix(&h, 0)
			}
		}
		return &out, nil
	}
	return next, closeRuns, nil
}
