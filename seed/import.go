package seed

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
)

// Importer is what an import needs of the graph (a *store.Graph): a bulk write, and
// the same checks without the writing.
type Importer interface {
	Import(ctx context.Context, b *store.Batch) (store.WriteStats, error)
	Validate(ctx context.Context, b *store.Batch) (store.WriteStats, error)
}

// Import writes set into g in one atomic bulk write (store.Graph.Import): all of it, or
// on any error none of it. Items identical to what g holds are left alone, so
// importing the same files again changes nothing and returns zero WriteStats. History
// records the writes as ctx's author (store.WithAuthor), or as Set.Author when ctx
// names none. With opt.DryRun it validates the set against g exactly as an import
// would, writes nothing, and returns the stats the import would have.
//
// Problems with the set are returned as an *ErrorList locating each at its file, line
// and field; other errors (storage, store.ErrConflict) are returned as they are.
func Import(ctx context.Context, g Importer, set *Set, opt Options) (store.WriteStats, error) {
	start := time.Now()
	n, r, e := set.Counts()
	verb := "importing"
	if opt.DryRun {
		verb = "validating (dry run)"
	}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "seed: %s %d nodes, %d relations, %d evidence\n", verb, n, r, e)
	}
	var stats store.WriteStats
	var err error
	if opt.DryRun {
		stats, err = g.Validate(ctx, &set.Batch)
	} else {
		stats, err = g.Import(store.WithDefaultAuthor(ctx, set.Author()), &set.Batch)
	}
	if err != nil {
		var errs domain.Errors
		if errors.As(err, &errs) {
			return store.WriteStats{}, set.locateAll(errs)
		}
		return store.WriteStats{}, err
	}
	if opt.Progress != nil {
		d := time.Since(start)
		what := "changed"
		if opt.DryRun {
			what = "would change"
		}
		fmt.Fprintf(opt.Progress, "seed: %s %d relations in %s (%s relations/s); %s %d nodes, %d relations, %d evidence\n",
			map[bool]string{false: "imported", true: "validated"}[opt.DryRun], r, d.Round(time.Millisecond), rate(r, d),
			what, stats.Nodes, stats.Relations, stats.Evidence)
	}
	return stats, nil
}

// locateAll maps the store's errors about set.Batch to seed errors.
func (s *Set) locateAll(errs domain.Errors) error {
	c := collector{files: map[string]int{}}
	for i, f := range s.files {
		if _, ok := c.files[f]; !ok {
			c.files[f] = i
		}
	}
	for _, e := range errs {
		c.add(s.Locate(e))
	}
	return c.err()
}

// Author is how an import of the set is recorded in history: "seed:" and the files'
// base names.
func (s *Set) Author() string {
	names := make([]string, len(s.files))
	for i, f := range s.files {
		names[i] = path.Base(filepath.ToSlash(f))
	}
	return "seed:" + strings.Join(names, ",")
}
