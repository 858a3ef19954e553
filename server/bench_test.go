package server_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"eventgraph/server"
)

// BenchmarkQueryOverHTTP sends a typical analyst query (an event with its place,
// participants and the evidence for each) to the real server over loopback HTTP.
func BenchmarkQueryOverHTTP(b *testing.B) {
	s := mustStart(b, server.Config{}, false)
	body := []byte(`{"query":"{ node(id: \"muscat-talks\") { ... on Event { name when place { name within { name } } participants { role actor { name } relation { evidence { quote start end confidence source { title } } } } } } }"}`)
	client := &http.Client{}
	for b.Loop() {
		resp, err := client.Post(s.url+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
			b.Fatalf("status %d: %s", resp.StatusCode, out)
		}
	}
}
