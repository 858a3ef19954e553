package seed

import (
	"testing"
	"time"

	"eventgraph/store/domain"
)

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		p    domain.Precision
	}{
		{"2025", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionYear},
		{"2025-06", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionMonth},
		{"2025-06-13", time.Date(2025, 6, 13, 0, 0, 0, 0, time.UTC), domain.PrecisionDay},
		{"2025-06-13T10:30:00+02:00", time.Date(2025, 6, 13, 8, 30, 0, 0, time.UTC), domain.PrecisionDay},
		{"2025-06-13t08:30:00.5z", time.Date(2025, 6, 13, 8, 30, 0, 5e8, time.UTC), domain.PrecisionDay},
	} {
		got, p, err := parseTime(c.in)
		if err != nil || !got.Equal(c.want) || p != c.p || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v %s %v, want %v %s", c.in, got, p, err, c.want, c.p)
		}
	}
	for _, bad := range []string{"", "25", "2025-13", "2025-06-31", "June 2025", "2025-06-13 10:00", "2025-06-13T10:00"} {
		if _, _, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) succeeded", bad)
		}
	}
}
