#!/usr/bin/env bash
# Interleaved rounds of the targeted scenario (10k users x 1 device, 20 senders, window 16) against
# the relay and two Switchboard jars, each server started fresh per run.
#   BEFORE_JAR=old-all.jar AFTER_JAR=new-all.jar bench/ab-targeted.sh ROUNDS OUTDIR
# SERVERS picks among "relay before after tuned" ("tuned": the after jar with TUNED_OPTS for JVM flags);
# summarise with bench/ab-summary.py OUTDIR...
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=${1:-3}; OUT=${2:-$root/bench/results/raw/ab}; mkdir -p $OUT
OPTS="-XX:+UseParallelGC -Xms64m -XX:MaxRAMPercentage=50 -Xss512k --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true"
BENCH=$root/bench/target/switchboard-bench-0.1.0-SNAPSHOT-all.jar
declare -A CMD
CMD[relay]="java $OPTS -cp $BENCH dev.switchboard.bench.BenchMain relay --host 127.0.0.1 --port"
CMD[before]="java $OPTS -jar ${BEFORE_JAR:-missing-BEFORE_JAR} --log-level warn --host 127.0.0.1 --max-messages-per-second 0 --port"
# The after jar runs on bin/switchboard's flags (a fixed young generation of 24 MiB per core), the
# relay and the before jar on the flags they were measured with.
AFTER_OPTS=${AFTER_OPTS:-"$OPTS -Xmn$((24 * $(nproc)))m"}
CMD[after]="java $AFTER_OPTS -jar ${AFTER_JAR:-$root/dist/target/switchboard-0.1.0-SNAPSHOT-all.jar} --log-level warn --host 127.0.0.1 --max-messages-per-second 0 --port"
CMD[tuned]="java ${TUNED_OPTS:-$OPTS} -jar ${AFTER_JAR:-$root/dist/target/switchboard-0.1.0-SNAPSHOT-all.jar} --log-level warn --host 127.0.0.1 --max-messages-per-second 0 --port"
SERVERS=${SERVERS:-"relay before after"}
port=5400
for r in $(seq 1 $ROUNDS); do
  for s in $SERVERS; do
    port=$((port+1))
    ${CMD[$s]} $port > $OUT/$s-$r.server.log 2>&1 &
    pid=$!
    for i in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    java -cp $BENCH dev.switchboard.bench.BenchMain targeted --port $port --users 10000 --devices 1 --senders 20 --window 16 --warmup 5 --duration 15 --server-pid $pid --json $OUT/$s-$r.json --label $s-$r > $OUT/$s-$r.log 2>&1
    kill $pid; wait $pid 2>/dev/null
    grep -E "^result|delivery latency" $OUT/$s-$r.log | head -3 | sed "s/^/$s-$r: /"
  done
done
echo done
