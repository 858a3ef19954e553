package store

import (
	"errors"
	"os"
)

// textSpill keeps texts in a temporary file, written once and read back by where they
// went: the texts of the sources an import's earlier batches gave, which later
// batches place quotes in, out of memory. Its zero value is empty and creates its file
// at the first put; close removes it.
type textSpill struct {
	f    *os.File
	size int64
}

// textRef is where a text went in a textSpill; its zero value is no text.
type textRef struct {
	at  int64
	len int64
}

// put writes text to the spill.
//
// Errors: those of creating or writing the temporary file.
func (s *textSpill) put(text string) (textRef, error) {
	if s.f == nil {
		f, err := os.CreateTemp("", "eventgraph-import-texts-")
		if err != nil {
			return textRef{}, err
		}
		s.f = f
	}
	ref := textRef{at: s.size, len: int64(len(text))}
	n, err := s.f.WriteString(text)
	s.size += int64(n)
	return ref, err
}

// get reads back the text put at ref; "" for the zero textRef.
//
// Errors: those of reading the temporary file.
func (s *textSpill) get(ref textRef) (string, error) {
	if ref.len == 0 {
		return "", nil
	}
	b := make([]byte, ref.len)
	_, err := s.f.ReadAt(b, ref.at)
	return string(b), err
}

// close removes the spill's file.
func (s *textSpill) close() error {
	if s.f == nil {
		return nil
	}
	err := errors.Join(s.f.Close(), os.Remove(s.f.Name()))
	s.f = nil
	return err
}
