package spill

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Sorted is a temporary multiset of byte strings, read back in byte order, in the
// folder Dir ("" for the system's temporary folder). It holds up to RunBytes of them
// in memory (defaultRunBytes when 0, counting 8 bytes a string beside its bytes); past
// that it sorts what it holds and appends it to its file as a run, and reading merges
// the runs, so its memory stays bounded whatever it is given. Its zero value is
// ready; Close removes the file.
//
// A run is its strings in order, each its length as a uvarint and then its bytes.
type Sorted struct {
	Dir      string
	RunBytes int
	arena    []byte
	spans    []span // of the strings in arena
	f        *os.File
	w        *bufio.Writer
	runs     []span // of the runs in the file
	size     int64  // bytes appended to the file
	reading  bool
}

// span is where a string lies in an arena, or a run in a file.
type span struct{ at, n int64 }

// defaultRunBytes is a Sorted's memory by default: at 8 bytes of span and some 20 of
// id, about a million relation ids a run.
const defaultRunBytes = 32 << 20

// runBuffer is how much of each run reading holds at once.
const runBuffer = 64 << 10

// Add adds a copy of b.
//
// Errors: those of creating or writing the file; adding after Read.
func (s *Sorted) Add(b []byte) error {
	if s.reading {
		return errors.New("spill: Add after Read")
	}
	s.spans = append(s.spans, span{at: int64(len(s.arena)), n: int64(len(b))})
	s.arena = append(s.arena, b...)
	if len(s.arena)+8*len(s.spans) < s.runBytes() {
		return nil
	}
	return s.spillRun()
}

func (s *Sorted) runBytes() int {
	if s.RunBytes > 0 {
		return s.RunBytes
	}
	return defaultRunBytes
}

// sortSpans sorts the spans of arena by the strings they hold.
func (s *Sorted) sortSpans() {
	slices.SortFunc(s.spans, func(a, b span) int {
		return bytes.Compare(s.arena[a.at:a.at+a.n], s.arena[b.at:b.at+b.n])
	})
}

// spillRun sorts what memory holds and appends it to the file as a run.
func (s *Sorted) spillRun() error {
	if s.f == nil {
		f, err := create(s.Dir, "eventgraph-sorted-")
		if err != nil {
			return err
		}
		s.f, s.w = f, bufio.NewWriterSize(f, writesBuffer)
	}
	s.sortSpans()
	run := span{at: s.size}
	for _, sp := range s.spans {
		head := binary.AppendUvarint(s.w.AvailableBuffer(), uint64(sp.n))
		if _, err := s.w.Write(head); err != nil {
			return err
		}
		if _, err := s.w.Write(s.arena[sp.at : sp.at+sp.n]); err != nil {
			return err
		}
		run.n += int64(len(head)) + sp.n
	}
	s.size += run.n
	s.runs = append(s.runs, run)
	s.arena, s.spans = s.arena[:0], s.spans[:0]
	return nil
}

// Read returns a reader of every string added, in byte order, each as many times as
// it was added. Nothing may be added afterwards.
//
// Errors: those of writing the file.
func (s *Sorted) Read() (*SortedReader, error) {
	s.reading = true
	if s.f == nil {
		s.sortSpans()
		return &SortedReader{memory: s}, nil
	}
	if len(s.spans) > 0 {
		if err := s.spillRun(); err != nil {
			return nil, err
		}
	}
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	r := &SortedReader{}
	for _, run := range s.runs {
		c := &runCursor{r: bufio.NewReaderSize(io.NewSectionReader(s.f, run.at, run.n), runBuffer), left: run.n}
		if err := c.next(); errors.Is(err, io.EOF) {
			continue
		} else if err != nil {
			return nil, err
		}
		r.runs = append(r.runs, c)
	}
	heap.Init(&r.runs)
	return r, nil
}

// Close removes the file. The Sorted may be used again afterwards, with a new file.
func (s *Sorted) Close() error {
	var err error
	if s.f != nil {
		err = remove(s.f)
	}
	*s = Sorted{Dir: s.Dir, RunBytes: s.RunBytes, arena: s.arena[:0], spans: s.spans[:0]}
	return err
}

// SortedReader reads a Sorted's strings in byte order.
type SortedReader struct {
	memory *Sorted // when nothing was spilled: its sorted spans, read from next
	next   int
	runs   runCursors
	last   []byte
}

// Next returns the next string, valid until the following call; io.EOF after the
// last.
//
// Errors: io.EOF; those of reading the file, or a file that does not hold what was
// written.
func (r *SortedReader) Next() ([]byte, error) {
	if r.memory != nil {
		if r.next == len(r.memory.spans) {
			return nil, io.EOF
		}
		sp := r.memory.spans[r.next]
		r.next++
		return r.memory.arena[sp.at : sp.at+sp.n], nil
	}
	if len(r.runs) == 0 {
		return nil, io.EOF
	}
	c := r.runs[0]
	r.last = append(r.last[:0], c.cur...)
	if err := c.next(); errors.Is(err, io.EOF) {
		heap.Pop(&r.runs)
	} else if err != nil {
		return nil, err
	} else {
		heap.Fix(&r.runs, 0)
	}
	return r.last, nil
}

// runCursor reads one run, cur holding the string read last.
type runCursor struct {
	r    *bufio.Reader
	left int64 // bytes of the run not yet read
	cur  []byte
}

// next reads the next string into cur; io.EOF at the run's end.
func (c *runCursor) next() error {
	if c.left == 0 {
		return io.EOF
	}
	n, err := binary.ReadUvarint(c.r)
	if err == nil && n > uint64(c.left) {
		err = fmt.Errorf("a string of %d bytes in %d", n, c.left)
	}
	if err == nil {
		c.cur = slices.Grow(c.cur[:0], int(n))[:n]
		_, err = io.ReadFull(c.r, c.cur)
	}
	if err != nil {
		return fmt.Errorf("spill: sorted run: %w", err)
	}
	var head [binary.MaxVarintLen64]byte
	c.left -= int64(binary.PutUvarint(head[:], n)) + int64(n)
	return nil
}

// runCursors orders runs by their current strings.
type runCursors []*runCursor

func (h runCursors) Len() int           { return len(h) }
func (h runCursors) Less(i, j int) bool { return bytes.Compare(h[i].cur, h[j].cur) < 0 }
func (h runCursors) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runCursors) Push(x any)        { *h = append(*h, x.(*runCursor)) }
func (h *runCursors) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
