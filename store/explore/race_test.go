//go:build race

package explore_test

// raceEnabled is set under the race detector, which slows the exhaustive path
// comparisons fivefold: they then check fewer random pairs (hubGraph.pairs). The same
// tests run whole without it, in the memkv and TiKV runs of .ci/run.
const raceEnabled = true
