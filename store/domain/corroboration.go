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

// Corroborate computes the corroboration of a claim from its evidence; source looks up
// the sources it cites (and the sources they copy), nil for one it does not know.
// Disputing and retracted evidence does not corroborate.
func Corroborate(evidence []*Evidence, source func(id string) *Source) Corroboration {
	var c Corroboration
	origins := map[string]bool{}
	publishers := map[string]bool{}
	for _, ev := range evidence {
		if !ev.Supports() {
			continue
		}
		src := source(ev.Source)
		seen := ev.RecordedAt
		if src != nil && src.PublishedAt != nil {
			seen = *src.PublishedAt
		}
		var origin, publisher string
		if ev.AttributedTo != "" {
			origin, publisher = "actor:"+ev.AttributedTo, ev.AttributedTo
		} else {
			root := src
			for hops := 0; root != nil && root.CopyOf != "" && hops < MaxCopyHops; hops++ {
				if next := source(root.CopyOf); next != nil {
					root = next
				} else {
					break
				}
			}
			origin = "source:" + ev.Source
			if root != nil {
				origin, publisher = "source:"+root.ID, root.Publisher
				if root.PublishedAt != nil {
					seen = *root.PublishedAt
				}
			}
		}
		origins[origin] = true
		if publisher != "" {
			publishers[publisher] = true
		}
		if c.FirstSeen == nil || seen.Before(*c.FirstSeen) {
			c.FirstSeen = &seen
		}
		if c.LastSeen == nil || seen.After(*c.LastSeen) {
			c.LastSeen = &seen
		}
	}
	c.Sources, c.Publishers = len(origins), len(publishers)
	return c
}
