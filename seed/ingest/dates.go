package ingest

// Dates: the days, months and years a sentence names, absolute ("April 19, 2025",
// "Sept. 9") or relative to the article's publication ("on Saturday", "next Saturday",
// "yesterday", "last month").

import (
	"strconv"
	"strings"
	"time"

	"eventgraph/store/domain"
)

// dateRef is a date a sentence names, at code points [start, end).
type dateRef struct {
	start, end int
	at         time.Time // the first instant of the day, month or year
	precision  domain.Precision
	yearless   bool // a day written without its year ("June 13"), its year guessed from the publication
	written    bool // a day written with its year ("April 12, 2025")
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6,
	"jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10,
	"november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// futureWords make a bare weekday the next one rather than the last: "will meet on
// Wednesday", "talks set for Saturday".
var futureWords = setOf("will", "would", "due", "set", "sets", "setting", "expected", "scheduled", "plans", "planned", "next", "upcoming", "tomorrow", "later",
	"ahead", "preparations", "preparing")

// pastYear is day, given without a year, moved a year back when it would fall more than
// three months after published: "Dec. 28" in an article of February is last December's.
// A day with its year (given) stays.
func pastYear(day, published time.Time, given bool) time.Time {
	if given || published.IsZero() || !day.After(published.AddDate(0, 3, 0)) {
		return day
	}
	return day.AddDate(-1, 0, 0)
}

// datesIn finds the dates a sentence's words name, against published (zero when the
// article's publication is not known: relative dates are then not read). Capitalised
// month and weekday names only: "may" and "march" are verbs too.
func datesIn(runes []rune, words []sentenceWord, published time.Time) []dateRef {
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	capital := func(w sentenceWord) bool { return runes[w.start] >= 'A' && runes[w.start] <= 'Z' }
	number := func(i int) (int, bool) {
		if i < 0 || i >= len(words) {
			return 0, false
		}
		n, err := strconv.Atoi(words[i].w)
		return n, err == nil
	}
	// future reports whether a word of the future stands among the twelve before i,
	// with no quotation mark between: "would hold a second round of talks in Muscat on
	// Saturday", not "told reporters on Wednesday that he would", nor "\"We will not be
	// pushed around,\" Cooper said on Tuesday".
	future := func(i int) bool {
		for _, w := range words[max(0, i-12):i] {
			if futureWords[w.w] && !strings.ContainsAny(string(runes[w.end:words[i].start]), "\"“”") {
				return true
			}
		}
		return false
	}
	var out []dateRef
	for i := 0; i < len(words); i++ {
		w := words[i]
		if m, ok := months[w.w]; ok && capital(w) {
			year := published.Year()
			start, end := w.start, w.end
			if d, ok := number(i + 1); ok && d >= 1 && d <= 31 {
				end = words[i+1].end
				precision, given := domain.PrecisionDay, false
				if y, ok := number(i + 2); ok && y >= 1900 && y <= 2200 {
					year, end, given = y, words[i+2].end, true
					i++
				} else if published.IsZero() {
					continue
				}
				i++
				out = append(out, dateRef{start, end, pastYear(time.Date(year, m, d, 0, 0, 0, 0, time.UTC), published, given), precision, !given, given})
				continue
			}
			if d, ok := number(i - 1); ok && d >= 1 && d <= 31 { // "19 April 2025"
				start = words[i-1].start
				given := false
				if y, ok := number(i + 1); ok && y >= 1900 && y <= 2200 {
					year, end, given = y, words[i+1].end, true
					i++
				}
				out = append(out, dateRef{start, end, pastYear(time.Date(year, m, d, 0, 0, 0, 0, time.UTC), published, given), domain.PrecisionDay, !given, given})
				continue
			}
			if y, ok := number(i + 1); ok && y >= 1900 && y <= 2200 {
				out = append(out, dateRef{start, words[i+1].end, time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionMonth, false, false})
				i++
				continue
			}
			// A month alone is a date after "in", "since", "early" and the like, or heading a
			// timeline's item ("- September: The U.N. Security Council declined"); not the
			// word "May" of "may meet".
			if !published.IsZero() && (i > 0 && (words[i-1].w == "in" || words[i-1].w == "since" || words[i-1].w == "early" || words[i-1].w == "late" || words[i-1].w == "mid") ||
				w.end < len(runes) && runes[w.end] == ':') {
				switch {
				case i+2 < len(words) && words[i+1].w == "last" && words[i+2].w == "year": // "in April last year"
					year, end = year-1, words[i+2].end
				case m > published.Month():
					year--
				}
				out = append(out, dateRef{start, end, time.Date(year, m, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionMonth, false, false})
			}
			continue
		}
		if published.IsZero() {
			continue
		}
		p := day(published)
		switch wd, ok := weekdays[w.w]; {
		case ok && capital(w) && i+1 < len(words) && months[words[i+1].w] != 0 && capital(words[i+1]) && strings.TrimSpace(string(runes[w.end:words[i+1].start])) == ",":
			// "Tuesday, Sept. 9, 2025": the date after it is the day, whatever week it is
		case ok && capital(w):
			before := ""
			if i > 0 {
				before = words[i-1].w
			}
			var at time.Time
			switch {
			case before == "last":
				at = p.AddDate(0, 0, -int((7+p.Weekday()-wd)%7))
				if at.Equal(p) {
					at = at.AddDate(0, 0, -7)
				}
			case before == "next" || future(i) && wd != p.Weekday():
				at = p.AddDate(0, 0, int((7+wd-p.Weekday())%7))
				if at.Equal(p) {
					at = at.AddDate(0, 0, 7)
				}
			default:
				at = p.AddDate(0, 0, -int((7+p.Weekday()-wd)%7))
			}
			start := w.start
			if before == "last" || before == "next" {
				start = words[i-1].start
			}
			out = append(out, dateRef{start, w.end, at, domain.PrecisionDay, false, false})
		case w.w == "today" || w.w == "tonight":
			out = append(out, dateRef{w.start, w.end, p, domain.PrecisionDay, false, false})
		case w.w == "yesterday":
			out = append(out, dateRef{w.start, w.end, p.AddDate(0, 0, -1), domain.PrecisionDay, false, false})
		case w.w == "tomorrow":
			out = append(out, dateRef{w.start, w.end, p.AddDate(0, 0, 1), domain.PrecisionDay, false, false})
		case w.w == "ago" && i >= 2 && agoUnits[words[i-1].w] != 0 && counts[words[i-2].w] != 0:
			// "a week ago", "three days ago": a day counted back from publication
			out = append(out, dateRef{words[i-2].start, w.end, p.AddDate(0, 0, -counts[words[i-2].w]*agoUnits[words[i-1].w]), domain.PrecisionDay, false, false})
		case w.w == "month" && i > 0 && words[i-1].w == "last":
			m := time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
			out = append(out, dateRef{words[i-1].start, w.end, m, domain.PrecisionMonth, false, false})
		case w.w == "month" && i > 0 && words[i-1].w == "this":
			m := time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, time.UTC)
			out = append(out, dateRef{words[i-1].start, w.end, m, domain.PrecisionMonth, false, false})
		default:
			if y, ok := number(i); ok && y >= 1900 && y <= 2200 && len(w.w) == 4 && (i == 0 || months[words[i-1].w] == 0) {
				out = append(out, dateRef{w.start, w.end, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), domain.PrecisionYear, false, false})
			}
		}
	}
	return out
}

// agoUnits are the days in each unit "ago" counts back: "a week ago".
var agoUnits = map[string]int{"day": 1, "days": 1, "week": 7, "weeks": 7}

// counts are the numbers written as words before a unit: "three days ago".
var counts = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
	"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "10": 10}

// yearsCarried gives the days a sentence writes without their year (dates) the year the
// text last wrote, counting on past each new year: in a timeline from "April 12, 2025",
// "June 13" is of 2025 and, after "Dec. 28", "Jan. 8" of 2026. last is the day written
// last before the sentence, with its year or carried, nil for none; it returns the day
// written last after it.
func yearsCarried(dates []dateRef, last *dateRef) *dateRef {
	for i := range dates {
		d := &dates[i]
		if d.precision != domain.PrecisionDay {
			continue
		}
		if d.yearless && last != nil {
			at := time.Date(last.at.Year(), d.at.Month(), d.at.Day(), 0, 0, 0, 0, time.UTC)
			if at.Before(last.at) {
				at = at.AddDate(1, 0, 0)
			}
			d.at = at
		}
		if d.written || d.yearless && last != nil {
			last = d // not a day read against the publication ("on Saturday"), which a text may give in any order
		}
	}
	return last
}
