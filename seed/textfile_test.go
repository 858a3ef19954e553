package seed_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"eventgraph/seed"
	"eventgraph/store/domain"
)

// sourceSeed is a YAML seed of one source whose textFile is given, on line 4.
func sourceSeed(textFile string) string {
	return fmt.Sprintf("sources:\n  - key: s\n    title: S\n    textFile: %q\n", textFile)
}

// MustLoadError loads file with o and returns its only error, which must be at line 4
// (the textFile of sourceSeed) and field textFile.
func MustLoadError(t *testing.T, o seed.Options, file string) string {
	t.Helper()
	_, err := o.LoadFiles(file)
	list, ok := seed.AsErrorList(err)
	if !ok || len(list.Errors) != 1 {
		t.Fatalf("LoadFiles(%s) = %v, want one error", file, err)
	}
	prefix := file + ":4: textFile: "
	if msg := list.Errors[0].Error(); !strings.HasPrefix(msg, prefix) {
		t.Fatalf("error %q does not start with %q", msg, prefix)
	}
	return strings.TrimPrefix(list.Errors[0].Error(), prefix)
}

func mustWrite(t *testing.T, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestTextFileStaysInItsFolder checks that a seed file can only make the loader read
// regular files of bounded size in its own folder, however the path is written.
func TestTextFileStaysInItsFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "seed")
	secret := filepath.Join(root, "secret.txt")
	mustWrite(t, secret, "a secret outside the seed folder")
	mustWrite(t, filepath.Join(dir, "texts", "article.txt"), "An article inside the seed folder.")
	mustWrite(t, filepath.Join(root, "outside", "article.txt"), "An article outside.")
	mustSymlink(t, "../secret.txt", filepath.Join(dir, "up.txt"))
	mustSymlink(t, secret, filepath.Join(dir, "absolute.txt"))
	mustSymlink(t, "/dev/zero", filepath.Join(dir, "zero.txt"))
	mustSymlink(t, "../outside", filepath.Join(dir, "shared"))
	mustSymlink(t, "texts/article.txt", filepath.Join(dir, "inside.txt"))
	mustSymlink(t, "loop-b", filepath.Join(dir, "loop-a"))
	mustSymlink(t, "loop-a", filepath.Join(dir, "loop-b"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}

	refused := []struct{ name, textFile, message string }{
		{"parent", "../secret.txt", `"../secret.txt" leads out of the seed file's folder`},
		{"far parent", "../../../../etc/os-release", `"../../../../etc/os-release" leads out of the seed file's folder`},
		{"parent after a subfolder", "texts/../../secret.txt", `"texts/../../secret.txt" leads out of the seed file's folder`},
		{"absolute", secret, fmt.Sprintf("%q is an absolute path; give a path relative to the seed file's folder", secret)},
		{"device", "/dev/zero", `"/dev/zero" is an absolute path; give a path relative to the seed file's folder`},
		{"link to the parent", "up.txt", `"up.txt" leads out of the seed file's folder through a symbolic link`},
		{"link to an absolute path", "absolute.txt",
			fmt.Sprintf(`"absolute.txt" leads out of the seed file's folder: absolute.txt is a symbolic link to %s`, secret)},
		{"link to a device", "zero.txt", `"zero.txt" leads out of the seed file's folder: zero.txt is a symbolic link to /dev/zero`},
		{"folder linked from outside", "shared/article.txt", `"shared/article.txt" leads out of the seed file's folder through a symbolic link`},
		{"loop of links", "loop-a", `"loop-a" passes through more than 40 symbolic links`},
		{"folder", "texts", filepath.Join(dir, "texts") + " is not a regular file"},
		{"named pipe", "pipe", filepath.Join(dir, "pipe") + " is not a regular file"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".yaml")
			mustWrite(t, file, sourceSeed(c.textFile))
			if got := MustLoadError(t, seed.Options{}, file); got != c.message {
				t.Errorf("error %q, want %q", got, c.message)
			}
		})
	}

	t.Run("inside, directly or through a link", func(t *testing.T) {
		for _, textFile := range []string{"texts/article.txt", "./texts/../texts/article.txt", "inside.txt"} {
			file := filepath.Join(dir, "good.yaml")
			mustWrite(t, file, sourceSeed(textFile))
			set, err := seed.LoadFiles(file)
			if err != nil {
				t.Fatalf("textFile %s: %v", textFile, err)
			}
			if got := set.Batch.Nodes[0].(*domain.Source).Text; got != "An article inside the seed folder." {
				t.Fatalf("textFile %s read %q", textFile, got)
			}
		}
	})

	t.Run("size bounded", func(t *testing.T) {
		mustWrite(t, filepath.Join(dir, "ten.txt"), "0123456789")
		file := filepath.Join(dir, "ten.yaml")
		mustWrite(t, file, sourceSeed("ten.txt"))
		if got, want := MustLoadError(t, seed.Options{MaxTextFileBytes: 9}, file), filepath.Join(dir, "ten.txt")+" is larger than 9 bytes, the most a text file may hold"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
		if _, err := (seed.Options{MaxTextFileBytes: 10}).LoadFiles(file); err != nil {
			t.Errorf("a text file at the limit: %v", err)
		}
		// The default limit holds too: a sparse file one byte over it is refused
		// without being read.
		big := filepath.Join(dir, "big.txt")
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(seed.DefaultMaxTextFileBytes + 1); err != nil {
			t.Fatal(err)
		}
		f.Close()
		mustWrite(t, file, sourceSeed("big.txt"))
		if got, want := MustLoadError(t, seed.Options{}, file), big+" is larger than 64 MiB, the most a text file may hold"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})
}

// TestTextFileInAnFS checks the same confinement for Load over an fs.FS, whose
// symbolic links the loader follows itself.
func TestTextFileInAnFS(t *testing.T) {
	fsys := fstest.MapFS{
		"secret.txt":             {Data: []byte("a secret outside the seed folder")},
		"seed/texts/article.txt": {Data: []byte("An article.")},
		"seed/up.txt":            {Data: []byte("../secret.txt"), Mode: fs.ModeSymlink},
		"seed/shared":            {Data: []byte("../"), Mode: fs.ModeSymlink},
		"seed/inside.txt":        {Data: []byte("texts/article.txt"), Mode: fs.ModeSymlink},
	}
	for textFile, message := range map[string]string{
		"../secret.txt":     `seed/f.yaml:4: textFile: "../secret.txt" leads out of the seed file's folder`,
		"up.txt":            `seed/f.yaml:4: textFile: "up.txt" leads out of the seed file's folder through a symbolic link`,
		"shared/secret.txt": `seed/f.yaml:4: textFile: "shared/secret.txt" leads out of the seed file's folder through a symbolic link`,
		"/secret.txt":       `seed/f.yaml:4: textFile: "/secret.txt" is an absolute path; give a path relative to the seed file's folder`,
		"texts":             `seed/f.yaml:4: textFile: seed/texts is not a regular file`,
		"texts/missing.txt": `seed/f.yaml:4: textFile: cannot read seed/texts/missing.txt: file does not exist`,
		"inside.txt":        "",
		"texts/article.txt": "",
	} {
		fsys["seed/f.yaml"] = &fstest.MapFile{Data: []byte(sourceSeed(textFile))}
		_, err := seed.Load(fsys, "seed/f.yaml")
		if got := fmt.Sprint(err); message == "" && err != nil || message != "" && got != message {
			t.Errorf("textFile %s: error %v, want %q", textFile, err, message)
		}
	}
}

// TestTextFilesListed: a set names each text file it read once per seed file, as its
// seed file gives it (cleaned), with where it was read, a symbolic link followed.
func TestTextFilesListed(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "texts", "a.txt"), "Text A.")
	mustSymlink(t, "texts/a.txt", filepath.Join(dir, "link.txt"))
	mustWrite(t, filepath.Join(dir, "one.yaml"), "sources:\n"+
		"  - {key: a, title: A, textFile: ./texts/a.txt}\n"+
		"  - {key: b, title: B, textFile: texts/../texts/a.txt}\n"+
		"  - {key: c, title: C, textFile: link.txt}\n")
	mustWrite(t, filepath.Join(dir, "two.yaml"), "sources:\n  - {key: d, title: D, textFile: texts/a.txt}\n")
	set, err := seed.LoadFiles(filepath.Join(dir, "one.yaml"), filepath.Join(dir, "two.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "texts", "a.txt")
	want := []seed.TextFile{{0, "texts/a.txt", a}, {0, "link.txt", a}, {1, "texts/a.txt", a}}
	if got := set.TextFiles(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("TextFiles() = %v, want %v", got, want)
	}
}
