package store

import (
	"errors"
	"strconv"
	"testing"
)

func TestKeyWritesKeepOrderAcrossChunks(t *testing.T) {
	var w keyWrites
	n := 2*keyWritesChunk + 3
	for i := range n {
		w.add([]byte(strconv.Itoa(i)), []byte{byte(i)})
	}
	if w.len() != n {
		t.Fatalf("len %d, want %d", w.len(), n)
	}
	next := 0
	err := w.each(func(k, v []byte) error {
		if string(k) != strconv.Itoa(next) || v[0] != byte(next) {
			t.Fatalf("write %d is %q=%v", next, k, v)
		}
		next++
		return nil
	})
	if err != nil || next != n {
		t.Fatalf("each visited %d writes, %v; want %d", next, err, n)
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
