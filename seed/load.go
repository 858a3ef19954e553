package seed

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
)

// Options control loading and importing.
type Options struct {
	// DryRun makes Import validate everything against the store without writing.
	DryRun bool
	// Progress receives a line of counts and rates every 100,000 items parsed and a
	// summary of each phase; nil is silent.
	Progress io.Writer
	// MaxTextFileBytes bounds a source's textFile; 0 means DefaultMaxTextFileBytes.
	MaxTextFileBytes int64
	// MaxLineBytes bounds a line of a JSON Lines file, its newline included; 0 means
	// DefaultMaxLineBytes.
	MaxLineBytes int
	// PartItems is how many nodes or relations ImportFiles checks and plans at a
	// time; 0 means DefaultPartItems.
	PartItems int
}

// Limits on what a seed file can make the loader read, so that a hostile or broken
// file fails fast in bounded memory.
const (
	// DefaultMaxTextFileBytes bounds a textFile: 64 MiB, hundreds of times a long
	// report.
	DefaultMaxTextFileBytes = 64 << 20
	// DefaultMaxLineBytes bounds a JSON Lines line: 128 MiB, room for a source whose
	// text is as long as a textFile may be, written inline with its escapes (as
	// export writes it).
	DefaultMaxLineBytes = 128 << 20
	// DefaultPartItems is how many nodes or relations ImportFiles holds at a time:
	// 65,536, about 50 MB of relations parsed.
	DefaultPartItems = 1 << 16
	// partTextBytes is how many bytes of sources' texts ImportFiles holds at a time.
	partTextBytes = 64 << 20
)

func (o Options) maxTextFileBytes() int64 {
	if o.MaxTextFileBytes > 0 {
		return o.MaxTextFileBytes
	}
	return DefaultMaxTextFileBytes
}

func (o Options) partItems() int {
	if o.PartItems > 0 {
		return o.PartItems
	}
	return DefaultPartItems
}

func (o Options) maxLineBytes() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

// Set is a parsed seed: one store.Batch plus where each of its items came from.
type Set struct {
	// Batch is what Import writes. Evidence offsets are left nil for the store to
	// place every quote in its source's text (Evidence.Occurrence says which
	// occurrence); they stay nil when the store holds no text for the source.
	Batch store.Batch

	files []string
	texts []TextFile
	nodes []origin   // parallel to Batch.Nodes
	rels  []origin   // parallel to Batch.Relations
	evs   []evOrigin // parallel to Batch.Evidence
}

// origin is where a batch item was written: a YAML entry or a JSON Lines record.
type origin struct {
	file  int32
	line  int32
	lines map[string]int32 // YAML only: line of each field, by field path
}

// lineOf returns the line of field ("evidence[2].quote"), falling back to the line of
// the evidence record it is in, then to the entry's line.
func (o origin) lineOf(field string) int {
	if o.lines != nil && field != "" {
		if ln, ok := o.lines[field]; ok {
			return int(ln)
		}
		if i := strings.IndexByte(field, '.'); i > 0 {
			if ln, ok := o.lines[field[:i]]; ok {
				return int(ln)
			}
		}
	}
	return int(o.line)
}

// evOrigin is where an evidence record was written: its entry, and its place in the
// entry's evidence list.
type evOrigin struct {
	origin
	k int32 // index in the entry's evidence list
}

// Files returns the files the set was loaded from, in order.
func (s *Set) Files() []string { return s.files }

// TextFile is a file a source's text was read from (its textFile), each one listed
// once per seed file that names it. Whoever loads the seed files again elsewhere, as
// a server does the files it is sent, needs these beside them.
type TextFile struct {
	// Seed is the index in Files of the seed file that names it.
	Seed int
	// Name is the textFile as the seed file gives it, cleaned (path.Clean): a
	// slash-separated path inside the seed file's folder.
	Name string
	// Path is where it was read: a path in the operating system's file system after
	// LoadFiles, in the fs.FS after Load.
	Path string
}

// TextFiles returns the text files the set's sources were read from, in the order
// they were read.
func (s *Set) TextFiles() []TextFile { return s.texts }

// Counts returns how many nodes, relations and evidence records the set holds.
func (s *Set) Counts() (nodes, relations, evidence int) {
	return len(s.Batch.Nodes), len(s.Batch.Relations), len(s.Batch.Evidence)
}

// Locate turns an error the store reported about s.Batch into an Error at the file,
// line and field the offending item came from.
func (s *Set) Locate(e *domain.Error) *Error {
	out := &Error{Message: e.Message, Kind: e.Kind, Field: e.Field}
	var o origin
	field := e.Field
	switch {
	case strings.HasPrefix(e.Item, "nodes[") && e.Index >= 0 && e.Index < len(s.nodes):
		o = s.nodes[e.Index]
		if field == "id" {
			field = "key"
		}
	case strings.HasPrefix(e.Item, "relations[") && e.Index >= 0 && e.Index < len(s.rels):
		o = s.rels[e.Index]
	case strings.HasPrefix(e.Item, "evidence[") && e.Index >= 0 && e.Index < len(s.evs):
		ev := s.evs[e.Index]
		o = ev.origin
		switch field {
		case "subject", "method", "id", "": // derived, or the record as a whole
			field = evField(int(ev.k), "")
		default: // quote, source, occurrence, confidence, …: as the seed names them
			field = evField(int(ev.k), field)
		}
	default:
		if e.Item != "" {
			out.Message = e.Item + ": " + out.Message
		}
		return out
	}
	out.File, out.Field, out.Line = s.files[o.file], field, o.lineOf(field)
	return out
}

// Load parses seed files from fsys (YAML: .yaml, .yml; JSON Lines: .jsonl) into one
// Set. It reports every problem it finds as an *ErrorList.
func Load(fsys fs.FS, files ...string) (*Set, error) { return Options{}.Load(fsys, files...) }

// LoadFiles is Load for paths in the operating system's file system.
func LoadFiles(paths ...string) (*Set, error) { return Options{}.LoadFiles(paths...) }

// Load is the package's Load, reporting progress to o.Progress.
func (o Options) Load(fsys fs.FS, files ...string) (*Set, error) {
	l := newLoader(o)
	l.open = func(name string) (io.ReadCloser, error) { return fsys.Open(name) }
	l.folder = func(file string) (fs.FS, func(string) string, error) {
		dir := path.Dir(file)
		sub, err := fs.Sub(fsys, dir)
		return sub, func(name string) string { return path.Join(dir, name) }, err
	}
	return l.load(files)
}

// LoadFiles is the package's LoadFiles, reporting progress to o.Progress. It reads
// text files through an os.Root of each seed file's folder, so that the operating
// system itself keeps them inside it, symbolic links included.
func (o Options) LoadFiles(paths ...string) (*Set, error) {
	l := newLoader(o)
	l.open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	defer l.rootFolders()()
	return l.load(paths)
}

// rootFolders has l read text files through an os.Root of each seed file's folder, so
// that the operating system itself keeps them inside it, symbolic links included. It
// returns what closes the roots.
func (l *loader) rootFolders() (closeRoots func()) {
	roots := map[string]*os.Root{}
	l.folder = func(file string) (fs.FS, func(string) string, error) {
		dir := filepath.Dir(file)
		shown := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
		r, ok := roots[dir]
		if !ok {
			var err error
			if r, err = os.OpenRoot(dir); err != nil {
				return nil, shown, err
			}
			roots[dir] = r
		}
		return r.FS(), shown, nil
	}
	return func() {
		for _, r := range roots {
			r.Close()
		}
	}
}

type keyDef struct{ file, line int32 }

type loader struct {
	opt  Options
	open func(name string) (io.ReadCloser, error)
	// folder returns the folder of a seed file, where its text files are, and how to
	// show a path in it.
	folder func(file string) (fsys fs.FS, shown func(name string) string, err error)

	set    *Set
	errs   collector
	file   int32                         // index of the file being read
	method string                        // "seed:" + its base name
	keys   map[domain.Fingerprint]keyDef // by their fingerprints (fp)
	fp     domain.Fingerprinter

	// The batch and its origins are built in chunks, so that a large import is not
	// copied over and over as it grows.
	nodes     chunks[domain.Node]
	nodeAt    chunks[origin]
	rels      chunks[domain.Relation]
	relAt     chunks[origin]
	evs       chunks[domain.Evidence]
	evAt      chunks[evOrigin]
	relByHash map[uint64]int32 // first 64 bits of a relation id → index in rels
	relByID   map[string]int32 // relation ids whose first 64 bits are taken

	// An import streamed from files (Options.ImportFiles) reads them in phases and
	// hands what it reads to part a part at a time.
	phase     phase
	part      func(*Set) error
	partErr   error // part's error, which ends the reading
	partText  int   // bytes of sources' texts read since the last part
	relations int   // relations read, all parts together

	start time.Time
	items int
	next  int
}

const progressEvery = 100_000

// phase is which records a reading of the files takes. A streamed import reads them
// in the phases from phaseEntities on, so that every record a record refers to is
// read in an earlier phase or the same part (a position's evidence), save a source's
// copy of a later source (store.Importing resolves that).
type phase uint8

const (
	phaseAll      phase = iota // every record
	phaseEntities              // actors, places, events, topics
	phaseSources
	phaseClaims // positions and relations
	phaseEnd
)

// takes reports whether the phase takes records of section ("" when a line names
// none it can read).
func (p phase) takes(section string) bool {
	switch p {
	case phaseEntities:
		return section == "" || section == "actors" || section == "places" || section == "events" || section == "topics"
	case phaseSources:
		return section == "sources"
	case phaseClaims:
		return section == "positions" || section == "relations"
	}
	return true
}

// first reports whether the phase is the first reading of the files, which reports
// what is wrong with a file as a whole or with a line of no section.
func (p phase) first() bool { return p == phaseAll || p == phaseEntities }

func newLoader(o Options) *loader {
	return &loader{
		opt: o, set: &Set{}, errs: collector{files: map[string]int{}}, keys: map[domain.Fingerprint]keyDef{}, fp: domain.NewFingerprinter(),
		relByHash: map[uint64]int32{}, relByID: map[string]int32{},
		start: time.Now(), next: progressEvery,
	}
}

func (l *loader) load(files []string) (*Set, error) {
	l.read(files)
	set := l.take()
	if err := l.errs.err(); err != nil {
		return nil, err
	}
	if l.opt.Progress != nil {
		n, r, e := set.Counts()
		d := time.Since(l.start)
		fmt.Fprintf(l.opt.Progress, "seed: loaded %d file%s: %d nodes, %d relations, %d evidence in %s (%s items/s)\n",
			len(files), plural(len(files)), n, r, e, d.Round(time.Millisecond), rate(l.items, d))
	}
	return set, nil
}

// stream reads files once for each phase and hands what they hold to part, a Set of
// at most Options.PartItems nodes and relations (or 64 MB of sources' texts) at a
// time. Problems the reading finds are collected in l.errs as load collects them;
// once there are any, part is called no more. It returns the first error of part.
func (l *loader) stream(files []string, part func(*Set) error) error {
	l.part = part
	for l.phase = phaseEntities; l.phase < phaseEnd && l.partErr == nil; l.phase++ {
		l.read(files)
		l.flush()
	}
	l.keys = nil // every key is read: the store's commit may use the memory
	return l.partErr
}

// full reports whether a streamed import has read a part.
func (l *loader) full() bool {
	return l.part != nil && (l.nodes.n+l.rels.n >= l.opt.partItems() || l.partText >= partTextBytes)
}

// flush hands l.part what has been read since the last flush, unless the reading
// found a problem or part failed before.
func (l *loader) flush() {
	set := l.take()
	if l.partErr == nil && l.errs.count() == 0 {
		l.partErr = l.part(set)
	}
}

// read reads files, in the loader's phase.
func (l *loader) read(files []string) {
	first := len(l.set.files) == 0
	for i, f := range files {
		l.file = int32(i)
		if first {
			l.set.files = append(l.set.files, f)
			if _, ok := l.errs.files[f]; !ok {
				l.errs.files[f] = i
			}
		}
		l.method = "seed:" + path.Base(filepath.ToSlash(f))
		switch ext := strings.ToLower(path.Ext(f)); {
		case ext == ".jsonl":
			l.jsonlFile(f)
		case ext == ".yaml" || ext == ".yml":
			l.yamlFile(f)
		case l.phase.first():
			l.errs.add(&Error{File: f, Message: fmt.Sprintf("unknown file type %q: want .yaml, .yml or .jsonl", ext)})
		}
	}
}

// take returns what has been read since the last take as a Set, and lets go of it.
func (l *loader) take() *Set {
	set := &Set{files: l.set.files, texts: l.set.texts,
		Batch: store.Batch{Nodes: l.nodes.flatten(), Relations: l.rels.flatten(), Evidence: l.evs.flatten()},
		nodes: l.nodeAt.flatten(), rels: l.relAt.flatten(), evs: l.evAt.flatten()}
	l.nodes, l.rels, l.evs = chunks[domain.Node]{}, chunks[domain.Relation]{}, chunks[domain.Evidence]{}
	l.nodeAt, l.relAt, l.evAt = chunks[origin]{}, chunks[origin]{}, chunks[evOrigin]{}
	clear(l.relByHash)
	clear(l.relByID)
	l.partText = 0
	return set
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func rate(n int, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(n)/d.Seconds())
}

// tick counts a parsed entry and reports progress.
func (l *loader) tick() {
	l.items++
	if l.items >= l.next {
		l.next += progressEvery
		if l.opt.Progress != nil {
			d := time.Since(l.start)
			fmt.Fprintf(l.opt.Progress, "seed: parsed %d items (%d relations) in %s, %s items/s\n",
				l.items, l.relations, d.Round(time.Millisecond), rate(l.items, d))
		}
	}
}

func (l *loader) fileName() string { return l.set.files[l.file] }

func (l *loader) failAt(o origin, field string, kind error, format string, a ...any) {
	l.errs.add(&Error{File: l.set.files[o.file], Line: o.lineOf(field), Field: field, Message: fmt.Sprintf(format, a...), Kind: kind})
}

// failFile reports a problem with a file as a whole, in the first phase of reading it.
func (l *loader) failFile(e *Error) {
	if l.phase.first() {
		l.errs.add(e)
	}
}

// failStructure is failLine for a problem with a file's structure rather than with an
// entry, reported in the first phase of reading it.
func (l *loader) failStructure(line int, field, format string, a ...any) {
	if l.phase.first() {
		l.failLine(line, field, format, a...)
	}
}

// failLine reports a problem at a line of the file being read.
func (l *loader) failLine(line int, field, format string, a ...any) {
	l.errs.add(&Error{File: l.fileName(), Line: line, Field: field, Message: fmt.Sprintf(format, a...)})
}

func (l *loader) readAll(name string) ([]byte, error) {
	f, err := l.open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// readText reads a source's textFile: a regular file of at most MaxTextFileBytes in
// the folder of the seed file at o, named by a path relative to it that does not lead
// out of it, not even through a symbolic link.
func (l *loader) readText(o origin, rel string) ([]byte, error) {
	if path.IsAbs(rel) || filepath.IsAbs(rel) {
		return nil, fmt.Errorf("%q is an absolute path; give a path relative to the seed file's folder", rel)
	}
	fsys, shown, err := l.folder(l.set.files[o.file])
	if err != nil {
		return nil, fmt.Errorf("cannot read the seed file's folder: %v", err)
	}
	name, err := inFolder(fsys, rel)
	if err != nil {
		return nil, err
	}
	limit := l.opt.maxTextFileBytes()
	// Checked before opening too: opening a named pipe would wait for a writer.
	if err := textFileFits(fsys, name, shown, limit); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", shown(name), pathErr(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", shown(name), pathErr(err))
	}
	if err := fits(fi, shown(name), limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1)) // the file may have grown since
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", shown(name), pathErr(err))
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge(shown(name), limit)
	}
	t := TextFile{Seed: int(o.file), Name: path.Clean(rel), Path: shown(name)}
	if !slices.Contains(l.set.texts, t) {
		l.set.texts = append(l.set.texts, t)
	}
	return b, nil
}

// textFileFits checks, before it is opened, that the file name in fsys is a regular
// file of at most limit bytes.
func textFileFits(fsys fs.FS, name string, shown func(string) string, limit int64) error {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", shown(name), pathErr(err))
	}
	return fits(fi, shown(name), limit)
}

func fits(fi fs.FileInfo, shown string, limit int64) error {
	switch {
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", shown)
	case fi.Size() > limit:
		return errTooLarge(shown, limit)
	}
	return nil
}

func errTooLarge(shown string, limit int64) error {
	return fmt.Errorf("%s is larger than %s, the most a text file may hold", shown, byteSize(limit))
}

// pathErr is what went wrong with a file, without the path an fs.PathError repeats.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxSymlinks bounds the symbolic links followed to resolve one path, as operating
// systems do, so that a loop of links ends.
const maxSymlinks = 40

// inFolder resolves rel, a slash-separated path relative to the root of fsys, into the
// name of a file inside fsys: it follows symbolic links (where fsys can read them)
// component by component and refuses a path that leads out of the root through ".."
// or through a link.
func inFolder(fsys fs.FS, rel string) (string, error) {
	var done []string
	todo := strings.Split(rel, "/")
	for links := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 && links > 0 {
				return "", fmt.Errorf("%q leads out of the seed file's folder through a symbolic link", rel)
			}
			if len(done) == 0 {
				return "", fmt.Errorf("%q leads out of the seed file's folder", rel)
			}
			done = done[:len(done)-1]
			continue
		}
		name := path.Join(append(done, c)...)
		fi, err := fs.Lstat(fsys, name)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			// What cannot be looked at is named as it is, for Open to say what is wrong.
			done = append(done, c)
			continue
		}
		if links++; links > maxSymlinks {
			return "", fmt.Errorf("%q passes through more than %d symbolic links", rel, maxSymlinks)
		}
		target, err := fs.ReadLink(fsys, name)
		if err != nil {
			return "", fmt.Errorf("cannot read the symbolic link %s: %v", name, pathErr(err))
		}
		if path.IsAbs(target) || filepath.IsAbs(target) {
			return "", fmt.Errorf("%q leads out of the seed file's folder: %s is a symbolic link to %s", rel, name, target)
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// byteSize writes n bytes in the largest binary unit that divides it.
func byteSize(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// define records a node key, refusing one defined before: the store would take a key
// given twice alike as one node, but in a seed it is two entries meant to differ. Whether
// a key is given and valid is the store's to say, as for every rule of the model.
func (l *loader) define(o origin, key string) {
	if key == "" {
		return
	}
	fp := l.fp.Of(key)
	if prev, dup := l.keys[fp]; dup {
		l.failAt(o, "key", domain.ErrInvalid, "%q is already defined at %s:%d", key, l.set.files[prev.file], prev.line)
		return
	}
	l.keys[fp] = keyDef{o.file, o.line}
}

func (l *loader) addNode(o origin, n domain.Node) {
	l.nodes.add(n)
	l.nodeAt.add(o)
	if s, ok := n.(*domain.Source); ok {
		l.partText += len(s.Text)
	}
}

// addRelation adds rel, or merges it with the same relation (same type, ends and role)
// stated before, whose evidence it then adds to.
func (l *loader) addRelation(o origin, rel domain.Relation) {
	if i, dup := l.relIndex(rel.ID); dup {
		prev := l.rels.at(int(i))
		if !sameTime(prev.ValidFrom, rel.ValidFrom) || !sameTime(prev.ValidTo, rel.ValidTo) {
			po := l.relAt.at(int(i))
			l.failAt(o, "validFrom", domain.ErrInvalid, "the same %s relation from %q to %q is stated at %s:%d with a different validFrom or validTo",
				rel.Type, rel.From, rel.To, l.set.files[po.file], po.line)
		}
		return
	}
	i := int32(l.rels.n)
	if h, ok := idHash(rel.ID); !ok {
		l.relByID[rel.ID] = i
	} else if _, taken := l.relByHash[h]; taken {
		l.relByID[rel.ID] = i
	} else {
		l.relByHash[h] = i
	}
	l.rels.add(rel)
	l.relAt.add(o)
	l.relations++
}

// relIndex finds a relation added before by its id.
func (l *loader) relIndex(id string) (int32, bool) {
	h, ok := idHash(id)
	if !ok {
		i, ok := l.relByID[id]
		return i, ok
	}
	i, ok := l.relByHash[h]
	if !ok {
		return 0, false
	}
	if l.rels.at(int(i)).ID == id {
		return i, true
	}
	i, ok = l.relByID[id]
	return i, ok
}

// idHash is the first 64 bits of the hash in a relation id ("rel:" + hex).
func idHash(id string) (uint64, bool) {
	const prefix = "rel:"
	if len(id) < len(prefix)+16 || id[:len(prefix)] != prefix {
		return 0, false
	}
	h, err := strconv.ParseUint(id[len(prefix):len(prefix)+16], 16, 64)
	return h, err == nil
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func (l *loader) addEvidence(o evOrigin, ev domain.Evidence) {
	l.evs.add(ev)
	l.evAt.add(o)
}

// chunks is a slice built in fixed-size pieces.
type chunks[T any] struct {
	parts [][]T
	n     int
}

const chunkSize = 1 << 14

func (c *chunks[T]) add(v T) {
	if c.n%chunkSize == 0 {
		c.parts = append(c.parts, make([]T, 0, chunkSize))
	}
	last := &c.parts[len(c.parts)-1]
	*last = append(*last, v)
	c.n++
}

func (c *chunks[T]) at(i int) *T { return &c.parts[i/chunkSize][i%chunkSize] }

func (c *chunks[T]) flatten() []T {
	out := make([]T, 0, c.n)
	for _, p := range c.parts {
		out = append(out, p...)
	}
	c.parts = nil
	return out
}
