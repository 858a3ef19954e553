package seed

import (
	"fmt"
	"strings"
	"time"

	"eventgraph/store/domain"
)

// parseTime reads "2025", "2025-06", "2025-06-13" or an RFC 3339 timestamp, returning
// the time (UTC) and the precision its form implies.
func parseTime(s string) (time.Time, domain.Precision, error) {
	var layout string
	var p domain.Precision
	switch {
	case len(s) == 4:
		layout, p = "2006", domain.PrecisionYear
	case len(s) == 7:
		layout, p = "2006-01", domain.PrecisionMonth
	case len(s) == 10:
		layout, p = "2006-01-02", domain.PrecisionDay
	case len(s) > 10:
		layout, p = time.RFC3339Nano, domain.PrecisionDay
		s = strings.ToUpper(s) // RFC 3339 allows "t" and "z"
	default:
		return time.Time{}, "", fmt.Errorf("%q is not a time: want 2025, 2025-06, 2025-06-13 or an RFC 3339 timestamp", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%q is not a time: want 2025, 2025-06, 2025-06-13 or an RFC 3339 timestamp", s)
	}
	return t.UTC(), p, nil
}
