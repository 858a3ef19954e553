package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// mergeSeeds is how many random graphs TestMergeUnmergeProperty runs; each gets
// mergeSteps random merges, unmerges and edits, then has its merges undone.
const (
	mergeSeeds = 60
	mergeSteps = 24
)

// TestMergeUnmergeProperty runs random merges, unmerges and edits on random graphs
// (hubs, relations between the merged entities, relations of two entities quoting the
// same span for the same claim, valid times, disputes, grades, positions, retracted
// relations, evidence and positions) and checks two things.
//
// Every merge, made on whatever state the steps before left (other merges standing,
// edits made), is undone exactly when nothing was written in between: the whole dump,
// stored keys and values included, is as before the merge, now and as of before it.
//
// Edits made while merges stand are kept by their undoing as Unmerge documents: a twin
// graph, which never merges, receives each edit as it stands once the merges are
// undone (a grade or retraction of a copy given to the records copied, a retraction
// of a relation a merge made given to the relations it replaced, an entity's or
// position's record as it is in the twin). Whenever no merge stands, the two answer
// alike. An unmerge a standing merge builds on is refused with ErrDependentMerge,
// leaving the graph as it was.
func TestMergeUnmergeProperty(t *testing.T) {
	for seed := range uint64(mergeSeeds) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runMergeWorld(t, seed) })
	}
}

// FuzzMergeUnmerge is TestMergeUnmergeProperty over seeds the fuzzer picks.
func FuzzMergeUnmerge(f *testing.F) {
	for _, seed := range []uint64{0, 1, 7, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(runMergeWorld)
}

// runMergeWorld takes mergeSteps random steps on the random graph of seed, then
// undoes the merges still standing, newest first.
func runMergeWorld(t *testing.T, seed uint64) {
	w := newMergeWorld(t, seed)
	for range mergeSteps {
		w.step()
	}
	for len(w.standing) > 0 {
		w.mustUnmerge(w.standing[len(w.standing)-1])
	}
}

// mergeWorld is one run of TestMergeUnmergeProperty: the graph that merges, its twin,
// and what the run knows of them.
type mergeWorld struct {
	t        *testing.T
	ctx      context.Context
	rng      *rand.Rand
	g, twin  *store.Graph
	texts    map[string][]string // sentences of each source's text
	entities map[string]domain.Kind
	standing []*domain.Merge // oldest first
	edits    int             // edits made, for fresh names and times
	steps    []string        // what the run did, shown when it fails
}

// did notes a step, shown when the run fails.
func (w *mergeWorld) did(format string, a ...any) {
	w.steps = append(w.steps, fmt.Sprintf(format, a...))
}

// Kinds of entities the random graphs hold, and the relation types between them.
var mergeRelationTypes = []struct {
	typ      domain.RelationType
	from, to domain.Kind
}{
	{domain.RelAlliedWith, domain.KindActor, domain.KindActor},
	{domain.RelMemberOf, domain.KindActor, domain.KindActor},
	{domain.RelLeads, domain.KindActor, domain.KindActor},
	{domain.RelParticipatedIn, domain.KindActor, domain.KindEvent},
	{domain.RelCites, domain.KindActor, domain.KindTopic},
	{domain.RelReportedBy, domain.KindEvent, domain.KindActor},
	{domain.RelAboutTopic, domain.KindEvent, domain.KindTopic},
	{domain.RelPreceded, domain.KindEvent, domain.KindEvent},
}

var mergeNameWords = []string{"Northern", "Council", "Front", "Union", "Alliance", "Ministry", "Summit", "Talks", "Accord", "Guard"}

// recordedAt is the time every evidence record says it was recorded, so the two graphs
// record alike.
var recordedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newMergeWorld(t *testing.T, seed uint64) *mergeWorld {
	w := &mergeWorld{t: t, ctx: context.Background(), rng: rand.New(rand.NewPCG(seed, 0x6d65726765)),
		g: storetest.MustGraph(t), twin: storetest.MustGraph(t), texts: map[string][]string{}, entities: map[string]domain.Kind{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("steps of seed %d:\n%s", seed, strings.Join(w.steps, "\n"))
		}
	})
	b := &store.Batch{}
	for s, src := range []string{"wire", "paper"} {
		var sentences []string
		for i := range 14 {
			sentences = append(sentences, fmt.Sprintf("Report %d line %d says %s met %s.", s, i, mergeNameWords[i%len(mergeNameWords)], mergeNameWords[(i*3+s)%len(mergeNameWords)]))
		}
		w.texts[src] = sentences
		b.Nodes = append(b.Nodes, &domain.Source{ID: src, Title: "Source " + src, Text: strings.Join(sentences, " ")})
	}
	counts := map[domain.Kind]int{domain.KindActor: 4 + w.rng.IntN(5), domain.KindEvent: 2 + w.rng.IntN(3), domain.KindTopic: 2 + w.rng.IntN(2)}
	for _, kind := range []domain.Kind{domain.KindActor, domain.KindEvent, domain.KindTopic} {
		for i := range counts[kind] {
			id := fmt.Sprintf("%s%d", strings.ToLower(string(kind[:1])), i)
			base := domain.EntityBase{ID: id, Name: w.name()}
			switch w.rng.IntN(4) {
			case 0:
				base.Aliases = []string{w.name()}
			case 1: // another entity's name, so a merge gains a name it has already
				base.Aliases = []string{fmt.Sprintf("%s%d", strings.ToLower(string(kind[:1])), w.rng.IntN(counts[kind]))}
			}
			w.entities[id] = kind
			switch kind {
			case domain.KindActor:
				b.Nodes = append(b.Nodes, &domain.Actor{EntityBase: base, Kind: domain.ActorState})
			case domain.KindEvent:
				b.Nodes = append(b.Nodes, &domain.Event{EntityBase: base, Kind: domain.EventNegotiation})
			default:
				b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: base})
			}
		}
	}
	seen := map[string]bool{}
	add := func(rel domain.Relation, evs []domain.Evidence) {
		if seen[rel.ID] {
			return
		}
		seen[rel.ID] = true
		b.Relations = append(b.Relations, rel)
		for _, ev := range evs {
			ev.Subject = rel.ID
			ev.ID = domain.EvidenceID(ev.Subject, ev.Source, ev.Start, ev.End, ev.Quote)
			b.Evidence = append(b.Evidence, ev)
		}
	}
	for range 10 + w.rng.IntN(25) {
		rel, evs := w.randomRelation(true)
		add(rel, evs)
		if w.rng.IntN(5) < 2 { // the same claim of another entity, in the same words
			if twin, ok := w.sameClaim(rel); ok {
				add(twin, evs)
			}
		}
	}
	for i := range w.rng.IntN(5) {
		p, ev := w.randomPosition(fmt.Sprintf("pos%d", i))
		b.Nodes = append(b.Nodes, p)
		b.Evidence = append(b.Evidence, ev)
	}
	for _, g := range []*store.Graph{w.g, w.twin} {
		if _, err := g.Apply(w.ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for range w.rng.IntN(6) {
		w.retract(w.rng.IntN(3))
	}
	return w
}

// name is a random entity name of two words, from few, so names share words.
func (w *mergeWorld) name() string {
	return mergeNameWords[w.rng.IntN(len(mergeNameWords))] + " " + mergeNameWords[w.rng.IntN(len(mergeNameWords))]
}

// live lists the entities of kind that are not merged away, in id order; hub, the
// first actor, is listed three times more, so relations crowd around it.
func (w *mergeWorld) live(kind domain.Kind) []string {
	var out []string
	for id, k := range w.entities {
		if k == kind && !w.merged(id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	if kind == domain.KindActor && len(out) > 0 && out[0] == "a0" {
		out = append(out, "a0", "a0", "a0")
	}
	return out
}

// merged reports whether id is merged away by a standing merge.
func (w *mergeWorld) merged(id string) bool {
	return slices.ContainsFunc(w.standing, func(m *domain.Merge) bool { return slices.Contains(m.From, id) })
}

// pick picks one of xs.
func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// evidence is evidence for subject quoting sentence i of src at its offsets.
func (w *mergeWorld) evidence(subject, src string, i int) domain.Evidence {
	start := 0
	for _, s := range w.texts[src][:i] {
		start += len(s) + 1
	}
	end := start + len(w.texts[src][i])
	ev := domain.Evidence{Subject: subject, Source: src, Quote: w.texts[src][i], Start: &start, End: &end,
		Confidence: float64(1+w.rng.IntN(10)) / 10, Method: "test", RecordedAt: recordedAt.Add(time.Duration(w.edits) * time.Second)}
	if w.rng.IntN(6) == 0 {
		ev.Credibility = 1 + w.rng.IntN(6)
	}
	ev.ID = domain.EvidenceID(ev.Subject, ev.Source, ev.Start, ev.End, ev.Quote)
	return ev
}

// randomEvidence is one to three evidence records for subject, the first supporting
// it, a later one maybe disputing it.
func (w *mergeWorld) randomEvidence(subject string) []domain.Evidence {
	var evs []domain.Evidence
	for i := range 1 + w.rng.IntN(3) {
		src := pick(w.rng, []string{"wire", "paper"})
		ev := w.evidence(subject, src, w.rng.IntN(len(w.texts[src])))
		if i > 0 && w.rng.IntN(4) == 0 {
			ev.Stance = domain.EvidenceDisputes
		}
		if !slices.ContainsFunc(evs, func(o domain.Evidence) bool { return o.ID == ev.ID }) {
			evs = append(evs, ev)
		}
	}
	return evs
}

// randomRelation is a relation between live entities, with evidence; one in eight
// joins an actor to itself when loops are allowed.
func (w *mergeWorld) randomRelation(loops bool) (domain.Relation, []domain.Evidence) {
	rt := mergeRelationTypes[w.rng.IntN(len(mergeRelationTypes))]
	rel := domain.Relation{Type: rt.typ, From: pick(w.rng, w.live(rt.from)), To: pick(w.rng, w.live(rt.to))}
	if loops && rt.from == domain.KindActor && rt.to == domain.KindActor && w.rng.IntN(8) == 0 {
		rel.To = rel.From
	}
	if rel.Type == domain.RelParticipatedIn {
		rel.Role = domain.Role(pick(w.rng, []string{"PARTICIPANT", "MEDIATOR", "HOST"}))
	}
	if w.rng.IntN(3) == 0 {
		from := time.Date(2000+w.rng.IntN(20), time.Month(1+w.rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		rel.ValidFrom = &from
		if w.rng.IntN(2) == 0 {
			to := from.AddDate(1+w.rng.IntN(5), 0, 0)
			rel.ValidTo = &to
		}
	}
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	return rel, w.randomEvidence(rel.ID)
}

// sameClaim is rel made by another entity of its from end's kind.
func (w *mergeWorld) sameClaim(rel domain.Relation) (domain.Relation, bool) {
	other := pick(w.rng, w.live(w.entities[rel.From]))
	if other == rel.From {
		return rel, false
	}
	rel.From = other
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	return rel, true
}

func (w *mergeWorld) randomPosition(id string) (*domain.Position, domain.Evidence) {
	p := &domain.Position{ID: id, Holder: pick(w.rng, w.live(domain.KindActor)), Topic: pick(w.rng, w.live(domain.KindTopic)),
		Stance: domain.Stances[w.rng.IntN(len(domain.Stances))]}
	return p, w.evidence(id, "wire", w.rng.IntN(len(w.texts["wire"])))
}

// step takes one random step: a merge, an unmerge, or an edit.
func (w *mergeWorld) step() {
	switch n := w.rng.IntN(10); {
	case n < 3:
		w.merge()
	case n < 5 && len(w.standing) > 0:
		w.unmerge(pick(w.rng, mergeIDs(w.standing)))
	default:
		w.edit()
	}
}

func mergeIDs(ms []*domain.Merge) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// merge merges one or two live entities into another of their kind (often into the
// hub), after checking that this very merge, undone at once, leaves the graph as it
// was.
func (w *mergeWorld) merge() {
	kind := pick(w.rng, []string{"ACTOR", "ACTOR", "EVENT", "TOPIC"})
	ids := slices.Compact(slices.Sorted(slices.Values(w.live(domain.Kind(kind)))))
	if len(ids) < 2 {
		return
	}
	w.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	into, from := ids[0], ids[1:min(len(ids), 2+w.rng.IntN(2))]
	before := mustDump(w.t, w.ctx, w.g, dumpAll)
	version := w.g.KV().LatestVersion()
	m, _, err := w.g.Merge(w.ctx, into, from)
	if err != nil {
		w.t.Fatalf("merge %v into %s: %v", from, into, err)
	}
	if _, _, err := w.g.Unmerge(w.ctx, m.ID); err != nil {
		w.t.Fatalf("unmerge %v from %s, at once: %v", from, into, err)
	}
	mustSameDump(w.t, fmt.Sprintf("merge %v into %s undone at once", from, into), mustDump(w.t, w.ctx, w.g, dumpAll), before)
	mustSameDump(w.t, "as of before the merge", mustDump(w.t, w.g.Pin(w.ctx, version), w.g, dumpAll), before)
	if m, _, err = w.g.Merge(w.ctx, into, from); err != nil {
		w.t.Fatalf("merge %v into %s again: %v", from, into, err)
	}
	w.standing = append(w.standing, m)
	w.did("merge %v into %s: %s (after %v)", from, into, m.ID, m.After)
}

// unmerge undoes a standing merge: refused while a later standing merge builds on it,
// leaving the graph as it was.
func (w *mergeWorld) unmerge(id string) {
	m := w.standing[slices.Index(mergeIDs(w.standing), id)]
	dependent := slices.ContainsFunc(w.standing, func(o *domain.Merge) bool { return slices.Contains(o.After, id) })
	if !dependent {
		w.mustUnmerge(m)
		return
	}
	w.did("unmerge %s, refused", id)
	before := mustDump(w.t, w.ctx, w.g, dumpAll)
	_, _, err := w.g.Unmerge(w.ctx, id)
	mustDependentMerge(w.t, err)
	mustSameDump(w.t, "after a refused unmerge", mustDump(w.t, w.ctx, w.g, dumpAll), before)
}

// mustUnmerge undoes m, and compares the graph with its twin once no merge stands.
func (w *mergeWorld) mustUnmerge(m *domain.Merge) {
	w.did("unmerge %s", m.ID)
	if _, _, err := w.g.Unmerge(w.ctx, m.ID); err != nil {
		w.t.Fatalf("unmerge %v from %s: %v", m.From, m.Into, err)
	}
	w.standing = slices.DeleteFunc(w.standing, func(o *domain.Merge) bool { return o.ID == m.ID })
	if len(w.standing) == 0 {
		mustSameDump(w.t, "with every merge undone, against the twin that never merged",
			mustDump(w.t, w.ctx, w.g, dumpAnswered), mustDump(w.t, w.ctx, w.twin, dumpAnswered))
	}
}

// edit makes a random edit to the graph, and to the twin as it stands once the
// merges are undone.
func (w *mergeWorld) edit() {
	w.edits++
	switch w.rng.IntN(7) {
	case 0:
		w.addRelation()
	case 1:
		w.addEvidence()
	case 2, 3:
		w.retract(w.rng.IntN(3))
	case 4:
		w.grade()
	case 5:
		w.renameEntity()
	default:
		w.editPosition()
	}
}

// mustApply applies batch to g, which must take it.
func (w *mergeWorld) mustApply(g *store.Graph, b *store.Batch) {
	w.t.Helper()
	if _, err := g.Apply(w.ctx, b); err != nil {
		w.t.Fatalf("apply: %v", err)
	}
}

// relation reads a relation of g, or nil.
func (w *mergeWorld) relation(g *store.Graph, id string) *domain.Relation {
	rel, err := g.Relation(w.ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return rel
}

// evidenceOf lists the evidence of subject in g, retracted too.
func (w *mergeWorld) evidenceOf(g *store.Graph, subject string) []*domain.Evidence {
	evs, err := g.Evidence(w.ctx, []string{subject})
	if err != nil {
		w.t.Fatal(err)
	}
	return evs[0]
}

// hasEvidence reports whether either graph has evidence id under subject.
func (w *mergeWorld) hasEvidence(subject, id string) bool {
	for _, g := range []*store.Graph{w.g, w.twin} {
		if slices.ContainsFunc(w.evidenceOf(g, subject), func(ev *domain.Evidence) bool { return ev.ID == id }) {
			return true
		}
	}
	return false
}

// addRelation adds a relation between live entities, often a standing merge's into,
// to both graphs alike. It leaves out a relation either graph has retracted (a
// retraction stands when the relation is written again) and evidence either has.
func (w *mergeWorld) addRelation() {
	rel, evs := w.randomRelation(false)
	if len(w.standing) > 0 && w.rng.IntN(2) == 0 {
		into := pick(w.rng, mergeIntos(w.standing))
		if w.entities[into] == w.entities[rel.From] && !w.merged(into) {
			rel.From = into
			rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
			for i := range evs {
				evs[i] = w.evidence(rel.ID, evs[i].Source, slices.Index(w.texts[evs[i].Source], evs[i].Quote))
			}
		}
	}
	for _, g := range []*store.Graph{w.g, w.twin} {
		if r := w.relation(g, rel.ID); r != nil && r.Retracted != nil {
			return
		}
	}
	evs = slices.DeleteFunc(evs, func(ev domain.Evidence) bool { return w.hasEvidence(rel.ID, ev.ID) })
	if !slices.ContainsFunc(evs, func(ev domain.Evidence) bool { return ev.Stance != domain.EvidenceDisputes }) {
		return
	}
	w.did("add %s %s→%s %s with %d evidence", rel.Type, rel.From, rel.To, rel.ID, len(evs))
	for _, g := range []*store.Graph{w.g, w.twin} {
		w.mustApply(g, &store.Batch{Relations: []domain.Relation{rel}, Evidence: evs})
	}
}

func mergeIntos(ms []*domain.Merge) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Into)
	}
	return ids
}

// liveRelations lists the live relations of the graph that merges, in export order.
func (w *mergeWorld) liveRelations() []*domain.Relation {
	var out []*domain.Relation
	err := w.g.Visit(w.ctx, store.Visitor{Relation: func(rel *domain.Relation, _ []*domain.Evidence) error {
		out = append(out, rel)
		return nil
	}})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// addEvidence adds supporting evidence to a live relation, often one a merge made or
// copied evidence onto. The twin, missing a relation a merge made, gets the relation
// as it is with the evidence.
func (w *mergeWorld) addEvidence() {
	rels := w.liveRelations()
	if len(rels) == 0 {
		return
	}
	rel := pick(w.rng, append(rels, w.products(rels)...))
	src := pick(w.rng, []string{"wire", "paper"})
	ev := w.evidence(rel.ID, src, w.rng.IntN(len(w.texts[src])))
	twin := w.relation(w.twin, rel.ID)
	if w.hasEvidence(rel.ID, ev.ID) || twin != nil && twin.Retracted != nil {
		return
	}
	w.did("add evidence %s to %s (twin has it: %v)", ev.ID, rel.ID, twin != nil)
	w.mustApply(w.g, &store.Batch{Evidence: []domain.Evidence{ev}})
	b := &store.Batch{Evidence: []domain.Evidence{ev}}
	if twin == nil {
		b.Relations = []domain.Relation{*rel}
	}
	w.mustApply(w.twin, b)
}

// products lists the relations of rels a standing merge made or copied evidence onto.
func (w *mergeWorld) products(rels []*domain.Relation) []*domain.Relation {
	var out []*domain.Relation
	for _, rel := range rels {
		for _, m := range w.standing {
			if slices.ContainsFunc(m.Moves, func(mv domain.RelationMove) bool { return mv.New == rel.ID }) {
				out = append(out, rel)
			}
		}
	}
	return out
}

// madeBy returns the relations a standing merge made relation id from, or nil when no
// standing merge made it.
func (w *mergeWorld) madeBy(id string) []string {
	var olds []string
	for _, m := range w.standing {
		for _, mv := range m.Moves {
			if mv.Created && mv.New == id {
				olds = append(olds, mv.Old)
			}
		}
	}
	return olds
}

// copied returns the evidence a standing merge's copy id copied, or nil when id is no
// standing merge's copy.
func (w *mergeWorld) copied(id string) []string {
	for _, m := range w.standing {
		for _, c := range m.Evidence {
			if c.ID == id {
				return c.Of
			}
		}
	}
	return nil
}

// lineage is record id of the merging graph and, for a relation a standing merge made
// or evidence it copied, what it was made from, followed back through older merges:
// the records an edit of id goes to as the merges are undone. The twin has those not
// made by a merge, and those made by one that it was given evidence for.
func (w *mergeWorld) lineage(id string, from func(string) []string) []string {
	out := []string{id}
	for _, old := range from(id) {
		out = append(out, w.lineage(old, from)...)
	}
	return out
}

// twinEvidence lists the evidence records of ids the twin has.
func (w *mergeWorld) twinEvidence(ids []string) []*domain.Evidence {
	var out []*domain.Evidence
	for _, id := range ids {
		n, err := w.twin.Node(w.ctx, id)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, n.(*domain.Evidence))
	}
	return out
}

// retract retracts a live relation, evidence record or position, and in the twin the
// records it stands for. A retraction of evidence the twin refuses (its claim's last
// support there) is not made.
func (w *mergeWorld) retract(what int) {
	reason := fmt.Sprintf("edit %d", w.edits)
	switch what {
	case 0:
		rels := w.liveRelations()
		if len(rels) == 0 {
			return
		}
		rel := pick(w.rng, append(rels, w.products(rels)...))
		if _, _, err := w.g.Retract(w.ctx, rel.ID, reason); err != nil {
			w.t.Fatal(err)
		}
		targets := w.lineage(rel.ID, w.madeBy)
		w.did("retract relation %s (made by a merge: %v; twin: %v)", rel.ID, w.madeBy(rel.ID) != nil, targets)
		for _, id := range targets {
			if twin := w.relation(w.twin, id); twin != nil && twin.Retracted == nil {
				if _, _, err := w.twin.Retract(w.ctx, id, reason); err != nil {
					w.t.Fatal(err)
				}
			}
		}
	case 1:
		rels := w.liveRelations()
		if len(rels) == 0 {
			return
		}
		rel := pick(w.rng, append(rels, w.products(rels)...))
		var live []*domain.Evidence
		for _, ev := range w.evidenceOf(w.g, rel.ID) {
			if ev.Retracted == nil {
				live = append(live, ev)
			}
		}
		ev := pick(w.rng, live)
		originals := w.twinEvidence(w.lineage(ev.ID, w.copied))
		if w.copied(ev.ID) == nil && w.refusedByTwin(ev.ID) {
			return
		}
		if _, _, err := w.g.Retract(w.ctx, ev.ID, reason); errors.Is(err, domain.ErrEvidenceRequired) {
			return
		} else if err != nil {
			w.t.Fatal(err)
		}
		w.did("retract evidence %s of %s (a copy: %v; %d in the twin)", ev.ID, rel.ID, w.copied(ev.ID) != nil, len(originals))
		for _, o := range originals {
			if _, _, err := w.twin.Retract(w.ctx, o.ID, reason); err != nil && !errors.Is(err, domain.ErrEvidenceRequired) {
				w.t.Fatal(err)
			}
		}
	default:
		positions, err := w.g.Positions(w.ctx, "", "", false)
		if err != nil {
			w.t.Fatal(err)
		}
		if len(positions) == 0 {
			return
		}
		p := pick(w.rng, positions)
		w.did("retract position %s", p.ID)
		for _, g := range []*store.Graph{w.g, w.twin} {
			if _, _, err := g.Retract(w.ctx, p.ID, reason); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

// refusedByTwin reports whether the twin would refuse retracting evidence id, the
// last support of its live claim there while copies support the claim in the merging
// graph: the unmerge then retracts the claim, as a deterministic test checks.
func (w *mergeWorld) refusedByTwin(id string) bool {
	n, err := w.twin.Node(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	ev := n.(*domain.Evidence)
	if rel := w.relation(w.twin, ev.Subject); !ev.Supports() || rel == nil || rel.Retracted != nil {
		return false
	}
	support := 0
	for _, o := range w.evidenceOf(w.twin, ev.Subject) {
		if o.Supports() {
			support++
		}
	}
	return support == 1
}

// grade grades a live evidence record, and in the twin the records it stands for.
func (w *mergeWorld) grade() {
	rels := w.liveRelations()
	if len(rels) == 0 {
		return
	}
	rel := pick(w.rng, append(rels, w.products(rels)...))
	evs := w.evidenceOf(w.g, rel.ID)
	ev := pick(w.rng, evs)
	grade := w.rng.IntN(7)
	originals := w.twinEvidence(w.lineage(ev.ID, w.copied))
	w.did("grade %s of %s %d (a copy: %v; %d in the twin)", ev.ID, rel.ID, grade, w.copied(ev.ID) != nil, len(originals))
	if _, _, err := w.g.SetCredibility(w.ctx, rel.ID, ev.ID, grade); err != nil {
		w.t.Fatal(err)
	}
	for _, o := range originals {
		if _, _, err := w.twin.SetCredibility(w.ctx, o.Subject, o.ID, grade); err != nil {
			w.t.Fatal(err)
		}
	}
}

// renameEntity gives a live entity, often a standing merge's into, a new description
// and alias: in the merging graph over its record as it is (the names a merge gave it
// included), in the twin over the twin's.
func (w *mergeWorld) renameEntity() {
	var id string
	if len(w.standing) > 0 && w.rng.IntN(3) > 0 {
		id = pick(w.rng, mergeIntos(w.standing))
	} else {
		id = pick(w.rng, w.live(pick(w.rng, []domain.Kind{domain.KindActor, domain.KindEvent, domain.KindTopic})))
	}
	if w.merged(id) {
		return
	}
	alias := fmt.Sprintf("Alias %d", w.edits)
	w.did("rename %s", id)
	for _, g := range []*store.Graph{w.g, w.twin} {
		n, err := g.Node(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		e := n.(domain.Entity)
		e.Base().Description = fmt.Sprintf("Edited in step %d", w.edits)
		e.Base().Aliases = append(e.Base().Aliases, alias)
		w.mustApply(g, &store.Batch{Nodes: []domain.Node{e}})
	}
}

// editPosition adds a position, held by a live actor (often a standing merge's into),
// or restates a live one: in each graph over its own record, so the twin's points where
// it did before the merges.
func (w *mergeWorld) editPosition() {
	positions, err := w.g.Positions(w.ctx, "", "", false)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(positions) == 0 || w.rng.IntN(2) == 0 {
		p, ev := w.randomPosition(fmt.Sprintf("pos-edit%d", w.edits))
		if into := mergeIntos(w.standing); len(into) > 0 && w.entities[into[0]] == domain.KindActor && !w.merged(into[0]) {
			p.Holder = into[0]
		}
		w.did("add position %s held by %s", p.ID, p.Holder)
		for _, g := range []*store.Graph{w.g, w.twin} {
			w.mustApply(g, &store.Batch{Nodes: []domain.Node{p}, Evidence: []domain.Evidence{ev}})
		}
		return
	}
	id := pick(w.rng, positions).ID
	stance := domain.Stances[w.rng.IntN(len(domain.Stances))]
	w.did("restate position %s", id)
	for _, g := range []*store.Graph{w.g, w.twin} {
		n, err := g.Node(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		p := *n.(*domain.Position)
		p.Stance, p.Statement = stance, fmt.Sprintf("Restated in step %d", w.edits)
		w.mustApply(g, &store.Batch{Nodes: []domain.Node{&p}})
	}
}
