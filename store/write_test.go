package store

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
)

func TestKeyWritesKeepOrderAcrossChunks(t *testing.T) {
	value := func(i int) []byte {
		switch {
		case i%40000 == 7:
			return bytes.Repeat([]byte{byte(i)}, 3*maxDataChunk/2) // larger than a data chunk
		case i%3 == 0:
			return nil
		}
		return bytes.Repeat([]byte{byte(i)}, i%50)
	}
	var w keyWrites
	n := 2*keyWritesChunk + 3
	var firstKey, firstValue []byte
	for i := range n {
		w.add([]byte(strconv.Itoa(i)), value(i))
		if i == 0 {
			w.each(func(k, v []byte) error {
				firstKey, firstValue = k, v
				return nil
			})
		}
	}
	if w.len() != n {
		t.Fatalf("len %d, want %d", w.len(), n)
	}
	next := 0
	err := w.each(func(k, v []byte) error {
		if string(k) != strconv.Itoa(next) || !bytes.Equal(v, value(next)) {
			t.Fatalf("write %d is %q with a value of %d bytes", next, k, len(v))
		}
		// Appending to what each passes must not overwrite the next write.
		_ = append(k, 'x')
		_ = append(v, 'x')
		next++
		return nil
	})
	if err != nil || next != n {
		t.Fatalf("each visited %d writes, %v; want %d", next, err, n)
	}
	if string(firstKey) != "0" || len(firstValue) != 0 {
		t.Errorf("the first write changed to %q=%q as more were added", firstKey, firstValue)
	}
	stop := errors.New("stop")
	visited := 0
	err = w.each(func(_, _ []byte) error {
		visited++
		if visited == keyWritesChunk+1 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || visited != keyWritesChunk+1 {
		t.Fatalf("each went on after an error: %d writes, %v", visited, err)
	}
	var empty keyWrites
	if empty.len() != 0 || empty.each(func(_, _ []byte) error { return stop }) != nil {
		t.Fatal("an empty keyWrites is not empty")
	}
}
