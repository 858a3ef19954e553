package seed_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"eventgraph/seed"
)

// endlessLineFS holds one JSON Lines file, f.jsonl: a valid line, then a line that
// goes on for size bytes, produced as it is read. read counts the bytes read.
type endlessLineFS struct {
	size int64
	read *int64
}

func (e endlessLineFS) Open(name string) (fs.File, error) {
	if name != "f.jsonl" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	head := `{"record":"topic","key":"t","name":"T"}` + "\n" + `{"record":"topic","key":"u","name":"`
	return &endlessLine{head: head, left: e.size, read: e.read}, nil
}

type endlessLine struct {
	head string
	left int64
	read *int64
}

var letters = bytes.Repeat([]byte{'a'}, 64<<10)

func (f *endlessLine) Read(p []byte) (int, error) {
	n := copy(p, f.head)
	f.head = f.head[n:]
	for n < len(p) && f.left > 0 {
		k := copy(p[n:min(len(p), n+int(min(f.left, int64(len(letters)))))], letters)
		n += k
		f.left -= int64(k)
	}
	*f.read += int64(n)
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (f *endlessLine) Stat() (fs.FileInfo, error) { return nil, fs.ErrInvalid }
func (f *endlessLine) Close() error               { return nil }

// TestLongJSONLine checks that a line longer than the limit fails at its line number
// having read little more than the limit, for a lowered limit and for the default.
func TestLongJSONLine(t *testing.T) {
	for _, c := range []struct {
		name    string
		limit   int   // 0: the default
		size    int64 // of the long line
		message string
	}{
		{"lowered limit", 1 << 20, 64 << 20, "f.jsonl:2: line is longer than 1 MiB, the most a JSON Lines record may take"},
		{"default limit", 0, 1 << 30, "f.jsonl:2: line is longer than 128 MiB, the most a JSON Lines record may take"},
	} {
		t.Run(c.name, func(t *testing.T) {
			limit := int64(c.limit)
			if limit == 0 {
				limit = seed.DefaultMaxLineBytes
			}
			var read int64
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := seed.Options{MaxLineBytes: c.limit}.Load(endlessLineFS{size: c.size, read: &read}, "f.jsonl")
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if fmt.Sprint(err) != c.message {
				t.Fatalf("Load = %v, want %s", err, c.message)
			}
			// The reader's buffer (at most 1 MiB) may run ahead of the line.
			if read > limit+2<<20 {
				t.Errorf("read %d bytes of a %d-byte line to refuse it at %d", read, c.size, limit)
			}
			allocated := after.TotalAlloc - before.TotalAlloc
			if allocated > uint64(2*limit+16<<20) {
				t.Errorf("allocated %d bytes to refuse a line at %d", allocated, limit)
			}
			t.Logf("refused a %d-byte line at %d after reading %d bytes, allocating %d, in %s", c.size, limit, read, allocated, took)
		})
	}
}

// TestJSONNesting checks that arrays nested deeper than encoding/json allows are
// refused at their line, however deep: the decoder recurses, and ten million '[' used
// to overflow the stack and kill the process.
func TestJSONNesting(t *testing.T) {
	for _, depth := range []int{10_001, 10_000_000} {
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			for _, field := range []string{"aliases", "colour"} { // a known field, then an unknown one skipped
				line := `{"record":"topic","key":"t","name":"T","` + field + `":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}\n"
				_, err := seed.Load(fstest.MapFS{"f.jsonl": {Data: []byte("\n" + line)}}, "f.jsonl")
				want := fmt.Sprintf("f.jsonl:2: malformed JSON: arrays and objects nested more than 10000 deep at column %d", len(`{"record":"topic","key":"t","name":"T","`+field+`":`)+10_000)
				// The field's type or name is reported first.
				if list, ok := seed.AsErrorList(err); !ok || list.Errors[len(list.Errors)-1].Error() != want {
					t.Errorf("%s: Load = %.300v, want it to end with %s", field, err, want)
				}
			}
		})
	}
}
