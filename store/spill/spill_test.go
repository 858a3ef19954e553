package spill_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
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

// TestSorted: strings read back in byte order, each as many times as added, whether
// memory held them all or they went to many runs in a file in Dir that Close removes;
// the Sorted then serves again.
func TestSorted(t *testing.T) {
	for _, tc := range []struct {
		name     string
		runBytes int
		spilled  bool
	}{
		{"in memory", 0, false},
		{"in runs", 512, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sorted := spill.Sorted{Dir: dir, RunBytes: tc.runBytes}
			for round := range 2 {
				rnd := rand.New(rand.NewPCG(uint64(round), 7))
				var want []string
				for range 3000 {
					s := fmt.Sprintf("r-%d", rnd.IntN(2000)) // some twice or more
					if rnd.IntN(50) == 0 {
						s = strings.Repeat("x", rnd.IntN(600)) // "" and strings longer than a run
					}
					want = append(want, s)
					if err := sorted.Add([]byte(s)); err != nil {
						t.Fatal(err)
					}
				}
				slices.Sort(want)
				r, err := sorted.Read()
				if err != nil {
					t.Fatal(err)
				}
				if err := sorted.Add([]byte("late")); err == nil {
					t.Error("Add after Read succeeded")
				}
				var got []string
				for {
					b, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						t.Fatal(err)
					}
					got = append(got, string(b))
				}
				if !slices.Equal(got, want) {
					t.Fatalf("round %d: read %d strings, want %d; first difference at %d", round, len(got), len(want), firstDifference(got, want))
				}
				if files, err := os.ReadDir(dir); err != nil || (len(files) > 0) != tc.spilled {
					t.Errorf("round %d: files before Close: %v, %v; want some: %v", round, files, err, tc.spilled)
				}
				if err := sorted.Close(); err != nil {
					t.Fatal(err)
				}
				if left, err := os.ReadDir(dir); err != nil || len(left) != 0 {
					t.Errorf("round %d: left after Close: %v, %v", round, left, err)
				}
			}
		})
	}
	r, err := (&spill.Sorted{}).Read()
	if err != nil {
		t.Fatal(err)
	}
	if b, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next of nothing = %q, %v; want io.EOF", b, err)
	}
}

func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
