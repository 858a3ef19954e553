package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"eventgraph/seed/export"
	"eventgraph/store"
)

// exportGraph writes the graph, or the neighbourhood of --id, to --out in --format.
// The file appears whole or not at all (writeWhole).
func exportGraph(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	format := fs.String("format", "seed", "seed, jsonld, graphml or csv (a zip of three tables)")
	out := fs.String("out", "", "output file")
	id := fs.String("id", "", "export only the neighbourhood of this entity")
	depth := fs.Int("depth", 1, "with --id, how many hops (at most 3)")
	if err := parse(fs, args); err != nil {
		return err
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("export: --out is required")
	}
	g, closeStore, err := openGraph(ctx, *data, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	var sub *store.Subgraph
	if *id != "" {
		if *depth < 1 || *depth > 3 {
			return fmt.Errorf("export: --depth %d is not 1, 2 or 3", *depth)
		}
		if sub, err = g.Neighbourhood(ctx, *id, *depth, store.Walk{}, 1<<30); err != nil {
			return err
		}
	}
	err = writeWhole(*out, func(w io.Writer) error { return export.Write(ctx, g, w, f, sub) })
	if err == nil {
		fmt.Fprintf(stdout, "exported %s to %s\n", f, *out)
	}
	return err
}
