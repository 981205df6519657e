#!/bin/bash
# A/B of the TLS bulk path (issue 18): the benchmarks jar built before the change (tls-before.jar)
# and after it (tls-after.jar), alternating, with CPython asyncio's twin in each round. Each round
# runs under the shared CPU lock. Raw JSON lines on stdout (kept in tlsbulk-ab.jsonl).
# Jars: ./mvnw -pl aio-bench -am package -DskipTests on the two commits, copied to $JARS.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; export PATH=$JAVA_HOME/bin:$PATH
JARS=${JARS:-/tmp/tlsbulk}
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
FLAG=(--add-opens java.base/java.lang=ALL-UNNAMED)
for round in 1 2; do
  flock /tmp/aio4j-cpu.lock bash -c "
  for jar in tls-before tls-after; do
    for s in carrier portable; do
      java ${FLAG[*]} -Daio4j.scheduler=\$s -cp $JARS/\$jar.jar dev.aio4j.bench.streams.TlsBenchmark bulk --warmup 3 --repeat 10 --label \$jar
    done
    java ${FLAG[*]} -Daio4j.scheduler=carrier -cp $JARS/\$jar.jar dev.aio4j.bench.streams.TlsBenchmark bulk --plain --warmup 3 --repeat 10 --label \$jar
    java ${FLAG[*]} -Daio4j.scheduler=carrier -cp $JARS/\$jar.jar dev.aio4j.bench.streams.TlsBenchmark handshake --warmup 1 --repeat 3 --label \$jar
  done
  /usr/bin/python3 $ROOT/aio-bench/python/tls.py --mode bulk --loop asyncio --warmup 1 --repeat 10 2>/dev/null
  /usr/bin/python3 $ROOT/aio-bench/python/tls.py --mode handshake --loop asyncio --warmup 1 --repeat 3 2>/dev/null
  "
done
