package badgerkv

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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
// process's resident pages of mapped files (RssFile). Past limit it reads how much of
// each mapping of a file in dir is resident (/proc/self/smaps) and asks the kernel to
// page out mappings (madvise MADV_PAGEOUT) until the process holds half the limit:
// first those that gained no page since the pager's last pass, the largest first, then
// those that gained least. The kernel drops their clean pages and writes back the dirty
// ones, and a later read faults them back in from the file.
//
// A page paged out leaves the kernel's page cache too, so reading it again reads the
// disk, and a fault on a mapping reads ahead up to the disk's read-ahead window (8 MiB
// on the machine measured, twice a table). So mappings still being read are kept until
// they are not. Reads that fall all over a store larger than the limit still read it
// again and again, so long jobs read in key order (a restore's evidence check, which
// took 13 minutes at 10M when it looked a record up for each adjacency entry, now
// merges sorted ids). Advising mappings MADV_RANDOM before paging them out made each
// such read read 4 KB instead of a table, but that check then took 20 minutes, and a
// server's neighbourhoods, which read a table's blocks near each other, had their p99
// go from 21 to 49–56 ms.
//
// MADV_PAGEOUT never changes what memory holds, so the pager needs no lock with
// Badger: a mapping Badger closes between the pager reading /proc/self/smaps and paging
// it out, and whatever the kernel maps there next, at most loses resident pages it
// brings back on its next touch. On a kernel without MADV_PAGEOUT (before Linux 5.4)
// the pager logs once and stops.
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
	p := &pager{prefix: []byte(abs + string(filepath.Separator)), seen: map[uintptr]int64{}}
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
			if err := p.pageOut(resident - limit/2); err != nil {
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

// pager pages out the mappings of files under prefix, an absolute directory path
// without symbolic links as /proc/self/smaps names files, ending in a separator.
type pager struct {
	prefix []byte
	seen   map[uintptr]int64 // each mapping's resident bytes after the last pass, by start
}

// residentMapping is a mapping of a file under the pager's prefix and its resident
// bytes.
type residentMapping struct {
	start, end uintptr
	resident   int64
}

// pageOut pages out mappings, coldest first (outOrder), until at least excess bytes
// were resident in them; a mapping with nothing resident is left alone. It fails only
// when the kernel refuses the advice itself.
func (p *pager) pageOut(excess int64) error {
	mappings, err := p.residentMappings()
	if err != nil {
		return err
	}
	outOrder(mappings, p.seen)
	clear(p.seen)
	for _, m := range mappings {
		if excess <= 0 || m.resident == 0 {
			p.seen[m.start] = m.resident
			continue
		}
		_, _, errno := unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_PAGEOUT)
		if errno == unix.EINVAL {
			return fmt.Errorf("madvise MADV_PAGEOUT: %w", errno)
		}
		excess -= m.resident
	}
	return nil
}

// outOrder sorts mappings in the order to page them out: first those that gained no
// resident page since seen was taken, the largest first; then by how much they gained,
// least first.
func outOrder(mappings []residentMapping, seen map[uintptr]int64) {
	gain := func(m residentMapping) int64 { return max(m.resident-seen[m.start], 0) }
	slices.SortStableFunc(mappings, func(a, b residentMapping) int {
		ga, gb := gain(a), gain(b)
		if (ga == 0) != (gb == 0) {
			if ga == 0 {
				return -1
			}
			return 1
		}
		if ga == 0 {
			return cmp.Compare(b.resident, a.resident)
		}
		return cmp.Compare(ga, gb)
	})
}

// residentMappings lists the process's mappings of files under the pager's prefix
// with their resident bytes, from /proc/self/smaps: each mapping's line, then its
// fields, "Rss:" among them, and "VmFlags:" last.
func (p *pager) residentMappings() ([]residentMapping, error) {
	smaps, err := os.Open("/proc/self/smaps")
	if err != nil {
		return nil, err
	}
	defer smaps.Close()
	var mappings []residentMapping
	in := false
	lines := bufio.NewScanner(smaps)
	for lines.Scan() {
		line := lines.Bytes()
		if start, end, ok := fileMapping(line, p.prefix); ok {
			mappings = append(mappings, residentMapping{start: start, end: end})
			in = true
			continue
		}
		if kb, ok := bytes.CutPrefix(line, []byte("Rss:")); ok && in {
			n, err := kilobytes(kb)
			if err != nil {
				return nil, fmt.Errorf("/proc/self/smaps: %w", err)
			}
			mappings[len(mappings)-1].resident = n
		}
		if bytes.HasPrefix(line, []byte("VmFlags:")) {
			in = false
		}
	}
	return mappings, lines.Err()
}

// residentFileBytes is the process's resident pages of mapped files (RssFile).
func residentFileBytes() (int64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(status) {
		if kb, ok := bytes.CutPrefix(line, []byte("RssFile:")); ok {
			return kilobytes(kb)
		}
	}
	return 0, errors.New("no RssFile in /proc/self/status")
}

// kilobytes parses a /proc figure ("  1234 kB") into bytes.
func kilobytes(field []byte) (int64, error) {
	n, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(field), []byte(" kB"))), 10, 64)
	return n << 10, err
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
