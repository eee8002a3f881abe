#!/usr/bin/env bash
# Interleaved rounds of the memory scenarios against two Switchboard checkouts, each server started
# fresh per run with its own bin/switchboard (so each runs on its own default JVM flags):
#   BEFORE_HOME=/path/to/old-checkout bench/ab-memory.sh flood|idle ROUNDS OUTDIR [bench args...]
# The old checkout must be built (its dist jar present). Summaries: grep '^result' -A2 OUTDIR/*.log
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCENARIO=${1:?flood or idle}; ROUNDS=${2:-3}; OUT=${3:-$root/bench/results/raw/ab-$SCENARIO}; shift 3 || shift $#
mkdir -p "$OUT"
declare -A HOME_OF=([before]="${BEFORE_HOME:?set BEFORE_HOME}" [after]="$root")
port=5700
for r in $(seq 1 "$ROUNDS"); do
  for s in before after; do
    port=$((port+1))
    "${HOME_OF[$s]}/bin/switchboard" --port $port --host 127.0.0.1 --log-level warn > "$OUT/$s-$r.server.log" 2>&1 &
    for i in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    pid=$(pgrep -f -- "--port $port" | head -1)
    extra=()
    [ "$SCENARIO" = flood ] && extra=(--chart "$OUT/$s-$r.png" --csv "$OUT/$s-$r.csv")
    [ "$SCENARIO" = idle ] && extra=(--connections 15000)
    "$root/bin/switchboard-bench" "$SCENARIO" --port $port --server-pid "$pid" --json "$OUT/$s-$r.json" \
        --label "$s-$r" "${extra[@]}" "$@" > "$OUT/$s-$r.log" 2>&1
    kill "$pid"; wait 2>/dev/null
    grep -A2 '^result' "$OUT/$s-$r.log" | sed "s/^/$s-$r: /"
  done
done
