package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// BenchmarkDurableCommit measures events/s and acknowledgement latency
// with 100 concurrent submitters, each appending one event at a time to
// its own stream, with group commit and with one commit per append (the
// baseline), in the same run. Goal: ≥ 10,000 events/s at ack p99 ≤ 10 ms.
func BenchmarkDurableCommit(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts Options
	}{{"group", Options{}}, {"single", Options{NoGroupCommit: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			l, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), mode.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			const submitters = 100
			per := b.N/submitters + 1
			lat := make([][]time.Duration, submitters)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for s := 0; s < submitters; s++ {
				wg.Add(1)
				go func(s int) {
					defer wg.Done()
					stream := engine.StreamID(fmt.Sprintf("doc/%d", s))
					ev := notes(s, 1)
					for i := 0; i < per; i++ {
						t := time.Now()
						if _, err := l.Append(context.Background(), stream, uint64(i), ev); err != nil {
							b.Error(err)
							return
						}
						lat[s] = append(lat[s], time.Since(t))
					}
				}(s)
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			var all []time.Duration
			for _, l := range lat {
				all = append(all, l...)
			}
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
