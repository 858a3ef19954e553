package store

import (
	"context"
	"runtime"

	"eventgraph/store/kv"
)

// cancellable is a kv.Reader that stops reading once its context is done: every Get
// and every key an iteration visits first checks it. A walk over a hub's relations or
// a full-text scan then ends within one key of the client going away or the request's
// deadline passing, instead of running to the end for nobody. The check is a
// non-blocking receive on the context's done channel, a few nanoseconds a key.
type cancellable struct {
	kv.Reader
	ctx  context.Context
	done <-chan struct{}
	// keys counts the keys visited, to yield the processor every yieldEvery of them.
	// A reader serves one goroutine (Snapshot.InHalves gives the other half its own).
	keys int
}

// yieldEvery is how many keys a cancellable read visits between yields of the
// processor. A request fans out into a goroutine per root field, all runnable at once;
// the goroutine that notices a client going away queues behind them, and without
// yields would run only once most of them had finished. A yield every 256 keys (about
// a tenth of a millisecond of reading) lets it run within milliseconds, and costs
// under a nanosecond a key.
const yieldEvery = 256

// readerFor returns r, checking ctx as it reads when ctx can be cancelled.
func readerFor(ctx context.Context, r kv.Reader) kv.Reader {
	done := ctx.Done()
	if done == nil {
		return r
	}
	return &cancellable{Reader: r, ctx: ctx, done: done}
}

func (c *cancellable) err() error {
	c.keys++
	if c.keys%yieldEvery == 0 {
		runtime.Gosched()
	}
	select {
	case <-c.done:
		return c.ctx.Err()
	default:
		return nil
	}
}

func (c *cancellable) Get(key []byte) ([]byte, error) {
	if err := c.err(); err != nil {
		return nil, err
	}
	return c.Reader.Get(key)
}

func (c *cancellable) Iterate(opts kv.IterOptions, fn func(key, value []byte) error) error {
	return c.Reader.Iterate(opts, func(key, value []byte) error {
		if err := c.err(); err != nil {
			return err
		}
		return fn(key, value)
	})
}

func (c *cancellable) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	return c.Reader.IterateRanges(prefixes, func(i int, key, value []byte) error {
		if err := c.err(); err != nil {
			return err
		}
		return fn(i, key, value)
	})
}
