package server_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"eventgraph/server"
)

// TestManyConcurrentWritersKeepServing sends what eight clients looping upserts send,
// with readers alongside, to the real server: it must answer every request, and every
// write it acknowledged must be there afterwards.
func TestManyConcurrentWritersKeepServing(t *testing.T) {
	s := mustStart(t, server.Config{}, true)
	const writers, each = 8, 150
	const upsert = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`
	acked := make([][]string, writers)
	failures := make(chan string, writers+2)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if status, out, _ := s.post(t, "", `{ actors(first: 20) { totalCount nodes { id name } } }`, nil); status != http.StatusOK || len(out.Errors) > 0 {
					failures <- fmt.Sprintf("a read failed: status %d, %+v", status, out.Errors)
					return
				}
			}
		}()
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("c%d-%d", w, i)
				status, out, _ := s.post(t, "", upsert, map[string]any{"in": map[string]any{"id": id, "name": "W", "kind": "PERSON"}})
				switch {
				case status == http.StatusOK && len(out.Errors) == 0:
					acked[w] = append(acked[w], id)
				case len(out.Errors) > 0 && out.Errors[0].Extensions["code"] == "CONFLICT":
				default:
					failures <- fmt.Sprintf("upsert %s: status %d, %+v", id, status, out.Errors)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	want := map[string]bool{}
	for _, ids := range acked {
		for _, id := range ids {
			want[id] = true
		}
	}
	got := map[string]bool{}
	for after := (*string)(nil); ; {
		var data struct {
			Actors struct {
				Nodes    []struct{ ID string }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		s.mustQuery(t, `query($after: String) { actors(first: 500, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after}, &data)
		for _, a := range data.Actors.Nodes {
			got[a.ID] = true
		}
		if !data.Actors.PageInfo.HasNextPage {
			break
		}
		after = &data.Actors.PageInfo.EndCursor
	}
	if len(want) < writers*each/2 {
		t.Errorf("only %d of %d upserts were acknowledged", len(want), writers*each)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("acknowledged upsert %s is missing", id)
		}
	}
}
