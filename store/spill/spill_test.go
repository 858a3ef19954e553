package spill_test

import (
	"os"
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
