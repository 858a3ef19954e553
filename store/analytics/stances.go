package analytics

import (
	"slices"

	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// StanceRow is one topic of a stance comparison.
type StanceRow struct {
	Topic *domain.Topic
	Cells []StanceCell
	// Conflicts pairs positions of different holders whose stances conflict.
	Conflicts [][2]*domain.Position
}

// StanceCell is one actor's positions on a row's topic (possibly none).
type StanceCell struct {
	Actor     *domain.Actor
	Positions []*domain.Position
}

// Stances compares positions: a row per topic (the given ones, or every topic anyone
// holds a position on), a cell per actor (the given ones, or every holder of a position
// on a row's topic), and the conflicting pairs. Rows and cells are in the order given,
// else in id order; pairs follow the cells.
//
// Errors: domain.ErrNotFound when a given id names no topic or actor.
func Stances(r kv.Reader, topics, actors []string) ([]StanceRow, error) {
	if len(topics) == 0 {
		err := r.Iterate(kv.IterOptions{Prefix: layout.Topics(), KeysOnly: true}, func(k, _ []byte) error {
			if t := layout.TopicOf(k); len(topics) == 0 || topics[len(topics)-1] != t {
				topics = append(topics, t)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var rows []StanceRow
	for _, id := range topics {
		row, err := stanceRow(r, id, actors)
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func stanceRow(r kv.Reader, topic string, actors []string) (StanceRow, error) {
	row := StanceRow{}
	n, err := layout.ReadNode(r, topic)
	if err != nil {
		return row, err
	}
	t, ok := n.(*domain.Topic)
	if !ok {
		return row, domain.NotFound("%q is not a topic", topic)
	}
	row.Topic = t
	byHolder := map[string][]*domain.Position{}
	var holders []string
	err = r.Iterate(kv.IterOptions{Prefix: layout.OnTopic(topic), KeysOnly: true}, func(k, _ []byte) error {
		n, err := layout.ReadNode(r, layout.ID(k))
		if err != nil {
			return err
		}
		p := n.(*domain.Position)
		if p.Retracted != nil {
			return nil
		}
		if _, seen := byHolder[p.Holder]; !seen {
			holders = append(holders, p.Holder)
		}
		byHolder[p.Holder] = append(byHolder[p.Holder], p)
		return nil
	})
	if err != nil {
		return row, err
	}
	columns := actors
	if len(columns) == 0 {
		columns = holders
		slices.Sort(columns)
	}
	for _, id := range columns {
		n, err := layout.ReadNode(r, id)
		if err != nil {
			return row, err
		}
		a, ok := n.(*domain.Actor)
		if !ok {
			return row, domain.NotFound("%q is not an actor", id)
		}
		row.Cells = append(row.Cells, StanceCell{Actor: a, Positions: byHolder[id]})
	}
	for i, c := range row.Cells {
		for _, d := range row.Cells[i+1:] {
			for _, p := range c.Positions {
				for _, q := range d.Positions {
					if p.Stance.ConflictsWith(q.Stance) {
						row.Conflicts = append(row.Conflicts, [2]*domain.Position{p, q})
					}
				}
			}
		}
	}
	return row, nil
}
