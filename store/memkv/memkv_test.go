package memkv_test

import (
	"testing"

	"eventgraph/store/kv"
	"eventgraph/store/kv/kvtest"
	"eventgraph/store/memkv"
)

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(*testing.T) kv.Store { return memkv.New(memkv.Options{}) })
}
