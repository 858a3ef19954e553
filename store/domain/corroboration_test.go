package domain_test

import (
	"testing"
	"time"

	"eventgraph/store/domain"
)

func TestCorroborate(t *testing.T) {
	day := func(d int) *time.Time { t := time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC); return &t }
	sources := map[string]*domain.Source{
		"wire":    {ID: "wire", Publisher: "agency", PublishedAt: day(3)},
		"reprint": {ID: "reprint", Publisher: "paper", PublishedAt: day(5), CopyOf: "wire"},
		"loop-a":  {ID: "loop-a", CopyOf: "loop-b"},
		"loop-b":  {ID: "loop-b", CopyOf: "loop-a"},
		"blog":    {ID: "blog", PublishedAt: day(9)},
	}
	lookup := func(id string) *domain.Source { return sources[id] }
	recorded := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	ev := func(source, attributed string, stance domain.EvidenceStance) *domain.Evidence {
		return &domain.Evidence{Source: source, AttributedTo: attributed, Stance: stance, RecordedAt: recorded}
	}
	for _, c := range []struct {
		name                string
		evidence            []*domain.Evidence
		sources, publishers int
		first, last         *time.Time
	}{
		{"a copy counts as its original", []*domain.Evidence{ev("wire", "", ""), ev("reprint", "", "")}, 1, 1, day(3), day(3)},
		{"attributions count their originator once", []*domain.Evidence{ev("blog", "bbc", ""), ev("reprint", "bbc", "")}, 1, 1, day(5), day(9)},
		{"disputes do not corroborate", []*domain.Evidence{ev("wire", "", ""), ev("blog", "", domain.EvidenceDisputes)}, 1, 1, day(3), day(3)},
		{"a copy loop ends", []*domain.Evidence{ev("loop-a", "", ""), ev("blog", "", "")}, 2, 0, day(9), &recorded},
		{"unknown sources count by id", []*domain.Evidence{ev("gone", "", ""), ev("gone", "", "")}, 1, 0, &recorded, &recorded},
	} {
		got := domain.Corroborate(c.evidence, lookup)
		if got.Sources != c.sources || got.Publishers != c.publishers || !got.FirstSeen.Equal(*c.first) || !got.LastSeen.Equal(*c.last) {
			t.Errorf("%s: %+v (first %v, last %v); want %d sources, %d publishers, %v to %v",
				c.name, got, got.FirstSeen, got.LastSeen, c.sources, c.publishers, c.first, c.last)
		}
	}
}
