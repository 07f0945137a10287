//go:build !unix

package server

import "net"

// writeNonBlocking writes nothing where sockets are not Unix file
// descriptors: every broadcast frame goes to a writer goroutine.
func writeNonBlocking(net.Conn, []byte) (int, error) { return 0, nil }
