package store

import (
	"slices"
	"sync"
	"time"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
)

// Change describes one committed write, for live feeds.
type Change struct {
	Version uint64
	At      time.Time
	// Kinds are the kinds of the nodes written and of the ends of the relations written
	// (and POSITION for evidence added to a position).
	Kinds []domain.
		// NodeIDs and RelationIDs list what was written, at most maxChangeIDs of each; the
		// counts are complete.
		Kind

	NodeIDs, RelationIDs       []string
	Nodes, Relations, Evidence int
}

// maxChangeIDs bounds the ids a Change lists, so a million-relation import does not
// become a million-id message.
const maxChangeIDs = 1000

// changeSet accumulates a plan's Change.
type changeSet struct {
	kinds           map[domain.Kind]bool
	nodeIDs, relIDs []string
}

func (cs *changeSet) kind(k domain.Kind) {
	if cs.kinds == nil {
		cs.kinds = map[domain.Kind]bool{}
	}
	cs.kinds[k] = true
}

func (cs *changeSet) node(n domain.Node) {
	cs.kind(n.NodeKind())
	if len(cs.nodeIDs) < maxChangeIDs {
		cs.nodeIDs = append(cs.nodeIDs, n.NodeID())
	}
}

func (cs *changeSet) relation(id string, ends ...domain.Node) {
	for _, n := range ends {
		if n != nil {
			cs.kind(n.NodeKind())
		}
	}
	if len(cs.relIDs) < maxChangeIDs {
		cs.relIDs = append(cs.relIDs, id)
	}
}

func (cs *changeSet) change(s WriteStats) Change {
	c := Change{Version: s.Version, At: kv.VersionTime(s.Version), NodeIDs: cs.nodeIDs, RelationIDs: cs.relIDs,
		Nodes: s.Nodes, Relations: s.Relations, Evidence: s.Evidence}
	for k := range cs.kinds {
		c.Kinds = append(c.Kinds, k)
	}
	slices.Sort(c.Kinds)
	return c
}

// feed fans committed changes out to subscribers. A subscriber that falls behind by
// more than its buffer loses the oldest changes it has not read, never blocks writers.
type feed struct {
	mu   sync.Mutex
	subs map[chan Change]bool
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
