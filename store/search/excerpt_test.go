package search

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	text := strings.Repeat("Filler words before it. ", 20) + "Araghchí met the envoy in Muscat." + strings.Repeat(" And filler after.", 20)
	got, hl := excerpt(text, 80, func(w string) bool { return w == "araghchi" || w == "muscat" })
	runes := []rune(got)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || len(runes) > 82 {
		t.Fatalf("excerpt = %q", got)
	}
	if len(hl) != 2 || string(runes[hl[0].Start:hl[0].End]) != "Araghchí" || string(runes[hl[1].Start:hl[1].End]) != "Muscat" {
		t.Fatalf("highlights %v in %q", hl, got)
	}
}
