package seed

import (
	"strconv"
	"time"
	"unicode/utf8"

	"eventgraph/store/domain"
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
	CopyOf      string `json:"copyOf"`
}

type actorIn struct {
	Record      string   `json:"record"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
	Reliability string   `json:"reliability"`
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
	ValidFrom string       `json:"validFrom"`
	ValidTo   string       `json:"validTo"`
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
	Stance       string   `json:"stance"`
	Credibility  int      `json:"credibility"`
	Method       string   `json:"method"`
	RecordedAt   string   `json:"recordedAt"`
}

// entry is one seed entry being converted: where it is and how to report on it.
type entry struct {
	l *loader
	o origin
}

func (e entry) fail(field, format string, a ...any) {
	e.l.failAt(e.o, field, domain.ErrInvalid, format, a...)
}

// period reads the time v of field; nil when v is empty or does not parse (reported).
func (e entry) period(field, v string) *domain.Period {
	if v == "" {
		return nil
	}
	p, err := domain.ParsePeriod(v)
	if err != nil {
		e.fail(field, "%v", err)
		return nil
	}
	return &p
}

// moment reads the time v of field as the moment stored: the start of its period.
func (e entry) moment(field, v string) *time.Time {
	if p := e.period(field, v); p != nil {
		return &p.Start
	}
	return nil
}

func (e entry) source(in *sourceIn) {
	e.l.define(e.o, in.Key)
	src := &domain.Source{ID: in.Key, Title: in.Title, URL: in.URL, Publisher: in.Publisher, Language: in.Language, CopyOf: in.CopyOf}
	src.PublishedAt = e.moment("publishedAt", in.PublishedAt)
	src.RetrievedAt = e.moment("retrievedAt", in.RetrievedAt)
	if src.Language == "" {
		src.Language = "en"
	}
	switch {
	case in.Text != "" && in.TextFile != "":
		e.fail("textFile", "give text or textFile, not both")
	case in.Text != "":
		src.Text = in.Text
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
	e.l.addNode(e.o, src)
}

func (e entry) actor(in *actorIn) {
	e.l.define(e.o, in.Key)
	e.l.addNode(e.o, &domain.Actor{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: domain.ActorKind(in.Kind),
		Reliability: domain.Reliability(in.Reliability)})
}

func (e entry) place(in *placeIn) {
	e.l.define(e.o, in.Key)
	p := &domain.Place{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: domain.PlaceKind(in.Kind)}
	if in.Point != nil {
		// A coordinate left out cannot be told from 0 once in a store.Point.
		switch {
		case in.Point.Lat == nil:
			e.fail("point.lat", "is required")
		case in.Point.Lon == nil:
			e.fail("point.lon", "is required")
		default:
			p.Point = &domain.Point{Lat: *in.Point.Lat, Lon: *in.Point.Lon}
		}
	}
	e.l.addNode(e.o, p)
}

func (e entry) event(in *eventIn) {
	e.l.define(e.o, in.Key)
	ev := &domain.Event{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description), Kind: domain.EventKind(in.Kind),
		Precision: domain.Precision(in.Precision), Cameo: in.Cameo}
	start := e.period("start", in.Start)
	if start != nil {
		ev.Start = &start.Start
	}
	precision, err := domain.EventPrecision(ev.Precision, start)
	if err != nil {
		e.fail("precision", "%v", err)
	}
	ev.Precision = precision
	ev.End = e.moment("end", in.End)
	e.l.addNode(e.o, ev)
}

func (e entry) topic(in *topicIn) {
	e.l.define(e.o, in.Key)
	e.l.addNode(e.o, &domain.Topic{EntityBase: e.base(in.Key, in.Name, in.Aliases, in.Description)})
}

func (e entry) base(key, name string, aliases []string, description string) domain.EntityBase {
	return domain.EntityBase{ID: key, Name: name, Aliases: aliases, Description: description}
}

func (e entry) position(in *positionIn) {
	e.l.define(e.o, in.Key)
	p := &domain.Position{ID: in.Key, Holder: in.Holder, Topic: in.Topic, Stance: domain.Stance(in.Stance), Statement: in.Statement, Cameo: in.Cameo}
	p.StatedAt = e.moment("statedAt", in.StatedAt)
	p.ValidFrom = e.moment("validFrom", in.ValidFrom)
	p.ValidTo = e.moment("validTo", in.ValidTo)
	e.l.addNode(e.o, p)
	e.evidence(in.Key, in.Evidence)
}

func (e entry) relation(in *relationIn) {
	rel := domain.Relation{Type: domain.RelationType(in.Type), From: in.From, To: in.To, Role: domain.Role(in.Role)}
	if rel.Type == domain.RelParticipatedIn && rel.Role == "" {
		rel.Role = domain.RoleParticipant // as the store defaults it; part of the id
	}
	rel.ValidFrom = e.moment("validFrom", in.ValidFrom)
	rel.ValidTo = e.moment("validTo", in.ValidTo)
	rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	e.l.addRelation(e.o, rel)
	e.evidence(rel.ID, in.Evidence)
}

// evidence adds the entry's evidence records for subject. The store places each quote
// in its source's text (using the occurrence given) and refuses a subject left without
// evidence.
func (e entry) evidence(subject string, evs []evidenceIn) {
	for k := range evs {
		in := &evs[k]
		o := evOrigin{origin: e.o, k: int32(k)}
		o.line = int32(e.o.lineOf(evField(k, "")))
		ev := domain.Evidence{
			Subject:      subject,
			Source:       in.Source,
			Quote:        in.Quote,
			AttributedTo: in.AttributedTo,
			Method:       e.l.method,
			Note:         in.Note,
			Stance:       domain.EvidenceStance(in.Stance),
			Credibility:  in.Credibility,
		}
		if in.Method != "" {
			ev.Method = in.Method
		}
		if in.RecordedAt != "" {
			t, err := time.Parse(time.RFC3339Nano, in.RecordedAt)
			if err != nil {
				e.fail(evField(k, "recordedAt"), "%q is not an RFC 3339 timestamp", in.RecordedAt)
			}
			ev.RecordedAt = t.UTC()
		}
		if in.Occurrence != nil {
			ev.Occurrence = *in.Occurrence
		}
		// A confidence left out would be 0 in store.Evidence, a valid value.
		if in.Confidence == nil {
			e.fail(evField(k, "confidence"), "is required")
		} else {
			ev.Confidence = *in.Confidence
		}
		e.l.addEvidence(o, ev)
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

func itoa(i int) string { return strconv.Itoa(i) }
