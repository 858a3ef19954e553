package store

import "context"

// Validate checks b against the newest snapshot exactly as Import would, without
// writing anything, and returns the stats Import would report (Version 0). Like Import
// it fills in derived ids, defaults and offsets in b.
//
// Errors: as Import.
func (g *Graph) Validate(ctx context.Context, b *Batch) (WriteStats, error) {
	if err := ctx.Err(); err != nil {
		return WriteStats{}, err
	}
	p, err := g.planLatest(ctx, b)
	if err != nil {
		return WriteStats{}, err
	}
	return p.stats, nil
}
