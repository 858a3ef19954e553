//go:build tikv

package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"eventgraph/server"
	"eventgraph/store/storetest/testkv"
)

// TestTwoServersOnOneCluster runs two real servers, each over its own store on one TiKV
// cluster (the client's mock cluster, in this process), as two `serve` processes behind
// a load balancer: what is written through either is read through the other at once,
// indexes included; a subscriber on either hears every write made through both, each
// once; and writers on both at once leave every derived count exact on both.
func TestTwoServersOnOneCluster(t *testing.T) {
	stores := testkv.OpenProcesses(t, 2)
	servers := []*testServer{
		mustServe(t, server.Config{}, false, stores[0], nil),
		mustServe(t, server.Config{}, true, stores[1], nil),
	}
	const upsertActor = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`

	t.Run("ReadsSeeTheOthersWrites", func(t *testing.T) {
		for i := range 6 {
			writer, reader := servers[i%2], servers[1-i%2]
			id := fmt.Sprint("visible-", i)
			writer.mustQuery(t, upsertActor, map[string]any{"in": map[string]any{"id": id, "name": "Visiblestan " + id, "kind": "PERSON"}}, &struct{}{})
			var data struct {
				Node  *struct{ Name string }
				Found struct{ TotalCount int }
			}
			reader.mustQuery(t, `query($id: ID!) { node(id: $id) { ... on Actor { name } } found: search(text: "Visiblestan", kinds: [ACTOR]) { totalCount } }`, map[string]any{"id": id}, &data)
			if data.Node == nil || data.Node.Name != "Visiblestan "+id || data.Found.TotalCount != i+1 {
				t.Fatalf("written through server %d, read at once through server %d: %+v; want %s and %d found", i%2, 1-i%2, data, id, i+1)
			}
		}
	})

	t.Run("SubscribersHearBothServers", func(t *testing.T) {
		const everything = `subscription { graphChanged { version at kinds nodeIds nodeCount } }`
		subs := []<-chan graphChange{mustSubscribe(t, servers[0], everything), mustSubscribe(t, servers[1], everything)}
		// Subscriptions are not acknowledged: write until both have heard a write.
		heard := []bool{false, false}
		deadline := time.After(10 * time.Second)
		for i := 0; !heard[0] || !heard[1]; i++ {
			servers[0].mustQuery(t, `mutation($name: String!) { upsertTopic(input: {id: "warm-up", name: $name}) { id } }`, map[string]any{"name": fmt.Sprint("Warm-up ", i)}, &struct{}{})
			for wait := time.After(50 * time.Millisecond); ; {
				select {
				case <-subs[0]:
					heard[0] = true
					continue
				case <-subs[1]:
					heard[1] = true
					continue
				case <-deadline:
					t.Fatalf("after 10 s of writes, the subscribers heard %v", heard)
				case <-wait:
				}
				break
			}
		}
		var want []string
		for i := range 6 {
			id := fmt.Sprint("heard-", i)
			servers[i%2].mustQuery(t, upsertActor, map[string]any{"in": map[string]any{"id": id, "name": "Heard " + id, "kind": "PERSON"}}, &struct{}{})
			want = append(want, id)
		}
		for s, sub := range subs {
			var got []string
			deadline := time.After(10 * time.Second)
			quiet := time.After(time.Hour)
			for listening := true; listening; {
				select {
				case c := <-sub:
					for _, id := range c.NodeIDs {
						if slices.Contains(want, id) {
							got = append(got, id)
						}
					}
					if len(got) == len(want) { // listen a little longer for repeats
						quiet = time.After(600 * time.Millisecond)
					}
				case <-deadline:
					t.Fatalf("after 10 s the subscriber on server %d heard %v of %v", s, got, want)
				case <-quiet:
					listening = false
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("the subscriber on server %d heard %v, want each of %v once", s, got, want)
			}
		}
	})

	t.Run("CountsStayExactUnderWritersOnBoth", func(t *testing.T) {
		before := servers[0].mustRelationsOfType(t, "ALLIED_WITH")
		servers[0].mustQuery(t, upsertActor, map[string]any{"in": map[string]any{"id": "hub-two", "name": "Hub of two servers", "kind": "STATE"}}, &struct{}{})
		const writersEach, relationsEach = 2, 12
		var writing sync.WaitGroup
		for s, srv := range servers {
			for w := range writersEach {
				writing.Go(func() {
					for i := range relationsEach {
						ally := fmt.Sprintf("ally-%d-%d-%d", s, w, i)
						mustWriteThroughConflicts(t, srv, upsertActor, map[string]any{"in": map[string]any{"id": ally, "name": "Ally " + ally, "kind": "STATE"}})
						mustWriteThroughConflicts(t, srv, addRelation, map[string]any{"in": map[string]any{
							"type": "ALLIED_WITH", "from": "hub-two", "to": ally, "evidence": []any{
								map[string]any{"source": "oman-talks-article", "quote": "strategically located on the Arabian Peninsula", "confidence": 0.5}}}})
					}
				})
			}
		}
		writing.Wait()
		const added = 2 * writersEach * relationsEach
		for s, srv := range servers {
			var data struct {
				Node struct{ Relations struct{ TotalCount int } }
			}
			srv.mustQuery(t, `{ node(id: "hub-two") { ... on Actor { relations { totalCount } } } }`, nil, &data)
			degree := srv.mustDegrees(t, ", kinds: [ACTOR]")["hub-two"]
			if data.Node.Relations.TotalCount != added || degree != added {
				t.Errorf("server %d: the hub lists %d relations and its maintained degree is %d, want %d", s, data.Node.Relations.TotalCount, degree, added)
			}
			if got := srv.mustRelationsOfType(t, "ALLIED_WITH"); got != before+added {
				t.Errorf("server %d counts %d alliances, want %d + %d", s, got, before, added)
			}
		}
	})
}

// mustWriteThroughConflicts sends a mutation until it is not refused with CONFLICT (a
// write on the other server kept colliding with it), as a client would.
func mustWriteThroughConflicts(t *testing.T, s *testServer, query string, vars map[string]any) {
	for range 20 {
		status, out, _ := s.post(t, "", query, vars)
		if status == http.StatusOK && len(out.Errors) == 0 {
			return
		}
		if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "CONFLICT" {
			t.Errorf("status %d, %+v", status, out.Errors)
			return
		}
	}
	t.Errorf("still refused with CONFLICT after 20 tries")
}
