package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLoaderBatchesAndCaches(t *testing.T) {
	var fetches atomic.Int32
	l := newLoader(func(_ context.Context, keys []int) ([]string, error) {
		fetches.Add(1)
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = fmt.Sprint(k)
		}
		return out, nil
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	start := make(chan struct{}) // release the loads together, as gqlgen starts siblings
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if v, err := l.Load(ctx, i%50); err != nil || v != fmt.Sprint(i%50) {
				t.Errorf("Load(%d) = %q, %v", i%50, v, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := fetches.Load(); n > 10 {
		t.Fatalf("100 concurrent loads of 50 keys took %d fetches", n)
	}
	before := fetches.Load()
	vs, err := l.LoadAll(ctx, []int{3, 7, 49})
	if err != nil || fmt.Sprint(vs) != "[3 7 49]" || fetches.Load() != before {
		t.Fatalf("cached LoadAll = %v, %v, fetches %d→%d", vs, err, before, fetches.Load())
	}
}

func TestLoaderLoadAllReadsMissingKeysInOneFetch(t *testing.T) {
	var fetched [][]int
	l := newLoader(func(_ context.Context, keys []int) ([]int, error) {
		fetched = append(fetched, keys)
		out := make([]int, len(keys))
		for i, k := range keys {
			out[i] = k * 10
		}
		return out, nil
	})
	ctx := context.Background()
	if v, err := l.Load(ctx, 2); err != nil || v != 20 {
		t.Fatalf("Load(2) = %v, %v", v, err)
	}
	vs, err := l.LoadAll(ctx, []int{1, 2, 3, 1})
	if err != nil || fmt.Sprint(vs) != "[10 20 30 10]" {
		t.Fatalf("LoadAll = %v, %v", vs, err)
	}
	if fmt.Sprint(fetched) != "[[2] [1 3]]" {
		t.Fatalf("fetches = %v, want [[2] [1 3]]: the cached key skipped, the rest in one read", fetched)
	}
}

func TestLoaderPassesErrorsToEveryWaiter(t *testing.T) {
	boom := errors.New("boom")
	l := newLoader(func(context.Context, []string) ([]int, error) { return nil, boom })
	if _, err := l.LoadAll(context.Background(), []string{"a", "b"}); !errors.Is(err, boom) {
		t.Fatalf("LoadAll error = %v", err)
	}
	if _, err := l.Load(context.Background(), "a"); !errors.Is(err, boom) {
		t.Fatalf("Load error = %v", err)
	}
}
