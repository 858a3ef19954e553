package domain

import "time"

// Corroboration says how independently a claim is supported: by how many distinct
// original reports, from how many publishers, first and last seen when. It is computed
// from the evidence as it stands, so it grows as evidence arrives.
type Corroboration struct {
	// Sources counts distinct original reports. A source that declares itself a copy
	// of another (Source.CopyOf: a wire copy, syndication) counts as that other one;
	// evidence a source attributes to someone ("as reported by the BBC") counts as a
	// report of that originator, however many sources repeat it.
	Sources int
	// Publishers counts the distinct publishers of those reports (an originator
	// counts as its own publisher); reports whose publisher is not known add none.
	Publishers int
	// FirstSeen and LastSeen are the earliest and latest times a supporting report was
	// made: its source's publication, or when the evidence was recorded when that is
	// not known.
	FirstSeen, LastSeen *time.Time
}

// MaxCopyHops bounds how far a chain of copies is followed to its original.
const MaxCopyHops = 8

// report is one supporting evidence record as corroboration counts it: the original
// report it is, who made that report, and when.
type report struct {
	// origin names the original report: "source:ID" of the source (the one a copy
	// copies), or "actor:ID" of the originator the evidence is attributed to.
	origin string
	// publisher is the report's publisher, the originator itself for an attributed
	// report; "" when not known.
	publisher string
	seen      time.Time
}

// reports are the reports of a claim's supporting evidence, one per record;
// disputing, mentioning and retracted evidence makes none. source looks up the sources
// the evidence cites (and the sources they copy), nil for one it does not know.
func reports(evidence []*Evidence, source func(id string) *Source) []report {
	var out []report
	for _, ev := range evidence {
		if !ev.Supports() {
			continue
		}
		src := source(ev.Source)
		rep := report{origin: "source:" + ev.Source, seen: ev.RecordedAt}
		if src != nil && src.PublishedAt != nil {
			rep.seen = *src.PublishedAt
		}
		if ev.AttributedTo != "" {
			rep.origin, rep.publisher = "actor:"+ev.AttributedTo, ev.AttributedTo
		} else if root := original(src, source); root != nil {
			rep.origin, rep.publisher = "source:"+root.ID, root.Publisher
			if root.PublishedAt != nil {
				rep.seen = *root.PublishedAt
			}
		}
		out = append(out, rep)
	}
	return out
}

// original follows a chain of copies from src to the source it started from, as far as
// source knows them and at most MaxCopyHops.
func original(src *Source, source func(id string) *Source) *Source {
	for hops := 0; src != nil && src.CopyOf != "" && hops < MaxCopyHops; hops++ {
		next := source(src.CopyOf)
		if next == nil {
			break
		}
		src = next
	}
	return src
}

// Corroborate computes the corroboration of a claim from its evidence; source looks up
// the sources it cites (and the sources they copy), nil for one it does not know.
// Disputing and retracted evidence does not corroborate.
func Corroborate(evidence []*Evidence, source func(id string) *Source) Corroboration {
	return tally(reports(evidence, source))
}

// tally counts the distinct origins and publishers of reports and their span in time.
func tally(reports []report) Corroboration {
	var c Corroboration
	origins := map[string]bool{}
	publishers := map[string]bool{}
	for _, rep := range reports {
		origins[rep.origin] = true
		if rep.publisher != "" {
			publishers[rep.publisher] = true
		}
		if c.FirstSeen == nil || rep.seen.Before(*c.FirstSeen) {
			c.FirstSeen = &rep.seen
		}
		if c.LastSeen == nil || rep.seen.After(*c.LastSeen) {
			c.LastSeen = &rep.seen
		}
	}
	c.Sources, c.Publishers = len(origins), len(publishers)
	return c
}
