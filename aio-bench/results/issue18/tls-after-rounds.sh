export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; export PATH=$JAVA_HOME/bin:$PATH
ROOT=/work/main
for round in 1 2 3; do
  flock /tmp/aio4j-cpu.lock bash -c "
    for s in carrier portable; do
      java --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler=\$s -cp /tmp/tlsbulk/tls-after.jar dev.aio4j.bench.streams.TlsBenchmark bulk --warmup 3 --repeat 10 --label tls-after
    done
    /usr/bin/python3 $ROOT/aio-bench/python/tls.py --mode bulk --loop asyncio --warmup 1 --repeat 10 2>/dev/null
    java --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler=carrier -cp /tmp/tlsbulk/tls-after.jar dev.aio4j.bench.streams.TlsBenchmark handshake --warmup 1 --repeat 3 --label tls-after
    /usr/bin/python3 $ROOT/aio-bench/python/tls.py --mode handshake --loop asyncio --warmup 1 --repeat 3 2>/dev/null
  "
done
