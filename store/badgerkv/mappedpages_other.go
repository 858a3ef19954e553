//go:build !linux

package badgerkv

import "log/slog"

// pageMappedFiles bounds mapped pages only on Linux (mappedpages_linux.go); elsewhere
// Badger's mapped files stay resident until the kernel needs the memory.
func pageMappedFiles(dir string, limit int64, log *slog.Logger) (stop func()) { return func() {} }
