package domain

// Field names one of the texts of a node: where a search matched.
type Field string

// Fields: the names of a node (its name, an alias, a source's title) and its long text
// (TextOf), or the quote of evidence citing a source.
const (
	FieldName        Field = "NAME"
	FieldAlias       Field = "ALIAS"
	FieldTitle       Field = "TITLE"
	FieldDescription Field = "DESCRIPTION"
	FieldStatement   Field = "STATEMENT"
	FieldText        Field = "TEXT"
	FieldQuote       Field = "QUOTE"
)

// TextOf returns a node's long text (an entity's description, a position's statement,
// a source's text), and its field; "" for a node without one.
func TextOf(n Node) (Field, string) {
	switch n := n.(type) {
	case Entity:
		return FieldDescription, n.Base().Description
	case *Position:
		return FieldStatement, n.Statement
	case *Source:
		return FieldText, n.Text
	}
	return "", ""
}

// Names lists what a node is called, its primary name first: an entity's name and
// aliases, a source's title; none for a position.
func Names(n Node) []string {
	switch n := n.(type) {
	case Entity:
		return append([]string{n.Base().Name}, n.Base().Aliases...)
	case *Source:
		return []string{n.Title}
	}
	return nil
}

// IsRetracted reports whether a relation, position or evidence record has been
// withdrawn.
func IsRetracted(n Node) bool {
	switch n := n.(type) {
	case *Relation:
		return n.Retracted != nil
	case *Position:
		return n.Retracted != nil
	case *Evidence:
		return n.Retracted != nil
	}
	return false
}
