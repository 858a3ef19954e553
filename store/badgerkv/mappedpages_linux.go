package badgerkv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// mappedPagesEvery is how often the pager looks at the process's resident set. Reading
// /proc/self/status costs some tens of microseconds; the fastest writer of tables, a
// first import's commit, writes about 100 MB a second.
const mappedPagesEvery = 100 * time.Millisecond

// pageMappedFiles starts bounding the resident pages of the files in dir the process
// maps, and returns what stops it (waiting until it has).
//
// Badger v4 memory-maps every table it writes or opens, and its memtables' logs, so
// each page a commit writes or a read touches stays in the process's resident set until
// the kernel needs the memory: a ten-million-relation import ends holding 5.8 GB of
// table pages it will never read again. Every mappedPagesEvery the pager reads the
// process's resident pages of mapped files (RssFile); past limit it asks the kernel to
// page out every mapping of a file in dir (madvise MADV_PAGEOUT), which drops the clean
// pages and writes back the dirty ones, and a later read faults them back in from the
// file. Badger keeps the table blocks it reads often in its own block cache, decoded,
// so a server reads a page from the file again only on a miss there.
//
// MADV_PAGEOUT never changes what memory holds, so the pager needs no lock with Badger:
// a mapping Badger closes between the pager reading /proc/self/maps and paging it out,
// and whatever the kernel maps there next, at most loses resident pages it brings back
// on its next touch. On a kernel without MADV_PAGEOUT (before Linux 5.4) the pager
// logs once and stops.
func pageMappedFiles(dir string, limit int64, log *slog.Logger) (stop func()) {
	if limit <= 0 {
		return func() {}
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		log.Warn("mapped pages not bounded", "dir", dir, "err", err)
		return func() {}
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(mappedPagesEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			resident, err := residentFileBytes()
			if err != nil || resident <= limit {
				continue
			}
			if err := pageOut(abs); err != nil {
				log.Warn("mapped pages not bounded", "dir", dir, "err", err)
				return
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// residentFileBytes is the process's resident pages of mapped files (RssFile).
func residentFileBytes() (int64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(status) {
		if kb, ok := bytes.CutPrefix(line, []byte("RssFile:")); ok {
			n, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(kb), []byte(" kB"))), 10, 64)
			return n << 10, err
		}
	}
	return 0, errors.New("no RssFile in /proc/self/status")
}

// pageOut asks the kernel to page out the process's mappings of files in dir, an
// absolute path without symbolic links, as /proc/self/maps names files. It fails only
// when the kernel refuses the advice itself.
func pageOut(dir string) error {
	maps, err := os.Open("/proc/self/maps")
	if err != nil {
		return err
	}
	defer maps.Close()
	prefix := []byte(dir + string(filepath.Separator))
	lines := bufio.NewScanner(maps)
	for lines.Scan() {
		start, end, ok := fileMapping(lines.Bytes(), prefix)
		if !ok {
			continue
		}
		_, _, errno := unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_PAGEOUT)
		if errno == unix.EINVAL {
			return fmt.Errorf("madvise MADV_PAGEOUT: %w", errno)
		}
	}
	return lines.Err()
}

// fileMapping parses a line of /proc/self/maps ("START-END PERMS OFFSET DEV INODE
// PATH", PATH possibly holding spaces) and reports the address range when PATH is a
// file under prefix.
func fileMapping(line, prefix []byte) (start, end uintptr, ok bool) {
	var addresses []byte
	rest := line
	for i := range 5 {
		rest = bytes.TrimLeft(rest, " ")
		field, after, found := bytes.Cut(rest, []byte(" "))
		if !found {
			return 0, 0, false
		}
		if i == 0 {
			addresses = field
		}
		rest = after
	}
	if !bytes.HasPrefix(bytes.TrimSpace(rest), prefix) {
		return 0, 0, false
	}
	from, to, found := bytes.Cut(addresses, []byte("-"))
	if !found {
		return 0, 0, false
	}
	s, err1 := strconv.ParseUint(string(from), 16, 64)
	e, err2 := strconv.ParseUint(string(to), 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return 0, 0, false
	}
	return uintptr(s), uintptr(e), true
}
