//go:build !race

package explore_test

// raceEnabled: see race_test.go.
const raceEnabled = false
