// Package ingesttest gives the tests and benchmarks of ingestion articles of any size
// written like a real one.
package ingesttest

import (
	"io/fs"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"eventgraph/seed"
)

// sentence is one sentence of running text with the space after it.
var sentence = regexp.MustCompile(`[^.!?]+[.!?]+["”’]?\s*`)

// MustLongArticle returns an article of at least size bytes made of the bundled
// article's sentences (us-iran-oman-talks.txt), drawn in a fixed pseudo-random order
// and grouped three to six to a paragraph: it names entities as densely as the real
// one, and its lines do not recur (a recurring line would be read as boilerplate).
func MustLongArticle(t testing.TB, size int) string {
	t.Helper()
	b, err := fs.ReadFile(seed.BundledFS(), "data/us-iran-oman-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	var pool []string
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "Read More") {
			continue
		}
		for _, s := range sentence.FindAllString(strings.TrimSpace(line), -1) {
			pool = append(pool, strings.TrimSpace(s))
		}
	}
	rng := rand.New(rand.NewPCG(13, uint64(size)))
	var out strings.Builder
	for out.Len() < size {
		n := 3 + rng.IntN(4)
		for k := range n {
			if k > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(pool[rng.IntN(len(pool))])
		}
		out.WriteString("\n\n")
	}
	return out.String()
}
