package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/maphash"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/index"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
	"eventgraph/store/spill"
)

// Batch is one atomic write: nodes (entities, positions, sources) upserted by id,
// relations upserted by their derived id, evidence added to relations and positions,
// and candidate relations proposed for review. Items may reference each other and
// what the store already holds.
type Batch struct {
	Nodes     []domain.Node
	Relations []domain.Relation
	Evidence  []domain.Evidence
	// Candidates join the review queue as pending; one already proposed (same id) is
	// left as it is, so a rejected candidate stays rejected when proposed again.
	Candidates []domain.Candidate
	// Proposals join the review queue as pending; one already proposed (same id) gains
	// the spans it did not have while pending, and is otherwise left as it is.
	Proposals []domain.Proposal
	// then plans writes of the store's own after the batch's, in the same transaction
	// (update only): what a write needs beyond nodes, relations and evidence.
	then func(r kv.Reader, p *plan) error
}

// WriteStats counts what a write changed; a repeated write counts zeros. Candidates
// counts the candidates new to the review queue.
type WriteStats struct {
	Nodes, Relations, Evidence, Candidates, Proposals int
	Version                                           uint64
}

func (s WriteStats) changed() bool {
	return s.Nodes+s.Relations+s.Evidence+s.Candidates+s.Proposals > 0
}

// Apply validates b against the store and commits it in one transaction: all of it or,
// on any error, none of it. It fills in derived relation and evidence ids, evidence
// RecordedAt, and source content hashes. Items identical to what is stored are left
// alone, so applying the same batch twice changes nothing.
//
// Errors: Errors (wrapping ErrInvalid, ErrEvidenceRequired) listing every problem;
// ErrConflict when concurrent writers kept colliding.
func (g *Graph) Apply(ctx context.Context, b *Batch) (WriteStats, error) {
	return g.update(ctx, func(kv.Reader) (*Batch, error) { return b, nil })
}

// update commits the batch build makes from the transaction's snapshot, so a write
// that depends on what is stored (a change to one field of a node) cannot lose a
// concurrent write: a collision retries build on a newer snapshot.
func (g *Graph) update(ctx context.Context, build func(kv.Reader) (*Batch, error)) (WriteStats, error) {
	p, v, err := g.transact(ctx, func(rw kv.ReadWriter, p *plan) error {
		b, err := build(rw)
		if err != nil {
			return err
		}
		if err := g.check(ctx, rw, b, p); err != nil {
			return err
		}
		if b.then != nil {
			return b.then(rw, p)
		}
		return nil
	})
	if err != nil {
		return WriteStats{}, err
	}
	stats := p.stats
	stats.Version = v
	if stats.changed() {
		g.published(p, v)
	}
	return stats, nil
}

// transact commits, in one transaction, the plan fn makes from the transaction's
// snapshot with what the derived indexes add to it; a collision retries fn on a newer
// snapshot with a new plan. It returns the plan committed and its version.
func (g *Graph) transact(ctx context.Context, fn func(rw kv.ReadWriter, p *plan) error) (*plan, uint64, error) {
	seq := g.inFlight.Reserve(g.kv)
	defer g.inFlight.Release(seq)
	var p *plan
	var committed []func()
	var wrote []func(uint64) // one for each time fn ran (Update may retry it)
	v, err := g.kv.Update(func(rw kv.ReadWriter) error {
		p = g.newPlan(ctx)
		if err := fn(rw, p); err != nil {
			return err
		}
		var err error
		if committed, err = p.finish(index.Commit{Seq: seq}); err != nil {
			return err
		}
		g.stampDerived(p)
		if done := g.changingAdjacency(p); done != nil {
			wrote = append(wrote, done)
		}
		return p.write(rw)
	})
	g.changedAdjacency(wrote, v, err)
	if err != nil {
		return nil, 0, err
	}
	g.unstamped.Store(false)
	for _, f := range committed {
		f()
	}
	return p, v, nil
}

// discard is a setter that keeps nothing: the key writes of a dry run.
type discard struct{}

func (discard) Set(_, _ []byte) error { return nil }

// plan is a write reduced to the key writes it needs: those of its records and their
// indexes, and those its derived indexes' plans add (index.Plan), which it tells of
// every record it changes. It is an index.Keys.
//
// A transaction's plan keeps its key writes until it is written. An import sends them
// elsewhere as they are planned (sink), so that a write of any size is not also held
// whole in memory as a plan. Into a bulk write that stages its writes (kv.Staged) it
// sends them to the bulk write (on Badger's first import, it spills sorted runs to
// disk), which makes nothing visible before its commit, and one aborted on an error
// takes the writes with it at no cost. Into one that writes as it goes (Badger, into a
// database holding data), an import refused for a problem found in a late part would
// first write, then undo, part of itself; so it appends them to a file (spilled),
// written out after every part has been checked. Deletes are kept and written after
// the sets, which is the same write: an import's plan deletes the keys a record stored
// before no longer has, never one it sets.
type plan struct {
	sets     keyWrites
	sink     setter        // nil: sets go to sets
	spilled  *spill.Writes // the sink when it is a file, written out by write
	streamed int           // sets sent to sink
	err      error         // the first error of sink
	deletes  [][]byte
	// touched lists the nodes whose adjacency the plan changes, unless touchedAll
	// says it may change any node's (maxTouched).
	touched    map[string]bool
	touchedAll bool
	stats      WriteStats
	changes    changeSet
	author     string
	indexes    []index.Plan
}

// setter is where a plan's sets go as they are planned.
type setter interface{ Set(key, value []byte) error }

// newPlan starts a write by ctx's author.
func (g *Graph) newPlan(ctx context.Context) *plan {
	p := &plan{author: Author(ctx)}
	for _, ix := range g.indexes {
		p.indexes = append(p.indexes, ix.Plan(p))
	}
	return p
}

func (p *plan) Set(k, v []byte) {
	p.touch(k)
	switch {
	case p.sink == nil:
		p.sets.add(k, v)
	case p.err == nil:
		p.err = p.sink.Set(k, v)
		p.streamed++
	}
}
func (p *plan) Delete(k []byte) {
	p.touch(k)
	p.deletes = append(p.deletes, k)
}

// maxTouched is the most nodes a plan lists as having their adjacency changed; past
// it, it says it may have changed any node's.
const maxTouched = 1024

// touch notes the nodes whose adjacency k, a key the plan writes, belongs to.
func (p *plan) touch(k []byte) {
	if p.touchedAll {
		return
	}
	node, other, ok := layout.AdjacencyNode(k)
	if !ok {
		return
	}
	if p.touched == nil {
		p.touched = map[string]bool{}
	}
	p.touched[node], p.touched[other] = true, true
	if len(p.touched) > maxTouched {
		p.touched, p.touchedAll = nil, true
	}
}

// changingAdjacency tells the hub cache that p, about to commit, changes the adjacency
// of the nodes it touched, and returns what to call with the version it committed at
// (nil when it changes no adjacency).
func (g *Graph) changingAdjacency(p *plan) func(uint64) {
	if g.hubs == nil || len(p.touched) == 0 && !p.touchedAll {
		return nil
	}
	nodes := make([]string, 0, len(p.touched))
	for n := range p.touched {
		nodes = append(nodes, n)
	}
	return g.hubs.Writing(nodes, p.touchedAll)
}

// changedAdjacency tells the hub cache the version the writes that called
// changingAdjacency committed at: v, or, when the commit failed (it may have landed
// when its outcome is unknown), the newest version.
func (g *Graph) changedAdjacency(wrote []func(uint64), v uint64, err error) {
	if err != nil {
		v = g.kv.LatestVersion()
	}
	for _, done := range wrote {
		done(v)
	}
}

// closeSpilled removes the file of sets spilled, if any.
func (p *plan) closeSpilled() error {
	if p.spilled == nil {
		return nil
	}
	return p.spilled.Close()
}

// finish has every index plan what follows from the write as a whole, and returns
// what they do once it has committed. The index plans are let go of then: an import's
// hold a count for every entity it touched.
func (p *plan) finish(c index.Commit) ([]func(), error) {
	var committed []func()
	for _, ix := range p.indexes {
		f, err := ix.Finish(c)
		if err != nil {
			return nil, err
		}
		if f != nil {
			committed = append(committed, f)
		}
	}
	p.indexes = nil
	return committed, nil
}

// cancelCheckEvery is how many items a write plans between two looks at whether its
// context has ended.
const cancelCheckEvery = 1024

// cancelled returns ctx's error every cancelCheckEvery-th i (and at 0), else nil.
func cancelled(ctx context.Context, i int) error {
	if i%cancelCheckEvery != 0 {
		return nil
	}
	return ctx.Err()
}

func (p *plan) write(w index.Writer) error {
	if p.err != nil {
		return p.err
	}
	if r, ok := w.(kv.Reserver); ok {
		r.Reserve(len(p.deletes) + p.sets.len() + 1)
	}
	for _, k := range p.deletes {
		if err := w.Delete(k); err != nil {
			return err
		}
	}
	if err := p.sets.each(w.Set); err != nil {
		return err
	}
	if p.spilled != nil {
		if err := p.spilled.Each(w.Set); err != nil {
			return err
		}
	}
	if p.sets.len()+p.streamed+len(p.deletes) == 0 {
		return nil
	}
	rec := p.changes.record(p.author, p.stats)
	rec.Commit = rand.Text()
	return w.Set(layout.ChangeKey(), layout.EncodeChange(rec))
}

// keyWrites is a plan's key writes in order. A million-relation import plans some
// thirteen million, so they are kept where the garbage collector has little to do: the
// keys' and values' bytes are copied into large byte chunks, and each write is a
// pointer-free record of where its bytes are, in index chunks of a fixed size, so that
// growing it never copies more than one chunk. Held as thirteen million small slices,
// they were marked again by every collection during the import.
type keyWrites struct {
	data  [][]byte // byte chunks; new bytes go to the last, or to a new one when it is full
	full  [][]keyWrite
	index []keyWrite
}

// keyWrite is where one write's key and value are: data[chunk][at:at+key+value].
type keyWrite struct{ chunk, at, key, value uint32 }

const (
	keyWritesChunk = 1 << 16 // writes per index chunk
	firstDataChunk = 1 << 10 // bytes; chunks double up to maxDataChunk, so small writes stay small
	maxDataChunk   = 1 << 20
)

func (w *keyWrites) add(k, v []byte) {
	n := len(k) + len(v)
	last := len(w.data) - 1
	if last < 0 || cap(w.data[last])-len(w.data[last]) < n {
		size := firstDataChunk
		if last >= 0 {
			size = min(2*cap(w.data[last]), maxDataChunk)
		}
		w.data = append(w.data, make([]byte, 0, max(size, n)))
		last++
	}
	at := len(w.data[last])
	w.data[last] = append(append(w.data[last], k...), v...)
	if len(w.index) == keyWritesChunk {
		w.full = append(w.full, w.index)
		w.index = make([]keyWrite, 0, keyWritesChunk)
	}
	w.index = append(w.index, keyWrite{chunk: uint32(last), at: uint32(at), key: uint32(len(k)), value: uint32(len(v))})
}

func (w *keyWrites) len() int { return len(w.full)*keyWritesChunk + len(w.index) }

// each calls fn with every write in order, stopping at its first error. The slices it
// passes stay valid, and unchanged, as long as w.
func (w *keyWrites) each(fn func(k, v []byte) error) error {
	for i := 0; i <= len(w.full); i++ {
		index := w.index
		if i < len(w.full) {
			index = w.full[i]
		}
		for _, e := range index {
			b := w.data[e.chunk][e.at : e.at+e.key+e.value : e.at+e.key+e.value]
			if err := fn(b[:e.key:e.key], b[e.key:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checker validates batches against each other and a snapshot of the store: the one
// batch of a transaction, or the batches of an import (Importing).
type checker struct {
	ctx   context.Context // planning stops with its error when it ends
	r     kv.Reader
	g     *Graph
	fresh bool // the store holds no nodes, so nothing need be looked up
	// What the batches checked gave, kept for the ones after them.
	nodes map[domain.Fingerprint]nodeSeen // by their ids' fingerprints (fp)
	// sourceTexts is where the texts of sources of batches before went, by their ids'
	// fingerprints: apart from nodes, which would hold room for one in every node.
	sourceTexts map[domain.Fingerprint]spill.Ref
	rels        map[idDigest]relSeen
	evidence    map[idDigest]struct{}
	positions   map[string]claim
	texts       spill.Texts // the texts of sources of batches before the one being checked
	// waiting lists, by the id of the source it names, the pending problems of copies
	// of a source no batch gave so far.
	waiting map[string][]string
	// pendingN counts the pending problems no later batch resolved.
	pendingN int
	hashSeed maphash.Seed
	fp       domain.Fingerprinter

	// What concerns the batch being checked.
	batch    map[string]domain.Node        // its nodes, the first of each id
	stored   map[string]domain.Node        // cache of store lookups; nil value = absent
	prepared map[string]*domain.SourceText // source id → its text, prepared once; nil = none held
	errs     domain.Errors
	evCount  map[string]int // supporting evidence by subject
	pending  []pending      // problems a later batch may resolve
	resolved []string       // keys of pending problems of batches before that this one resolves
	// ends are the kinds of the ends of the relation being planned, for endsKindOf
	// (ends.kindOf, bound once).
	ends       knownEnds
	endsKindOf index.KindOf
}

// nodeSeen is what a checker keeps of a node a batch gave: its kind, and a hash of its
// record to tell a differing repeat.
type nodeSeen struct {
	record uint64
	kind   kindCode
}

// relSeen is what a checker keeps of a relation a batch gave: enough to refuse it given
// again with other valid times, to note its ends' kinds in the change record, and to
// know whether it has support.
type relSeen struct {
	times    uint32 // hash of its valid times (validTimes)
	from, to kindCode
	claim    claim
}

// claim is what a checker knows of a relation's or position's support.
type claim uint8

const (
	claimSupported claim = 1 << iota // evidence supports it
	claimReported                    // it was reported without support
)

// pending is a problem a later batch of an import may resolve: a claim without
// support (keyed by its id) or a copy of a source not given (keyed by copyKey).
type pending struct {
	key string
	err *domain.Error
}

// copyKey is the key of the pending problem of source id's copyOf.
func copyKey(id string) string { return "copyOf " + id }

// idDigest is the digest a derived relation or evidence id spells in hex
// (domain.IDDigest): a fifth of the id's size as a map key.
type idDigest = [domain.DigestSize]byte

// kindCode is a node kind in one byte.
type kindCode uint8

var kindCodes = []domain.Kind{"", domain.KindActor, domain.KindPlace, domain.KindEvent, domain.KindTopic, domain.KindPosition, domain.KindSource}

func codeOf(k domain.Kind) kindCode {
	for i, c := range kindCodes {
		if c == k {
			return kindCode(i)
		}
	}
	return 0
}

// validTimes hashes a relation's valid times, so that a relation given twice can be
// compared without keeping the first. Two different pairs of times share a hash once
// in about four billion.
func (c *checker) validTimes(rel *domain.Relation) uint32 {
	var times [4]int64 // whether each is set, and its Unix nanoseconds
	if rel.ValidFrom != nil {
		times[0], times[1] = 1, rel.ValidFrom.UnixNano()
	}
	if rel.ValidTo != nil {
		times[2], times[3] = 1, rel.ValidTo.UnixNano()
	}
	return uint32(maphash.Comparable(c.hashSeed, times))
}

// relationSeen finds what the checker keeps of the relation with id, if a batch gave
// it.
func (c *checker) relationSeen(id string) (idDigest, relSeen, bool) {
	key, ok := domain.IDDigest(id)
	if !ok || !domain.IsRelationID(id) {
		return key, relSeen{}, false
	}
	seen, ok := c.rels[key]
	return key, seen, ok
}

// postpone records a problem a later batch may resolve (resolve), under key.
func (c *checker) postpone(key string, e *domain.Error) {
	c.pendingN++
	c.pending = append(c.pending, pending{key, e})
}

func (g *Graph) newChecker(ctx context.Context, fresh bool) *checker {
	c := &checker{ctx: ctx, g: g, fresh: fresh, nodes: map[domain.Fingerprint]nodeSeen{}, sourceTexts: map[domain.Fingerprint]spill.Ref{},
		fp: domain.NewFingerprinter(), rels: map[idDigest]relSeen{},
		evidence: map[idDigest]struct{}{}, positions: map[string]claim{}, waiting: map[string][]string{}, hashSeed: maphash.MakeSeed()}
	c.endsKindOf = c.ends.kindOf
	return c
}

// check validates b against itself and the snapshot r reads, and plans its writes
// into p.
//
// Errors: Errors listing every problem with b; ctx's error; read errors.
func (g *Graph) check(ctx context.Context, r kv.Reader, b *Batch, p *plan) error {
	c := g.newChecker(ctx, false)
	if err := c.add(r, b, p); err != nil {
		return err
	}
	errs := c.errs
	for _, u := range c.pending {
		errs = append(errs, u.err)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// add checks b against the batches before it and the snapshot r reads, and plans its
// writes into p. The problems with b are left in c.errs, those a later batch may
// resolve in c.pending.
//
// Errors: ctx's error; read errors; the errors of keeping the texts of the batch
// before.
func (c *checker) add(r kv.Reader, b *Batch, p *plan) error {
	if err := c.keepTexts(); err != nil {
		return err
	}
	c.r = r
	c.batch, c.stored, c.prepared, c.evCount = map[string]domain.Node{}, map[string]domain.Node{}, map[string]*domain.SourceText{}, map[string]int{}
	c.errs, c.pending, c.resolved = nil, nil, nil
	for _, step := range []func(*Batch, *plan) error{c.checkNodes, c.checkRelations, c.checkEvidence, c.checkProposals, c.checkCandidates} {
		if err := step(b, p); err != nil {
			return err
		}
	}
	return c.checkEvidenceRequired(b)
}

func (c *checker) fail(kind error, item string, index int, field, format string, a ...any) {
	c.errs = append(c.errs, &domain.Error{Kind: kind, Item: item, Index: index, Field: field, Message: fmt.Sprintf(format, a...)})
}

// report adds the problems the model's checks found with one item.
func (c *checker) report(item string, index int, errs ...*domain.Error) {
	for _, e := range errs {
		e.Item, e.Index = item, index
		c.errs = append(c.errs, e)
	}
}

// storedNode returns the stored node with id, or nil.
func (c *checker) storedNode(id string) (domain.Node, error) {
	if c.fresh {
		return nil, nil
	}
	if n, ok := c.stored[id]; ok {
		return n, nil
	}
	n, err := layout.ReadNode(c.r, id)
	if errors.Is(err, domain.ErrNotFound) {
		n, err = nil, nil
	}
	c.stored[id] = n
	return n, err
}

// kindOf is the kind of the node id as the batches leave it, "" when there is none.
func (c *checker) kindOf(id string) (domain.Kind, error) {
	if seen, ok := c.nodes[c.fp.Of(id)]; ok {
		return kindCodes[seen.kind], nil
	}
	n, err := c.storedNode(id)
	if err != nil || n == nil {
		return "", err
	}
	return n.NodeKind(), nil
}

// ref checks that a reference names a node of one of the kinds, and returns the kind
// of the node it names ("" for none).
func (c *checker) ref(item string, index int, field, id string, kinds ...domain.Kind) (domain.Kind, error) {
	var k domain.Kind
	if id != "" {
		var err error
		if k, err = c.kindOf(id); err != nil {
			return "", err
		}
	}
	if e := domain.CheckReference(field, id, k, kinds...); e != nil {
		c.report(item, index, e)
	}
	return k, nil
}

// hashRecord hashes a node's record, to tell whether a node given again is given
// alike. Two different records share a hash once in about 2^64.
func (c *checker) hashRecord(n domain.Node) uint64 {
	return maphash.Bytes(c.hashSeed, layout.EncodeNode(n))
}

func (c *checker) checkNodes(b *Batch, p *plan) error {
	for i, n := range b.Nodes {
		item := fmt.Sprintf("nodes[%d]", i)
		id := n.NodeID()
		if id == "" {
			c.fail(domain.ErrInvalid, item, i, "id", "is required")
			continue
		}
		if !domain.ValidID(id) {
			c.fail(domain.ErrInvalid, item, i, "id", "%q is not a valid id (lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, at most 128 characters)", id)
			continue
		}
		domain.FillDefaults(n)
		record := c.hashRecord(n)
		key := c.fp.Of(id)
		if prev, dup := c.nodes[key]; dup {
			if prev.record != record {
				c.fail(domain.ErrInvalid, item, i, "id", "%q is given twice in one write, differently", id)
			}
			continue
		}
		c.nodes[key] = nodeSeen{record: record, kind: codeOf(n.NodeKind())}
		c.batch[id] = n
		c.report(item, i, domain.CheckNode(n)...)
		if n.NodeKind() == domain.KindSource {
			c.resolve(c.waiting[id]...)
			delete(c.waiting, id)
		}
	}
	planned := make(map[string]bool, len(b.Nodes))
	for i, n := range b.Nodes {
		if planned[n.NodeID()] || c.batch[n.NodeID()] != n {
			continue // a repeat of an earlier item, or an item already refused
		}
		planned[n.NodeID()] = true
		if err := cancelled(c.ctx, i); err != nil {
			return err
		}
		item := fmt.Sprintf("nodes[%d]", i)
		switch n := n.(type) {
		case *domain.Position:
			if _, err := c.ref(item, i, "holder", n.Holder, domain.KindActor); err != nil {
				return err
			}
			if _, err := c.ref(item, i, "topic", n.Topic, domain.KindTopic); err != nil {
				return err
			}
		case *domain.Source:
			if n.Publisher != "" {
				if _, err := c.ref(item, i, "publisher", n.Publisher, domain.KindActor); err != nil {
					return err
				}
			}
			if n.CopyOf == n.ID {
				c.fail(domain.ErrInvalid, item, i, "copyOf", "a source cannot be a copy of itself")
			} else if n.CopyOf != "" {
				if err := c.copyOf(item, i, n); err != nil {
					return err
				}
			}
		}
		old, err := c.storedNode(n.NodeID())
		if err != nil {
			return err
		}
		if old != nil && old.NodeKind() != n.NodeKind() {
			c.fail(domain.ErrInvalid, item, i, "id", "%q already names a %s", n.NodeID(), old.NodeKind())
			continue
		}
		p.putNode(old, n)
	}
	return nil
}

func (c *checker) checkRelations(b *Batch, p *plan) error {
	for i := range b.Relations {
		rel := &b.Relations[i]
		if err := cancelled(c.ctx, i); err != nil {
			return err
		}
		item := fmt.Sprintf("relations[%d]", i)
		if rel.Type == domain.RelParticipatedIn && rel.Role == "" {
			rel.Role = domain.RoleParticipant
		}
		id := domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		if rel.ID != "" && rel.ID != id {
			c.fail(domain.ErrInvalid, item, i, "id", "%q does not match the relation's type, ends and role (%s)", rel.ID, id)
			continue
		}
		rel.ID = id
		key, _ := domain.IDDigest(id)
		if prev, dup := c.rels[key]; dup {
			if prev.times != c.validTimes(rel) {
				c.fail(domain.ErrInvalid, item, i, "validFrom", "relation %s is given twice in one write with different valid times", id)
			}
			continue
		}
		// Registered before its evidence is checked, so that is not also reported.
		seen := relSeen{times: c.validTimes(rel)}
		if e := domain.CheckRelationType(rel.Type); e != nil {
			c.rels[key] = seen
			c.report(item, i, e)
			continue
		}
		ends := domain.RelationTypes[rel.Type]
		from, err := c.ref(item, i, "from", rel.From, ends.From...)
		if err != nil {
			return err
		}
		to, err := c.ref(item, i, "to", rel.To, ends.To...)
		if err != nil {
			return err
		}
		seen.from, seen.to = codeOf(from), codeOf(to)
		c.rels[key] = seen
		c.report(item, i, domain.CheckRelation(rel)...)
		var old *domain.Relation
		var oldRec []byte
		if !c.fresh {
			oldRec, err = c.r.Get(layout.RelationKey(id))
			if err != nil && !errors.Is(err, kv.ErrNotFound) {
				return err
			}
			if err == nil {
				if old, err = layout.DecodeRelation(oldRec); err != nil {
					return err
				}
				// A retraction stands when its relation is written again (a re-import
				// of its file): the write may add evidence or change valid times.
				rel.Retracted = old.Retracted
			}
		}
		rec := layout.EncodeRelation(rel)
		if bytes.Equal(oldRec, rec) {
			continue
		}
		p.stats.Relations++
		c.ends = knownEnds{c: c, from: rel.From, to: rel.To, fromKind: from, toKind: to}
		if err := p.putRelation(old, rel, rec, c.endsKindOf); err != nil {
			return err
		}
		noteRelation(p, seen, id)
	}
	return nil
}

// knownEnds is kindOf for the derived indexes planning a relation: its ends' kinds
// are those its check looked up, and any other id's are looked up again. It saves two
// lookups in maps of millions of nodes for each relation of a large import.
type knownEnds struct {
	c                *checker
	from, to         string
	fromKind, toKind domain.Kind
}

func (k *knownEnds) kindOf(id string) (domain.Kind, error) {
	switch id {
	case k.from:
		return k.fromKind, nil
	case k.to:
		return k.toKind, nil
	}
	return k.c.kindOf(id)
}

// noteRelation records a written relation, and the kinds of its ends, in the change.
func noteRelation(p *plan, seen relSeen, id string) {
	p.changes.relation(id, kindCodes[seen.from], kindCodes[seen.to])
}

// subjectExists reports whether id is a relation or position in the batch or store.
func (c *checker) subjectExists(id string) (bool, error) {
	if _, _, ok := c.relationSeen(id); ok {
		return true, nil
	}
	if seen, ok := c.nodes[c.fp.Of(id)]; ok {
		return kindCodes[seen.kind] == domain.KindPosition, nil
	}
	if c.fresh {
		return false, nil
	}
	if _, err := c.r.Get(layout.RelationKey(id)); err == nil {
		return true, nil
	} else if !errors.Is(err, kv.ErrNotFound) {
		return false, err
	}
	n, err := c.storedNode(id)
	return n != nil && n.NodeKind() == domain.KindPosition, err
}

// sourceText returns the source's text prepared for anchoring quotes, or nil when it
// holds none. Each text is prepared once per batch, however many quotes it has.
func (c *checker) sourceText(id string) (*domain.SourceText, error) {
	if t, ok := c.prepared[id]; ok {
		return t, nil
	}
	var text string
	if n, ok := c.batch[id]; ok {
		if s, ok := n.(*domain.Source); ok {
			text = s.Text
		}
	} else if _, ok := c.nodes[c.fp.Of(id)]; ok {
		var err error
		if text, err = c.texts.Get(c.sourceTexts[c.fp.Of(id)]); err != nil {
			return nil, err
		}
	} else {
		n, err := c.storedNode(id)
		if err != nil {
			return nil, err
		}
		if s, ok := n.(*domain.Source); ok {
			text = s.Text
		}
	}
	var t *domain.SourceText
	if text != "" {
		t = domain.NewSourceText(text)
	}
	c.prepared[id] = t
	return t, nil
}

// forget lets go of what the checker keeps for batches to come, once none will:
// what an import of millions of relations no longer needs while it writes them.
func (c *checker) forget() error {
	c.nodes, c.sourceTexts, c.rels, c.evidence, c.positions, c.waiting = nil, nil, nil, nil, nil, nil
	c.batch, c.stored, c.prepared, c.evCount = nil, nil, nil, nil
	return c.texts.Close()
}

// keepTexts moves the texts of the sources of the batch checked last to c.texts, so
// that later batches can place quotes in them without the checker holding them.
func (c *checker) keepTexts() error {
	for id, n := range c.batch {
		s, ok := n.(*domain.Source)
		if !ok || s.Text == "" {
			continue
		}
		ref, err := c.texts.Put(s.Text)
		if err != nil {
			return err
		}
		c.sourceTexts[c.fp.Of(id)] = ref
	}
	return nil
}

// copyOf checks a source's copyOf. One naming a source no batch gave so far is a
// pending problem, which a later batch giving that source resolves.
func (c *checker) copyOf(item string, index int, s *domain.Source) error {
	k, err := c.kindOf(s.CopyOf)
	if err != nil || k != "" {
		if err == nil {
			_, err = c.ref(item, index, "copyOf", s.CopyOf, domain.KindSource)
		}
		return err
	}
	key := copyKey(s.ID)
	c.waiting[s.CopyOf] = append(c.waiting[s.CopyOf], key)
	c.postpone(key, &domain.Error{Kind: domain.ErrInvalid, Item: item, Index: index, Field: "copyOf",
		Message: fmt.Sprintf("%q names no source", s.CopyOf)})
	return nil
}

// resolve marks pending problems of batches before as resolved.
func (c *checker) resolve(keys ...string) {
	c.pendingN -= len(keys)
	c.resolved = append(c.resolved, keys...)
}

func (c *checker) checkEvidence(b *Batch, p *plan) error {
	now := c.g.now()
	for i := range b.Evidence {
		ev := &b.Evidence[i]
		if err := cancelled(c.ctx, i); err != nil {
			return err
		}
		item := fmt.Sprintf("evidence[%d]", i)
		if ev.Stance == "" {
			ev.Stance = domain.EvidenceSupports
		}
		if ev.Stance == domain.EvidenceMentions {
			if _, err := c.ref(item, i, "subject", ev.Subject, domain.KindActor, domain.KindPlace, domain.KindEvent, domain.KindTopic); err != nil {
				return err
			}
		} else {
			ok, err := c.subjectExists(ev.Subject)
			if err != nil {
				return err
			}
			if !ok {
				c.fail(domain.ErrInvalid, item, i, "subject", "%q names no relation or position", ev.Subject)
			}
		}
		if _, err := c.ref(item, i, "source", ev.Source, domain.KindSource); err != nil {
			return err
		}
		if ev.AttributedTo != "" {
			if _, err := c.ref(item, i, "attributedTo", ev.AttributedTo, domain.KindActor); err != nil {
				return err
			}
		}
		text, err := c.sourceText(ev.Source)
		if err != nil {
			return err
		}
		// Evidence given by its span alone (a selection of the source's text) quotes
		// the text there. A span that is not in the text leaves no quote to check.
		if ev.Quote == "" && ev.Start != nil && ev.End != nil && text != nil {
			q, e := text.Span(*ev.Start, *ev.End)
			if e != nil {
				c.report(item, i, e)
				continue
			}
			ev.Quote = q
		}
		problems, quoteOK := domain.CheckEvidence(ev)
		c.report(item, i, problems...)
		if text != nil && quoteOK {
			if e := text.Anchor(ev); e != nil {
				c.report(item, i, e)
			}
		}
		id := domain.EvidenceID(ev.Subject, ev.Source, ev.Start, ev.End, ev.Quote)
		if ev.ID != "" && ev.ID != id {
			c.fail(domain.ErrInvalid, item, i, "id", "%q does not match the evidence's subject, source and span (%s)", ev.ID, id)
		}
		ev.ID = id
		if ev.Stance == domain.EvidenceSupports {
			c.evCount[ev.Subject]++
		}
		key, _ := domain.IDDigest(id)
		known := len(c.evidence)
		c.evidence[key] = struct{}{} // one lookup where reading first took two
		if len(c.evidence) == known {
			continue // given before
		}
		k := layout.EvidenceKey(ev.Subject, id)
		if !c.fresh {
			if _, err := c.r.Get(k); err == nil {
				continue // evidence is immutable once recorded
			} else if !errors.Is(err, kv.ErrNotFound) {
				return err
			}
		}
		if ev.RecordedAt.IsZero() {
			ev.RecordedAt = now
		}
		p.stats.Evidence++
		p.putEvidence(nil, ev)
		if err := c.noteSubject(p, ev.Subject); err != nil {
			return err
		}
	}
	return nil
}

// noteSubject records, in the change, the relation or position that gained evidence.
func (c *checker) noteSubject(p *plan, subject string) error {
	if _, seen, ok := c.relationSeen(subject); ok {
		noteRelation(p, seen, subject)
		return nil
	}
	if seen, ok := c.nodes[c.fp.Of(subject)]; ok {
		p.changes.node(subject, kindCodes[seen.kind])
		return nil
	}
	n, err := c.storedNode(subject)
	if err != nil || n == nil {
		return err
	}
	if rel, ok := n.(*domain.Relation); ok {
		return p.changes.claim(c.r, rel)
	}
	p.changes.node(subject, n.NodeKind())
	return nil
}

// checkEvidenceRequired settles which claims have support once a batch's evidence is
// checked: the relations and positions it gives, and those before it that it gives
// evidence for. A claim only disputed is nobody's claim; one that is stored already
// was stored with support. A claim the batch leaves without support goes to
// c.pending, since a later batch of an import may still support it.
func (c *checker) checkEvidenceRequired(b *Batch) error {
	for subject, n := range c.evCount {
		if n > 0 {
			c.support(subject)
		}
	}
	storedSupport := func(subject string) (bool, error) {
		if c.fresh {
			return false, nil
		}
		found := false
		err := c.r.Iterate(kv.IterOptions{Prefix: layout.EvidenceOf(subject), KeysOnly: true}, func(_, _ []byte) error {
			found = true
			return kv.ErrStop
		})
		return found, err
	}
	for i := range b.Relations {
		rel := &b.Relations[i]
		key, ok := domain.IDDigest(rel.ID)
		seen, given := c.rels[key]
		if !ok || !given || seen.claim != 0 {
			continue // refused for its id, or supported or reported already
		}
		has, err := storedSupport(rel.ID)
		if err != nil {
			return err
		}
		if has {
			seen.claim = claimSupported
		} else {
			seen.claim = claimReported
			c.postpone(rel.ID, &domain.Error{Kind: domain.ErrEvidenceRequired, Item: fmt.Sprintf("relations[%d]", i), Index: i, Field: "evidence",
				Message: fmt.Sprintf("a %s relation from %q to %q needs at least one evidence record supporting it", rel.Type, rel.From, rel.To)})
		}
		c.rels[key] = seen
	}
	for i, n := range b.Nodes {
		id := n.NodeID()
		if n.NodeKind() != domain.KindPosition || c.batch[id] != n || c.positions[id] != 0 {
			continue // not a position, refused or a repeat, or settled already
		}
		has, err := storedSupport(id)
		if err != nil {
			return err
		}
		if has {
			c.positions[id] = claimSupported
		} else {
			c.positions[id] = claimReported
			c.postpone(id, &domain.Error{Kind: domain.ErrEvidenceRequired, Item: fmt.Sprintf("nodes[%d]", i), Index: i, Field: "evidence",
				Message: fmt.Sprintf("position %q needs at least one evidence record supporting it", id)})
		}
	}
	return nil
}

// support records that evidence supports subject, a relation or position, withdrawing
// a report of it without support.
func (c *checker) support(subject string) {
	if key, seen, ok := c.relationSeen(subject); ok {
		if seen.claim == claimReported {
			c.resolve(subject)
		}
		seen.claim = claimSupported
		c.rels[key] = seen
		return
	}
	if domain.IsRelationID(subject) {
		return // a relation no batch gave: nothing of it to settle
	}
	if c.positions[subject] == claimReported {
		c.resolve(subject)
	}
	c.positions[subject] = claimSupported
}

// now is the clock evidence RecordedAt comes from.
func (g *Graph) now() time.Time { return g.clock().UTC() }
