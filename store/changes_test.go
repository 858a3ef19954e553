package store

import (
	"context"
	"testing"
	"time"

	"eventgraph/store/storetest/testkv"
)

// TestFollowOthersLeavesAStoreNoOtherProcessWrites: on a store one process writes,
// FollowOthers returns at once; every commit there is published as it lands.
func TestFollowOthersLeavesAStoreNoOtherProcessWrites(t *testing.T) {
	g := openGraph(t, testkv.Open(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g.FollowOthers(ctx, func(err error) { t.Error(err) })
	if ctx.Err() != nil {
		t.Fatal("FollowOthers followed a store no other process writes")
	}
	if g.feed.published != nil {
		t.Fatal("FollowOthers left the feed remembering what it published")
	}
}
