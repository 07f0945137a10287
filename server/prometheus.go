package server

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// histogram counts observations in fixed buckets, for the Prometheus
// text format (cumulative counts, a sum and a count).
type histogram struct {
	mu     sync.Mutex
	bounds []float64 // upper bounds in seconds, ascending
	counts []uint64  // per bucket (not cumulative); the last is +Inf
	sum    float64
	n      uint64
}

// latencyBounds are the buckets of the latency histograms, in seconds:
// 0.5 ms to 10 s.
var latencyBounds = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

// observe records one duration.
func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := 0
	for i < len(h.bounds) && s > h.bounds[i] {
		i++
	}
	h.mu.Lock()
	h.counts[i]++
	h.sum += s
	h.n++
	h.mu.Unlock()
}

// write writes the histogram in the Prometheus text format.
func (h *histogram) write(w io.Writer, name, help string) {
	h.mu.Lock()
	counts := append([]uint64(nil), h.counts...)
	sum, n := h.sum, h.n
	h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name)
	var cum uint64
	for i, b := range h.bounds {
		cum += counts[i]
		fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b, cum)
	}
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n", name, n, name, sum, name, n)
}

// wantsPrometheus reports whether a /metrics request asks for the
// Prometheus text format: ?format=prometheus, or an Accept header naming
// text/plain or OpenMetrics, as Prometheus's scraper sends.
func wantsPrometheus(r *http.Request) bool {
	if f := r.URL.Query().Get("format"); f != "" {
		return f == "prometheus"
	}
	a := r.Header.Get("Accept")
	return strings.Contains(a, "text/plain") || strings.Contains(a, "openmetrics")
}

// writePrometheus writes the node's metrics in the Prometheus text
// exposition format (version 0.0.4).
func (s *Server) writePrometheus(w io.Writer) {
	m := s.Metrics()
	metric := func(name, typ, help string, v float64, labels ...string) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
		if len(labels) == 0 {
			fmt.Fprintf(w, "%s %g\n", name, v)
		}
	}
	owned, followed := m.Rooms, 0
	var changes uint64
	if m.Cluster != nil {
		owned, followed, changes = len(m.Cluster.Owned), len(m.Cluster.Followed), m.Cluster.LeaseChanges
	}
	metric("draftroom_rooms", "gauge", "Document rooms on this node, by whether it decides their commands (owned) or follows them.", 0, "role")
	fmt.Fprintf(w, "draftroom_rooms{role=\"owned\"} %d\ndraftroom_rooms{role=\"followed\"} %d\n", owned, followed)
	metric("draftroom_clients", "gauge", "Websocket clients in rooms on this node.", float64(m.Clients))
	metric("draftroom_sockets", "gauge", "Open websocket connections, those being closed included.", float64(m.Sockets))
	metric("draftroom_events_total", "counter", "Events this node stored for its rooms.", float64(m.Events))
	metric("draftroom_slow_clients_cut_total", "counter", "Clients cut off because their queue was full.", float64(m.SlowCut))
	metric("draftroom_rate_limited_total", "counter", "Commands refused for going too fast.", float64(m.RateLimited))
	metric("draftroom_lease_changes_total", "counter", "Rooms whose lease this node took (at start, on creation, or from a node that was gone).", float64(changes))
	metric("draftroom_ack_p99_seconds", "gauge", "99th percentile of the time from a command reaching its room to its acknowledgement, over the last 4,096 commands.", m.AckP99/1000)
	metric("draftroom_uptime_seconds", "gauge", "Seconds since the node started.", m.Uptime)
	metric("draftroom_cpu_seconds_total", "counter", "User and system CPU time of the process.", m.CPUSeconds)
	metric("draftroom_resident_bytes", "gauge", "Resident set size of the process.", float64(m.RSSBytes))
	s.metrics.appendLatency.write(w, "draftroom_append_seconds", "Time of one room's Append to the event log, from the call to the commit.")
	s.metrics.followLag.write(w, "draftroom_follow_lag_seconds", "On a follower: time from an event's decision on its owner to its application here.")
}
