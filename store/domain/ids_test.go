package domain_test

import (
	"fmt"
	"testing"

	"eventgraph/store/domain"
)

// TestFingerprints: a fingerprint is the same for the same string under one
// Fingerprinter, differs between 100,000 distinct strings, and a pair's tells where one
// string ends and the next begins.
func TestFingerprints(t *testing.T) {
	f := domain.NewFingerprinter()
	seen := map[domain.Fingerprint]string{}
	for i := range 100_000 {
		s := fmt.Sprint("actor-", i)
		fp := f.Of(s)
		if prev, dup := seen[fp]; dup {
			t.Fatalf("%q and %q share a fingerprint", prev, s)
		}
		seen[fp] = s
		if f.Of(s) != fp {
			t.Fatalf("%q has two fingerprints", s)
		}
	}
	counter, key := "degree.actor", "iran"
	if first := f.OfPair(counter, key); f.OfPair(counter, key) != first {
		t.Fatal("a pair has two fingerprints")
	}
	if f.OfPair("a", "bc") == f.OfPair("ab", "c") {
		t.Fatal(`("a", "bc") and ("ab", "c") share a fingerprint`)
	}
	if g := domain.NewFingerprinter(); g.Of("iran") == f.Of("iran") {
		t.Fatal("two Fingerprinters give one fingerprint: their seeds are not their own")
	}
}
