package ingest

import (
	"slices"
	"testing"
	"time"

	"eventgraph/store/domain"
)

// TestDatesIn reads the dates of sentences published on Saturday, 19 April 2025: days
// and months written out (a day more than three months after the publication is last
// year's), and weekdays and other relative dates read against the publication, past
// unless the words before them look ahead.
func TestDatesIn(t *testing.T) {
	published := time.Date(2025, 4, 19, 18, 40, 0, 0, time.UTC)
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		sentence  string
		surface   string
		at        time.Time
		precision domain.Precision
	}{
		{"The envoys met on Saturday.", "Saturday", day(4, 19), domain.PrecisionDay},
		{"Bousaidi mediated the first round in Muscat last Saturday.", "last Saturday", day(4, 12), domain.PrecisionDay},
		{"They will meet again next Saturday.", "next Saturday", day(4, 26), domain.PrecisionDay},
		{"Expert-level talks will begin in Oman on Wednesday.", "Wednesday", day(4, 23), domain.PrecisionDay},
		{"Grossi met Araqchi on Wednesday, and said he would return.", "Wednesday", day(4, 16), domain.PrecisionDay},
		{"The talks began in Muscat on April 12.", "April 12", day(4, 12), domain.PrecisionDay},
		{"They signed it in Cairo on Sept. 9, 2025.", "Sept. 9, 2025", time.Date(2025, 9, 9, 0, 0, 0, 0, time.UTC), domain.PrecisionDay},
		{"The letter arrived on 3 March 2025.", "3 March 2025", day(3, 3), domain.PrecisionDay},
		{"Trump sent a letter in March.", "March", day(3, 1), domain.PrecisionMonth},
		{"The first of them took place in March last year.", "March last year", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionMonth},
		{"Last month he sent a letter.", "Last month", day(3, 1), domain.PrecisionMonth},
		{"The ministry said so yesterday.", "yesterday", day(4, 18), domain.PrecisionDay},
		{"Trump left the 2015 agreement.", "2015", time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionYear},
		{"The strike began on Dec. 28.", "Dec. 28", time.Date(2024, 12, 28, 0, 0, 0, 0, time.UTC), domain.PrecisionDay},
		{"The next round is set for June 15.", "June 15", day(6, 15), domain.PrecisionDay},
		{"They last met in Rome a week ago.", "a week ago", day(4, 12), domain.PrecisionDay},
		{"Oman said the two sides would hold a third round of indirect talks in Muscat on Wednesday.", "Wednesday", day(4, 23), domain.PrecisionDay},
		{"Oman sets a third round of talks for Wednesday.", "Wednesday", day(4, 23), domain.PrecisionDay},
		{"The ministry did so late that evening, setting the round for Wednesday.", "Wednesday", day(4, 23), domain.PrecisionDay},
		{"\"We will not be pushed around,\" Cooper said on Wednesday.", "Wednesday", day(4, 16), domain.PrecisionDay},
		{"Grossi met Araqchi in Tehran, Wednesday, April 16, 2025.", "April 16, 2025", day(4, 16), domain.PrecisionDay},
		{"The blast came three days ago.", "three days ago", day(4, 16), domain.PrecisionDay},
	} {
		runes := []rune(c.sentence)
		got := datesIn(runes, wordsIn(runes, domain.TextRange{Start: 0, End: len(runes)}), published)
		if len(got) != 1 || string(runes[got[0].start:got[0].end]) != c.surface || !got[0].at.Equal(c.at) || got[0].precision != c.precision {
			t.Errorf("%q: %+v, want %q at %s (%s)", c.sentence, got, c.surface, c.at.Format("2006-01-02"), c.precision)
		}
	}
	for _, s := range []string{"Iran may agree, officials said.", "They will march on.", "No date at all."} {
		runes := []rune(s)
		if got := datesIn(runes, wordsIn(runes, domain.TextRange{Start: 0, End: len(runes)}), published); len(got) != 0 {
			t.Errorf("%q: %+v, want no date", s, got)
		}
	}
	runes := []rune("The envoys met on Saturday.")
	if got := datesIn(runes, wordsIn(runes, domain.TextRange{Start: 0, End: len(runes)}), time.Time{}); len(got) != 0 {
		t.Errorf("a weekday without a publication to read it against: %+v", got)
	}
}

// TestYearsCarried: in a timeline published in April 2026, the days written without
// their year after "April 12, 2025" are of 2025 until the months run past December, and
// a weekday read against the publication carries no year on.
func TestYearsCarried(t *testing.T) {
	published := time.Date(2026, 4, 9, 12, 0, 0, 0, time.UTC)
	var last *dateRef
	var got []string
	for _, line := range []string{"- April 12, 2025: talks.", "- June 13: strikes.", "- Dec. 28: protests.", "- Jan. 8: a blackout.", "On Monday, nothing.", "- June 15: more."} {
		runes := []rune(line)
		dates := datesIn(runes, wordsIn(runes, domain.TextRange{Start: 0, End: len(runes)}), published)
		last = yearsCarried(dates, last)
		for _, d := range dates {
			got = append(got, d.at.Format("2006-01-02"))
		}
	}
	want := []string{"2025-04-12", "2025-06-13", "2025-12-28", "2026-01-08", "2026-04-06", "2026-06-15"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
