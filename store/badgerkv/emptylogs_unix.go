//go:build unix

package badgerkv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// removeEmptyLogFiles deletes the empty memtable (.mem) and value log (.vlog) files in
// dir. Badger creates such a file and only then writes its header, so a process killed
// between the two leaves an empty one, and Badger's Open then fails on it with
// "Create a new file" (dgraph-io/badger#2207) instead of recreating it. An empty file
// holds no entry and nothing points into it, so removing it loses nothing.
//
// It runs under the same flock of the directory that Badger takes, so it never touches
// a file another process is creating in a database it holds open; when the lock is
// taken it removes nothing and leaves Badger's Open to report the lock.
func removeEmptyLogFiles(dir string) error {
	d, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil
	}
	defer syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
	entries, err := d.ReadDir(-1)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.Type().IsRegular() || (ext != ".mem" && ext != ".vlog") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("open %s: %w", dir, err)
		}
		if info.Size() == 0 {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("open %s: %w", dir, err)
			}
		}
	}
	return nil
}
