package seed

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonDec decodes one JSON Lines record into an entry struct. It is a small
// hand-written decoder rather than encoding/json because bulk imports spend most of
// their parsing time here, and because it can name the full path of a field at fault
// ("evidence[0].confidence"), refuse unknown and repeated fields, and go on after a
// type error to report the next one.
type jsonDec struct {
	b     []byte
	i     int
	depth int        // arrays and objects open at the current position
	fails []lineFail // what is wrong with the line, in the order found
	bad   bool       // a field was refused; the record is not used
}

// maxJSONDepth bounds how deeply arrays and objects nest, as encoding/json does: the
// decoder recurses, and a line of a hundred million '[' would overflow the stack.
const maxJSONDepth = 10000

// enter opens an array or object, refusing one nested too deeply; leave closes it.
func (d *jsonDec) enter() *jsonSyntaxError {
	if d.depth++; d.depth > maxJSONDepth {
		return d.syntax("arrays and objects nested more than %d deep", maxJSONDepth)
	}
	return nil
}

func (d *jsonDec) leave() { d.depth-- }

// lineFail is a problem found in a line, reported when the line is applied.
type lineFail struct{ field, msg string }

func (d *jsonDec) report(field, format string, a ...any) {
	d.fails = append(d.fails, lineFail{field, fmt.Sprintf(format, a...)})
}

type jsonSyntaxError struct {
	col int
	msg string
}

func (d *jsonDec) syntax(format string, a ...any) *jsonSyntaxError {
	return &jsonSyntaxError{col: d.i + 1, msg: fmt.Sprintf(format, a...)}
}

// fail reports a field that cannot be used and skips its value.
func (d *jsonDec) fail(field, format string, a ...any) *jsonSyntaxError {
	d.bad = true
	d.report(field, format, a...)
	return d.skip()
}

func (d *jsonDec) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\r', '\n':
			d.i++
		default:
			return
		}
	}
}

// decode decodes the record into v (a pointer to an entry struct). It returns false
// when the record is malformed or a field was refused, having reported why.
func (d *jsonDec) decode(v any) bool {
	d.i, d.depth = 0, 0
	if err := d.value(reflect.ValueOf(v).Elem(), "", ""); err != nil {
		d.report("", "malformed JSON: %s at column %d", err.msg, err.col)
		return false
	}
	d.ws()
	if d.i < len(d.b) {
		d.report("", "malformed JSON: data after the object at column %d (one object per line)", d.i+1)
		return false
	}
	return !d.bad
}

// what names the JSON value starting at the current position, for type errors.
func (d *jsonDec) what() string {
	switch c := d.b[d.i]; {
	case c == '"':
		end := min(len(d.b), d.i+40)
		if s, _, ok := strings.Cut(string(d.b[d.i+1:end]), `"`); ok {
			return fmt.Sprintf("the string %q", s)
		}
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '-' || c >= '0' && c <= '9':
		j := d.i + 1
		for j < len(d.b) && strings.IndexByte("0123456789.eE+-", d.b[j]) >= 0 {
			j++
		}
		return "the number " + string(d.b[d.i:j])
	}
	return "something else"
}

// value decodes into v the value of field prefix+key (joined only when needed).
func (d *jsonDec) value(v reflect.Value, prefix, key string) *jsonSyntaxError {
	field := func() string { return prefix + key }
	d.ws()
	if d.i >= len(d.b) {
		return d.syntax("unexpected end of line")
	}
	c := d.b[d.i]
	if c == 'n' {
		return d.literal("null")
	}
	switch v.Kind() {
	case reflect.String:
		if c != '"' {
			return d.fail(field(), "want a string, got %s", d.what())
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Float64, reflect.Int:
		if c != '-' && (c < '0' || c > '9') {
			want := "a number"
			if v.Kind() == reflect.Int {
				want = "an integer"
			}
			return d.fail(field(), "want %s, got %s", want, d.what())
		}
		start := d.i
		float, err := d.number()
		if err != nil {
			return err
		}
		num := string(d.b[start:d.i])
		if v.Kind() == reflect.Int {
			n, perr := strconv.Atoi(num)
			if float || perr != nil {
				d.bad = true
				d.report(field(), "want an integer, got the number %s", num)
				return nil
			}
			v.SetInt(int64(n))
			return nil
		}
		f, perr := strconv.ParseFloat(num, 64)
		if perr != nil {
			d.bad = true
			d.report(field(), "the number %s is out of range", num)
			return nil
		}
		v.SetFloat(f)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := d.value(p.Elem(), prefix, key); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		if c != '[' {
			return d.fail(field(), "want an array, got %s", d.what())
		}
		if err := d.enter(); err != nil {
			return err
		}
		defer d.leave()
		d.i++
		s := reflect.MakeSlice(v.Type(), 0, 1)
		for n := 0; ; n++ {
			d.ws()
			if n == 0 && d.i < len(d.b) && d.b[d.i] == ']' {
				d.i++
				break
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			if err := d.value(elem, field()+"["+strconv.Itoa(n)+"]", ""); err != nil {
				return err
			}
			s = reflect.Append(s, elem)
			d.ws()
			if d.i >= len(d.b) {
				return d.syntax("unexpected end of line in an array")
			}
			if d.b[d.i] == ']' {
				d.i++
				break
			}
			if d.b[d.i] != ',' {
				return d.syntax("want ',' or ']' after an array element, got %q", d.b[d.i])
			}
			d.i++
		}
		v.Set(s)
	case reflect.Struct:
		if c != '{' {
			if prefix+key == "" {
				return d.syntax("want an object, got %s", d.what())
			}
			return d.fail(field(), "want an object, got %s", d.what())
		}
		return d.object(v, field())
	default:
		panic("seed: cannot decode into " + v.Type().String())
	}
	return nil
}

func (d *jsonDec) object(v reflect.Value, field string) *jsonSyntaxError {
	if err := d.enter(); err != nil {
		return err
	}
	defer d.leave()
	fs := jsonFieldsOf(v.Type(), field == "")
	prefix := ""
	if field != "" {
		prefix = field + "."
	}
	var seen uint64
	d.i++ // '{'
	for n := 0; ; n++ {
		d.ws()
		if d.i >= len(d.b) {
			return d.syntax("unexpected end of line in an object")
		}
		if n == 0 && d.b[d.i] == '}' {
			d.i++
			return nil
		}
		if d.b[d.i] != '"' {
			return d.syntax("want a field name, got %q", d.b[d.i])
		}
		raw, err := d.key()
		if err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return d.syntax("want ':' after field name %q", raw)
		}
		d.i++
		d.ws()
		if d.i >= len(d.b) {
			return d.syntax("unexpected end of line")
		}
		n, idx := fs.lookup(string(raw))
		switch {
		case idx < 0:
			err = d.fail(prefix+string(raw), "unknown field; want one of %s", strings.Join(fs.names, ", "))
		case seen&(1<<n) != 0:
			err = d.fail(prefix+string(raw), "given twice")
		default:
			seen |= 1 << n
			err = d.value(v.Field(idx), prefix, fs.names[n])
		}
		if err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) {
			return d.syntax("unexpected end of line in an object")
		}
		if d.b[d.i] == '}' {
			d.i++
			return nil
		}
		if d.b[d.i] != ',' {
			return d.syntax("want ',' or '}' after a field, got %q", d.b[d.i])
		}
		d.i++
	}
}

// key reads a field name: its raw bytes when it has no escapes.
func (d *jsonDec) key() ([]byte, *jsonSyntaxError) {
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], nil
		case c == '\\' || c < 0x20:
			s, err := d.str()
			return []byte(s), err
		}
	}
	d.i = len(d.b)
	return nil, d.syntax("unterminated string")
}

// str decodes the string at the current position.
func (d *jsonDec) str() (string, *jsonSyntaxError) {
	d.i++ // '"'
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.b[start:d.i]
			d.i++
			return string(raw), nil
		case c == '\\':
			return d.strEscaped(start)
		case c < 0x20:
			return "", d.syntax("control character in a string")
		}
		d.i++
	}
	return "", d.syntax("unterminated string")
}

func (d *jsonDec) strEscaped(start int) (string, *jsonSyntaxError) {
	out := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return string(out), nil
		case c < 0x20:
			return "", d.syntax("control character in a string")
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			break
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.syntax(`bad \u escape`)
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if d.i+1 < len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
					save := d.i
					d.i += 2
					if lo, ok := d.hex4(); ok {
						if dec := utf16.DecodeRune(r, lo); dec != utf8.RuneError {
							r2 = dec
						} else {
							d.i = save
						}
					} else {
						d.i = save
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
		default:
			d.i--
			return "", d.syntax("bad escape \\%c", e)
		}
	}
	return "", d.syntax("unterminated string")
}

func (d *jsonDec) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}

// number scans a JSON number, reporting whether it has a fraction or exponent.
func (d *jsonDec) number() (float bool, err *jsonSyntaxError) {
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.b[d.i] == '-' {
		d.i++
	}
	start := d.i
	if n := digits(); n == 0 || n > 1 && d.b[start] == '0' {
		return false, d.syntax("malformed number")
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		float = true
		if digits() == 0 {
			return false, d.syntax("malformed number")
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		float = true
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return false, d.syntax("malformed number")
		}
	}
	return float, nil
}

func (d *jsonDec) literal(word string) *jsonSyntaxError {
	if !strings.HasPrefix(string(d.b[d.i:min(len(d.b), d.i+len(word))]), word) {
		return d.syntax("unexpected %q", d.b[d.i])
	}
	d.i += len(word)
	return nil
}

// skip passes over one value, checking its syntax.
func (d *jsonDec) skip() *jsonSyntaxError {
	d.ws()
	if d.i >= len(d.b) {
		return d.syntax("unexpected end of line")
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, err := d.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		_, err := d.number()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '[' || c == '{':
		closer := byte(']')
		if c == '{' {
			closer = '}'
		}
		if err := d.enter(); err != nil {
			return err
		}
		defer d.leave()
		d.i++
		for n := 0; ; n++ {
			d.ws()
			if d.i >= len(d.b) {
				return d.syntax("unexpected end of line")
			}
			if n == 0 && d.b[d.i] == closer {
				d.i++
				return nil
			}
			if c == '{' {
				if d.b[d.i] != '"' {
					return d.syntax("want a field name, got %q", d.b[d.i])
				}
				if _, err := d.str(); err != nil {
					return err
				}
				d.ws()
				if d.i >= len(d.b) || d.b[d.i] != ':' {
					return d.syntax("want ':' after a field name")
				}
				d.i++
			}
			if err := d.skip(); err != nil {
				return err
			}
			d.ws()
			if d.i >= len(d.b) {
				return d.syntax("unexpected end of line")
			}
			if d.b[d.i] == closer {
				d.i++
				return nil
			}
			if d.b[d.i] != ',' {
				return d.syntax("want ',' or %q, got %q", closer, d.b[d.i])
			}
			d.i++
		}
	}
	return d.syntax("unexpected %q", d.b[d.i])
}

// recordOf finds the "record" field of a line not written the machine way.
func (d *jsonDec) recordOf() (string, *jsonSyntaxError) {
	d.i, d.depth = 0, 1 // inside the line's object, as decode counts it
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != '{' {
		if d.i >= len(d.b) {
			return "", d.syntax("unexpected end of line")
		}
		return "", d.syntax("want an object, got %s", d.what())
	}
	record := ""
	d.i++
	for n := 0; ; n++ {
		d.ws()
		if d.i >= len(d.b) {
			return "", d.syntax("unexpected end of line in an object")
		}
		if n == 0 && d.b[d.i] == '}' {
			return record, nil
		}
		if d.b[d.i] != '"' {
			return "", d.syntax("want a field name, got %q", d.b[d.i])
		}
		key, err := d.str()
		if err != nil {
			return "", err
		}
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return "", d.syntax("want ':' after field name %q", key)
		}
		d.i++
		d.ws()
		if key == "record" && d.i < len(d.b) && d.b[d.i] == '"' {
			if record, err = d.str(); err != nil {
				return "", err
			}
		} else if err := d.skip(); err != nil {
			return "", err
		}
		d.ws()
		if d.i >= len(d.b) {
			return "", d.syntax("unexpected end of line in an object")
		}
		if d.b[d.i] == '}' {
			return record, nil
		}
		if d.b[d.i] != ',' {
			return "", d.syntax("want ',' or '}' after a field, got %q", d.b[d.i])
		}
		d.i++
	}
}

var jsonFieldCache sync.Map // reflect.Type → *fieldSet

// jsonFieldsOf is yamlFields plus, for a record (top), the "record" field.
func jsonFieldsOf(t reflect.Type, top bool) *fieldSet {
	if !top {
		return yamlFields(t)
	}
	if fs, ok := jsonFieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	y := yamlFields(t)
	fs := &fieldSet{names: append([]string{"record"}, y.names...), index: append([]int{-1}, y.index...)}
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == "record" {
			fs.index[0] = i
		}
	}
	jsonFieldCache.Store(t, fs)
	return fs
}
