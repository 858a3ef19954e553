package ingest

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped are the elements whose text is never the article's.
var skipped = map[atom.Atom]bool{atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Form: true, atom.Iframe: true, atom.Svg: true,
	atom.Button: true, atom.Template: true, atom.Head: true}

// chrome matches the class or id of page furniture: menus, share bars, teasers.
var chrome = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|footer|header|sidebar|related|promo|advert|ads?|share|social|cookie|newsletter|teaser|breadcrumbs?|comments?|subscribe)([\s_-]|$)`)

// blocks end a line of text.
var blocks = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Tr: true, atom.Table: true, atom.Blockquote: true, atom.Figcaption: true,
	atom.Br: true, atom.Pre: true, atom.Dd: true, atom.Dt: true}

// MaxHTMLBytes bounds the HTML page HTMLText reads. Parsed, a page takes up to some
// eighty times its size in memory (a page of nothing but tiny elements; real pages far
// less), so a larger one is refused with ErrTooLarge. News pages, scripts and all, are
// rarely over 2 MiB.
const MaxHTMLBytes = 4 << 20

// HTMLText returns the readable text of an HTML page: the <article> (else <main>,
// else <body>) without page furniture, a paragraph per line separated by blank lines,
// white space inside a paragraph collapsed. The text is valid UTF-8 (bytes that are
// not become U+FFFD) and at most three bytes for every byte of the page, plus one.
//
// Errors: ErrTooLarge for a page over MaxHTMLBytes; the parser's error for a page
// nested too deep (over 512 open elements); the reader's errors.
func HTMLText(r io.Reader) (string, error) {
	page, err := io.ReadAll(io.LimitReader(r, MaxHTMLBytes+1))
	if err != nil {
		return "", err
	}
	if len(page) > MaxHTMLBytes {
		return "", fmt.Errorf("%w: the HTML page is over %d bytes", ErrTooLarge, MaxHTMLBytes)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", err
	}
	root := find(doc, atom.Article)
	if root == nil {
		root = find(doc, atom.Main)
	}
	if root == nil {
		root = doc
	}
	var paragraphs []string
	var cur strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(cur.String()), " "); p != "" {
			paragraphs = append(paragraphs, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.DataAtom] || chrome.MatchString(attr(n, "class")) || chrome.MatchString(attr(n, "id")) {
				return
			}
			if blocks[n.DataAtom] {
				flush()
				defer flush()
			} else if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
				cur.WriteString(" | ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	flush()
	return strings.ToValidUTF8(strings.Join(paragraphs, "\n\n")+"\n", "\uFFFD"), nil
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
