package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"eventgraph/server"
)

// TestGraphChangedOverWebSocket subscribes with graphql-transport-ws, makes writes over
// HTTP, and checks that only the changes touching the asked-for kinds arrive.
func TestGraphChangedOverWebSocket(t *testing.T) {
	mustSeeActorChanges(t, mustStart(t, server.Config{}, true))
}

// mustSeeActorChanges subscribes to actor changes on s and checks that the first one
// delivered is an actor write.
func mustSeeActorChanges(t *testing.T, s *testServer) {
	t.Helper()
	next := mustSubscribe(t, s, `subscription { graphChanged(kinds: [ACTOR]) { version at kinds nodeIds nodeCount relationCount } }`)
	// The protocol does not acknowledge a subscription, so keep writing a topic and then
	// an actor until a change arrives: the first one must be an actor write.
	stop := make(chan struct{})
	written := make(chan struct{})
	go func() {
		defer close(written)
		for i := 0; ; i++ {
			var out struct{ UpsertTopic, UpsertActor struct{ ID string } }
			s.mustQuery(t, fmt.Sprintf(`mutation { upsertTopic(input: {id: "topic-%d", name: "Topic"}) { id } }`, i), nil, &out)
			s.mustQuery(t, fmt.Sprintf(`mutation { upsertActor(input: {id: "actor-%d", name: "Actor", kind: STATE}) { id } }`, i), nil, &out)
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	var c graphChange
	select {
	case c = <-next:
	case <-time.After(10 * time.Second):
		t.Fatal("no change arrived in 10 s")
	}
	close(stop)
	<-written
	if len(c.NodeIDs) != 1 || !strings.HasPrefix(c.NodeIDs[0], "actor-") || !slices.Equal(c.Kinds, []string{"ACTOR"}) || c.NodeCount != 1 || c.Version == "" || c.At.IsZero() {
		t.Fatalf("first change delivered = %+v; want an actor write (topic writes are filtered out)", c)
	}
}

// graphChange is a graphChanged event as a subscriber receives it.
type graphChange struct {
	Version   string
	At        time.Time
	Kinds     []string
	NodeIDs   []string `json:"nodeIds"`
	NodeCount int
}

// mustSubscribe runs query, a graphChanged subscription, on s over a WebSocket
// (graphql-transport-ws) until the test ends, and returns the events it delivers. The
// protocol does not acknowledge a subscription: events of writes made before the
// server took it do not arrive.
func mustSubscribe(t *testing.T, s *testServer, query string) <-chan graphChange {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	type message struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	mustSend := func(m any) {
		t.Helper()
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	mustSend(map[string]any{"type": "connection_init"})
	var ack message
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v, %v", ack, err)
	}
	mustSend(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}})
	events := make(chan graphChange, 256)
	read := make(chan struct{})
	go func() {
		defer close(read)
		for {
			var m message
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				return // the test has ended
			}
			var next struct {
				Data struct{ GraphChanged graphChange }
			}
			switch {
			case m.Type == "ping" || m.Type == "ka":
			case m.Type != "next":
				t.Errorf("the subscription sent %s %s", m.Type, m.Payload)
				return
			case json.Unmarshal(m.Payload, &next) != nil:
				t.Errorf("the subscription sent %s", m.Payload)
				return
			default:
				select {
				case events <- next.Data.GraphChanged:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	t.Cleanup(func() {
		conn.Close(websocket.StatusNormalClosure, "")
		cancel()
		<-read
	})
	return events
}

// TestWebSocketTokens: with tokens on and reads closed, a WebSocket client is let in
// only with a known token in connection_init's payload.
func TestWebSocketTokens(t *testing.T) {
	s := mustStart(t, server.Config{Tokens: mustTokens(t)}, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	initWith := func(payload map[string]any) (string, error) {
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			return "", err
		}
		defer conn.Close(websocket.StatusNormalClosure, "")
		if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
			return "", err
		}
		var m struct{ Type string }
		err = wsjson.Read(ctx, conn, &m)
		return m.Type, err
	}
	if got, err := initWith(map[string]any{"Authorization": "Bearer " + readerToken}); err != nil || got != "connection_ack" {
		t.Fatalf("a reader's token: %q, %v", got, err)
	}
	for _, payload := range []map[string]any{nil, {"Authorization": "Bearer not-a-known-token-at-all"}} {
		if got, err := initWith(payload); err == nil && got == "connection_ack" {
			t.Fatalf("connection_init with %v was acknowledged", payload)
		}
	}
}
