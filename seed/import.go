package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
)

// Importer is what an import needs of the graph (a *store.Graph): an import in
// batches, written in one bulk write or, in a dry run, only checked.
type Importer interface {
	BeginImport(ctx context.Context, dryRun bool) (*store.Importing, error)
}

// Import writes set into g in one atomic bulk write (store.Graph.BeginImport): all of
// it, or on any error none of it. Items identical to what g holds are left alone, so
// importing the same files again changes nothing and returns zero WriteStats. History
// records the writes as ctx's author (store.WithAuthor), or as Set.Author when ctx
// names none. With opt.DryRun it validates the set against g exactly as an import
// would, writes nothing, and returns the stats the import would have.
//
// Problems with the set are returned as an *ErrorList locating each at its file, line
// and field; other errors (storage, store.ErrConflict) are returned as they are. An
// import that another process's commits refuse (store.ErrConflict, on a store several
// processes write) is checked and written again, up to importRuns times in all.
func Import(ctx context.Context, g Importer, set *Set, opt Options) (store.WriteStats, error) {
	start := time.Now()
	n, r, e := set.Counts()
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "seed: %s %d nodes, %d relations, %d evidence\n", opt.verb(), n, r, e)
	}
	stats, err := opt.runs(func() (store.WriteStats, error) { return importSet(ctx, g, set, opt) })
	if err != nil {
		return store.WriteStats{}, err
	}
	opt.imported(start, r, stats)
	return stats, nil
}

// importRuns bounds the runs of an import that other processes' commits keep refusing:
// each run checks the seed again against the store as it then is, so a large import
// beside a busy writer may never land; run it when writes are few.
const importRuns = 3

// runs runs an import until it lands, fails for another reason than other processes'
// commits (store.ErrConflict), or has run importRuns times.
func (o Options) runs(run func() (store.WriteStats, error)) (store.WriteStats, error) {
	for n := 1; ; n++ {
		stats, err := run()
		if !errors.Is(err, store.ErrConflict) || n == importRuns {
			return stats, err
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "seed: another process wrote the store while this import ran (%v); checking it again\n", err)
		}
	}
}

// importSet is one run of Import.
func importSet(ctx context.Context, g Importer, set *Set, opt Options) (store.WriteStats, error) {
	im, err := g.BeginImport(store.WithDefaultAuthor(ctx, set.Author()), opt.DryRun)
	if err != nil {
		return store.WriteStats{}, err
	}
	defer im.Abort()
	if err := im.Add(&set.Batch, set.locate); err != nil {
		return store.WriteStats{}, err
	}
	stats, err := im.Commit()
	if err != nil {
		return store.WriteStats{}, located(collector{files: set.fileOrder()}, err)
	}
	return stats, nil
}

// ImportFiles is Import of the seed files at paths (as LoadFiles reads them), read as
// it goes rather than loaded first: the files are read once for each phase (entities,
// then sources, then positions and relations with their evidence), and what each
// phase reads goes to the store Options.PartItems records at a time (store.Importing).
// So files of any number of relations are imported holding a part of them, with the
// guarantees of Import: every problem reported, at its file, line and field, before
// anything is written; all or nothing; a second import a no-op.
//
// A relation a JSON Lines file states twice, in different parts, with different valid
// times is refused with the store's message, which names the later line only.
func (o Options) ImportFiles(ctx context.Context, g Importer, paths ...string) (store.WriteStats, error) {
	start := time.Now()
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "seed: %s %s\n", o.verb(), strings.Join(paths, ", "))
	}
	relations := 0
	stats, err := o.runs(func() (store.WriteStats, error) { return o.importFiles(ctx, g, paths, &relations) })
	if err != nil {
		return store.WriteStats{}, err
	}
	o.imported(start, relations, stats)
	return stats, nil
}

// importFiles is one run of ImportFiles; it counts the relations it read.
func (o Options) importFiles(ctx context.Context, g Importer, paths []string, relations *int) (store.WriteStats, error) {
	l := newLoader(o)
	l.open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	defer l.rootFolders()()
	author := (&Set{files: paths}).Author()
	im, err := g.BeginImport(store.WithDefaultAuthor(ctx, author), o.DryRun)
	if err != nil {
		return store.WriteStats{}, err
	}
	defer im.Abort()
	if err := l.stream(paths, func(s *Set) error { return im.Add(&s.Batch, s.locate) }); err != nil {
		return store.WriteStats{}, err
	}
	stats, err := im.Commit()
	if err != nil || l.errs.count() > 0 {
		return store.WriteStats{}, located(l.errs, err)
	}
	*relations = l.relations
	return stats, nil
}

func (o Options) verb() string {
	if o.DryRun {
		return "validating (dry run)"
	}
	return "importing"
}

// imported reports an import's end to o.Progress.
func (o Options) imported(start time.Time, relations int, stats store.WriteStats) {
	if o.Progress == nil {
		return
	}
	d := time.Since(start)
	what := "changed"
	if o.DryRun {
		what = "would change"
	}
	fmt.Fprintf(o.Progress, "seed: %s %d relations in %s (%s relations/s); %s %d nodes, %d relations, %d evidence\n",
		map[bool]string{false: "imported", true: "validated"}[o.DryRun], relations, d.Round(time.Millisecond), rate(relations, d),
		what, stats.Nodes, stats.Relations, stats.Evidence)
}

// locate is the store.Locate of the set's batch.
func (s *Set) locate(e *domain.Error) error { return s.Locate(e) }

// fileOrder numbers the set's files in the order they were loaded.
func (s *Set) fileOrder() map[string]int {
	files := map[string]int{}
	for i, f := range s.files {
		if _, ok := files[f]; !ok {
			files[f] = i
		}
	}
	return files
}

// located returns the problems c holds and, when err is a store's refusal of an
// import, those it lists, as an *ErrorList; any other err as it is.
func located(c collector, err error) error {
	var r *store.Refused
	if err != nil && !errors.As(err, &r) {
		return err
	}
	if r != nil {
		for _, p := range r.Problems {
			c.add(p.(*Error))
		}
		c.list.More += r.More
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
