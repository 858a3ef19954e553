package seed

import (
	"testing"
	"time"

	"eventgraph/store"
)

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		p    store.Precision
	}{
		{"2025", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), store.PrecisionYear},
		{"2025-06", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), store.PrecisionMonth},
		{"2025-06-13", time.Date(2025, 6, 13, 0, 0, 0, 0, time.UTC), store.PrecisionDay},
		{"2025-06-13T10:30:00+02:00", time.Date(2025, 6, 13, 8, 30, 0, 0, time.UTC), store.PrecisionDay},
		{"2025-06-13t08:30:00.5z", time.Date(2025, 6, 13, 8, 30, 0, 5e8, time.UTC), store.PrecisionDay},
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

func TestLocate(t *testing.T) {
	tx := newText("ab “quoted” ab — ab")
	for _, c := range []struct {
		quote      string
		occurrence int
		start, end int
		fails      bool
	}{
		{"“quoted”", 0, 3, 11, false},
		{"ab", 0, 0, 0, true},
		{"ab", 2, 12, 14, false},
		{"ab", 3, 17, 19, false},
		{"ab", 4, 0, 0, true},
		{"— ab", 0, 15, 19, false},
		{"absent", 0, 0, 0, true},
	} {
		s, e, msg := tx.locate(c.quote, c.occurrence)
		if c.fails != (msg != "") || !c.fails && (s != c.start || e != c.end) {
			t.Errorf("locate(%q, %d) = %d, %d, %q", c.quote, c.occurrence, s, e, msg)
		}
	}
	// Offsets past the first 256 bytes go through the code point table.
	long := newText(string(make([]byte, 300)) + "é" + string(make([]byte, 300)) + "target")
	if s, _, msg := long.locate("target", 0); msg != "" || s != 601 {
		t.Errorf("locate in a long text = %d %q, want 601", s, msg)
	}
}
