package server_test

import (
	"testing"

	"eventgraph/server"
)

func TestPathsCiteEveryHop(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var data struct {
		Paths []struct {
			Length int
			Hops   []struct {
				Forward  bool
				Relation struct {
					Type     string
					From, To struct{ ID string }
					Evidence []evidenceJSON
				}
			}
		}
	}
	s.mustQuery(t, `{ paths(from: "kushner", to: "araghchi", maxHops: 4, first: 3) { length hops { forward relation { type from { id } to { id } `+evidenceFields+` } } } }`, nil, &data)
	if len(data.Paths) == 0 {
		t.Fatal("no path from Kushner to Araghchi")
	}
	prev := 0
	for _, p := range data.Paths {
		if p.Length != len(p.Hops) || p.Length < prev {
			t.Fatalf("path lengths out of order or wrong: %+v", data.Paths)
		}
		prev = p.Length
		at := "kushner"
		for _, h := range p.Hops {
			from, to := h.Relation.From.ID, h.Relation.To.ID
			if !h.Forward {
				from, to = to, from
			}
			if from != at {
				t.Fatalf("hop %s %s→%s does not continue from %s", h.Relation.Type, from, to, at)
			}
			at = to
			checkEvidence(t, "hop "+h.Relation.Type, h.Relation.Evidence)
		}
		if at != "araghchi" {
			t.Fatalf("path ends at %s", at)
		}
	}
	var none struct{ Paths []struct{ Length int } }
	s.mustQuery(t, `{ paths(from: "kushner", to: "araghchi", maxHops: 1) { length } }`, nil, &none)
	if len(none.Paths) != 0 {
		t.Fatalf("paths within 1 hop = %+v, want an empty list", none.Paths)
	}
}

func TestNeighbourhood(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	type subgraph struct {
		Neighbourhood struct {
			Nodes     []struct{ ID string }
			Relations []struct {
				Type     string
				Evidence []evidenceJSON
			}
			Truncated bool
		}
	}
	q := `query($id: ID!, $depth: Int, $types: [RelationType!], $limit: Int) {
		neighbourhood(id: $id, depth: $depth, types: $types, limit: $limit) {
			nodes { id } relations { type ` + evidenceFields + ` } truncated } }`
	var one subgraph
	s.mustQuery(t, q, map[string]any{"id": "muscat-talks", "types": []string{"PARTICIPATED_IN"}}, &one)
	n := one.Neighbourhood
	// Oman takes part twice (mediator, host), so there are fewer nodes than relations + 1.
	if n.Truncated || len(n.Relations) < 5 || len(n.Nodes) < 5 || len(n.Nodes) > len(n.Relations)+1 {
		t.Fatalf("participants of the talks: %d relations, %d nodes, truncated %v", len(n.Relations), len(n.Nodes), n.Truncated)
	}
	for _, r := range n.Relations {
		if r.Type != "PARTICIPATED_IN" {
			t.Fatalf("type filter let %s through", r.Type)
		}
		checkEvidence(t, "relation", r.Evidence)
	}
	var wide subgraph
	s.mustQuery(t, q, map[string]any{"id": "muscat-talks", "depth": 2, "limit": 7}, &wide)
	if len(wide.Neighbourhood.Relations) != 7 || !wide.Neighbourhood.Truncated {
		t.Fatalf("depth 2 limit 7: %d relations, truncated %v", len(wide.Neighbourhood.Relations), wide.Neighbourhood.Truncated)
	}
}

func TestExplorationBounds(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	for name, q := range map[string]string{
		"depth":   `{ neighbourhood(id: "iran", depth: 4) { truncated } }`,
		"limit":   `{ neighbourhood(id: "iran", limit: 2001) { truncated } }`,
		"maxHops": `{ paths(from: "iran", to: "oman", maxHops: 7) { length } }`,
		"first":   `{ paths(from: "iran", to: "oman", first: 11) { length } }`,
	} {
		t.Run(name, func(t *testing.T) {
			out := s.mustFail(t, "QUERY_TOO_COMPLEX", q, nil)
			if out.Errors[0].Extensions["max"] == nil {
				t.Fatalf("the error does not tell the bound: %+v", out.Errors[0])
			}
		})
	}
}

func TestStancesShowConflicts(t *testing.T) {
	s := mustStart(t, server.Config{}, false)
	var data struct {
		Stances struct {
			Rows []struct {
				Topic struct{ ID string }
				Cells []struct {
					Actor     struct{ ID string }
					Positions []struct {
						Stance   string
						Evidence []evidenceJSON
					}
				}
				Conflicts []struct {
					A, B struct {
						Stance string
						Holder struct{ ID string }
					}
				}
			}
		}
	}
	s.mustQuery(t, `{ stances(topics: ["ballistic-missiles", "support-for-regional-groups"], actors: ["united-states", "iran"]) {
		rows { topic { id } cells { actor { id } positions { stance `+evidenceFields+` } }
		conflicts { a { stance holder { id } } b { stance holder { id } } } } } }`, nil, &data)
	rows := data.Stances.Rows
	if len(rows) != 2 || rows[0].Topic.ID != "ballistic-missiles" {
		t.Fatalf("rows = %+v", rows)
	}
	missiles := rows[0]
	if len(missiles.Cells) != 2 || missiles.Cells[0].Actor.ID != "united-states" || missiles.Cells[1].Actor.ID != "iran" {
		t.Fatalf("cells = %+v", missiles.Cells)
	}
	for _, c := range missiles.Cells {
		for _, p := range c.Positions {
			checkEvidence(t, c.Actor.ID+" on missiles", p.Evidence)
		}
	}
	if len(missiles.Conflicts) != 1 || missiles.Conflicts[0].A.Stance != "DEMANDS" || missiles.Conflicts[0].B.Stance != "RULES_OUT" {
		t.Fatalf("missile conflicts = %+v; want the US demand against Iran ruling it out", missiles.Conflicts)
	}
	groups := rows[1]
	if len(groups.Cells[1].Positions) != 0 || len(groups.Conflicts) != 0 {
		t.Fatalf("regional groups: the article gives no Iranian position, yet %+v", groups)
	}

	var all struct {
		Stances struct{ Rows []struct{ Topic struct{ ID string } } }
	}
	s.mustQuery(t, `{ stances { rows { topic { id } } } }`, nil, &all)
	if len(all.Stances.Rows) != 5 {
		t.Fatalf("every topic with positions: %d rows, want 5", len(all.Stances.Rows))
	}
	s.mustFail(t, "NOT_FOUND", `{ stances(topics: ["nowhere"]) { rows { topic { id } } } }`, nil)
}
