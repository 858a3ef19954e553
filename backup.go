package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"eventgraph/store"
	"eventgraph/store/badgerkv"
)

// backup writes a backup of the data directory (every version of every key: history
// and "as of" survive a restore). The store must not be in use by a server; a running
// server offers GET /backup to an admin instead.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory")
	out := fs.String("out", "", "backup file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: --out is required")
	}
	kv, err := badgerkv.Open(badgerkv.Options{Dir: *data})
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("data directory %s is in use by another eventgraph process; stop it, or download GET /backup from the server with an admin token", *data)
	}
	if err != nil {
		return err
	}
	defer kv.Close()
	err = writeWhole(*out, kv.Backup)
	if err == nil {
		fmt.Fprintf(stdout, "backed up %s to %s\n", *data, *out)
	}
	return err
}

// restore loads a backup into a data directory that must be empty or absent.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory to create (empty or absent)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: name one backup file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := badgerkv.Restore(badgerkv.Options{Dir: *data}, f); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fs.Arg(0), *data)
	return nil
}

// writeWhole writes a file through write so that it appears whole or not at all: it is
// written beside path and renamed.
func writeWhole(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".eventgraph-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}
