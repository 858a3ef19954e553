package domain

import "testing"

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Seyyed ʿAbbās ARAGHCHI": "seyyed abbas araghchi",
		"  US-Iran   talks! ":    "us iran talks",
		"Iran’s":                 "iran s",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
