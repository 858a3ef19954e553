package seed

import (
	"embed"
	"io/fs"
	"slices"
)

//go:embed data
var data embed.FS

// Bundled loads the seed files shipped with the binary (data/*.yaml, *.yml, *.jsonl),
// which `eventgraph serve` imports into an empty store.
func Bundled() (*Set, error) {
	var files []string
	for _, pattern := range []string{"data/*.yaml", "data/*.yml", "data/*.jsonl"} {
		m, err := fs.Glob(data, pattern)
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	return Load(data, files...)
}

// BundledFS is the file system of the bundled seed files (under "data/").
func BundledFS() fs.FS { return data }
