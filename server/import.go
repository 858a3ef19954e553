package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"eventgraph/graph"
	"eventgraph/seed"
	"eventgraph/store"
	"eventgraph/store/domain"
)

// DefaultMaxImportBytes bounds what one POST /import may send: 1 GiB.
const DefaultMaxImportBytes = 1 << 30

// CodeTooLarge: the request body is larger than the server accepts at that path.
const CodeTooLarge = "REQUEST_TOO_LARGE"

// Parts of a POST /import body.
const (
	importSeedPart = "file" // a seed file; its filename is the name errors give it
	importTextPart = "text" // a text file of the seed file before it, named as its textFile
)

// importSpoolPattern names the folders an import's files are written to while it
// runs (see Config.ImportDir).
const importSpoolPattern = ".import-*"

// importIdleTimeout is how long an upload may send nothing. The server's read timeout
// bounds a whole request body, which a large import cannot meet over a slow link;
// this bounds instead how long a stalled client holds a spool folder.
const importIdleTimeout = 30 * time.Second

// importHandler serves POST /import: seed files, sent as multipart/form-data parts
// named file (each followed by parts named text holding the text files it names), are
// written to a spool folder, then loaded and imported as eventgraph import does
// offline: every problem reported, nothing written unless everything is right, all the
// files in one write. dryRun=true validates without writing.
func importHandler(g Graph, cfg Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
			writeError(w, mediaJSON, http.StatusUnsupportedMediaType, "send the seed files as multipart/form-data", codeBadRequest)
			return
		}
		dryRun := false
		if v := r.URL.Query().Get("dryRun"); v != "" {
			if dryRun, err = strconv.ParseBool(v); err != nil {
				writeError(w, mediaJSON, http.StatusBadRequest, "dryRun must be true or false", codeBadRequest)
				return
			}
		}
		body := io.Reader(r.Body)
		if cfg.MaxImportBytes > 0 {
			body = http.MaxBytesReader(w, r.Body, cfg.MaxImportBytes)
		}
		body = idleDeadline{body, http.NewResponseController(w)}
		spool, err := os.MkdirTemp(cfg.ImportDir, importSpoolPattern)
		if err != nil {
			internalError(w, r.Context(), cfg.Logger, "import spool", err)
			return
		}
		defer os.RemoveAll(spool)
		files, status, err := spoolImport(spool, multipart.NewReader(body, params["boundary"]))
		if err == nil {
			// Read to its end, so that the request's context is cancelled if the
			// client goes away while the import runs.
			_, err = io.Copy(io.Discard, body)
		}
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, mediaJSON, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the seed files are larger than the %d bytes the server accepts in one import", tooLarge.Limit), CodeTooLarge)
			return
		case status != 0:
			writeError(w, mediaJSON, status, err.Error(), codeBadRequest)
			return
		case err != nil:
			writeError(w, mediaJSON, http.StatusBadRequest, "the request body is not multipart/form-data: "+err.Error(), codeBadRequest)
			return
		}
		ctx := r.Context()
		stats, err := seed.Options{DryRun: dryRun}.ImportFiles(ctx, g, files.paths...)
		if list, ok := seed.AsErrorList(err); ok {
			writeSeedErrors(w, files.rename(list))
			return
		}
		switch {
		case err == nil:
			w.Header().Set("Content-Type", mediaJSON)
			json.NewEncoder(w).Encode(ImportStats{Nodes: stats.Nodes, Relations: stats.Relations, Evidence: stats.Evidence, DryRun: dryRun})
		case errors.Is(err, store.ErrConflict):
			writeError(w, mediaJSON, http.StatusConflict, "the store changed during the import; send it again", graph.CodeConflict)
		case errors.Is(err, store.ErrUndetermined):
			writeError(w, mediaJSON, http.StatusServiceUnavailable, "the store lost the answer to the import's commit: it is there whole or not at all; sending the same files again is safe", graph.CodeResultUnknown)
		case ctx.Err() != nil:
			// The client went away: nobody is left to answer, and nothing was written.
		default:
			internalError(w, ctx, cfg.Logger, "import", err)
		}
	})
}

// ImportStats is POST /import's answer: what the import changed, or with DryRun what
// it would have.
type ImportStats struct {
	Nodes     int  `json:"nodes"`
	Relations int  `json:"relations"`
	Evidence  int  `json:"evidence"`
	DryRun    bool `json:"dryRun"`
}

func internalError(w http.ResponseWriter, ctx context.Context, log *slog.Logger, what string, err error) {
	log.ErrorContext(ctx, what+" failed", "err", err)
	writeError(w, mediaJSON, http.StatusInternalServerError, "internal error", graph.CodeInternal)
}

// idleDeadline pushes the connection's read deadline importIdleTimeout ahead of each
// read of the body.
type idleDeadline struct {
	r  io.Reader
	rc *http.ResponseController
}

func (d idleDeadline) Read(b []byte) (int, error) {
	// A connection that cannot take deadlines keeps the server's read timeout.
	_ = d.rc.SetReadDeadline(time.Now().Add(importIdleTimeout))
	return d.r.Read(b)
}

// spooled are the seed files of an import as written to its spool folder: each in a
// folder of its own, under its base name (which an evidence record's method names and
// history's author lists), beside its text files.
type spooled struct {
	paths []string // the seed files in the spool folder
	names []string // the names the client gave them
}

// spoolImport writes the parts of an upload to spool. A non-zero status is a request
// the server refuses for what it holds; errors reading it come with status 0.
func spoolImport(spool string, parts *multipart.Reader) (files spooled, status int, err error) {
	var root *os.Root
	defer func() {
		if root != nil {
			root.Close()
		}
	}()
	for {
		part, err := parts.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return files, 0, err
		}
		// Part.FileName keeps only the base name; errors give the name as sent.
		_, disposition, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		name := disposition["filename"]
		var f *os.File
		switch part.FormName() {
		case importSeedPart:
			base := path.Base(name)
			if name == "" || base == "." || base == ".." || base == "/" {
				return files, http.StatusBadRequest, fmt.Errorf("a %s part needs a filename, the seed file's name", importSeedPart)
			}
			dir := filepath.Join(spool, strconv.Itoa(len(files.paths)))
			if err := os.Mkdir(dir, 0o700); err != nil {
				return files, http.StatusInternalServerError, err
			}
			if root != nil {
				root.Close()
			}
			if root, err = os.OpenRoot(dir); err != nil {
				return files, http.StatusInternalServerError, err
			}
			files.paths = append(files.paths, filepath.Join(dir, base))
			files.names = append(files.names, name)
			if f, err = root.Create(base); err != nil {
				return files, http.StatusInternalServerError, err
			}
		case importTextPart:
			if root == nil {
				return files, http.StatusBadRequest, fmt.Errorf("text file %q comes before any seed file", name)
			}
			seedFile := files.names[len(files.names)-1]
			if !fileNameInFolder(name) || name == path.Base(files.paths[len(files.paths)-1]) {
				return files, http.StatusBadRequest, fmt.Errorf("text file %q of %s is not a path inside the seed file's folder", name, seedFile)
			}
			if err := root.MkdirAll(path.Dir(name), 0o700); err != nil {
				return files, http.StatusBadRequest, fmt.Errorf("text file %q of %s: %v", name, seedFile, err)
			}
			if f, err = root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
				return files, http.StatusBadRequest, fmt.Errorf("text file %q of %s is sent twice or clashes with another: %v", name, seedFile, err)
			}
		default:
			return files, http.StatusBadRequest, fmt.Errorf("unexpected part %q: send parts named %s and %s", part.FormName(), importSeedPart, importTextPart)
		}
		_, err = io.Copy(f, part)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return files, 0, err
		}
	}
	if len(files.paths) == 0 {
		return files, http.StatusBadRequest, fmt.Errorf("no seed files: send each as a part named %s", importSeedPart)
	}
	return files, 0, nil
}

// fileNameInFolder reports whether name is a slash-separated path to a file inside a
// folder, as a cleaned textFile is.
func fileNameInFolder(name string) bool {
	return name != "." && name == path.Clean(name) && !path.IsAbs(name) && name != ".." && !strings.HasPrefix(name, "../")
}

// rename gives the errors of loading or importing the spooled files the names the
// client sent: in place of each spooled file's folder, the folder its name has.
func (s spooled) rename(list *seed.ErrorList) *seed.ErrorList {
	byPath := map[string]string{}
	var pairs []string
	for i, p := range s.paths {
		byPath[p] = s.names[i]
		folder := path.Dir(s.names[i]) + "/"
		if folder == "./" {
			folder = ""
		}
		pairs = append(pairs, filepath.Dir(p)+string(filepath.Separator), folder)
	}
	r := strings.NewReplacer(pairs...)
	for _, e := range list.Errors {
		if name, ok := byPath[e.File]; ok {
			e.File = name
		}
		e.Message = r.Replace(e.Message)
	}
	return list
}

// ImportError is one problem POST /import reports, in the shape of every error the
// server answers with.
type ImportError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code  string `json:"code"`
		File  string `json:"file,omitempty"`
		Line  int    `json:"line,omitempty"`
		Field string `json:"field,omitempty"`
		// More counts, on a last error coded TOO_MANY_ERRORS, the problems not listed.
		More int `json:"more,omitempty"`
	} `json:"extensions"`
}

// writeSeedErrors answers 422 with every problem of list, each at its file, line and
// field.
func writeSeedErrors(w http.ResponseWriter, list *seed.ErrorList) {
	out := make([]ImportError, 0, len(list.Errors)+1)
	for _, e := range list.Errors {
		var ie ImportError
		ie.Message = e.Message
		ie.Extensions.Code = graph.CodeInvalidInput
		if errors.Is(e, domain.ErrEvidenceRequired) {
			ie.Extensions.Code = graph.CodeEvidenceRequired
		}
		ie.Extensions.File, ie.Extensions.Line, ie.Extensions.Field = e.File, e.Line, e.Field
		out = append(out, ie)
	}
	if list.More > 0 {
		var ie ImportError
		ie.Message = fmt.Sprintf("and %d more", list.More)
		ie.Extensions.Code, ie.Extensions.More = graph.CodeTooManyErrors, list.More
		out = append(out, ie)
	}
	w.Header().Set("Content-Type", mediaJSON)
	w.WriteHeader(http.StatusUnprocessableEntity)
	json.NewEncoder(w).Encode(map[string]any{"errors": out})
}

// RemoveImportSpools removes the spool folders of imports in dir that a server
// stopped without removing (it was killed): only the server holding the data
// directory, at its start, may call it there.
func RemoveImportSpools(dir string) error {
	left, err := filepath.Glob(filepath.Join(dir, importSpoolPattern))
	for _, d := range left {
		err = errors.Join(err, os.RemoveAll(d))
	}
	return err
}

// SendImport sends set's seed files, each followed by its text files, to POST /import
// of the server h describes, read from disk as they are sent. Problems with the files
// come back as a *seed.ErrorList naming them as set.Files does.
func SendImport(ctx context.Context, h Handoff, set *seed.Set, dryRun bool) (ImportStats, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() { pw.CloseWithError(writeImport(mw, set)) }()
	var out struct {
		ImportStats
		Errors []ImportError `json:"errors"`
	}
	resp, err := h.Post(ctx, "/import?dryRun="+strconv.FormatBool(dryRun), mw.FormDataContentType(), pr, &out)
	pr.Close()
	if err != nil {
		return ImportStats{}, err
	}
	switch {
	case resp.StatusCode == http.StatusUnprocessableEntity && len(out.Errors) > 0:
		list := &seed.ErrorList{}
		for _, e := range out.Errors {
			if e.Extensions.Code == graph.CodeTooManyErrors {
				list.More += e.Extensions.More
				continue
			}
			kind := domain.ErrInvalid
			if e.Extensions.Code == graph.CodeEvidenceRequired {
				kind = domain.ErrEvidenceRequired
			}
			list.Errors = append(list.Errors, &seed.Error{File: e.Extensions.File, Line: e.Extensions.Line, Field: e.Extensions.Field, Message: e.Message, Kind: kind})
		}
		return ImportStats{}, list
	case len(out.Errors) > 0:
		return ImportStats{}, fmt.Errorf("the server at %s refused the import (%s %s): %s", h.URL, resp.Status, out.Errors[0].Extensions.Code, out.Errors[0].Message)
	case resp.StatusCode != http.StatusOK:
		return ImportStats{}, fmt.Errorf("the server at %s answered %s", h.URL, resp.Status)
	}
	return out.ImportStats, nil
}

// writeImport writes set's files to mw as SendImport sends them.
func writeImport(mw *multipart.Writer, set *seed.Set) error {
	texts := set.TextFiles()
	for i, name := range set.Files() {
		if err := copyPart(mw, importSeedPart, filepath.ToSlash(name), name); err != nil {
			return err
		}
		for _, t := range texts {
			if t.Seed == i {
				if err := copyPart(mw, importTextPart, t.Name, t.Path); err != nil {
					return err
				}
			}
		}
	}
	return mw.Close()
}

// copyPart writes the file at from to mw as a part named field with filename name.
func copyPart(mw *multipart.Writer, field, name, from string) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	part, err := mw.CreateFormFile(field, name)
	if err != nil {
		return err
	}
	_, err = io.Copy(part, f)
	return err
}
