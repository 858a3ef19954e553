package seed

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// records maps a JSON Lines "record" value to its YAML section.
var records = map[string]string{
	"source": "sources", "actor": "actors", "place": "places", "event": "events",
	"topic": "topics", "position": "positions", "relation": "relations",
}

func (l *loader) jsonlFile(name string) {
	f, err := l.open(name)
	if err != nil {
		l.errs.add(&Error{File: name, Message: err.Error(), Kind: err})
		return
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var long []byte
	for line := 1; ; line++ {
		b, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = r.ReadSlice('\n')
				long = append(long, b...)
			}
			b = long
		}
		if len(b) > 0 {
			l.jsonlRecord(line, b)
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			l.failLine(line, "", "%v", err)
			return
		}
	}
}

func (l *loader) jsonlRecord(line int, b []byte) {
	if line == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return
	}
	defer l.tick()
	if !utf8.Valid(b) {
		l.failLine(line, "", "is not valid UTF-8")
		return
	}
	d := &jsonDec{b: b, l: l, line: line}
	section, ok := recordSection(b)
	if !ok {
		kind, err := d.recordOf()
		if err != nil {
			l.failLine(line, "", "malformed JSON: %s at column %d", err.msg, err.col)
			return
		}
		if kind == "" {
			l.failLine(line, "record", "is required: one of source, actor, place, event, topic, position, relation")
			return
		}
		if section, ok = records[kind]; !ok {
			l.failLine(line, "record", "%q is not one of source, actor, place, event, topic, position, relation", kind)
			return
		}
	}
	e := entry{l, origin{file: l.file, line: int32(line)}}
	switch section {
	case "sources":
		var in sourceIn
		if d.decode(&in) {
			e.source(&in)
		}
	case "actors":
		var in actorIn
		if d.decode(&in) {
			e.actor(&in)
		}
	case "places":
		var in placeIn
		if d.decode(&in) {
			e.place(&in)
		}
	case "events":
		var in eventIn
		if d.decode(&in) {
			e.event(&in)
		}
	case "topics":
		var in topicIn
		if d.decode(&in) {
			e.topic(&in)
		}
	case "positions":
		var in positionIn
		if d.decode(&in) {
			e.position(&in)
		}
	case "relations":
		var in relationIn
		if d.decode(&in) {
			e.relation(&in)
		}
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
