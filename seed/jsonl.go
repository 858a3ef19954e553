package seed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"unicode/utf8"
)

// records maps a JSON Lines "record" value to its YAML section.
var records = map[string]string{
	"source": "sources", "actor": "actors", "place": "places", "event": "events",
	"topic": "topics", "position": "positions", "relation": "relations",
}

// jsonlFile reads a JSON Lines file. Its lines are decoded on every processor, a batch
// at a time, and applied to the loader in file order, so problems, keys and progress
// come out exactly as from a read line by line; a million-relation file spends half its
// parsing time decoding.
func (l *loader) jsonlFile(name string) {
	f, err := l.open(name)
	if err != nil {
		l.failFile(&Error{File: name, Message: err.Error(), Kind: err})
		return
	}
	defer f.Close()
	todo := make(chan *jsonlBatch, 8)
	inOrder := make(chan *jsonlBatch, 8)
	go readJSONLines(f, l.opt.maxLineBytes(), todo, inOrder)
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for b := range todo {
				b.decode(l.phase)
			}
		}()
	}
	for b := range inOrder {
		<-b.done
		if l.partErr != nil {
			continue // the import has failed: drain the reader
		}
		for i := range b.lines {
			l.jsonlApply(&b.lines[i])
		}
		if b.err != nil && l.phase.first() {
			l.failLine(b.errLine, "", "%v", b.err)
		}
		if l.full() {
			l.flush()
		}
	}
}

// jsonlBatch is a run of a file's lines, decoded together.
type jsonlBatch struct {
	first   int    // the number of its first line
	buf     []byte // the lines, one after another
	ends    []int  // where each line ends in buf
	lines   []jsonlLine
	err     error // what stopped the read after these lines, if not the end of the file
	errLine int
	done    chan struct{} // closed once lines are decoded
}

// A batch ends after jsonlBatchLines lines, or the line that takes it to
// jsonlBatchBytes.
const (
	jsonlBatchLines = 1024
	jsonlBatchBytes = 4 << 20
)

// readJSONLines splits r into batches of lines and hands each to the decoders and, in
// file order, to the loader. A line longer than maxLine bytes ends the read with an
// error at that line, having held at most maxLine bytes of it.
func readJSONLines(r io.Reader, maxLine int, todo, inOrder chan<- *jsonlBatch) {
	defer close(inOrder)
	defer close(todo)
	br := bufio.NewReaderSize(r, min(1<<20, maxLine+1))
	b := &jsonlBatch{first: 1, done: make(chan struct{})}
	for line := 1; ; line++ {
		s, err := br.ReadSlice('\n')
		// A line longer than the reader's buffer is kept in pieces and joined once,
		// rather than copied again each time it outgrows an append.
		var pieces [][]byte
		n := len(s)
		for errors.Is(err, bufio.ErrBufferFull) && n <= maxLine {
			pieces = append(pieces, bytes.Clone(s))
			s, err = br.ReadSlice('\n')
			n += len(s)
		}
		if n > maxLine {
			err = fmt.Errorf("line is longer than %s, the most a JSON Lines record may take", byteSize(int64(maxLine)))
		} else {
			b.buf = slices.Grow(b.buf, n)
			for _, p := range pieces {
				b.buf = append(b.buf, p...)
			}
			b.buf = append(b.buf, s...)
			b.ends = append(b.ends, len(b.buf))
		}
		if err != nil && !errors.Is(err, io.EOF) {
			b.err, b.errLine = err, line
		}
		if err != nil || len(b.ends) == jsonlBatchLines || len(b.buf) >= jsonlBatchBytes {
			todo <- b
			inOrder <- b
			if err != nil {
				return
			}
			b = &jsonlBatch{first: line + 1, done: make(chan struct{})}
		}
	}
}

func (b *jsonlBatch) decode(p phase) {
	b.lines = make([]jsonlLine, len(b.ends))
	start := 0
	for i, end := range b.ends {
		b.lines[i] = decodeJSONLine(b.first+i, b.buf[start:end], p)
		start = end
	}
	close(b.done)
}

// jsonlLine is a decoded line: the record it holds, or what is wrong with it.
type jsonlLine struct {
	line  int
	blank bool // blank, or not for the phase decoding it
	rec   any  // *sourceIn, *actorIn, …; nil when the line cannot be used
	fails []lineFail
}

// decodeJSONLine decodes a line for phase p: a line of a record p does not take is
// left as blank.
func decodeJSONLine(line int, b []byte, p phase) jsonlLine {
	if line == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark
	}
	b = bytes.TrimSpace(b)
	out := jsonlLine{line: line, blank: len(b) == 0}
	if out.blank {
		return out
	}
	if !utf8.Valid(b) {
		out.fails = []lineFail{{"", "is not valid UTF-8"}}
		return out
	}
	d := &jsonDec{b: b}
	section, ok := recordSection(b)
	if ok && !p.takes(section) {
		out.blank = true
		return out
	}
	if !ok {
		kind, err := d.recordOf()
		switch {
		case err != nil:
			d.report("", "malformed JSON: %s at column %d", err.msg, err.col)
		case kind == "":
			d.report("record", "is required: one of source, actor, place, event, topic, position, relation")
		default:
			if section, ok = records[kind]; !ok {
				d.report("record", "%q is not one of source, actor, place, event, topic, position, relation", kind)
			}
		}
		if !p.takes(section) {
			out.blank = true
			return out
		}
		if !ok {
			out.fails = d.fails
			return out
		}
	}
	var rec any
	switch section {
	case "sources":
		rec = &sourceIn{}
	case "actors":
		rec = &actorIn{}
	case "places":
		rec = &placeIn{}
	case "events":
		rec = &eventIn{}
	case "topics":
		rec = &topicIn{}
	case "positions":
		rec = &positionIn{}
	case "relations":
		rec = &relationIn{}
	}
	if d.decode(rec) {
		out.rec = rec
	}
	out.fails = d.fails
	return out
}

// jsonlApply reports a decoded line's problems and adds its record to the set.
func (l *loader) jsonlApply(ln *jsonlLine) {
	if ln.blank {
		return
	}
	defer l.tick()
	for _, f := range ln.fails {
		l.failLine(ln.line, f.field, "%s", f.msg)
	}
	e := entry{l, origin{file: l.file, line: int32(ln.line)}}
	switch in := ln.rec.(type) {
	case *sourceIn:
		e.source(in)
	case *actorIn:
		e.actor(in)
	case *placeIn:
		e.place(in)
	case *eventIn:
		e.event(in)
	case *topicIn:
		e.topic(in)
	case *positionIn:
		e.position(in)
	case *relationIn:
		e.relation(in)
	}
}

// recordSection reads the section of a line that starts {"record":"…", as machines
// write it; ok is false for any other line.
func recordSection(b []byte) (string, bool) {
	const head = `{"record":"`
	if !bytes.HasPrefix(b, []byte(head)) {
		return "", false
	}
	rest := b[len(head):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return "", false
	}
	section, ok := records[string(rest[:end])]
	return section, ok
}
