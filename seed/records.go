package seed

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"eventgraph/store"
)

// The entry types below are the seed format's fields (FORMAT.md), shared by both
// encodings: YAML entries are decoded into them by field name, JSON Lines records by
// encoding/json (the "record" field exists only there).

type sourceIn struct {
	Record      string `json:"record"`
	Key         string `json:"key"`
	Title       string `json:"title"`
	URL         string `json:"url"`
	Publisher   string `json:"publisher"`
	PublishedAt string `json:"publishedAt"`
	RetrievedAt string `json:"retrievedAt"`
	Language    string `json:"language"`
	Text        string `json:"text"`
	TextFile    string `json:"textFile"`
}

type actorIn struct {
	Record      string   `json:"record"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
}

type placeIn struct {
	Record      string   `json:"record"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
	Point       *pointIn `json:"point"`
}

type pointIn struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

type eventIn struct {
	Record      string   `json:"record"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Precision   string   `json:"precision"`
	Cameo       string   `json:"cameo"`
}

type topicIn struct {
	Record      string   `json:"record"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
}

type positionIn struct {
	Record    string       `json:"record"`
	Key       string       `json:"key"`
	Holder    string       `json:"holder"`
	Topic     string       `json:"topic"`
	Stance    string       `json:"stance"`
	Statement string       `json:"statement"`
	StatedAt  string       `json:"statedAt"`
	Cameo     string       `json:"cameo"`
	Evidence  []evidenceIn `json:"evidence"`
}

type relationIn struct {
	Record    string       `json:"record"`
	Type      string       `json:"type"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Role      string       `json:"role"`
	ValidFrom string       `json:"validFrom"`
	ValidTo   string       `json:"validTo"`
	Evidence  []evidenceIn `json:"evidence"`
}

type evidenceIn struct {
	Source       string   `json:"source"`
	Quote        string   `json:"quote"`
	Occurrence   *int     `json:"occurrence"`
	AttributedTo string   `json:"attributedTo"`
	Confidence   *float64 `json:"confidence"`
	Note         string   `json:"note"`
}

var (
	cameoPattern    = regexp.MustCompile(`^[0-9]{2,4}$`)
	languagePattern = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
)

// entry is one seed entry being converted: where it is and how to report on it.
type entry struct {
	l *loader
	o origin
}

func (e entry) fail(field, format string, a ...any) {
	e.l.failAt(e.o, field, store.ErrInvalid, format, a...)
}

func (e entry) required(field, v string) {
	if v == "" {
		e.fail(field, "is required")
	}
}

func (e entry) enum(field, v string, allowed []string) bool {
	if v == "" {
		e.fail(field, "is required")
		return false
	}
	if !slices.Contains(allowed, v) {
		e.fail(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
		return false
	}
	return true
}

func (e entry) key(v string) bool {
	switch {
	case v == "":
		e.fail("key", "is required")
	case !store.ValidKey(v):
		e.fail("key", "%q is not a valid key (lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, at most 128 characters)", v)
	default:
		return e.l.define(e.o, v)
	}
	return false
}

func (e entry) timeValue(field, v string) *timeValue {
	if v == "" {
		return nil
	}
	t, p, err := parseTime(v)
	if err != nil {
		e.fail(field, "%v", err)
		return nil
	}
	return &timeValue{t, p}
}

func (e entry) cameo(v string) {
	if v != "" && !cameoPattern.MatchString(v) {
		e.fail("cameo", "%q is not a CAMEO code (2 to 4 digits)", v)
	}
}

func (e entry) aliases(as []string) {
	for i, a := range as {
		field := fmt.Sprintf("aliases[%d]", i)
		if a == "" {
			e.fail(field, "is empty")
		} else if slices.Contains(as[:i], a) {
			e.fail(field, "%q is listed twice", a)
		}
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

var (
	actorKinds    = strs(store.ActorKinds)
	placeKinds    = strs(store.PlaceKinds)
	eventKinds    = strs(store.EventKinds)
	precisions    = strs(store.Precisions)
	stances       = strs(store.Stances)
	roles         = strs(store.Roles)
	relationTypes = func() []string {
		out := make([]string, 0, len(store.RelationTypes))
		for t := range store.RelationTypes {
			out = append(out, string(t))
		}
		slices.Sort(out)
		return out
	}()
)

func (e entry) source(in *sourceIn) {
	ok := e.key(in.Key)
	e.required("title", in.Title)
	src := &store.Source{ID: in.Key, Title: in.Title, URL: in.URL, Publisher: in.Publisher, Language: in.Language}
	if tv := e.timeValue("publishedAt", in.PublishedAt); tv != nil {
		src.PublishedAt = &tv.t
	}
	if tv := e.timeValue("retrievedAt", in.RetrievedAt); tv != nil {
		src.RetrievedAt = &tv.t
	}
	if src.Language == "" {
		src.Language = "en"
	} else if !languagePattern.MatchString(src.Language) {
		e.fail("language", "%q is not a BCP 47 language tag", src.Language)
	}
	switch {
	case in.Text != "" && in.TextFile != "":
		e.fail("textFile", "give text or textFile, not both")
	case in.Text != "":
		src.Text = in.Text
		if !utf8.ValidString(src.Text) {
			e.fail("text", "is not valid UTF-8")
		}
	case in.TextFile != "":
		b, err := e.l.readText(e.o, in.TextFile)
		if err != nil {
			e.fail("textFile", "%v", err)
		} else if len(b) == 0 {
			e.fail("textFile", "%s is empty", in.TextFile)
		} else if !utf8.Valid(b) {
			e.fail("textFile", "%s is not valid UTF-8", in.TextFile)
		} else {
			src.Text = string(b)
		}
	default:
		e.fail("text", "is required (or textFile)")
	}
	if ok && src.Text != "" {
		e.l.texts[src.ID] = newText(src.Text)
	}
	e.l.addNode(e.o, src)
}

func (e entry) actor(in *actorIn) {
	e.key(in.Key)
	e.required("name", in.Name)
	e.aliases(in.Aliases)
	e.enum("kind", in.Kind, actorKinds)
	e.l.addNode(e.o, &store.Actor{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: store.ActorKind(in.Kind)})
}

func (e entry) place(in *placeIn) {
	e.key(in.Key)
	e.required("name", in.Name)
	e.aliases(in.Aliases)
	e.enum("kind", in.Kind, placeKinds)
	p := &store.Place{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: store.PlaceKind(in.Kind)}
	if in.Point != nil {
		switch {
		case in.Point.Lat == nil:
			e.fail("point.lat", "is required")
		case in.Point.Lon == nil:
			e.fail("point.lon", "is required")
		case *in.Point.Lat < -90 || *in.Point.Lat > 90:
			e.fail("point.lat", "%v is outside [-90, 90]", *in.Point.Lat)
		case *in.Point.Lon < -180 || *in.Point.Lon > 180:
			e.fail("point.lon", "%v is outside [-180, 180]", *in.Point.Lon)
		default:
			p.Point = &store.Point{Lat: *in.Point.Lat, Lon: *in.Point.Lon}
		}
	}
	e.l.addNode(e.o, p)
}

func (e entry) event(in *eventIn) {
	e.key(in.Key)
	e.required("name", in.Name)
	e.aliases(in.Aliases)
	e.enum("kind", in.Kind, eventKinds)
	e.cameo(in.Cameo)
	ev := &store.Event{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: store.EventKind(in.Kind), Cameo: in.Cameo}
	start := e.timeValue("start", in.Start)
	if start != nil {
		ev.Start, ev.Precision = &start.t, start.p
	} else {
		ev.Precision = store.PrecisionUnknown
	}
	if end := e.timeValue("end", in.End); end != nil {
		ev.End = &end.t
		if start == nil && in.Start == "" {
			e.fail("end", "needs a start")
		} else if start != nil && end.t.Before(start.t) {
			e.fail("end", "is before start")
		}
	}
	if in.Precision != "" && e.enum("precision", in.Precision, precisions) {
		p := store.Precision(in.Precision)
		switch {
		case in.Start == "" && p != store.PrecisionUnknown:
			e.fail("precision", "must be UNKNOWN when there is no start")
		case in.Start != "" && p == store.PrecisionUnknown:
			e.fail("precision", "cannot be UNKNOWN when there is a start")
		default:
			ev.Precision = p
		}
	}
	e.l.addNode(e.o, ev)
}

func (e entry) topic(in *topicIn) {
	e.key(in.Key)
	e.required("name", in.Name)
	e.aliases(in.Aliases)
	e.l.addNode(e.o, &store.Topic{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description)})
}

func (e entry) base(key, name string, aliases []string, description string) store.EntityBase {
	return store.EntityBase{ID: key, Name: name, Aliases: aliases, Description: description}
}

func (e entry) position(in *positionIn) {
	e.key(in.Key)
	e.required("holder", in.Holder)
	e.required("topic", in.Topic)
	e.enum("stance", in.Stance, stances)
	e.cameo(in.Cameo)
	p := &store.Position{ID: in.Key, Holder: in.Holder, Topic: in.Topic, Stance: store.Stance(in.Stance), Statement: in.Statement, Cameo: in.Cameo}
	if tv := e.timeValue("statedAt", in.StatedAt); tv != nil {
		p.StatedAt = &tv.t
	}
	e.l.addNode(e.o, p)
	e.evidence(in.Key, in.Evidence)
}

func (e entry) relation(in *relationIn) {
	okType := e.enum("type", in.Type, relationTypes)
	e.required("from", in.From)
	e.required("to", in.To)
	rel := store.Relation{Type: store.RelationType(in.Type), From: in.From, To: in.To, Role: store.Role(in.Role)}
	if rel.Type == store.RelParticipatedIn {
		if rel.Role == "" {
			rel.Role = store.RoleParticipant // as the store defaults it; part of the id
		} else {
			e.enum("role", in.Role, roles)
		}
	} else if okType && in.Role != "" {
		e.fail("role", "only PARTICIPATED_IN relations have a role")
	}
	if tv := e.timeValue("validFrom", in.ValidFrom); tv != nil {
		rel.ValidFrom = &tv.t
	}
	if tv := e.timeValue("validTo", in.ValidTo); tv != nil {
		rel.ValidTo = &tv.t
		if rel.ValidFrom != nil && rel.ValidTo.Before(*rel.ValidFrom) {
			e.fail("validTo", "is before validFrom")
		}
	}
	rel.ID = store.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	e.l.addRelation(e.o, rel)
	e.evidence(rel.ID, in.Evidence)
}

func (e entry) evidence(subject string, evs []evidenceIn) {
	if len(evs) == 0 {
		e.l.failAt(e.o, "evidence", store.ErrEvidenceRequired, "at least one evidence record is required")
		return
	}
	for k := range evs {
		in := &evs[k]
		o := evOrigin{origin: e.o, k: int32(k)}
		o.line = int32(e.o.lineOf(evField(k, "")))
		field := func(name string) string { return evField(k, name) }
		e.required(field("source"), in.Source)
		e.required(field("quote"), in.Quote)
		if in.Occurrence != nil {
			if *in.Occurrence < 1 {
				e.fail(field("occurrence"), "%d is not a positive number", *in.Occurrence)
			} else {
				o.occurrence = int32(min(*in.Occurrence, 1<<30))
			}
		}
		var confidence float64
		if in.Confidence == nil {
			e.fail(field("confidence"), "is required")
		} else if confidence = *in.Confidence; !(confidence >= 0 && confidence <= 1) {
			e.fail(field("confidence"), "%v is outside [0, 1]", confidence)
		}
		e.l.addEvidence(o, store.Evidence{
			Subject:      subject,
			Source:       in.Source,
			Quote:        in.Quote,
			AttributedTo: in.AttributedTo,
			Confidence:   confidence,
			Method:       e.l.method,
			Note:         in.Note,
			Occurrence:   int(o.occurrence),
		})
	}
}

// evField names field name of the k-th evidence record ("evidence[2].quote"), or the
// record itself when name is empty.
func evField(k int, name string) string {
	s := "evidence[" + itoa(k) + "]"
	if name != "" {
		s += "." + name
	}
	return s
}

type timeValue struct {
	t time.Time
	p store.Precision
}

func itoa(i int) string { return strconv.Itoa(i) }
