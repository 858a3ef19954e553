package domain_test

import (
	"math"
	"testing"

	"eventgraph/store/domain"
)

// TestJaroWinkler checks the figures SoundalikeSimilarity's comment gives, and the
// textbook pair.
func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"araqchi", "araghchi", 0.87},
		{"baqaei", "baghaei", 0.88},
		{"back", "baghaei", 0.68},
	} {
		if got := domain.JaroWinkler(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("JaroWinkler(%q, %q) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
