package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/index/counters"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Change describes one committed write: who made it and what it wrote. The feed
// (Subscribe) hands them out as they land; Changes lists those of a time window, read
// back from the change record every commit writes.
type Change struct {
	Version uint64
	At      time.Time
	layout.ChangeRecord
}

// changeOf is the change a record of the commit at version describes.
func changeOf(version uint64, rec layout.ChangeRecord) Change {
	return Change{Version: version, At: kv.VersionTime(version), ChangeRecord: rec}
}

// changeSet accumulates what a plan writes, for its change record: each id once, however
// many of its keys the plan writes.
type changeSet struct {
	kinds           map[domain.Kind]bool
	noted           map[string]bool
	nodeIDs, relIDs []string
}

// note reports whether id is new to the set, and counts it as seen.
func (cs *changeSet) note(id string) bool {
	if cs.noted[id] {
		return false
	}
	if cs.noted == nil {
		cs.noted = map[string]bool{}
	}
	cs.noted[id] = true
	return true
}

func (cs *changeSet) kind(k domain.Kind) {
	if cs.kinds == nil {
		cs.kinds = map[domain.Kind]bool{}
	}
	cs.kinds[k] = true
}

func (cs *changeSet) node(id string, k domain.Kind) {
	cs.kind(k)
	if len(cs.nodeIDs) < layout.MaxChangeIDs && cs.note(id) {
		cs.nodeIDs = append(cs.nodeIDs, id)
	}
}

func (cs *changeSet) relation(id string, ends ...domain.Kind) {
	for _, k := range ends {
		if k != "" {
			cs.kind(k)
		}
	}
	if len(cs.relIDs) < layout.MaxChangeIDs && cs.note(id) {
		cs.relIDs = append(cs.relIDs, id)
	}
}

// claim notes a relation or position whose evidence changed: a relation with the
// kinds of its ends, read from r.
func (cs *changeSet) claim(r kv.Reader, subject domain.Node) error {
	rel, ok := subject.(*domain.Relation)
	if !ok {
		cs.node(subject.NodeID(), subject.NodeKind())
		return nil
	}
	var ends []domain.Kind
	for _, end := range counters.RelationEnds(rel) {
		n, err := layout.ReadNode(r, end)
		if err != nil {
			return err
		}
		ends = append(ends, n.NodeKind())
	}
	cs.relation(rel.ID, ends...)
	return nil
}

// record is the change record of a write by author with stats.
func (cs *changeSet) record(author string, s WriteStats) layout.ChangeRecord {
	c := layout.ChangeRecord{Author: author, NodeIDs: cs.nodeIDs, RelationIDs: cs.relIDs,
		Nodes: s.Nodes, Relations: s.Relations, Evidence: s.Evidence}
	for k := range cs.kinds {
		c.Kinds = append(c.Kinds, k)
	}
	slices.Sort(c.Kinds)
	return c
}

// published announces the plan p committed at version to subscribers.
func (g *Graph) published(p *plan, version uint64) {
	g.publish(changeOf(version, p.changes.record(p.author, p.stats)))
}

// Journaled lists the keys a store on TiKV journals (tikvkv.Journal), so that the
// change feed reads the commits it asks for rather than every commit the cluster has
// held: every process writing the graph on a cluster is opened with them.
func Journaled() [][]byte { return layout.Journaled() }

// followEvery is how often FollowOthers looks for other processes' commits: how late,
// at most, a subscriber through one server hears of a write through another.
const followEvery = 250 * time.Millisecond

// FollowOthers publishes to subscribers (Subscribe) the commits other processes make to
// a store they share with this one (a kv.Shared store whose WriteHorizon is not 0),
// until ctx ends; call it once for a Graph. It returns at once for a store no other
// process writes, as the commits there are all this process's and published as
// they land.
//
// Every followEvery it reads the newest change record and, when it is not the one the
// last look found (every commit writes the record, and each record's Commit id is its
// own), the record's history back to the write horizon: a commit in flight in another
// process is visible once it lands, with a version that may come before ones already
// seen, and at most the horizon after its start. Commits already published, by this
// process or an earlier look, are known by version within the horizon. A look that finds
// new commits reads the record's versions within the horizon (on TiKV from the record's
// journal: Journaled), one that finds none is one read.
//
// A look that fails (the store's error, passed to report) is made again at the next
// tick, which still finds what it would have within the horizon.
func (g *Graph) FollowOthers(ctx context.Context, report func(error)) {
	shared, ok := g.kv.(kv.Shared)
	if !ok || shared.WriteHorizon() == 0 {
		return
	}
	horizon := uint64(shared.WriteHorizon())
	g.feed.mu.Lock()
	g.feed.published = map[uint64]bool{}
	g.feed.mu.Unlock()
	from := g.kv.LatestVersion() // commits from here on are news
	var newest []byte            // the newest change record, as the last look found it
	tick := time.NewTicker(followEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := g.kv.LatestVersion()
		var head []byte
		err := g.kv.View(now, func(r kv.Reader) error {
			var err error
			if head, err = r.Get(layout.ChangeKey()); errors.Is(err, kv.ErrNotFound) {
				err = nil
			}
			return err
		})
		if err != nil {
			report(err)
			continue
		}
		if newest != nil && bytes.Equal(head, newest) {
			continue // nothing committed since the last look
		}
		low := from
		if now > horizon {
			low = max(low, now-horizon)
		}
		var news []Change
		err = g.kv.History(layout.ChangeKey(), func(version uint64, value []byte, deleted bool) error {
			if version <= low {
				return kv.ErrStop
			}
			if version > now || deleted {
				return nil // landed after now: the next look sees it
			}
			rec, err := layout.DecodeChange(value)
			if err != nil {
				return err
			}
			news = append(news, changeOf(version, rec))
			return nil
		})
		if err != nil {
			report(err)
			continue
		}
		newest = head
		slices.Reverse(news)
		g.feed.mu.Lock()
		for v := range g.feed.published {
			if v <= low {
				delete(g.feed.published, v)
			}
		}
		g.feed.mu.Unlock()
		for _, c := range news {
			g.publish(c)
		}
	}
}

// Changes pages through the commits made in [since, until), oldest first, as known at
// the snapshot ctx reads at; a nil until leaves the window open. Each is read back from
// the change record its commit wrote, so it says who wrote and what (commits made
// before change records listed what they wrote name their author alone). A page's
// cursors are commit versions.
//
// Errors: ErrInvalid for a malformed cursor or until before since.
func (g *Graph) Changes(ctx context.Context, since time.Time, until *time.Time, args domain.PageArgs) (domain.Page[*Change], error) {
	var page domain.Page[*Change]
	if until != nil && until.Before(since) {
		return page, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "until", Message: "is before since"}
	}
	var after uint64
	if args.After != "" {
		var err error
		if after, err = strconv.ParseUint(args.After, 10, 64); err != nil {
			return page, &domain.Error{Kind: domain.ErrInvalid, Index: -1, Field: "after", Message: "is not a cursor of this list"}
		}
	}
	at := Version(ctx)
	size := args.First
	if size <= 0 {
		size = domain.DefaultPageSize
	}
	// The history runs newest first, so the page (the oldest size commits after the
	// cursor) is the last size of them it passes: each one's record is kept in a ring
	// of size slots, written over by the next size-th, whose buffers are used again.
	// A page costs its records' memory whatever the window's length, and no read but
	// the history's.
	type held struct {
		version uint64
		record  []byte
	}
	var ring []held // grows to size slots
	passed := 0     // commits after the cursor
	err := g.kv.History(layout.ChangeKey(), func(version uint64, value []byte, _ bool) error {
		t := kv.VersionTime(version)
		switch {
		case t.Before(since):
			return kv.ErrStop
		case at != kv.Latest && version > at, until != nil && !t.Before(*until):
			return nil
		}
		page.Total++
		if version > after {
			if len(ring) < size {
				ring = append(ring, held{})
			}
			slot := &ring[passed%size]
			slot.version, slot.record = version, append(slot.record[:0], value...)
			passed++
		}
		return nil
	})
	if err != nil {
		return page, err
	}
	page.HasNext = passed > size
	for i := range min(passed, size) {
		h := ring[(passed-1-i)%size]
		rec, err := changeRecord(h.record)
		if err != nil {
			return page, err
		}
		c := changeOf(h.version, rec)
		page.Items = append(page.Items, &c)
		page.Cursors = append(page.Cursors, strconv.FormatUint(h.version, 10))
	}
	return page, nil
}

// changeAt reads the change record of the commit at version; a commit that wrote
// none (none of its writes was the graph's) is by "unknown".
func (g *Graph) changeAt(version uint64) (layout.ChangeRecord, error) {
	var value []byte
	err := g.kv.View(version, func(r kv.Reader) error {
		var err error
		if value, err = r.Get(layout.ChangeKey()); errors.Is(err, kv.ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		return layout.ChangeRecord{}, err
	}
	return changeRecord(value)
}

// changeRecord decodes a change record; none (empty) is by "unknown".
func changeRecord(value []byte) (layout.ChangeRecord, error) {
	var rec layout.ChangeRecord
	var err error
	if len(value) > 0 {
		rec, err = layout.DecodeChange(value)
	}
	if rec.Author == "" {
		rec.Author = "unknown"
	}
	return rec, err
}

// feed fans committed changes out to subscribers. A subscriber that falls behind by
// more than its buffer loses the oldest changes it has not read, never blocks writers.
type feed struct {
	mu   sync.Mutex
	subs map[chan Change]bool
	// published holds the versions published while FollowOthers runs (nil otherwise),
	// so that a commit is published once, whether this process or another made it.
	published map[uint64]bool
}

// subscriberBuffer is how many changes a slow subscriber may fall behind by.
const subscriberBuffer = 64

// Subscribe returns a channel receiving every change committed from now on, and a
// function that ends the subscription and closes the channel.
func (g *Graph) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, subscriberBuffer)
	g.feed.mu.Lock()
	if g.feed.subs == nil {
		g.feed.subs = map[chan Change]bool{}
	}
	g.feed.subs[ch] = true
	g.feed.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			g.feed.mu.Lock()
			delete(g.feed.subs, ch)
			g.feed.mu.Unlock()
			close(ch)
		})
	}
}

func (g *Graph) publish(c Change) {
	g.feed.mu.Lock()
	defer g.feed.mu.Unlock()
	if g.feed.published != nil {
		if g.feed.published[c.Version] {
			return
		}
		g.feed.published[c.Version] = true
	}
	for ch := range g.feed.subs {
		for {
			select {
			case ch <- c:
			default:
				select {
				case <-ch: // drop the oldest to make room
				default:
				}
				continue
			}
			break
		}
	}
}
