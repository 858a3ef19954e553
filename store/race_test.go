//go:build race

package store_test

// raceEnabled is set under the race detector, which slows the searches a test pages
// through one hit at a time tenfold: they then page by larger pages only. The same
// tests run whole without it, in the memkv and TiKV runs of .ci/run.
const raceEnabled = true
