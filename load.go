package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

// loadRequest is one GraphQL request of a load mix.
type loadRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// load sends GraphQL requests from concurrent clients for a while and reports
// throughput and latency percentiles: the load generator behind the figures in the
// README. Requests come from --query, or round-robin from a JSON Lines file of
// {"query": …, "variables": …} objects.
func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to send requests")
	query := fs.String("query", "", "the query to send")
	file := fs.String("queries", "", "JSON Lines file of requests to send round-robin")
	if err := parse(fs, args); err != nil {
		return err
	}
	var reqs []loadRequest
	switch {
	case *query != "":
		reqs = []loadRequest{{Query: *query}}
	case *file != "":
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		lines := bufio.NewScanner(f)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			var r loadRequest
			if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
				return fmt.Errorf("%s: %w", *file, err)
			}
			reqs = append(reqs, r)
		}
		if err := lines.Err(); err != nil {
			return err
		}
	}
	if len(reqs) == 0 {
		return errors.New("load: give --query or --queries")
	}
	bodies := make([][]byte, len(reqs))
	for i, r := range reqs {
		bodies[i], _ = json.Marshal(r)
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	var mu sync.Mutex
	var latencies []time.Duration
	failures := 0
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := c; ctx.Err() == nil; i += *clients {
				t0 := time.Now()
				ok := send(ctx, client, *url, bodies[i%len(bodies)])
				if ctx.Err() != nil {
					break
				}
				if ok {
					mine = append(mine, time.Since(t0))
				} else {
					bad++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return fmt.Errorf("load: no request succeeded (%d failed)", failures)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	fmt.Fprintf(stdout, "%d requests (%d failed) from %d clients in %s: %.0f/s; p50 %s p90 %s p99 %s max %s\n",
		len(latencies), failures, *clients, elapsed.Round(time.Millisecond), float64(len(latencies))/elapsed.Seconds(),
		pct(0.5).Round(time.Microsecond), pct(0.9).Round(time.Microsecond), pct(0.99).Round(time.Microsecond),
		latencies[len(latencies)-1].Round(time.Microsecond))
	return nil
}

// send posts one request; it succeeds on a 200 answer without errors.
func send(ctx context.Context, client *http.Client, url string, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK && !bytes.Contains(out, []byte(`"errors"`))
}
