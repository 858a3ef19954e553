package graph

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// loader is a per-request dataloader: it gathers the keys that concurrently running
// resolvers ask for, reads them in one batch, and caches the answers for the rest of
// the request.
//
// It batches without sleeping. gqlgen starts the resolvers of a list's items as
// goroutines at once; the first Load starts a dispatcher that yields the processor
// until the batch has stopped growing for quietFor, so the siblings have joined, then
// reads. A sleeping loader (such as vikstrous/dataloadgen) cannot wait less than the
// timer resolution, about a millisecond on a virtual machine, and that is paid once
// per level of a nested query.
type loader[K comparable, V any] struct {
	fetch func(ctx context.Context, keys []K) ([]V, error)

	mu    sync.Mutex
	cache map[K]*answer[V]
	batch *batch[K, V]
}

type answer[V any] struct {
	done  chan struct{}
	value V
	err   error
}

type batch[K comparable, V any] struct {
	keys    []K
	answers []*answer[V]
}

// A dispatcher waits for siblings until no new key has arrived for quietFor and for
// quietYields yields in a row (time alone is not enough: when the machine is busy the
// process may not run at all for a while), or until maxWait has passed.
const (
	quietFor    = 30 * time.Microsecond
	quietYields = 16
	maxWait     = 2 * time.Millisecond
)

func newLoader[K comparable, V any](fetch func(ctx context.Context, keys []K) ([]V, error)) *loader[K, V] {
	return &loader[K, V]{fetch: fetch, cache: map[K]*answer[V]{}}
}

// Load returns the value for key, batched with the keys other resolvers ask for now.
func (l *loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	a := l.enqueue(ctx, key)
	<-a.done
	return a.value, a.err
}

// LoadAll returns the values for keys, in order. The keys not cached yet are read at
// once, in one batch, by the caller: a batch resolver or a read-ahead hands over every
// key together, so there is nobody left to wait for.
func (l *loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	answers := make([]*answer[V], len(keys))
	missing := &batch[K, V]{}
	l.mu.Lock()
	for i, k := range keys {
		a, ok := l.cache[k]
		if !ok {
			a = &answer[V]{done: make(chan struct{})}
			l.cache[k] = a
			missing.keys = append(missing.keys, k)
			missing.answers = append(missing.answers, a)
		}
		answers[i] = a
	}
	l.mu.Unlock()
	if len(missing.keys) > 0 {
		l.fetchInto(ctx, missing)
	}
	out := make([]V, len(keys))
	for i, a := range answers {
		<-a.done
		if a.err != nil {
			return nil, a.err
		}
		out[i] = a.value
	}
	return out, nil
}

// prime caches value as the answer for key, unless the loader has an answer already.
func (l *loader[K, V]) prime(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.cache[key]; !ok {
		a := &answer[V]{done: make(chan struct{}), value: value}
		close(a.done)
		l.cache[key] = a
	}
}

func (l *loader[K, V]) enqueue(ctx context.Context, key K) *answer[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a, ok := l.cache[key]; ok {
		return a
	}
	a := &answer[V]{done: make(chan struct{})}
	l.cache[key] = a
	if l.batch == nil {
		l.batch = &batch[K, V]{}
		go l.dispatch(ctx, l.batch)
	}
	l.batch.keys = append(l.batch.keys, key)
	l.batch.answers = append(l.batch.answers, a)
	return a
}

func (l *loader[K, V]) dispatch(ctx context.Context, b *batch[K, V]) {
	start := time.Now()
	size, lastGrowth, quiet := 0, start, 0
	for now := start; (now.Sub(lastGrowth) < quietFor || quiet < quietYields) && now.Sub(start) < maxWait; now = time.Now() {
		runtime.Gosched()
		quiet++
		l.mu.Lock()
		if len(b.keys) > size {
			size, lastGrowth, quiet = len(b.keys), time.Now(), 0
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	l.batch = nil
	l.mu.Unlock()
	l.fetchInto(ctx, b)
}

// fetchInto reads b's keys and hands each waiter its answer.
func (l *loader[K, V]) fetchInto(ctx context.Context, b *batch[K, V]) {
	values, err := l.fetch(ctx, b.keys)
	for i, a := range b.answers {
		if err == nil {
			a.value = values[i]
		}
		a.err = err
		close(a.done)
	}
}
