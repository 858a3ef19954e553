package server

import (
	"net"
	"testing"
)

// TestHostAllowed covers what a loopback test server cannot reach: a server bound to
// an address other machines use answers Host headers naming that address, not
// loopback ones.
func TestHostAllowed(t *testing.T) {
	names := map[string]bool{"localhost": true, "graph.example": true}
	lan := &net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 8080}
	lan6 := &net.TCPAddr{IP: net.ParseIP("2001:db8::10"), Port: 8080}
	loopback := &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}
	for _, c := range []struct {
		host  string
		local net.Addr
		want  bool
	}{
		{"192.0.2.10:8080", lan, true},
		{"192.0.2.10", lan, true},
		{"127.0.0.1:8080", lan, false},
		{"192.0.2.11:8080", lan, false},
		{"[2001:db8::10]:8080", lan6, true},
		{"[2001:db8::10%eth0]:8080", lan6, true},
		{"[::1]:8080", lan6, false},
		{"graph.example:8080", lan, true},
		{"localhost:8080", lan, true},
		{"127.8.9.10", loopback, true},
		{"rebound.example:8080", loopback, false},
		{"", loopback, false},
		{":8080", loopback, false},
		{"127.0.0.1", nil, false},
		{"graph.example", nil, true},
	} {
		if got := hostAllowed(c.host, c.local, names); got != c.want {
			t.Errorf("hostAllowed(%q, %v) = %v, want %v", c.host, c.local, got, c.want)
		}
	}
}
