//go:build !unix

package badgerkv

// removeEmptyLogFiles does nothing where Badger locks its directory other than by
// flock: without taking the same lock it could remove a file another process is
// creating, so the crash window removeEmptyLogFiles closes on Unix stays open here.
func removeEmptyLogFiles(string) error { return nil }
