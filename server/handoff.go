package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

// Handoff is what a running server leaves in its data directory so that the command
// line, which cannot open the directory while the server holds it, can hand the server
// its work instead (eventgraph ingest): where to reach it, and a token it accepts as an
// editor when it checks tokens. The file is readable by its owner only, as the data
// directory's records are theirs: whoever may read the store may write to it.
type Handoff struct {
	URL   string `json:"url"`
	Token string `json:"token,omitempty"`
}

// HandoffFile is the handoff's name in the data directory.
const HandoffFile = "serving.json"

// LocalIdentity is who the handoff's token is: history records the command line's
// writes through a server under this name.
var LocalIdentity = Identity{Role: RoleEditor, Name: "eventgraph command line"}

// NewHandoff describes a server listening on addr; with tokens, it adds a new random
// token to them as LocalIdentity. An unspecified address (":8080", "0.0.0.0:8080") is
// reached on loopback.
func NewHandoff(addr net.Addr, tokens *Tokens) (Handoff, error) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return Handoff{}, fmt.Errorf("handoff: %v is not a TCP address", addr)
	}
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	h := Handoff{URL: "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))}
	if tokens != nil {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return Handoff{}, err
		}
		h.Token = hex.EncodeToString(b)
		if err := tokens.Add(h.Token, LocalIdentity); err != nil {
			return Handoff{}, err
		}
	}
	return h, nil
}

// Write leaves h in dir, readable by its owner only, and returns what removes it.
func (h Handoff) Write(dir string) (remove func() error, err error) {
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, HandoffFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return func() error { return os.Remove(path) }, nil
}

// ReadHandoff reads the handoff a server running on dir left there.
//
// Errors: one wrapping os.ErrNotExist when no server left one.
func ReadHandoff(dir string) (Handoff, error) {
	var h Handoff
	b, err := os.ReadFile(filepath.Join(dir, HandoffFile))
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil || h.URL == "" {
		return h, errors.Join(fmt.Errorf("%s in %s is not a server's handoff", HandoffFile, dir), err)
	}
	return h, nil
}

// maxHandoffAnswer bounds the JSON answer the command line reads from a server.
const maxHandoffAnswer = 16 << 20

// Post sends body (of contentType) to path on the server h describes, with h's token,
// and decodes its JSON answer, at most maxHandoffAnswer bytes, into out. It returns the
// response for its status, the body read and closed.
//
// Errors: the transport's, or an answer that is not JSON, each naming the server.
func (h Handoff) Post(ctx context.Context, path, contentType string, body io.Reader, out any) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if h.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the server at %s: %w", h.URL, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxHandoffAnswer)).Decode(out); err != nil {
		return resp, fmt.Errorf("the server at %s answered %s: %w", h.URL, resp.Status, err)
	}
	return resp, nil
}
