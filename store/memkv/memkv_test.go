package memkv_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"eventgraph/store/badgerkv"
	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/memkv"
)

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(*testing.T) kv.Store { return memkv.New(memkv.Options{}) })
}

// FuzzAgreesWithBadger plays the same history, decoded from the input, on memkv and on
// Badger in memory: Updates setting and deleting keys (reading them back inside the
// transaction), Bulk writes committed or aborted, and between them reads at a random
// earlier commit of a random range in either direction, and of a key's history. Every
// read must give the same answer on both, versions compared by the commit that made
// them visible. At the end every commit's snapshot of the whole store must agree.
func FuzzAgreesWithBadger(f *testing.F) {
	f.Add([]byte("\x00a1\x01b\x02ab2\x04\x00a\x05b"))
	f.Add([]byte("\x02a1\x02b2\x03a\x00ab3\x01a\x04\x01\x03\x04\x02b\x05a"))
	f.Add([]byte("\x00\x00\x00\x01\x00\x02\x02\x00\x03\x01\x00\x04\x00\x00\x05\x00"))
	f.Fuzz(func(t *testing.T, history []byte) {
		if len(history) > 512 {
			return
		}
		b, err := badgerkv.Open(badgerkv.Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		m := memkv.New(memkv.Options{})
		defer m.Close()
		stores := [2]kv.Store{m, b}
		commits := [2][]uint64{} // each store's version of each commit, in order
		in := history
		next := func() byte {
			if len(in) == 0 {
				return 0
			}
			c := in[0]
			in = in[1:]
			return c
		}
		// Keys come from a small alphabet so that histories touch the same keys often.
		key := func() []byte { return []byte{"abc"[next()%3], "\x00xy"[next()%3]}[:1+next()%2] }
		for len(in) > 0 {
			switch op := next() % 6; op {
			case 0, 1: // an Update
				k, v, del := key(), []byte{next()}, op == 1
				for i, s := range stores {
					version, err := s.Update(func(rw kv.ReadWriter) error {
						if del {
							if err := rw.Delete(k); err != nil {
								return err
							}
						} else if err := rw.Set(k, v); err != nil {
							return err
						}
						got, err := rw.Get(k)
						if del != errors.Is(err, kv.ErrNotFound) || !del && !bytes.Equal(got, v) {
							return fmt.Errorf("read own write of %q: %q, %v", k, got, err)
						}
						return nil
					})
					if err != nil {
						t.Fatalf("store %d: %v", i, err)
					}
					commits[i] = append(commits[i], version)
				}
			case 2, 3: // a Bulk, committed or aborted
				var writes [][2][]byte
				for range 1 + next()%4 {
					writes = append(writes, [2][]byte{key(), bytes.Repeat([]byte{next()}, int(next()%2))})
				}
				for i, s := range stores {
					bw, err := s.Bulk()
					if err != nil {
						t.Fatal(err)
					}
					for _, w := range writes {
						if len(w[1]) == 0 {
							err = bw.Delete(w[0])
						} else {
							err = bw.Set(w[0], w[1])
						}
						if err != nil {
							t.Fatal(err)
						}
					}
					if op == 3 {
						if err := bw.Abort(); err != nil {
							t.Fatal(err)
						}
						continue
					}
					version, err := bw.Commit()
					if err != nil {
						t.Fatal(err)
					}
					commits[i] = append(commits[i], version)
				}
			case 4: // a range at an earlier commit
				at := -1
				if len(commits[0]) > 0 {
					at = int(next()) % len(commits[0])
				}
				o := kv.IterOptions{Reverse: next()%2 == 1, KeysOnly: next()%2 == 1}
				switch next() % 4 {
				case 1:
					o.Prefix = key()
				case 2:
					o.Start = key()
				case 3:
					o.Start, o.End = key(), key()
				}
				agree(t, fmt.Sprintf("range %+v at commit %d", o, at), func(i int) string {
					return dump(t, stores[i], versionAt(commits[i], at), o)
				})
			case 5: // a key's history
				k := key()
				agree(t, fmt.Sprintf("history of %q", k), func(i int) string {
					var h []string
					err := stores[i].History(k, func(v uint64, val []byte, deleted bool) error {
						// Each version is named by the first commit at or after it:
						// Badger writes a Bulk at a version taken when it starts, below
						// the one its Commit returns, and History gives that one.
						at, _ := slices.BinarySearch(commits[i], v)
						h = append(h, fmt.Sprintf("commit %d: %q deleted=%v", at, val, deleted))
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					return fmt.Sprint(h)
				})
			}
		}
		for at := range commits[0] {
			agree(t, fmt.Sprintf("everything at commit %d", at), func(i int) string {
				return dump(t, stores[i], commits[i][at], kv.IterOptions{})
			})
		}
	})
}

// versionAt is the version of commit at, or 1 (before any commit) when at is -1.
func versionAt(commits []uint64, at int) uint64 {
	if at < 0 {
		return 1
	}
	return commits[at]
}

// agree fails the test unless read gives the same answer for memkv (0) and Badger (1).
func agree(t *testing.T, what string, read func(i int) string) {
	t.Helper()
	if m, b := read(0), read(1); m != b {
		t.Fatalf("%s:\nmemkv:  %s\nBadger: %s", what, m, b)
	}
}

// dump lists the keys and values o visits in s at version.
func dump(t *testing.T, s kv.Store, version uint64, o kv.IterOptions) string {
	t.Helper()
	var out []string
	err := s.View(version, func(r kv.Reader) error {
		return r.Iterate(o, func(k, v []byte) error {
			if o.KeysOnly {
				v = nil
			}
			out = append(out, fmt.Sprintf("%q=%q", k, v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out)
}
