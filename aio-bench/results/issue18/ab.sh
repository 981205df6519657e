#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; export PATH=$JAVA_HOME/bin:$PATH
for round in 1 2; do
  for jar in tls-base tls-run; do
    java --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler=carrier -cp /tmp/$jar.jar dev.aio4j.bench.streams.TlsBenchmark bulk --warmup 3 --repeat 5 --label $jar
    java --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler=carrier -cp /tmp/$jar.jar dev.aio4j.bench.streams.TlsBenchmark handshake --warmup 1 --repeat 3 --label $jar
  done
  /usr/bin/python3 /work/wt-tls/aio-bench/python/tls.py --mode bulk --loop asyncio --warmup 1 --repeat 5
done
