package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// claimsGraph is a graph of claims whose corroboration differs in every way the
// claims filter asks about, and the claims' ids by name:
//
//	ab  a ALLIED_WITH b, 2020 to 2021    wire (agency)                          1 source, 1 publisher
//	ac  a ALLIED_WITH c                  wire, and reprint (paper), wire's copy 1 source, 1 publisher
//	bc  b ALLIED_WITH c, disputed        blog-a and blog-b, both "as broadcaster
//	                                     reported"                              1 source, 1 publisher
//	ae  a PARTICIPATED_IN summit, from 2022, INITIATOR   notes (no publisher)   1 source, 0 publishers
//	bm  b MEMBER_OF c, retracted         wire
//	pa  a SUPPORTS on talks (id "pos-a": before the relations)   wire, atlas (paper)   2 sources, 2 publishers
//	pb  b OPPOSES on talks until 2019 (id "stance-b": after)      blog-a as broadcaster; a retracted wire record
type claimsGraph struct {
	g   *store.Graph
	ids map[string]string
	// before is the version before the last write, which adds atlas's support of ab
	// and retracts bm.
	before uint64
}

func mustClaimsGraph(t *testing.T) claimsGraph {
	t.Helper()
	g := storetest.MustGraph(t)
	ctx := context.Background()
	day := func(y int) *time.Time { d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); return &d }
	const text = "They were allies, officials said."
	actor := func(id string, kind domain.ActorKind) *domain.Actor {
		return &domain.Actor{EntityBase: domain.EntityBase{ID: id, Name: "Actor " + id}, Kind: kind}
	}
	source := func(id, publisher, copyOf string) *domain.Source {
		return &domain.Source{ID: id, Title: "Report " + id, Text: text, Publisher: publisher, CopyOf: copyOf, PublishedAt: day(2024)}
	}
	b := &store.Batch{Nodes: []domain.Node{
		actor("a", domain.ActorState), actor("b", domain.ActorState), actor("c", domain.ActorState),
		actor("agency", domain.ActorMedia), actor("paper", domain.ActorMedia), actor("broadcaster", domain.ActorMedia),
		&domain.Event{EntityBase: domain.EntityBase{ID: "summit", Name: "Summit"}, Kind: domain.EventNegotiation, Precision: domain.PrecisionUnknown},
		&domain.Topic{EntityBase: domain.EntityBase{ID: "talks", Name: "Talks"}},
		source("wire", "agency", ""), source("reprint", "paper", "wire"), source("atlas", "paper", ""),
		source("blog-a", "", ""), source("blog-b", "", ""), source("notes", "", ""), source("critic", "", ""),
		&domain.Position{ID: "pos-a", Holder: "a", Topic: "talks", Stance: domain.StanceSupports},
		&domain.Position{ID: "stance-b", Holder: "b", Topic: "talks", Stance: domain.StanceOpposes, ValidTo: day(2019)},
	}}
	ids := map[string]string{"pa": "pos-a", "pb": "stance-b"}
	relation := func(name string, typ domain.RelationType, from, to string, role domain.Role, validFrom, validTo *time.Time) {
		rel := domain.Relation{Type: typ, From: from, To: to, Role: role, ValidFrom: validFrom, ValidTo: validTo}
		rel.ID = domain.RelationID(rel.Type, rel.From, rel.To, rel.Role)
		ids[name] = rel.ID
		b.Relations = append(b.Relations, rel)
	}
	relation("ab", domain.RelAlliedWith, "a", "b", "", day(2020), day(2021))
	relation("ac", domain.RelAlliedWith, "a", "c", "", nil, nil)
	relation("bc", domain.RelAlliedWith, "b", "c", "", nil, nil)
	relation("ae", domain.RelParticipatedIn, "a", "summit", domain.RoleInitiator, day(2022), nil)
	relation("bm", domain.RelMemberOf, "b", "c", "", nil, nil)
	evidence := func(claim, src, attributedTo string, stance domain.EvidenceStance) domain.Evidence {
		return domain.Evidence{Subject: ids[claim], Source: src, Quote: "allies", AttributedTo: attributedTo, Stance: stance, Confidence: 0.9, Method: "test"}
	}
	b.Evidence = []domain.Evidence{
		evidence("ab", "wire", "", ""),
		evidence("ac", "wire", "", ""), evidence("ac", "reprint", "", ""),
		evidence("bc", "blog-a", "broadcaster", ""), evidence("bc", "blog-b", "broadcaster", ""), evidence("bc", "critic", "", domain.EvidenceDisputes),
		evidence("ae", "notes", "", ""),
		evidence("bm", "wire", "", ""),
		evidence("pa", "wire", "", ""), evidence("pa", "atlas", "", ""),
		evidence("pb", "blog-a", "broadcaster", ""), evidence("pb", "wire", "", ""),
	}
	storetest.MustApply(t, g, b)
	evs, err := g.Evidence(ctx, []string{"stance-b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs[0] {
		if ev.Source == "wire" {
			if _, _, err := g.Retract(ctx, ev.ID, "misread"); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := g.KV().LatestVersion()
	storetest.MustApply(t, g, &store.Batch{Evidence: []domain.Evidence{evidence("ab", "atlas", "", "")}})
	if _, _, err := g.Retract(ctx, ids["bm"], "withdrawn"); err != nil {
		t.Fatal(err)
	}
	return claimsGraph{g: g, ids: ids, before: before}
}

// mustClaims lists every claim f keeps, a page of two at a time, checking that each
// page's total is the whole list's length, and returns their names.
func (c claimsGraph) mustClaims(t *testing.T, ctx context.Context, f domain.ClaimFilter) []string {
	t.Helper()
	names := map[string]string{}
	for name, id := range c.ids {
		names[id] = name
	}
	var got []string
	totals := map[int]bool{}
	args := domain.PageArgs{First: 2}
	for {
		p, err := c.g.Claims(ctx, f, args)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Items {
			got = append(got, names[n.NodeID()])
		}
		totals[p.Total] = true
		if !p.HasNext {
			break
		}
		args.After = p.Cursors[len(p.Cursors)-1]
	}
	if len(totals) != 1 || !totals[len(got)] {
		t.Errorf("totals %v over pages of %d claims", totals, len(got))
	}
	return got
}

// inIDOrder returns the names of claims in the order of their ids.
func (c claimsGraph) inIDOrder(names ...string) []string {
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(c.ids[a], c.ids[b]) })
	return names
}

func TestClaims(t *testing.T) {
	c := mustClaimsGraph(t)
	ctx := context.Background()
	n := func(v int) *int { return &v }
	yes, no := true, false
	at := func(y, m int) *time.Time { d := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC); return &d }
	for _, tc := range []struct {
		name   string
		filter domain.ClaimFilter
		want   []string
	}{
		{"every live claim", domain.ClaimFilter{}, []string{"ab", "ac", "bc", "ae", "pa", "pb"}},
		{"retracted too", domain.ClaimFilter{IncludeRetracted: true}, []string{"ab", "ac", "bc", "ae", "bm", "pa", "pb"}},
		{"relations", domain.ClaimFilter{Kinds: []domain.Kind{domain.KindRelation}}, []string{"ab", "ac", "bc", "ae"}},
		{"positions", domain.ClaimFilter{Kinds: []domain.Kind{domain.KindPosition}}, []string{"pa", "pb"}},
		{"types leave positions out", domain.ClaimFilter{Types: []domain.RelationType{domain.RelAlliedWith}}, []string{"ab", "ac", "bc"}},
		{"types with both kinds named", domain.ClaimFilter{Kinds: []domain.Kind{domain.KindRelation, domain.KindPosition},
			Types: []domain.RelationType{domain.RelParticipatedIn}}, []string{"ae", "pa", "pb"}},
		{"roles", domain.ClaimFilter{Roles: []domain.Role{domain.RoleInitiator}}, []string{"ae"}},
		{"roles no relation has", domain.ClaimFilter{Roles: []domain.Role{domain.RoleHost}}, nil},
		{"stances leave relations out", domain.ClaimFilter{Stances: []domain.Stance{domain.StanceOpposes}}, []string{"pb"}},
		{"types and stances", domain.ClaimFilter{Types: []domain.RelationType{domain.RelParticipatedIn}, Stances: []domain.Stance{domain.StanceSupports}},
			[]string{"ae", "pa"}},
		// ab has two sources now: wire and atlas. A copy (ac's reprint) counts as its
		// original, reports attributed to one originator (bc's blogs) as one, and a
		// retracted record (pb's wire) not at all.
		{"resting on one source", domain.ClaimFilter{MinSources: n(1), MaxSources: n(1)}, []string{"ac", "bc", "ae", "pb"}},
		{"at least two sources", domain.ClaimFilter{MinSources: n(2)}, []string{"ab", "pa"}},
		{"no known publisher", domain.ClaimFilter{MaxPublishers: n(0)}, []string{"ae"}},
		{"two publishers", domain.ClaimFilter{MinPublishers: n(2), MaxPublishers: n(2)}, []string{"ab", "pa"}},
		{"contested", domain.ClaimFilter{Contested: &yes}, []string{"bc"}},
		{"not contested", domain.ClaimFilter{Contested: &no, Kinds: []domain.Kind{domain.KindRelation}}, []string{"ab", "ac", "ae"}},
		{"valid in mid 2020: timeless claims too", domain.ClaimFilter{ValidFrom: at(2020, 6), ValidTo: at(2020, 7)}, []string{"ab", "ac", "bc", "pa"}},
		{"valid from 2023 on", domain.ClaimFilter{ValidFrom: at(2023, 1)}, []string{"ac", "bc", "ae", "pa"}},
		{"valid before 2019", domain.ClaimFilter{ValidTo: at(2019, 1)}, []string{"ac", "bc", "pa", "pb"}},
		{"publisher of originals, and of what copies them", domain.ClaimFilter{Publisher: "agency"}, []string{"ab", "ac", "pa"}},
		{"publisher of a copy only is not counted", domain.ClaimFilter{Publisher: "paper", Kinds: []domain.Kind{domain.KindRelation}}, []string{"ab"}},
		{"originator attributed to", domain.ClaimFilter{Publisher: "broadcaster"}, []string{"bc", "pb"}},
		{"entity at either end or holding", domain.ClaimFilter{Entity: "b"}, []string{"ab", "bc", "pb"}},
		{"entity with retracted", domain.ClaimFilter{Entity: "b", IncludeRetracted: true}, []string{"ab", "bc", "bm", "pb"}},
		{"topic", domain.ClaimFilter{Entity: "talks"}, []string{"pa", "pb"}},
		{"entity and type", domain.ClaimFilter{Entity: "a", Types: []domain.RelationType{domain.RelAlliedWith}}, []string{"ab", "ac"}},
		{"entity resting on one source", domain.ClaimFilter{Entity: "a", MaxSources: n(1)}, []string{"ac", "ae"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := c.inIDOrder(tc.want...)
			if got := c.mustClaims(t, ctx, tc.filter); !slices.Equal(got, want) {
				t.Errorf("claims %v, want %v", got, want)
			}
		})
	}

	t.Run("as of before the last write", func(t *testing.T) {
		then := c.g.Pin(ctx, c.before)
		for _, tc := range []struct {
			filter domain.ClaimFilter
			want   []string
		}{
			{domain.ClaimFilter{}, []string{"ab", "ac", "bc", "ae", "bm", "pa", "pb"}},
			{domain.ClaimFilter{MaxSources: n(1)}, []string{"ab", "ac", "bc", "ae", "bm", "pb"}},
			{domain.ClaimFilter{Publisher: "paper"}, []string{"pa"}},
		} {
			if got, want := c.mustClaims(t, then, tc.filter), c.inIDOrder(tc.want...); !slices.Equal(got, want) {
				t.Errorf("%+v: claims %v, want %v", tc.filter, got, want)
			}
		}
	})

	t.Run("refused", func(t *testing.T) {
		for _, tc := range []struct {
			filter domain.ClaimFilter
			field  string
			kind   error
		}{
			{domain.ClaimFilter{MinSources: n(-1)}, "minSources", domain.ErrInvalid},
			{domain.ClaimFilter{MaxPublishers: n(-2)}, "maxPublishers", domain.ErrInvalid},
			{domain.ClaimFilter{MinSources: n(2), MaxSources: n(1)}, "minSources", domain.ErrInvalid},
			{domain.ClaimFilter{MinPublishers: n(3), MaxPublishers: n(0)}, "minPublishers", domain.ErrInvalid},
			{domain.ClaimFilter{ValidFrom: at(2021, 1), ValidTo: at(2020, 1)}, "validTo", domain.ErrInvalid},
			{domain.ClaimFilter{Kinds: []domain.Kind{domain.KindEvent}}, "kinds[0]", domain.ErrInvalid},
			{domain.ClaimFilter{Types: []domain.RelationType{"FRIENDS"}}, "types[0]", domain.ErrInvalid},
			{domain.ClaimFilter{Stances: []domain.Stance{domain.StanceSupports, "MAYBE"}}, "stances[1]", domain.ErrInvalid},
			{domain.ClaimFilter{Entity: "nobody"}, "", domain.ErrNotFound},
			{domain.ClaimFilter{Publisher: "nobody"}, "", domain.ErrNotFound},
		} {
			_, err := c.g.Claims(ctx, tc.filter, domain.PageArgs{})
			var e *domain.Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &e) || e.Field != tc.field {
				t.Errorf("%+v: error %v, want %v naming %q", tc.filter, err, tc.kind, tc.field)
			}
		}
		if _, err := c.g.Claims(ctx, domain.ClaimFilter{}, domain.PageArgs{After: "not-a-cursor"}); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("a malformed cursor: %v", err)
		}
	})
}

// TestClaimsInBatches: a list whose conditions are on evidence reads it a batch of
// claims at a time; every claim is judged, those of the last batch too.
func TestClaimsInBatches(t *testing.T) {
	g := storetest.MustGraph(t)
	const n = 2500
	storetest.MustApply(t, g, storetest.AlliedHub(n, nil))
	ctx := context.Background()
	one, two := 1, 2
	for _, tc := range []struct {
		filter domain.ClaimFilter
		want   int
	}{
		{domain.ClaimFilter{MaxSources: &one}, n},
		{domain.ClaimFilter{MinSources: &two}, 0},
		{domain.ClaimFilter{Entity: "hub", MaxSources: &one}, n},
	} {
		p, err := g.Claims(ctx, tc.filter, domain.PageArgs{First: 500})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != tc.want || len(p.Items) != min(tc.want, 500) || p.HasNext != (tc.want > 500) {
			t.Errorf("%+v: %d of %d claims, more: %v; want %d", tc.filter, len(p.Items), p.Total, p.HasNext, tc.want)
		}
	}
}
