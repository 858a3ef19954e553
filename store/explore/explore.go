package explore

import (
	"errors"
	"math"
	"slices"
	"strings"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// Subgraph is a set of entities and the relations among them.
type Subgraph struct {
	Nodes     []domain.Entity
	Relations []*domain.Relation
	// Truncated says the limit cut relations off.
	Truncated bool
}

// Neighbourhood returns the relations within depth hops of id that w follows, at most
// limit of them (nearest first, then in key order), with every entity they touch.
//
// Errors: domain.ErrNotFound when id names no entity.
func Neighbourhood(r *layout.Snapshot, id string, depth int, w domain.Walk, limit int) (*Subgraph, error) {
	center, err := layout.ReadNode(r, id)
	if err != nil {
		return nil, err
	}
	if _, ok := center.(domain.Entity); !ok {
		return nil, domain.NotFound("%q is not an entity", id)
	}
	sub := &Subgraph{}
	seen := map[string]bool{id: true}
	order := []string{id}
	taken := map[string]bool{}
	frontier := []string{id}
	for d := 0; d < depth && len(frontier) > 0 && !sub.Truncated; d++ {
		var next []string
		for _, n := range frontier {
			err := layout.EachRelation(r, w.Filter(), n, func(s layout.Step, rel *domain.Relation) error {
				if taken[s.Relation] || !w.ValidDuring(rel) {
					return nil
				}
				if len(sub.Relations) == limit {
					sub.Truncated = true
					return kv.ErrStop
				}
				taken[s.Relation] = true
				sub.Relations = append(sub.Relations, rel)
				if !seen[s.Other] {
					seen[s.Other] = true
					order = append(order, s.Other)
					next = append(next, s.Other)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			if sub.Truncated {
				break
			}
		}
		frontier = next
	}
	nodes, err := r.ReadNodes(order)
	for _, n := range nodes {
		if e, ok := n.(domain.Entity); ok {
			sub.Nodes = append(sub.Nodes, e)
		}
	}
	return sub, err
}

// Between returns the entities ids names and the relations among them that w follows
// (both ends in ids), at most limit of them in key order: a view drawn again from the
// entities on it. Each relation is found once, from its from end's outgoing adjacency,
// so a hub in ids costs one scan of what it points at.
//
// Errors: domain.ErrNotFound when an id names no entity.
func Between(r *layout.Snapshot, ids []string, w domain.Walk, limit int) (*Subgraph, error) {
	nodes, err := r.ReadNodes(ids)
	if err != nil {
		return nil, err
	}
	sub := &Subgraph{}
	in := map[string]bool{}
	for i, n := range nodes {
		e, ok := n.(domain.Entity)
		if !ok {
			return nil, domain.NotFound("%q is not an entity", ids[i])
		}
		if !in[ids[i]] {
			in[ids[i]] = true
			sub.Nodes = append(sub.Nodes, e)
		}
	}
	out := w.Filter()
	out.Direction = domain.DirectionOut
	for _, e := range sub.Nodes {
		err := layout.EachRelation(r, out, e.NodeID(), func(s layout.Step, rel *domain.Relation) error {
			if !in[s.Other] || !w.ValidDuring(rel) {
				return nil
			}
			if len(sub.Relations) == limit {
				sub.Truncated = true
				return kv.ErrStop
			}
			sub.Relations = append(sub.Relations, rel)
			return nil
		})
		if err != nil || sub.Truncated {
			return sub, err
		}
	}
	return sub, nil
}

// Union is the subgraph holding every entity and relation of parts, each once, in the
// order first met; it is truncated when one of them is.
func Union(parts ...*Subgraph) *Subgraph {
	out := &Subgraph{}
	seen := map[string]bool{}
	for _, p := range parts {
		for _, n := range p.Nodes {
			if !seen[n.NodeID()] {
				seen[n.NodeID()] = true
				out.Nodes = append(out.Nodes, n)
			}
		}
		for _, rel := range p.Relations {
			if !seen[rel.ID] {
				seen[rel.ID] = true
				out.Relations = append(out.Relations, rel)
			}
		}
		out.Truncated = out.Truncated || p.Truncated
	}
	return out
}

// Hop is one relation of a path and the way it was travelled.
type Hop struct {
	Relation *domain.Relation
	Forward  bool // from Relation.From to Relation.To
}

// Path is a loop-free chain of relations between two entities.
type Path struct {
	Hops []Hop
}

// route is a path under construction: the nodes visited and the steps between them.
type route struct {
	nodes []string
	steps []layout.Step
}

func (rt route) key() string {
	ids := make([]string, len(rt.steps))
	for i, s := range rt.steps {
		ids[i] = s.Relation
	}
	return strings.Join(ids, "|")
}

// Paths returns up to first shortest loop-free paths from one entity to another over
// relations w follows, at most maxHops long, shortest first and equal lengths in a
// stable order (by their relations' ids). No path within maxHops is an empty answer.
// It is Yen's k-shortest-paths algorithm over a bidirectional breadth-first search, so
// a search meets in the middle instead of scanning outward from one end.
//
// hubs, when not nil, keeps hubs' adjacency between searches (see HubCache); the
// answer is the same with it as without.
//
// Errors: domain.ErrNotFound when either id names no node.
func Paths(r kv.Reader, from, to string, maxHops int, w domain.Walk, first int, hubs *HubCache) ([]Path, error) {
	for _, id := range []string{from, to} {
		if _, err := layout.ReadNode(r, id); err != nil {
			return nil, err
		}
	}
	if from == to || maxHops <= 0 || first <= 0 {
		return nil, nil
	}
	s := newSearcher(r, w, hubs)
	routes, err := s.kShortest(from, to, maxHops, first)
	if err != nil {
		return nil, err
	}
	var out []Path
	for _, rt := range routes {
		p := Path{}
		for _, st := range rt.steps {
			rel, err := s.relation(st.Relation)
			if err != nil {
				return nil, err
			}
			p.Hops = append(p.Hops, Hop{Relation: rel, Forward: st.Forward})
		}
		out = append(out, p)
	}
	return out, nil
}

// Costs weigh the two sides of a path search in adjacency keys read. hubDegree is the
// most followable relations a node may have for the search to read them all when it
// merely weighs the sides; a node with more is a hub. seekCost is what starting a read
// at one more node costs, about as much as reading a hundred keys in a row. hubCost is
// what a hub whose adjacency has not been read counts for: far more than a frontier of
// ordinary nodes near the ends of a search, so the search reaches a hub from its small
// neighbours instead of reading its adjacency; but less than a frontier of thousands
// of nodes (the far side of a hub already crossed), whose reads cost more than one
// hub's scan. meetLimit bounds the frontiers that are checked for a relation between
// them before a hub is scanned: larger ones cost more to check than to expand.
const (
	hubDegree = 512
	seekCost  = 100
	hubCost   = 1 << 17
	meetLimit = 512
)

// searcher runs path searches on one snapshot, caching adjacency and relations.
type searcher struct {
	r         kv.Reader
	relations map[string]*domain.Relation
	// cache keeps hubs' adjacency between searches; nil when there is none, or when
	// the walk has a window of valid time (its steps depend on relation records).
	cache *HubCache
	// fore walks from a path's start, back from its end: against the relations'
	// direction when the walk has one, the same side as fore when it has none.
	fore, back *side
}

// side is one direction of a search: the walk it follows and the adjacency it read.
type side struct {
	*searcher
	w         domain.Walk
	adjacency map[string][]layout.Step
	hubs      map[string]bool // nodes found to have more than hubDegree relations
	// indexed holds the hubs whose adjacency came from the cache, indexed.
	indexed map[string]*hubAdjacency
}

func newSearcher(r kv.Reader, w domain.Walk, cache *HubCache) *searcher {
	s := &searcher{r: r, relations: map[string]*domain.Relation{}}
	if w.From == nil && w.To == nil {
		s.cache = cache
	}
	newSide := func(w domain.Walk) *side {
		return &side{searcher: s, w: w, adjacency: map[string][]layout.Step{}, hubs: map[string]bool{},
			indexed: map[string]*hubAdjacency{}}
	}
	s.fore, s.back = newSide(w), newSide(w)
	switch w.Direction {
	case domain.DirectionOut:
		s.back.w.Direction = domain.DirectionIn
	case domain.DirectionIn:
		s.back.w.Direction = domain.DirectionOut
	default:
		s.back = s.fore
	}
	return s
}

// relation reads a relation once per search.
func (s *searcher) relation(id string) (*domain.Relation, error) {
	if rel, ok := s.relations[id]; ok {
		return rel, nil
	}
	rel, err := layout.ReadRelation(s.r, id)
	if err == nil {
		s.relations[id] = rel
	}
	return rel, err
}

// cost is what expanding id costs: seekCost plus its number of relations, or hubCost
// for a hub not read yet. It reads at most hubDegree+1 adjacency keys; an ordinary
// node's steps are kept for its expansion.
func (s *side) cost(id string) (int, error) {
	if st, ok := s.adjacency[id]; ok {
		return seekCost + len(st), nil
	}
	if s.hubs[id] {
		return hubCost, nil
	}
	all, complete, err := s.scan(id, hubDegree+1)
	if err != nil {
		return 0, err
	}
	if !complete {
		s.hubs[id] = true
		return hubCost, nil
	}
	st, err := s.keep(id, all)
	return seekCost + len(st), err
}

// frontierCost adds up the cost of expanding every node of frontier, stopping as soon
// as it must pass budget: the caller only needs to know which side is cheaper. Every
// node costs at least seekCost, so a frontier of thousands of nodes (a hub's far side)
// is known to cost more than a few hubs before any of its nodes is read.
func (s *side) frontierCost(frontier []string, budget int) (int, error) {
	sum := 0
	for i, n := range frontier {
		if atLeast := sum + (len(frontier)-i)*seekCost; atLeast > budget {
			return atLeast, nil
		}
		c, err := s.cost(n)
		if err != nil {
			return 0, err
		}
		sum += c
	}
	return sum, nil
}

// scan reads up to max steps from id (every step when max is 0), and reports whether
// it read them all.
func (s *side) scan(id string, max int) (steps []layout.Step, complete bool, err error) {
	complete = true
	err = layout.EachStep(s.r, s.w.Filter(), id, func(st layout.Step) error {
		if max > 0 && len(steps) == max {
			complete = false
			return errStopAll
		}
		steps = append(steps, st)
		return nil
	})
	if errors.Is(err, errStopAll) {
		err = nil
	}
	return steps, complete, err
}

// errStopAll ends an eachStep over both directions, where kv.ErrStop ends only the
// direction being read.
var errStopAll = errors.New("stop reading adjacency")

// keep caches id's steps, dropping those outside a valid-time window. Relation records
// are read only when a window asks for them: adjacency keys carry everything else.
func (s *side) keep(id string, all []layout.Step) ([]layout.Step, error) {
	out := all
	if s.w.From != nil || s.w.To != nil {
		out = all[:0]
		for _, st := range all {
			rel, err := s.relation(st.Relation)
			if err != nil {
				return nil, err
			}
			if s.w.ValidDuring(rel) {
				out = append(out, st)
			}
		}
	}
	s.adjacency[id] = out
	return out, nil
}

// steps lists the followable steps from id, cached: for a hub, this is the full scan
// the search avoids while it can, which the hub cache serves, or keeps for later
// searches, when there is one.
func (s *side) steps(id string) ([]layout.Step, error) {
	if st, ok := s.adjacency[id]; ok {
		return st, nil
	}
	if s.hubs[id] && s.cache != nil {
		st, adj, err := s.cache.adjacency(s.r, s.w.Filter(), id, func() ([]layout.Step, error) {
			all, _, err := s.scan(id, 0)
			return all, err
		})
		if err != nil {
			return nil, err
		}
		s.adjacency[id] = st
		if adj != nil {
			s.indexed[id] = adj
		}
		return st, nil
	}
	all, _, err := s.scan(id, 0)
	if err != nil {
		return nil, err
	}
	return s.keep(id, all)
}

// kShortest is Yen's algorithm, run lazily: the searches for routes that leave a found
// route at one of its nodes (spurs) wait until a route they might find could be the
// next one picked, and run only as far as a route that could come first. The routes
// picked are the ones eager Yen picks (every spur searched as soon as its route is
// found): a spur's search is the same whenever it runs, since it bans what was found
// when it was made, and a candidate is picked only when it sorts before every route a
// waiting spur could still find. Around hubs this matters: a spur through a hub may
// have to read two hubs whole to find its route, often one of four hops that a route
// already found sorts before.
func (s *searcher) kShortest(from, to string, maxHops, k int) ([]route, error) {
	best, err := s.shortest(from, to, maxHops, nil, nil)
	if err != nil || best == nil {
		return nil, err
	}
	found := []route{*best}
	var candidates []route
	var waiting []*spur
	known := map[string]bool{best.key(): true}
	for len(found) < k {
		prev := found[len(found)-1]
		for i := range prev.steps {
			waiting = append(waiting, newSpur(found, prev, i))
		}
		for {
			slices.SortFunc(candidates, compareRoutes)
			slices.SortFunc(waiting, compareSpurs)
			var next *route
			if len(candidates) > 0 {
				next = &candidates[0]
			}
			if len(waiting) == 0 || next != nil && next.precedes(waiting[0]) {
				break
			}
			sp := waiting[0]
			// Search only for routes that could sort before next: no longer than it, and
			// shorter when the spur's routes start with relations that sort after its.
			hops := maxHops
			if next != nil {
				hops = len(next.steps)
				if compareRelations(next.steps, sp.prefix.steps) < 0 {
					hops--
				}
			}
			tail, err := s.shortest(sp.node(), to, hops-sp.at(), sp.bannedNodes, sp.bannedSteps)
			if err != nil {
				return nil, err
			}
			if tail == nil {
				sp.minHops = hops + 1
				if sp.minHops > maxHops {
					waiting = waiting[1:]
				}
				continue
			}
			waiting = waiting[1:]
			rt := route{
				nodes: append(slices.Clone(sp.prefix.nodes[:sp.at()]), tail.nodes...),
				steps: append(slices.Clone(sp.prefix.steps), tail.steps...),
			}
			if !known[rt.key()] {
				known[rt.key()] = true
				candidates = append(candidates, rt)
			}
		}
		if len(candidates) == 0 {
			break
		}
		found, candidates = append(found, candidates[0]), candidates[1:]
	}
	return found, nil
}

// spur is a search Yen's algorithm has yet to finish: for the best route that follows
// prefix, a found route's first steps, and then leaves it, avoiding the nodes before
// the spur's and the next relation of every route found with the same first steps.
type spur struct {
	prefix                   route // nodes up to the spur's, steps up to it
	bannedNodes, bannedSteps map[string]bool
	// minHops is the fewest steps a route it finds can have: one past its prefix, or
	// more once a search for shorter ones found none.
	minHops int
}

// newSpur is the spur of found's last route, prev, at its i-th node.
func newSpur(found []route, prev route, i int) *spur {
	sp := &spur{
		prefix:      route{nodes: prev.nodes[:i+1], steps: prev.steps[:i]},
		bannedNodes: map[string]bool{},
		bannedSteps: map[string]bool{},
		minHops:     i + 1,
	}
	// Ban the next relation of every found route that took the same relations to
	// here: comparing nodes alone would also ban a route that reached the spur over a
	// parallel relation, and lose the routes after it.
	for _, p := range found {
		if len(p.steps) > i && slices.Equal(p.steps[:i], prev.steps[:i]) {
			sp.bannedSteps[p.steps[i].Relation] = true
		}
	}
	for _, n := range prev.nodes[:i] {
		sp.bannedNodes[n] = true
	}
	return sp
}

// at is the index of the spur's node on its route.
func (sp *spur) at() int { return len(sp.prefix.steps) }

// node is where the spur leaves the found route.
func (sp *spur) node() string { return sp.prefix.nodes[sp.at()] }

// precedes reports whether rt sorts before every route sp may find: it is shorter, or
// as long and its first relations sort before sp's prefix.
func (rt *route) precedes(sp *spur) bool {
	if len(rt.steps) != sp.minHops {
		return len(rt.steps) < sp.minHops
	}
	return compareRelations(rt.steps, sp.prefix.steps) < 0
}

// compareRoutes orders routes as Paths returns them: fewer steps first, then by their
// relations' ids.
func compareRoutes(a, b route) int {
	if len(a.steps) != len(b.steps) {
		return len(a.steps) - len(b.steps)
	}
	return compareRelations(a.steps, b.steps)
}

// compareSpurs orders spurs by the first route each may find: fewest steps first,
// then by prefix, a prefix before the longer ones it starts.
func compareSpurs(a, b *spur) int {
	if a.minHops != b.minHops {
		return a.minHops - b.minHops
	}
	if c := compareRelations(a.prefix.steps, b.prefix.steps); c != 0 {
		return c
	}
	return len(a.prefix.steps) - len(b.prefix.steps)
}

// compareRelations compares the relation ids of a and b one by one over the steps
// both have. Relation ids all have one length, so this orders routes of one length
// as their keys do.
func compareRelations(a, b []layout.Step) int {
	for i := range min(len(a), len(b)) {
		if c := strings.Compare(a[i].Relation, b[i].Relation); c != 0 {
			return c
		}
	}
	return 0
}

// shortest finds one shortest route from a to b of at most maxHops steps avoiding the
// banned nodes and relations. Each round expands the side whose frontier costs less to
// expand (see hubCost), so a search reaches a hub from its small neighbours instead of
// reading the hub's adjacency: a hub is scanned only when both frontiers hold one, or
// the other is a hub's far side. Among routes of equal length it prefers the one whose
// relation ids sort first.
func (s *searcher) shortest(a, b string, maxHops int, bannedNodes, bannedSteps map[string]bool) (*route, error) {
	fwd := map[string]visit{a: {}}
	bwd := map[string]visit{b: {}}
	fFrontier, bFrontier := []string{a}, []string{b}
	usable := func(st layout.Step) bool { return !bannedSteps[st.Relation] && !bannedNodes[st.Other] }
	for hops := 0; hops < maxHops && len(fFrontier) > 0 && len(bFrontier) > 0; hops++ {
		forward, err := s.forwardCheaper(fFrontier, bFrontier)
		if err != nil {
			return nil, err
		}
		frontier, mine, theirs, sd := fFrontier, fwd, bwd, s.fore
		if !forward {
			frontier, mine, theirs, sd = bFrontier, bwd, fwd, s.back
		}
		if len(fFrontier)+len(bFrontier) <= meetLimit && slices.ContainsFunc(frontier, sd.unreadHub) {
			// The cheaper side holds a hub, so the other does too. Before scanning one,
			// look for a route one hop longer than the two searches: a relation between
			// their frontiers, read without a hub's adjacency. In the last round these
			// are all the routes left (a relation from a frontier to a node either side
			// reached earlier would have met it then), so none means there is none.
			meets, err := s.meetBetween(a, b, fFrontier, bFrontier, fwd, bwd, usable)
			if err != nil || len(meets) > 0 || hops == maxHops-1 {
				return best(meets), err
			}
		}
		// Meeting routes are looked for first, and the side's next frontier recorded
		// only when there are none and hops remain: recording thousands of nodes a hub
		// reaches costs more than reading its adjacency.
		var meets []route
		for _, n := range frontier {
			steps, err := sd.steps(n)
			if err != nil {
				return nil, err
			}
			meet := func(st layout.Step) {
				if _, ok := theirs[st.Other]; ok && usable(st) {
					if _, ok := mine[st.Other]; !ok {
						meets = append(meets, joinRoute(a, b, fwd, bwd, forward, n, st))
					}
				}
			}
			if adj := sd.indexed[n]; adj != nil && len(theirs) < len(steps) {
				// A hub kept indexed: look up the nodes the other side reached.
				for other := range theirs {
					lo, hi := adj.toID(other)
					for _, o := range adj.order[lo:hi] {
						meet(adj.steps[o])
					}
				}
				continue
			}
			for _, st := range steps {
				meet(st)
			}
		}
		if len(meets) > 0 {
			return best(meets), nil
		}
		if hops == maxHops-1 {
			break
		}
		if len(fFrontier)+len(bFrontier) <= meetLimit {
			// The routes the next round can find are those through one node between
			// the two frontiers, which kept hubs' indexes find without recording the
			// thousands of nodes a hub reaches. When there are none, the search goes
			// on unless no round is left.
			rt, ok, err := s.meetInTwo(a, b, forward, fFrontier, bFrontier, fwd, bwd, usable)
			if err != nil || ok && (rt != nil || hops == maxHops-2) {
				return rt, err
			}
		}
		var next []string
		for _, n := range frontier {
			for _, st := range sd.adjacency[n] {
				if !usable(st) {
					continue
				}
				v := visit{prev: n, via: st, hops: mine[n].hops + 1}
				if old, ok := mine[st.Other]; ok {
					// Reached again in this round: keep the route whose key sorts
					// first, so the meeting routes compared at the end are the first
					// of their length.
					if old.hops == v.hops && sortsFirst(mine, forward, v, old) {
						mine[st.Other] = v
					}
					continue
				}
				mine[st.Other] = v
				next = append(next, st.Other)
			}
		}
		if forward {
			fFrontier = next
		} else {
			bFrontier = next
		}
	}
	return nil, nil
}

// unreadHub reports whether id is a hub whose adjacency the search has not read.
func (s *side) unreadHub(id string) bool {
	_, read := s.adjacency[id]
	return s.hubs[id] && !read
}

// best is the shortest of routes, the one whose relation ids sort first among equals;
// nil when there is none.
func best(routes []route) *route {
	var pick *route
	var minKey string
	for i := range routes {
		r := &routes[i]
		if pick != nil && len(r.steps) > len(pick.steps) {
			continue
		}
		if k := r.key(); pick == nil || len(r.steps) < len(pick.steps) || k < minKey {
			pick, minKey = r, k
		}
	}
	return pick
}

// meetBetween returns the routes through a relation between a node of the forward
// frontier and one of the backward frontier, reading no hub's adjacency: such a
// relation is in the adjacency of its ordinary end, and between two hubs it is found
// by seeking the one pair's keys.
func (s *searcher) meetBetween(a, b string, fFrontier, bFrontier []string, fwd, bwd map[string]visit, usable func(layout.Step) bool) ([]route, error) {
	inB := make(map[string]bool, len(bFrontier))
	for _, n := range bFrontier {
		inB[n] = true
	}
	var meets []route
	var fHubs []string
	for _, n := range fFrontier {
		if _, err := s.fore.cost(n); err != nil {
			return nil, err
		}
		if s.fore.unreadHub(n) {
			fHubs = append(fHubs, n)
			continue
		}
		for _, st := range s.fore.adjacency[n] {
			if usable(st) && inB[st.Other] {
				meets = append(meets, joinRoute(a, b, fwd, bwd, true, n, st))
			}
		}
	}
	if len(fHubs) == 0 {
		return meets, nil
	}
	for _, n := range bFrontier {
		if _, err := s.back.cost(n); err != nil {
			return nil, err
		}
		if s.back.unreadHub(n) {
			for _, h := range fHubs {
				between, err := s.fore.stepsBetween(h, n)
				if err != nil {
					return nil, err
				}
				for _, st := range between {
					if usable(st) {
						meets = append(meets, joinRoute(a, b, fwd, bwd, true, h, st))
					}
				}
			}
			continue
		}
		for _, st := range s.back.adjacency[n] {
			if usable(st) && slices.Contains(fHubs, st.Other) {
				meets = append(meets, joinRoute(a, b, fwd, bwd, false, n, st))
			}
		}
	}
	return meets, nil
}

// meetInTwo returns, when kept hub indexes serve it, the route the next round of a
// search would find after this one found none (nil when it would find none): one
// through a node x between a node p of the forward frontier and a node q of the
// backward one, x reached by neither side (fwd and bwd). ok is false when it does not
// apply, and the search goes on as before: no frontier node has its adjacency indexed,
// or a hub of the frontier that is not being expanded is neither read nor kept. It
// changes nothing the search goes on with: it reads, at most, the adjacency that
// weighing the other frontier would.
//
// The route is the one the next round picks: with no route as short as this round's
// (they would have met), every route it can find is a→p→x→q→b, one hop longer than
// the two searches together, so the one whose relation ids sort first has the prefix
// to p and the relation p→x that sort first, and then the relation x→q and the suffix
// from q that do; both sides' visits hold the prefixes and suffixes that sort first.
// The intersection of two hubs' neighbours is a merge of their indexes; a frontier's
// ordinary nodes, whose adjacency is read, are looked up in them.
func (s *searcher) meetInTwo(a, b string, forward bool, fFrontier, bFrontier []string, fwd, bwd map[string]visit, usable func(layout.Step) bool) (*route, bool, error) {
	if s.cache == nil {
		return nil, false, nil
	}
	other, otherSide := bFrontier, s.back
	if !forward {
		other, otherSide = fFrontier, s.fore
	}
	kept := map[string]*hubAdjacency{}
	keep := func(n string) bool {
		if !otherSide.unreadHub(n) {
			return true
		}
		kept[n] = s.cache.cached(s.r, otherSide.w.Filter(), n)
		return kept[n] != nil
	}
	indexed := false
	for _, n := range fFrontier {
		indexed = indexed || s.fore.indexed[n] != nil
	}
	for _, n := range bFrontier {
		indexed = indexed || s.back.indexed[n] != nil
	}
	for _, n := range other {
		if !keep(n) {
			return nil, false, nil
		}
	}
	if !indexed && len(kept) == 0 {
		return nil, false, nil
	}
	// The nodes of the other frontier not weighed yet are read as far as weighing
	// them does (their whole adjacency, unless they are hubs).
	for _, n := range other {
		if _, read := otherSide.adjacency[n]; read || kept[n] != nil {
			continue
		}
		if _, err := otherSide.cost(n); err != nil {
			return nil, false, err
		}
		if !keep(n) {
			return nil, false, nil
		}
	}

	// A half is a step from a frontier node to x: forward halves sort by the prefix
	// to their node, then their relation; backward ones by their relation, then the
	// suffix from their node.
	type half struct {
		node string
		step layout.Step
	}
	type hub struct {
		node string
		adj  *hubAdjacency
	}
	prefix := map[string][]string{}
	for _, p := range fFrontier {
		rels := relationsBack(fwd, fwd[p], nil)
		slices.Reverse(rels)
		prefix[p] = rels
	}
	suffix := map[string][]string{}
	for _, q := range bFrontier {
		suffix[q] = relationsBack(bwd, bwd[q], nil)
	}
	fBefore := func(x, y half) bool {
		if c := slices.Compare(prefix[x.node], prefix[y.node]); c != 0 {
			return c < 0
		}
		return x.step.Relation < y.step.Relation
	}
	bBefore := func(x, y half) bool {
		if x.step.Relation != y.step.Relation {
			return x.step.Relation < y.step.Relation
		}
		return slices.Compare(suffix[x.node], suffix[y.node]) < 0
	}
	fresh := func(st layout.Step) bool {
		_, f := fwd[st.Other]
		_, b := bwd[st.Other]
		return !f && !b && usable(st)
	}
	halves := func(frontier []string, sd *side, before func(x, y half) bool) (map[string]half, []hub) {
		small := map[string]half{}
		var hubs []hub
		for _, n := range frontier {
			adj := sd.indexed[n]
			if sd == otherSide && kept[n] != nil {
				adj = kept[n]
			}
			if adj != nil {
				hubs = append(hubs, hub{n, adj})
				continue
			}
			for _, st := range sd.adjacency[n] {
				if h := (half{n, st}); fresh(st) {
					if old, ok := small[st.Other]; !ok || before(h, old) {
						small[st.Other] = h
					}
				}
			}
		}
		return small, hubs
	}
	fSmall, fHubs := halves(fFrontier, s.fore, fBefore)
	bSmall, bHubs := halves(bFrontier, s.back, bBefore)
	// bestB is the backward half to x that sorts first, if any.
	bestB := func(x string) (half, bool) {
		h, ok := bSmall[x]
		for _, hb := range bHubs {
			lo, hi := hb.adj.toID(x)
			if st, found := hb.adj.first(lo, hi, fresh); found {
				if c := (half{hb.node, st}); !ok || bBefore(c, h) {
					h, ok = c, true
				}
			}
		}
		return h, ok
	}

	var pick half
	picked := false
	consider := func(h half) {
		if !picked || fBefore(h, pick) {
			pick, picked = h, true
		}
	}
	for x, h := range fSmall {
		if _, ok := bestB(x); ok {
			consider(h)
		}
	}
	for _, hf := range fHubs {
		for x := range bSmall {
			lo, hi := hf.adj.toID(x)
			if st, ok := hf.adj.first(lo, hi, fresh); ok {
				consider(half{hf.node, st})
			}
		}
		for _, hb := range bHubs {
			if picked && slices.Compare(prefix[pick.node], prefix[hf.node]) < 0 {
				break // every route through hf sorts after the one in hand
			}
			common(hf.adj, hb.adj, func(aLo, aHi, bLo, bHi int) {
				// The steps to one node sort by relation: the first decides.
				if picked && pick.node == hf.node && hf.adj.steps[hf.adj.order[aLo]].Relation >= pick.step.Relation {
					return
				}
				st, ok := hf.adj.first(aLo, aHi, fresh)
				if !ok {
					return
				}
				if _, ok := hb.adj.first(bLo, bHi, fresh); ok {
					consider(half{hf.node, st})
				}
			})
		}
	}
	if !picked {
		return nil, true, nil
	}
	x := pick.step.Other
	h, _ := bestB(x)
	bwd[x] = visit{prev: h.node, via: h.step, hops: bwd[h.node].hops + 1}
	rt := joinRoute(a, b, fwd, bwd, true, pick.node, pick.step)
	return &rt, true, nil
}

// stepsBetween lists the followable steps from id to other: one short range per
// relation type and direction, so neither node's whole adjacency is read.
func (s *side) stepsBetween(id, other string) ([]layout.Step, error) {
	out, err := layout.StepsBetween(s.r, s.w.Filter(), id, other)
	if err != nil || s.w.From == nil && s.w.To == nil {
		return out, err
	}
	kept := out[:0]
	for _, st := range out {
		rel, err := s.relation(st.Relation)
		if err != nil {
			return nil, err
		}
		if s.w.ValidDuring(rel) {
			kept = append(kept, st)
		}
	}
	return kept, nil
}

// forwardCheaper reports whether the forward frontier costs no more to expand than the
// backward one. The frontier with fewer nodes is weighed first, and the other only up to
// its cost.
func (s *searcher) forwardCheaper(fFrontier, bFrontier []string) (bool, error) {
	small, large := fFrontier, bFrontier
	smallSide, largeSide := s.fore, s.back
	if len(large) < len(small) {
		small, large, smallSide, largeSide = large, small, largeSide, smallSide
	}
	cs, err := smallSide.frontierCost(small, math.MaxInt)
	if err != nil {
		return false, err
	}
	cl, err := largeSide.frontierCost(large, cs)
	if err != nil {
		return false, err
	}
	if len(bFrontier) < len(fFrontier) {
		return cl <= cs, nil
	}
	return cs <= cl, nil
}

// visit records how a search reached a node: from prev, over via (seen from prev),
// hops from the end its side started at.
type visit struct {
	prev string
	via  layout.Step
	hops int
}

// sortsFirst reports whether the route by which v reaches a node has a key that sorts
// before the one by which old reaches it, both the same number of hops from their
// side's end. The forward side's routes are read from a, the backward side's towards
// b, as they appear in a whole route's key. Relation ids all have one length, so
// comparing them one by one orders routes as their keys do.
func sortsFirst(side map[string]visit, forward bool, v, old visit) bool {
	var x, y [8]string
	a, b := relationsBack(side, v, x[:0]), relationsBack(side, old, y[:0])
	for i := range a {
		j := i
		if forward {
			j = len(a) - 1 - i
		}
		if a[j] != b[j] {
			return a[j] < b[j]
		}
	}
	return false
}

// relationsBack appends the relations of the route by which v reached its node, from
// that node back to its side's end.
func relationsBack(side map[string]visit, v visit, out []string) []string {
	for ; v.hops > 0; v = side[v.prev] {
		out = append(out, v.via.Relation)
	}
	return out
}

// joinRoute builds the route from a to b through the meeting step st, taken from n on the
// side that was expanding (the forward side when forward) to a node the other side
// has reached.
func joinRoute(a, b string, fwd, bwd map[string]visit, forward bool, n string, st layout.Step) route {
	left, right, meet := n, st.Other, st
	if !forward {
		left, right = st.Other, n
		meet = layout.Step{Relation: st.Relation, Other: n, Forward: !st.Forward}
	}
	var rt route
	for x := left; x != a; x = fwd[x].prev {
		rt.nodes = append(rt.nodes, x)
		rt.steps = append(rt.steps, fwd[x].via)
	}
	rt.nodes = append(rt.nodes, a)
	slices.Reverse(rt.nodes)
	slices.Reverse(rt.steps)
	rt.steps = append(rt.steps, meet)
	for x := right; x != b; x = bwd[x].prev {
		rt.nodes = append(rt.nodes, x)
		v := bwd[x]
		rt.steps = append(rt.steps, layout.Step{Relation: v.via.Relation, Other: v.prev, Forward: !v.via.Forward})
	}
	rt.nodes = append(rt.nodes, b)
	return rt
}
