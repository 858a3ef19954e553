package domain

import (
	"fmt"
	"strings"
	"time"
)

// TimeForms names the forms ParsePeriod accepts, for messages that refuse a time.
const TimeForms = "2025, 2025-06, 2025-06-13 or an RFC 3339 timestamp"

// A Period is a time as written: a whole year (2025), month (2025-06) or day
// (2025-06-13), or one instant (an RFC 3339 timestamp). Which instant of a period a
// reader means depends on what the time is for: the graph as known at the end of 2025,
// a window opening at its start. Start, End and Last give the choices.
type Period struct {
	// Start is the period's first instant, in UTC; the instant itself for an instant.
	Start time.Time
	// Precision is what the form says is known: YEAR, MONTH or DAY; DAY for an
	// instant too, the finest precision the model records.
	Precision Precision
	// Instant is set when the time was written as an RFC 3339 timestamp.
	Instant bool
}

// ParsePeriod reads "2025", "2025-06", "2025-06-13" or an RFC 3339 timestamp (in any
// offset; "t" and "z" as RFC 3339 allows). The error, for any other text and for dates
// that do not exist (2025-13, 2025-02-30), names the accepted forms.
func ParsePeriod(s string) (Period, error) {
	var layout string
	p := Period{Precision: PrecisionDay}
	switch {
	case len(s) == 4:
		layout, p.Precision = "2006", PrecisionYear
	case len(s) == 7:
		layout, p.Precision = "2006-01", PrecisionMonth
	case len(s) == 10:
		layout = "2006-01-02"
	case len(s) > 10:
		layout, p.Instant = time.RFC3339Nano, true
		s = strings.ToUpper(s)
	default:
		return Period{}, fmt.Errorf("%q is not a time: want %s", s, TimeForms)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Period{}, fmt.Errorf("%q is not a time: want %s", s, TimeForms)
	}
	p.Start = t.UTC()
	return p, nil
}

// End returns the first instant after the period, so that [Start, End) is all of it;
// Start for an instant.
func (p Period) End() time.Time {
	if p.Instant {
		return p.Start
	}
	_, end := p.Precision.Span(p.Start)
	return end
}

// Last returns the period's last instant, a nanosecond before End: the graph as known
// at the end of 2025 holds every write committed before 2026 began. Start for an
// instant.
func (p Period) Last() time.Time {
	if p.Instant {
		return p.Start
	}
	return p.End().Add(-time.Nanosecond)
}

// String writes the period in the form it was read from, an instant in UTC (in RFC 3339
// when its year in UTC is within 0000–9999).
func (p Period) String() string {
	switch {
	case p.Instant:
		return p.Start.Format(time.RFC3339Nano)
	case p.Precision == PrecisionYear:
		return p.Start.Format("2006")
	case p.Precision == PrecisionMonth:
		return p.Start.Format("2006-01")
	}
	return p.Start.Format("2006-01-02")
}

// EventPrecision returns the precision of an event whose start was written as start:
// stated when given, else the start's form (2025 is YEAR, 2025-06 MONTH, a day or an
// instant DAY). A stated precision coarser than the form is kept (a day known only to
// its year); a finer one claims more than was written, and is an error for the caller
// to report on its precision field. Without a start, stated is returned as it is, for
// Validate to judge.
func EventPrecision(stated Precision, start *Period) (Precision, error) {
	switch {
	case start == nil:
		return stated, nil
	case stated == "":
		return start.Precision, nil
	case finer(stated, start.Precision):
		return "", fmt.Errorf("%s is finer than the start %s gives (%s)", stated, start, start.Precision)
	}
	return stated, nil
}

// finer reports whether precision a is finer than b; UNKNOWN is finer than nothing.
func finer(a, b Precision) bool {
	rank := map[Precision]int{PrecisionDay: 0, PrecisionMonth: 1, PrecisionYear: 2}
	ra, okA := rank[a]
	rb, okB := rank[b]
	return okA && okB && ra < rb
}
