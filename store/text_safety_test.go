package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"eventgraph/store"
	"eventgraph/store/domain"
	"eventgraph/store/storetest"
)

// refused are characters no stored text may hold, one of each family.
var refused = map[string]string{
	"NUL": "\x00", "ESC": "\x1b", "BEL": "\a",
	"RLO": "\u202e", "LRE": "\u202a", "PDF": "\u202c", "RLI": "\u2067", "PDI": "\u2069",
}

// TestRefusedCharacters: a control or bidirectional override character in any text a
// write carries is refused with ErrInvalid naming the field, and nothing is written;
// tab, line breaks, the right-to-left and left-to-right marks and right-to-left
// scripts are kept.
func TestRefusedCharacters(t *testing.T) {
	ctx := context.Background()
	rel, ev := participation("araghchi", "Araghchi met", 0)
	fields := map[string]func(b *store.Batch, bad string){
		"name":       func(b *store.Batch, bad string) { b.Nodes[1].(*domain.Actor).Name = "Abbas" + bad + "Araghchi" },
		"aliases[0]": func(b *store.Batch, bad string) { b.Nodes[1].(*domain.Actor).Aliases[0] = bad + "Seyyed" },
		"description": func(b *store.Batch, bad string) {
			b.Nodes[3].(*domain.Event).Description = "Talks" + bad
		},
		"title": func(b *store.Batch, bad string) { b.Nodes[0].(*domain.Source).Title = "Re" + bad + "port" },
		"url":   func(b *store.Batch, bad string) { b.Nodes[0].(*domain.Source).URL = "https://example.org/" + bad },
		"text": func(b *store.Batch, bad string) {
			b.Nodes[0].(*domain.Source).Text = article + bad
		},
		"statement": func(b *store.Batch, bad string) {
			b.Nodes = append(b.Nodes, &domain.Topic{EntityBase: domain.EntityBase{ID: "rights", Name: "Rights"}},
				&domain.Position{ID: "firm", Holder: "araghchi", Topic: "rights", Stance: domain.StanceRejects, Statement: "Firm" + bad})
			b.Evidence = append(b.Evidence, domain.Evidence{Subject: "firm", Source: "src", Quote: "Iran will stand firm", Confidence: 1, Method: "test"})
		},
		"quote": func(b *store.Batch, bad string) {
			src := b.Nodes[0].(*domain.Source)
			src.Text = strings.Replace(src.Text, "Araghchi met", "Araghchi"+bad+"met", 1)
			b.Evidence[0].Quote = "Araghchi" + bad + "met"
		},
		"method": func(b *store.Batch, bad string) { b.Evidence[0].Method = bad },
		"note":   func(b *store.Batch, bad string) { b.Evidence[0].Note = "seen" + bad },
	}
	batch := func() *store.Batch {
		b := baseBatch()
		b.Relations, b.Evidence = []domain.Relation{rel}, []domain.Evidence{ev}
		return b
	}
	for field, spoil := range fields {
		for name, bad := range refused {
			t.Run(field+"/"+name, func(t *testing.T) {
				g := storetest.MustGraph(t)
				b := batch()
				spoil(b, bad)
				_, err := g.Apply(ctx, b)
				var errs domain.Errors
				if !errors.Is(err, domain.ErrInvalid) || !errors.As(err, &errs) {
					t.Fatalf("Apply = %v, want ErrInvalid", err)
				}
				named := false
				for _, e := range errs {
					named = named || e.Field == field && strings.Contains(e.Message, "U+")
				}
				if !named {
					t.Fatalf("no error names %s: %v", field, errs)
				}
				if _, err := g.Node(ctx, "araghchi"); !errors.Is(err, domain.ErrNotFound) {
					t.Fatalf("a refused write wrote something: %v", err)
				}
			})
		}
	}
	t.Run("Kept", func(t *testing.T) {
		g := storetest.MustGraph(t)
		b := batch()
		kept := "عباس\u200f عراقچی\t\r\n\u200e(Abbas)"
		b.Nodes[1].(*domain.Actor).Aliases = append(b.Nodes[1].(*domain.Actor).Aliases, kept)
		b.Nodes[0].(*domain.Source).Text = article + "\n\t" + kept
		storetest.MustApply(t, g, b)
		n, err := g.Node(ctx, "araghchi")
		if err != nil || n.(*domain.Actor).Aliases[1] != kept {
			t.Fatalf("the alias came back as %v, %v", n, err)
		}
	})
	t.Run("Reasons", func(t *testing.T) {
		g := storetest.MustGraph(t)
		storetest.MustApply(t, g, batch())
		_, _, err := g.Retract(ctx, rel.ID, "wrong\u202e")
		var e *domain.Error
		if !errors.As(err, &e) || !errors.Is(err, domain.ErrInvalid) || e.Field != "reason" {
			t.Fatalf("Retract with a bidirectional override in the reason = %v", err)
		}
		if _, _, err := g.Reject(ctx, "candidate:none", "no\x00"); !errors.As(err, &e) || e.Field != "reason" {
			t.Fatalf("Reject with NUL in the reason = %v", err)
		}
	})
}

// FuzzStripRefused: what StripRefused returns holds no refused character, is valid
// UTF-8 when its input is, keeps every other character in order, and is its input
// when that holds none.
func FuzzStripRefused(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b", "\u202eevil\u202c", "\u2066x\u2069", "tab\tline\nbreak\r", "\xe2\x80", "\xe2\x80\xae", "عباس\u200f"} {
		f.Add(s)
	}
	g := storetest.MustGraph(f)
	f.Fuzz(func(t *testing.T, s string) {
		out := domain.StripRefused(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("StripRefused(%q) = %q is not valid UTF-8", s, out)
		}
		if len(out) > len(s) {
			t.Fatalf("StripRefused(%q) = %q grew", s, out)
		}
		if !utf8.ValidString(s) {
			return
		}
		// The store accepts the result as a text.
		src := &domain.Source{ID: "s", Title: "t", URL: "https://example.org/", Text: out}
		if _, err := g.Validate(context.Background(), &store.Batch{Nodes: []domain.Node{src}}); err != nil {
			t.Fatalf("StripRefused(%q) = %q is refused: %v", s, out, err)
		}
		kept := func(r rune) bool { return r >= 0x20 || r == '\t' || r == '\n' || r == '\r' }
		var want []rune
		for _, r := range s {
			if r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				continue
			}
			if !kept(r) {
				r = ' '
			}
			want = append(want, r)
		}
		if string(want) != out {
			t.Fatalf("StripRefused(%q) = %q, want %q", s, out, string(want))
		}
	})
}
