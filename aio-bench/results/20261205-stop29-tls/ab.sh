#!/bin/bash
# Stop 29 A/B of TLS handshakes: the benchmarks jar before (b4496b0's SslProtocol and SocketTransport
# classes put into the after jar, so both have TlsHandshakeBenchmark) and after, alternating, each JMH
# run under the shared CPU lock. Usage: BEFORE=before.jar AFTER=after.jar ROUNDS=3 ab.sh; then
# python3 summarize.py <this directory>.
for round in $(seq ${ROUNDS:-3}); do
  for j in before2 after; do
    jar=$([ $j = after ] && echo "$AFTER" || echo "$BEFORE")
    flock -w 2400 /tmp/aio4j-cpu.lock timeout 900 java -jar "$jar" TlsHandshakeBenchmark -p scheduler=carrier \
      -f 1 -wi 6 -i 5 -w 2s -r 2s -prof gc -rf json -rff $j-$round.json > $j-$round.txt 2>&1
  done
done
# System calls per handshake: strace -f -c of TlsBenchmark handshake --size 200 and --size 400
# (--warmup 0 --repeat 1, carrier), the difference over 200 (strace-<jar>-<size>.txt).
