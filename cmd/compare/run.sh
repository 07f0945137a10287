#!/usr/bin/env bash
# Reproduces draftroom's side-by-side performance comparison from a fresh
# checkout (docs/performance.md, "Side by side"): the same typing stream —
# one pen-holder at RATE edits/s, CLIENTS clients watching, SECONDS long —
# against
#   draftroom   (draftroom serve, driven by draftroom load),
#   hub         (cmd/compare/hub, a bare gorilla broadcast hub, driven by
#                draftroom load -target hub),
#   hocuspocus  (@hocuspocus/server with its SQLite extension, driven by its
#                own provider in cmd/compare/hocuspocus/client.mjs).
# Each server runs pinned to core 0 and each generator to core 1. The
# servers' CPU (from /proc/PID/stat, over the traffic) and resident memory
# (VmRSS at the end) are read the same way for all three.
#
# Usage: cmd/compare/run.sh [CLIENTS...]     (default: 500 1500)
# Environment: RATE (10), DURATION in seconds (20). Needs Go, Node.js ≥ 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-10}
SECONDS_=${DURATION:-20}
COUNTS=("$@")
[ ${#COUNTS[@]} -eq 0 ] && COUNTS=(500 1500)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

echo "building draftroom and the hub…"
go build -o "$WORK/draftroom" ./cmd/draftroom
go build -o "$WORK/hub" ./cmd/compare/hub
echo "installing the Hocuspocus peer (npm ci)…"
(cd cmd/compare/hocuspocus && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
if ! (cd cmd/compare/hocuspocus && node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null); then
  (cd cmd/compare/hocuspocus && npm rebuild better-sqlite3 --loglevel=error >/dev/null)
fi

HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

# measure NAME CLIENTS SERVER_PID GENERATOR_COMMAND...: runs the generator
# on core 1 and prints one result line.
measure() {
  local name=$1 n=$2 spid=$3; shift 3
  local out="$WORK/$name-$n.out"
  taskset -c 1 "$@" >"$out" 2>&1 &
  local gpid=$!
  wait_for "$out" "set up in" 900
  local t0 s0; t0=$(ticks "$spid"); s0=$(date +%s.%N)
  wait "$gpid"
  local t1 s1; t1=$(ticks "$spid"); s1=$(date +%s.%N)
  local rss; rss=$(rss_kib "$spid")
  local line; line=$(grep "fan-out latency" "$out")
  local p50 p99 n_ok n_exp gen drops
  p50=$(sed -E 's/.* p50 ([0-9.]+) ms.*/\1/' <<<"$line")
  p99=$(sed -E 's/.* p99 ([0-9.]+) ms.*/\1/' <<<"$line")
  n_ok=$(sed -E 's/.*n=([0-9]+) of.*/\1/' <<<"$line")
  n_exp=$(sed -E 's/.* of ([0-9]+) expected.*/\1/' <<<"$line")
  gen=$(grep "generator CPU" "$out" | sed -E 's/.*= ([0-9.]+)% .*/\1/')
  drops=$(grep "dropped connections" "$out" | sed -E 's/.*: ([0-9]+).*/\1/')
  local cpu; cpu=$(awk -v a="$t0" -v b="$t1" -v s="$s0" -v e="$s1" -v hz="$HZ" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / (e - s)}')
  printf "%-11s %6d %9s %9s %8s %10.1f %10.1f %10s %7s %s\n" "$name" "$n" "$p50" "$p99" "$cpu" "$(awk -v r="$rss" 'BEGIN{print r/1024}')" "$(awk -v r="$rss" -v n="$n" 'BEGIN{print r/n}')" "$n_ok/$n_exp" "$drops" "$gen" | tee -a "$WORK/results"
}

start() { # start LOGFILE PATTERN COMMAND...: a server on core 0; sets SPID
  local log=$1 pat=$2; shift 2
  taskset -c 0 "$@" >"$log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
  wait_for "$log" "$pat" 30
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

printf "%-11s %6s %9s %9s %8s %10s %10s %10s %7s %s\n" target clients "p50 ms" "p99 ms" "CPU %" "RSS MiB" "KiB/client" delivered drops "generator CPU %"
for n in "${COUNTS[@]}"; do
  port=$((18300 + RANDOM % 1000))
  start "$WORK/dr.log" "login?code=" "$WORK/draftroom" serve --db "$WORK/dr-$n.db" --addr "127.0.0.1:$port" -conns-per-addr -1
  code=$(grep -o 'code=[A-Za-z0-9_-]*' "$WORK/dr.log" | head -1 | cut -d= -f2)
  measure draftroom "$n" "$SPID" "$WORK/draftroom" load -url "http://127.0.0.1:$port" -code "$code" -clients "$n" -scenario typing -rate "$RATE" -duration "${SECONDS_}s"
  stop "$SPID"

  start "$WORK/hub.log" "listening" "$WORK/hub" -addr "127.0.0.1:$((port + 1))"
  measure hub "$n" "$SPID" "$WORK/draftroom" load -target hub -url "ws://127.0.0.1:$((port + 1))/ws" -clients "$n" -rate "$RATE" -duration "${SECONDS_}s"
  stop "$SPID"

  start "$WORK/hp.log" "listening" node cmd/compare/hocuspocus/server.mjs "$((port + 2))" "$WORK/hp-$n.sqlite"
  measure hocuspocus "$n" "$SPID" node cmd/compare/hocuspocus/client.mjs "ws://127.0.0.1:$((port + 2))" "$n" "$RATE" "$SECONDS_"
  stop "$SPID"
done

echo
echo "ratios (draftroom ÷ other; below 1 means draftroom is faster or lighter):"
awk '
  { p50[$1 FS $2] = $3; p99[$1 FS $2] = $4; cpu[$1 FS $2] = $5; rss[$1 FS $2] = $7; ns[$2] = 1 }
  END {
    for (n in ns) for (o = 1; o <= 2; o++) {
      other = (o == 1) ? "hub" : "hocuspocus"
      d = "draftroom" FS n; x = other FS n
      if (!(x in p99) || p99[x] == 0 || cpu[x] == 0) continue
      printf "  %5d clients, vs %-10s p50 %.2f  p99 %.2f  CPU %.2f  memory per client %.2f\n", n, other, p50[d] / p50[x], p99[d] / p99[x], cpu[d] / cpu[x], rss[d] / rss[x]
    }
  }' "$WORK/results"
