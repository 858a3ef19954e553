package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"eventgraph/store/badgerkv"
	"eventgraph/store/domain"
	"eventgraph/store/kv"
	"eventgraph/store/layout"
)

// mustImportGenerated generates a seed of n relations and imports it into a new data
// directory, which it returns with the seed file.
func mustImportGenerated(t *testing.T, dir string, n int) (data, file string) {
	t.Helper()
	file, data = filepath.Join(dir, "generated.jsonl"), filepath.Join(dir, "data")
	mustRun(t, "generate", "--relations", strconv.Itoa(n), "--out", file)
	mustRun(t, "import", "--data", data, file)
	return data, file
}

// restoreInto runs the restore command and returns its error.
func restoreInto(data, backup string) error {
	return run(context.Background(), []string{"restore", "--data", data, backup}, io.Discard, io.Discard)
}

// mustBeAbsent checks that a refused restore left neither dir nor its staging.
func mustBeAbsent(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{dir, dir + ".restoring"} {
		if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is left behind (%v)", d, err)
		}
	}
}

// TestRestoreRefusesDamagedBackups restores backups of a generated graph cut short,
// and a whole backup of a store that breaks the evidence rule: each is refused and
// leaves nothing behind.
func TestRestoreRefusesDamagedBackups(t *testing.T) {
	dir := t.TempDir()
	data, _ := mustImportGenerated(t, dir, 2000)
	backup := filepath.Join(dir, "graph.backup")
	mustRun(t, "backup", "--data", data, "--out", backup)
	whole, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []float64{0.16, 0.45, 0.99} {
		t.Run(fmt.Sprintf("cut at %.0f%%", cut*100), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "cut.backup")
			if err := os.WriteFile(file, whole[:int(cut*float64(len(whole)))], 0o644); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(t.TempDir(), "restored")
			err := restoreInto(target, file)
			if !errors.Is(err, badgerkv.ErrBadBackup) || !strings.Contains(err.Error(), "it was cut short") {
				t.Fatalf("restore = %v, want it refused as cut short", err)
			}
			mustBeAbsent(t, target)
		})
	}

	t.Run("a store that breaks the evidence rule", func(t *testing.T) {
		subject := mustDropFirstEvidence(t, data)
		broken := filepath.Join(dir, "broken.backup")
		mustRun(t, "backup", "--data", data, "--out", broken)
		target := filepath.Join(t.TempDir(), "restored")
		err := restoreInto(target, broken)
		if !errors.Is(err, domain.ErrEvidenceRequired) || !strings.Contains(err.Error(), "the backup's store breaks the store's rules: 1 relations and positions have no live evidence supporting them ("+subject+")") {
			t.Fatalf("restore = %v, want it refused for %s", err, subject)
		}
		mustBeAbsent(t, target)
	})
}

// mustDropFirstEvidence deletes, beneath the store's rules, the evidence records of
// the first subject that has any, and returns the subject.
func mustDropFirstEvidence(t *testing.T, data string) string {
	t.Helper()
	s, err := badgerkv.Open(badgerkv.Options{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var subject string
	_, err = s.Update(func(rw kv.ReadWriter) error {
		var doomed [][]byte
		err := rw.Iterate(kv.IterOptions{Prefix: layout.AllEvidence()}, func(k, _ []byte) error {
			of, _ := layout.EvidenceParts(k)
			if subject == "" {
				subject = of
			}
			if of != subject {
				return kv.ErrStop
			}
			doomed = append(doomed, bytes.Clone(k))
			return nil
		})
		for _, k := range doomed {
			if err == nil {
				err = rw.Delete(k)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return subject
}
