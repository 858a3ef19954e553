package storetest

import (
	"sync/atomic"
	"time"

	"eventgraph/store/kv"
)

// KeyCounter is a kv.Store that counts the keys its snapshot readers visit (each Get
// and each key an iteration passes on), for tests of how far a read goes. It reads
// through to the store it wraps.
type KeyCounter struct {
	kv.Store
	visited atomic.Int64
	mark    int64
	atMark  func()
	pace    time.Duration
}

// CountKeys wraps s.
func CountKeys(s kv.Store) *KeyCounter { return &KeyCounter{Store: s} }

// Reset starts counting from zero. When atMark is set, it runs once, on the reading
// goroutine, when the mark-th key is visited, before that key is passed on. Every key
// after the mark then takes pace longer to read, as on a slow disk, so that what
// follows the mark lasts long enough to watch. Call it while nothing reads.
func (c *KeyCounter) Reset(mark int64, atMark func(), pace time.Duration) {
	c.visited.Store(0)
	c.mark, c.atMark, c.pace = mark, atMark, pace
}

// Visited returns the number of keys visited since the last Reset.
func (c *KeyCounter) Visited() int64 { return c.visited.Load() }

func (c *KeyCounter) View(version uint64, fn func(kv.Reader) error) error {
	return c.Store.View(version, func(r kv.Reader) error { return fn(countingReader{r, c}) })
}

func (c *KeyCounter) visit() {
	n := c.visited.Add(1)
	switch {
	case n == c.mark && c.atMark != nil:
		c.atMark()
	case n > c.mark && c.mark > 0 && c.pace > 0:
		time.Sleep(c.pace)
	}
}

type countingReader struct {
	kv.Reader
	c *KeyCounter
}

func (r countingReader) Get(key []byte) ([]byte, error) {
	r.c.visit()
	return r.Reader.Get(key)
}

func (r countingReader) Iterate(opts kv.IterOptions, fn func(key, value []byte) error) error {
	return r.Reader.Iterate(opts, func(key, value []byte) error {
		r.c.visit()
		return fn(key, value)
	})
}

func (r countingReader) IterateRanges(prefixes [][]byte, fn func(i int, key, value []byte) error) error {
	return r.Reader.IterateRanges(prefixes, func(i int, key, value []byte) error {
		r.c.visit()
		return fn(i, key, value)
	})
}
