// Package spill keeps what a long job needs back out of memory, in temporary files.
// Texts are written once and read back by where they went: an import keeps the texts
// of the sources it has checked so that later parts can place quotes in them; an
// export keeps those it has written so that later evidence can number a repeated
// quote. Writes are key writes read back in the order written: an import into a store
// that cannot stage its bulk write keeps what it plans to write until every part has
// been checked. Sorted is strings read back in order, sorted in runs and merged: the
// evidence check of a whole store merges the adjacency's relation ids with the
// relation records.
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// create creates a temporary file in dir ("" for the system's temporary folder),
// creating dir when it is missing.
func create(dir, pattern string) (*os.File, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	return os.CreateTemp(dir, pattern)
}

// remove closes and removes f.
func remove(f *os.File) error { return errors.Join(f.Close(), os.Remove(f.Name())) }

// Texts is a temporary file of texts in the folder Dir ("" for the system's temporary
// folder). Its zero value is ready; the file is created at the first Put, and Close
// removes it.
type Texts struct {
	Dir  string
	f    *os.File
	size int64
}

// Ref is where a text went; its zero value is no text.
type Ref struct {
	at, len int64
}

// Put writes text to the file.
//
// Errors: those of creating or writing the file.
func (t *Texts) Put(text string) (Ref, error) {
	if t.f == nil {
		f, err := create(t.Dir, "eventgraph-texts-")
		if err != nil {
			return Ref{}, err
		}
		t.f = f
	}
	ref := Ref{at: t.size, len: int64(len(text))}
	n, err := t.f.WriteString(text)
	t.size += int64(n)
	return ref, err
}

// Get reads back the text put at ref; "" for the zero Ref.
//
// Errors: those of reading the file.
func (t *Texts) Get(ref Ref) (string, error) {
	if ref.len == 0 {
		return "", nil
	}
	b := make([]byte, ref.len)
	_, err := t.f.ReadAt(b, ref.at)
	return string(b), err
}

// Close removes the file. The Texts may be used again afterwards, with a new file.
func (t *Texts) Close() error {
	if t.f == nil {
		return nil
	}
	err := remove(t.f)
	t.f, t.size = nil, 0
	return err
}

// Writes is a temporary file of key writes in the folder Dir ("" for the system's
// temporary folder), read back in the order written. Its zero value is ready; the
// file is created at the first Set, and Close removes it.
type Writes struct {
	Dir  string
	f    *os.File
	w    *bufio.Writer
	n    int
	size uint64 // bytes appended
}

// writesBuffer is the size of a Writes' buffers, and of the chunks Each reads keys and
// values into.
const writesBuffer = 1 << 20

// Set appends a write of value to key. Each write is the key's and the value's
// lengths as uvarints, then their bytes.
//
// Errors: those of creating or writing the file.
func (w *Writes) Set(key, value []byte) error {
	if w.f == nil {
		f, err := create(w.Dir, "eventgraph-writes-")
		if err != nil {
			return err
		}
		w.f, w.w = f, bufio.NewWriterSize(f, writesBuffer)
	}
	var head [2 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(key)))
	n += binary.PutUvarint(head[n:], uint64(len(value)))
	w.n++
	w.size += uint64(n + len(key) + len(value))
	if _, err := w.w.Write(head[:n]); err != nil {
		return err
	}
	if _, err := w.w.Write(key); err != nil {
		return err
	}
	_, err := w.w.Write(value)
	return err
}

// Len is how many writes Set has appended.
func (w *Writes) Len() int { return w.n }

// Each calls fn with every write in the order Set appended them, stopping at its first
// error. The slices it passes are fn's to keep: they are never reused, so a writer
// that holds them until it flushes (Badger's) may.
//
// Errors: fn's; those of reading the file, or a file that does not hold what Set
// wrote.
func (w *Writes) Each(fn func(key, value []byte) error) error {
	if w.f == nil {
		return nil
	}
	if err := w.w.Flush(); err != nil {
		return err
	}
	r := bufio.NewReaderSize(io.NewSectionReader(w.f, 0, 1<<62), writesBuffer)
	var chunk []byte
	for i := range w.n {
		kl, err := binary.ReadUvarint(r)
		if err != nil {
			return fmt.Errorf("spill: write %d of %d: %w", i, w.n, err)
		}
		vl, err := binary.ReadUvarint(r)
		if err != nil {
			return fmt.Errorf("spill: write %d of %d: %w", i, w.n, err)
		}
		size := kl + vl
		if size > w.size {
			return fmt.Errorf("spill: write %d of %d: %d bytes in a file of %d", i, w.n, size, w.size)
		}
		if size > uint64(cap(chunk)-len(chunk)) {
			chunk = make([]byte, 0, max(size, writesBuffer))
		}
		b := chunk[len(chunk) : len(chunk)+int(size)]
		chunk = chunk[:len(chunk)+int(size)]
		if _, err := io.ReadFull(r, b); err != nil {
			return fmt.Errorf("spill: write %d of %d: %w", i, w.n, err)
		}
		if err := fn(b[:kl:kl], b[kl:size:size]); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the file. The Writes may be used again afterwards, with a new file.
func (w *Writes) Close() error {
	if w.f == nil {
		return nil
	}
	err := remove(w.f)
	w.f, w.w, w.n, w.size = nil, nil, 0, 0
	return err
}
