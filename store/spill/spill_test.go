package spill_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"eventgraph/store/spill"
)

// TestTexts: texts read back as put, in any order, from a file in Dir that Close
// removes; the Texts then serves again with a new file.
func TestTexts(t *testing.T) {
	dir := t.TempDir()
	texts := spill.Texts{Dir: dir}
	for round := range 2 {
		words := []string{"Muscat", "", "the talks in Oman", "Araghchi"}
		refs := make([]spill.Ref, len(words))
		for i, w := range words {
			ref, err := texts.Put(w)
			if err != nil {
				t.Fatal(err)
			}
			refs[i] = ref
		}
		for i := len(words) - 1; i >= 0; i-- {
			if got, err := texts.Get(refs[i]); err != nil || got != words[i] {
				t.Errorf("round %d: text %d = %q, %v; want %q", round, i, got, err, words[i])
			}
		}
		if got, err := texts.Get(spill.Ref{}); err != nil || got != "" {
			t.Errorf("the zero Ref reads %q, %v", got, err)
		}
		if err := texts.Close(); err != nil {
			t.Fatal(err)
		}
		if left, err := os.ReadDir(dir); err != nil || len(left) != 0 {
			t.Errorf("round %d: left after Close: %v, %v", round, left, err)
		}
	}
}

// TestWrites: writes read back in the order set, keys and values intact and left
// unchanged by the writes read after them, from a file in Dir that Close removes; the
// Writes then serves again with a new file.
func TestWrites(t *testing.T) {
	dir := t.TempDir()
	writes := spill.Writes{Dir: dir}
	for round := range 2 {
		var want [][2]string
		for i := range 3000 {
			k, v := fmt.Sprintf("key-%d-%d", round, i), strings.Repeat("v", i%700)
			if i == 1000 {
				v = strings.Repeat("large", 1<<19) // larger than a chunk
			}
			want = append(want, [2]string{k, v})
			if err := writes.Set([]byte(k), []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		if writes.Len() != len(want) {
			t.Errorf("round %d: Len = %d; want %d", round, writes.Len(), len(want))
		}
		var got [][2][]byte
		if err := writes.Each(func(k, v []byte) error {
			got = append(got, [2][]byte{k, v})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: read %d writes; want %d", round, len(got), len(want))
		}
		for i, w := range got { // compared after all are read: none was overwritten
			if string(w[0]) != want[i][0] || string(w[1]) != want[i][1] {
				t.Fatalf("round %d: write %d = %q (%d bytes); want %q (%d bytes)", round, i, w[0], len(w[1]), want[i][0], len(want[i][1]))
			}
		}
		stop := errors.New("stop")
		seen := 0
		if err := writes.Each(func(k, v []byte) error { seen++; return stop }); !errors.Is(err, stop) || seen != 1 {
			t.Errorf("round %d: Each after fn's error = %v, %d calls; want stop after 1", round, err, seen)
		}
		if err := writes.Close(); err != nil {
			t.Fatal(err)
		}
		if left, err := os.ReadDir(dir); err != nil || len(left) != 0 {
			t.Errorf("round %d: left after Close: %v, %v", round, left, err)
		}
	}
	if err := (&spill.Writes{}).Each(func(k, v []byte) error { return errors.New("called") }); err != nil {
		t.Errorf("Each of no writes = %v", err)
	}
}
