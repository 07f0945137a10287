//go:build unix

package server

import (
	"errors"
	"net"
	"syscall"
)

// writeNonBlocking makes one write to conn that does not wait for the
// socket to have room: it returns how much of p was written, which is less
// than len(p) (possibly 0) when the socket's buffer is full. Connections
// that are not sockets write nothing here and leave it all to the caller.
func writeNonBlocking(conn net.Conn, p []byte) (int, error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return 0, nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, nil
	}
	var n int
	var werr error
	err = raw.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), p)
		return true // one attempt: Go's sockets are non-blocking
	})
	if n < 0 {
		n = 0
	}
	switch {
	case err != nil:
		return n, err
	case errors.Is(werr, syscall.EAGAIN), errors.Is(werr, syscall.EINTR):
		return n, nil
	}
	return n, werr
}
