package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/spill"
)

// Importing is an import under way (Graph.BeginImport): batches added one after
// another, each checked against the ones before it and against the store as it was
// when the import began, and planned into one bulk write that Commit makes visible at
// once, or not at all when any batch had a problem.
//
// Between batches it keeps only what later ones are checked against: every node the
// import gives, and a record of a few bytes for each relation and evidence record
// (their ids, a relation's valid times as a hash, whether a claim has support). So a
// seed's relations can arrive a part at a time without the import holding them all.
// On a store whose bulk write is not staged (kv.Staged: Badger, into a database that
// holds data) the plan's key writes wait in a file until Commit (plan).
//
// A claim (relation or position) is refused for want of supporting evidence only at
// Commit, since a later batch may bring its support; every other problem is known when
// its batch is added.
//
// An Importing is used by one goroutine. Other writers wait from BeginImport until
// Commit or Abort, so one of them must follow.
type Importing struct {
	g       *Graph
	ctx     context.Context
	bulk    kv.BulkWriter // nil for a dry run
	version uint64        // the snapshot every batch is checked against
	p       *plan
	c       *checker
	failed  error // a storage error or cancellation that ended it

	problems []error
	more     int // problems not kept
	// pending are the problems a later batch may resolve (checker.pending), in the
	// order found, as their batch's locate made them: nil once resolved. Past
	// maxProblems they are only counted (checker.pendingN). pendingAt finds one by
	// key.
	pending   []error
	pendingAt map[string]int
}

// maxProblems is how many problems an import keeps to report; the rest are counted.
const maxProblems = 1000

// Locate turns a problem the store found with an item of a batch (Item, Index) into
// the error to report: one naming where the item came from.
type Locate func(*domain.Error) error

// Refused is the error of an import refused for its batches' problems, each as the
// Locate given with its batch made it: at most 1,000 of them, More counting the rest.
type Refused struct {
	Problems []error
	More     int
}

func (r *Refused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "import refused: %d problems", len(r.Problems)+r.More)
	for _, p := range r.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

func (r *Refused) Unwrap() []error { return r.Problems }

// BeginImport starts an import: a bulk write (Import) of the batches Add is given, or,
// with dryRun, the same checks and counts with nothing written.
//
// Errors: ctx's error; the store's error opening a bulk write.
func (g *Graph) BeginImport(ctx context.Context, dryRun bool) (*Importing, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	im := &Importing{g: g, ctx: ctx, p: g.newPlan(ctx), c: g.newChecker(ctx, false), pendingAt: map[string]int{}}
	im.c.texts.Dir = g.tempDir()
	im.p.sink = discard{}
	if !dryRun {
		bw, err := g.kv.Bulk()
		if err != nil {
			return nil, err
		}
		im.bulk = bw
		if s, ok := bw.(kv.Staged); ok && s.Staged() {
			im.p.sink = bw
		} else {
			im.p.spilled = &spill.Writes{Dir: im.c.texts.Dir}
			im.p.sink = im.p.spilled
		}
	}
	// A bulk write holds the commit lock: the newest snapshot stays the newest until
	// it commits.
	im.version = g.kv.LatestVersion()
	err := g.kv.View(im.version, func(r kv.Reader) error {
		has, err := layout.HasNodes(r)
		im.c.fresh = !has
		return err
	})
	if err != nil {
		return nil, errors.Join(err, im.Abort())
	}
	return im, nil
}

// Add checks b against the batches added before and the store, and plans its writes.
// It fills in derived ids, defaults and offsets in b, and keeps nothing of b once it
// returns but what Importing says. locate makes each problem with b's items into the
// error Commit reports (nil: the *domain.Error itself).
//
// Errors: ctx's error; read errors. Either ends the import: Commit then returns it.
func (im *Importing) Add(b *Batch, locate Locate) error {
	if im.failed != nil {
		return im.failed
	}
	if locate == nil {
		locate = func(e *domain.Error) error { return e }
	}
	err := im.g.kv.View(im.version, func(r kv.Reader) error { return im.c.add(r, b, im.p) })
	if err == nil {
		err = im.p.err
	}
	if err != nil {
		im.failed = err
		return err
	}
	for _, e := range im.c.errs {
		im.problem(locate(e))
	}
	for _, key := range im.c.resolved {
		if i, ok := im.pendingAt[key]; ok {
			im.pending[i] = nil
			delete(im.pendingAt, key)
		}
	}
	for _, u := range im.c.pending {
		if len(im.pendingAt) < maxProblems {
			im.pendingAt[u.key] = len(im.pending)
			im.pending = append(im.pending, locate(u.err))
		}
	}
	return nil
}

func (im *Importing) problem(err error) {
	if len(im.problems) < maxProblems {
		im.problems = append(im.problems, err)
	} else {
		im.more++
	}
}

// refused returns the import's problems as a *Refused, or nil when it has none.
func (im *Importing) refused() *Refused {
	r := &Refused{Problems: im.problems, More: im.more}
	kept := 0
	for _, e := range im.pending {
		if e == nil {
			continue
		}
		kept++
		if len(r.Problems) < maxProblems {
			r.Problems = append(r.Problems, e)
		} else {
			r.More++
		}
	}
	// Pending problems past the ones kept, and still unresolved.
	r.More += im.c.pendingN - kept
	if len(r.Problems) == 0 {
		return nil
	}
	return r
}

// Commit writes what the batches added plan in one bulk write, all of it visible at
// once, and returns what it changed; a dry run writes nothing and returns what it
// would change (Version 0). An import that changes nothing writes nothing.
// Cancellation of the import's ctx is noticed once more before the last keys are
// written; from then on the import is finished rather than undone, since undoing a
// bulk write may rescan the store (kv.Bulk's Abort).
//
// Errors: *Refused listing the batches' problems; the error that ended an Add; ctx's
// error; write errors. Nothing is written after any of them.
func (im *Importing) Commit() (WriteStats, error) {
	err := im.failed
	if err == nil {
		if r := im.refused(); r != nil {
			err = r
		}
	}
	if err != nil || im.bulk == nil || !im.p.stats.changed() {
		return im.finished(err)
	}
	if err := im.c.forget(); err != nil {
		return im.finished(err)
	}
	p := im.p
	var committed []func()
	// The bulk write holds the commit lock: what the indexes read now stays so until
	// it commits.
	err = im.g.kv.View(kv.Latest, func(r kv.Reader) error {
		var err error
		committed, err = p.finish(index.Commit{Locked: r})
		return err
	})
	if err == nil {
		err = im.ctx.Err()
	}
	var wrote []func(uint64)
	if err == nil {
		if done := im.g.changingAdjacency(p); done != nil {
			wrote = append(wrote, done)
		}
		im.g.stampDerived(p)
		err = errors.Join(p.write(im.bulk), p.closeSpilled())
	}
	if err != nil {
		im.g.changedAdjacency(wrote, 0, err)
		return im.finished(err)
	}
	v, err := im.bulk.Commit()
	im.g.changedAdjacency(wrote, v, err)
	im.bulk = nil
	p.stats.Version = v
	if err != nil {
		return WriteStats{}, err
	}
	im.g.unstamped.Store(false)
	for _, f := range committed {
		f()
	}
	im.g.published(p, v)
	return p.stats, nil
}

// finished ends an import that writes nothing: it aborts the bulk write and returns
// the stats, or err.
func (im *Importing) finished(err error) (WriteStats, error) {
	err = errors.Join(err, im.Abort())
	if err != nil {
		return WriteStats{}, err
	}
	return im.p.stats, nil
}

// Abort ends the import without writing anything. It does nothing after Commit.
//
// Errors: the store's error discarding the bulk write.
func (im *Importing) Abort() error {
	err := errors.Join(im.c.texts.Close(), im.p.closeSpilled())
	if im.bulk != nil {
		err = errors.Join(err, im.bulk.Abort())
		im.bulk = nil
	}
	return err
}

// Import is Apply for writes of any size, in one batch: BeginImport, Add and Commit.
// It validates everything first, then writes through kv.Bulk, which makes the whole
// import visible at once or, after a failure, a cancellation of ctx or a crash, not at
// all. Other writers wait while an import is planned and committed.
//
// Errors: as Apply; ctx's error when ctx ends before the writing ends (nothing is
// committed).
func (g *Graph) Import(ctx context.Context, b *Batch) (WriteStats, error) {
	return g.importBatch(ctx, b, false)
}

// Validate checks b against the newest snapshot exactly as Import would, without
// writing anything, and returns the stats Import would report (Version 0). Like Import
// it fills in derived ids, defaults and offsets in b.
//
// Errors: as Import.
func (g *Graph) Validate(ctx context.Context, b *Batch) (WriteStats, error) {
	return g.importBatch(ctx, b, true)
}

func (g *Graph) importBatch(ctx context.Context, b *Batch, dryRun bool) (WriteStats, error) {
	im, err := g.BeginImport(ctx, dryRun)
	if err != nil {
		return WriteStats{}, err
	}
	if err := im.Add(b, nil); err != nil {
		return WriteStats{}, errors.Join(err, im.Abort())
	}
	stats, err := im.Commit()
	var r *Refused
	if errors.As(err, &r) {
		errs := make(domain.Errors, len(r.Problems))
		for i, p := range r.Problems {
			errs[i] = p.(*domain.Error)
		}
		return WriteStats{}, errs
	}
	return stats, err
}
