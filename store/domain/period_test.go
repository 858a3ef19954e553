package domain_test

import (
	"strings"
	"testing"
	"time"

	"eventgraph/store/domain"
)

func TestParsePeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		in               string
		start, end, last time.Time
		precision        domain.Precision
		instant          bool
	}{
		{"2025", day(2025, 1, 1), day(2026, 1, 1), day(2026, 1, 1).Add(-1), domain.PrecisionYear, false},
		{"2025-04", day(2025, 4, 1), day(2025, 5, 1), day(2025, 5, 1).Add(-1), domain.PrecisionMonth, false},
		{"2025-12", day(2025, 12, 1), day(2026, 1, 1), day(2026, 1, 1).Add(-1), domain.PrecisionMonth, false},
		{"2024-02-29", day(2024, 2, 29), day(2024, 3, 1), day(2024, 3, 1).Add(-1), domain.PrecisionDay, false},
		{"2025-04-19", day(2025, 4, 19), day(2025, 4, 20), day(2025, 4, 20).Add(-1), domain.PrecisionDay, false},
		{"2025-06-13T10:30:00+02:00", time.Date(2025, 6, 13, 8, 30, 0, 0, time.UTC), time.Date(2025, 6, 13, 8, 30, 0, 0, time.UTC),
			time.Date(2025, 6, 13, 8, 30, 0, 0, time.UTC), domain.PrecisionDay, true},
		{"2025-06-13t08:30:00.5z", time.Date(2025, 6, 13, 8, 30, 0, 5e8, time.UTC), time.Date(2025, 6, 13, 8, 30, 0, 5e8, time.UTC),
			time.Date(2025, 6, 13, 8, 30, 0, 5e8, time.UTC), domain.PrecisionDay, true},
	} {
		t.Run(c.in, func(t *testing.T) {
			p, err := domain.ParsePeriod(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Start.Equal(c.start) || p.Start.Location() != time.UTC || p.Precision != c.precision || p.Instant != c.instant {
				t.Errorf("ParsePeriod(%q) = %+v, want start %v precision %s instant %v", c.in, p, c.start, c.precision, c.instant)
			}
			if !p.End().Equal(c.end) || !p.Last().Equal(c.last) {
				t.Errorf("End, Last = %v, %v; want %v, %v", p.End(), p.Last(), c.end, c.last)
			}
			again, err := domain.ParsePeriod(p.String())
			if err != nil || again != p {
				t.Errorf("String() = %q reads back as %+v, %v", p.String(), again, err)
			}
		})
	}
	for _, bad := range []string{"", "25", "025", "2025-4", "2025-13", "2025-00", "2025-02-30", "2025-06-31", "+025", "-2025",
		" 2025", "2025 ", "June 2025", "2025/04", "2025-06-13 10:00", "2025-06-13T10:00", "2025-06-13T10:00:00", "20250419"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := domain.ParsePeriod(bad)
			if err == nil || !strings.Contains(err.Error(), domain.TimeForms) {
				t.Errorf("ParsePeriod(%q) = %v, want an error naming %s", bad, err, domain.TimeForms)
			}
		})
	}
}

func TestEventPrecision(t *testing.T) {
	mustParse := func(s string) *domain.Period {
		p, err := domain.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	for _, c := range []struct {
		name   string
		stated domain.Precision
		start  *domain.Period
		want   domain.Precision
		fails  bool
	}{
		{"no start keeps the stated", domain.PrecisionUnknown, nil, domain.PrecisionUnknown, false},
		{"no start, none stated", "", nil, "", false},
		{"a year's form", "", mustParse("2025"), domain.PrecisionYear, false},
		{"a month's form", "", mustParse("2025-04"), domain.PrecisionMonth, false},
		{"a day's form", "", mustParse("2025-04-19"), domain.PrecisionDay, false},
		{"an instant's form", "", mustParse("2025-04-19T10:00:00Z"), domain.PrecisionDay, false},
		{"stated as the form", domain.PrecisionMonth, mustParse("2025-04"), domain.PrecisionMonth, false},
		{"stated coarser than the form", domain.PrecisionYear, mustParse("2025-04-19"), domain.PrecisionYear, false},
		{"stated coarser than an instant", domain.PrecisionMonth, mustParse("2025-04-19T10:00:00Z"), domain.PrecisionMonth, false},
		{"stated finer than the form", domain.PrecisionDay, mustParse("2025-04"), "", true},
		{"stated finer than a year", domain.PrecisionMonth, mustParse("2025"), "", true},
		{"UNKNOWN is left to Validate", domain.PrecisionUnknown, mustParse("2025"), domain.PrecisionUnknown, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := domain.EventPrecision(c.stated, c.start)
			if (err != nil) != c.fails || got != c.want {
				t.Errorf("EventPrecision(%q, %v) = %q, %v; want %q, fails %v", c.stated, c.start, got, err, c.want, c.fails)
			}
		})
	}
}

// FuzzParsePeriod: whatever ParsePeriod accepts is a period of UTC instants in order
// (Start ≤ Last ≤ End, equal for an instant), written back by String in a form that
// reads as the same period (when its year in UTC is one RFC 3339 can write: an offset
// can move 0000-01-01 or 9999-12-31 out of them); whatever it refuses, it refuses
// naming the forms.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2025", "2025-04", "2025-04-19", "2025-04-19T10:30:00.5+02:00", "2025-13", "25", "", "0000", "9999-12",
		"0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := domain.ParsePeriod(s)
		if err != nil {
			if !strings.Contains(err.Error(), domain.TimeForms) {
				t.Fatalf("ParsePeriod(%q): %v does not name the forms", s, err)
			}
			return
		}
		if p.Start.Location() != time.UTC || p.Last().Before(p.Start) || p.End().Before(p.Last()) || p.Instant != p.End().Equal(p.Start) {
			t.Fatalf("ParsePeriod(%q) = %+v: start %v, last %v, end %v", s, p, p.Start, p.Last(), p.End())
		}
		if y := p.Start.Year(); y < 0 || y > 9999 {
			return
		}
		if again, err := domain.ParsePeriod(p.String()); err != nil || !again.Start.Equal(p.Start) || again.Precision != p.Precision || again.Instant != p.Instant {
			t.Fatalf("ParsePeriod(%q) = %+v writes as %q, which reads as %+v, %v", s, p, p.String(), again, err)
		}
	})
}
