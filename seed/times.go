package seed

import (
	"fmt"
	"strings"
	"time"

	"eventgraph/store"
)

// parseTime reads "2025", "2025-06", "2025-06-13" or an RFC 3339 timestamp, returning
// the time (UTC) and the precision its form implies.
func parseTime(s string) (time.Time, store.Precision, error) {
	var layout string
	var p store.Precision
	switch {
	case len(s) == 4:
		layout, p = "2006", store.PrecisionYear
	case len(s) == 7:
		layout, p = "2006-01", store.PrecisionMonth
	case len(s) == 10:
		layout, p = "2006-01-02", store.PrecisionDay
	case len(s) > 10:
		layout, p = time.RFC3339Nano, store.PrecisionDay
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
