// Package spill keeps texts out of memory while a long job needs them back: each text
// is written once to a temporary file and read back by where it went. An import keeps
// the texts of the sources it has checked so that later parts can place quotes in
// them; an export keeps those it has written so that later evidence can number a
// repeated quote.
package spill

import (
	"errors"
	"os"
)

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
		if t.Dir != "" {
			if err := os.MkdirAll(t.Dir, 0o700); err != nil {
				return Ref{}, err
			}
		}
		f, err := os.CreateTemp(t.Dir, "eventgraph-texts-")
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
	err := errors.Join(t.f.Close(), os.Remove(t.f.Name()))
	t.f, t.size = nil, 0
	return err
}
