package graph_test

import (
	"context"
	"fmt"
	"testing"

	"eventgraph/graph"
	"eventgraph/store"
)

// TestStoreErrorsKeepTheirCodes: the store's errors a client can act on reach it with
// their own codes, however wrapped, and an unknown one as INTERNAL, undescribed.
func TestStoreErrorsKeepTheirCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		code string
	}{
		{store.ErrConflict, graph.CodeConflict},
		{fmt.Errorf("tikv: %w: lost", store.ErrUndetermined), graph.CodeResultUnknown},
		{fmt.Errorf("disk full"), graph.CodeInternal},
	} {
		got := graph.PresentError(context.Background(), c.err)
		if got.Extensions["code"] != c.code {
			t.Errorf("%v: code %v; want %s", c.err, got.Extensions["code"], c.code)
		}
		if c.code == graph.CodeInternal && got.Message != "internal error" {
			t.Errorf("%v: message %q; want it undescribed", c.err, got.Message)
		}
	}
}
