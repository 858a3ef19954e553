package export

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"eventgraph/store/domain"
)

// csvZip writes a zip archive of three CSV tables with a header row each: nodes.csv
// (every entity, position and source), relations.csv and evidence.csv. Nodes come
// first and relations last in a visit, while evidence comes with both, so evidence
// rows wait in a temporary file until the relations are written.
type csvZip struct {
	zw       *zip.Writer
	rows     *csv.Writer // the table being written
	evidence *os.File
	evRows   *csv.Writer
	inRels   bool
	err      error
}

var (
	nodeColumns = []string{"id", "kind", "name", "aliases", "description", "subtype", "start", "end", "precision",
		"holder", "topic", "stance", "statement", "statedAt", "title", "url", "publisher", "publishedAt", "language",
		"copyOf", "reliability"}
	relationColumns = []string{"id", "type", "from", "to", "role", "validFrom", "validTo", "evidence", "disputes"}
	evidenceColumns = []string{"id", "subject", "source", "stance", "quote", "start", "end", "attributedTo",
		"confidence", "credibility", "method", "recordedAt", "note"}
)

func newCSV(w io.Writer) *csvZip {
	c := &csvZip{zw: zip.NewWriter(w)}
	c.table("nodes.csv", nodeColumns)
	if c.err == nil {
		c.evidence, c.err = os.CreateTemp("", "eventgraph-evidence-*.csv")
	}
	if c.err == nil {
		c.evRows = csv.NewWriter(c.evidence)
		c.evRows.Write(evidenceColumns)
	}
	return c
}

func (c *csvZip) table(name string, columns []string) {
	if c.err != nil {
		return
	}
	if c.rows != nil {
		c.rows.Flush()
		c.err = c.rows.Error()
	}
	var f io.Writer
	if c.err == nil {
		f, c.err = c.zw.Create(name)
	}
	if c.err == nil {
		c.rows = csv.NewWriter(f)
		c.err = c.rows.Write(columns)
	}
}

func (c *csvZip) write(row []string) error {
	if c.err == nil {
		c.err = c.rows.Write(inertCells(row))
	}
	return c.err
}

// inertCells makes cells that a spreadsheet would read as a formula (those starting
// with =, +, -, @, a tab or a carriage return) plain text by putting a single quote in
// front, as OWASP advises against CSV injection: a name such as
// =HYPERLINK("http://…") from an ingested article stays a name when the table is
// opened. Spreadsheets hide the quote; a program reading the CSV sees it. The other
// formats carry every string as it is stored.
func inertCells(row []string) []string {
	for i, cell := range row {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			row[i] = "'" + cell
		}
	}
	return row
}

func stampOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (c *csvZip) node(n domain.Node) error {
	row := map[string]string{"id": n.NodeID(), "kind": string(n.NodeKind())}
	switch n := n.(type) {
	case domain.Entity:
		b := n.Base()
		row["name"], row["aliases"], row["description"], row["subtype"] = b.Name, strings.Join(b.Aliases, "; "), b.Description, subtype(n)
		switch n := n.(type) {
		case *domain.Event:
			row["start"], row["end"], row["precision"] = stampOf(n.Start), stampOf(n.End), string(n.Precision)
		case *domain.Actor:
			row["reliability"] = string(n.Reliability)
		}
	case *domain.Position:
		row["holder"], row["topic"], row["stance"], row["statement"], row["statedAt"] = n.Holder, n.Topic, string(n.Stance), n.Statement, stampOf(n.StatedAt)
	case *domain.Source:
		row["title"], row["url"], row["publisher"], row["publishedAt"], row["language"], row["copyOf"] =
			n.Title, n.URL, n.Publisher, stampOf(n.PublishedAt), n.Language, n.CopyOf
	}
	out := make([]string, len(nodeColumns))
	for i, col := range nodeColumns {
		out[i] = row[col]
	}
	return c.write(out)
}

func (c *csvZip) addEvidence(evs []*domain.Evidence) error {
	for _, ev := range evs {
		if c.err != nil {
			return c.err
		}
		c.err = c.evRows.Write(inertCells([]string{ev.ID, ev.Subject, ev.Source, string(ev.Stance), ev.Quote, intOf(ev.Start), intOf(ev.End),
			ev.AttributedTo, strconv.FormatFloat(ev.Confidence, 'g', -1, 64), strconv.Itoa(ev.Credibility), ev.Method,
			stampOf(&ev.RecordedAt), ev.Note}))
	}
	return c.err
}

func intOf(i *int) string {
	if i == nil {
		return ""
	}
	return strconv.Itoa(*i)
}

func (c *csvZip) position(_ *domain.Position, evs []*domain.Evidence) error {
	return c.addEvidence(evs)
}

func (c *csvZip) relation(r *domain.Relation, evs []*domain.Evidence) error {
	if !c.inRels {
		c.inRels = true
		c.table("relations.csv", relationColumns)
	}
	support, disputes, _ := counts(evs)
	c.write([]string{r.ID, string(r.Type), r.From, r.To, string(r.Role), stampOf(r.ValidFrom), stampOf(r.ValidTo),
		strconv.Itoa(support), strconv.Itoa(disputes)})
	return c.addEvidence(evs)
}

func (c *csvZip) close() error {
	if c.evidence != nil {
		defer os.Remove(c.evidence.Name())
		defer c.evidence.Close()
	}
	if !c.inRels {
		c.table("relations.csv", relationColumns)
	}
	if c.err == nil {
		c.rows.Flush()
		c.err = c.rows.Error()
	}
	if c.err == nil {
		c.evRows.Flush()
		c.err = c.evRows.Error()
	}
	if c.err == nil {
		_, c.err = c.evidence.Seek(0, io.SeekStart)
	}
	if c.err == nil {
		var f io.Writer
		if f, c.err = c.zw.Create("evidence.csv"); c.err == nil {
			_, c.err = io.Copy(f, c.evidence)
		}
	}
	if c.err == nil {
		c.err = c.zw.Close()
	}
	return c.err
}
