#!/usr/bin/env bash
# aio-bench/web-compare.sh: the web server comparison of issue 15. wrk with keep-alive on
# loopback against aio4j's BenchServer and its peers, the server pinned to core 0 and wrk to
# core 1, /plaintext and /json, then aio4j with --workers 2 (both unpinned), then the memory of
# 10,000 idle keep-alive connections. Writes one table (requests/s, p99, ratios) to OUT/table.md.
#
# Usage:  aio-bench/web-compare.sh [server ...]
#   servers: aio4j (carrier scheduler: --add-opens), aio4j_portable (no flag), nginx, netty,
#            helidon, aiohttp (aiohttp.web on uvloop), workers, idle (default: all, in this order)
#
# Environment:
#   DURATION   seconds measured per run (default 10); WARMUP seconds of load on each path before the
#              first measured run of a server (default 20: the JIT shares the pinned core)
#   CONNS      wrk connections (default 50); IDLE_CONNS for the idle run (default 10000)
#   PYTHON     the Python with aiohttp and uvloop (default /usr/bin/python3: Debian's python3-aiohttp
#              and python3-uvloop; INSTALL=1 installs them and wrk, nginx with apt-get)
#   JAVA_OPTS  heap preset for the JVM servers (default -Xms512m -Xmx512m -XX:+UseParallelGC)
#   SKIP_BUILD=1  use the jars and classes as they are
#   OUT        results directory (default aio-bench/results/web-<UTC timestamp>)
set -euo pipefail
# One { ... } block: bash reads the whole script before running it.
{
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/aio-bench"
PYTHON="${PYTHON:-/usr/bin/python3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
CONNS="${CONNS:-50}"
IDLE_CONNS="${IDLE_CONNS:-10000}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
OUT="${OUT:-$BENCH/results/web-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)" # absolute: nginx reads its configuration relative to its prefix

say() { printf '\n== %s\n' "$*" >&2; }

. "$ROOT/.ci/jdk.sh"
JAVA_HOME="$(pick_jdk)" || { echo "web-compare.sh: no JDK 21+ found; set JAVA_HOME" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
JAVA="$JAVA_HOME/bin/java"

if [ "${INSTALL:-0}" = 1 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q wrk nginx-light python3-aiohttp python3-uvloop >&2 || true
fi
for tool in wrk taskset; do
  command -v "$tool" >/dev/null || { echo "web-compare.sh: $tool is missing (INSTALL=1 installs it)" >&2; exit 1; }
done

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "building aio-bench and aio-examples (tests skipped)"
  (cd "$ROOT" && ./mvnw -B -q -pl aio-bench,aio-examples -am package -DskipTests)
fi
JAR="$BENCH/target/benchmarks.jar"
CP="$ROOT/aio-examples/target/classes:$ROOT/aio-loop/target/classes:$ROOT/aio-streams/target/classes:$ROOT/aio-http/target/classes"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $0 $* (DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS IDLE_CONNS=$IDLE_CONNS)"
  echo "cores: $(nproc); cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS: $JAVA_OPTS"
  echo "wrk: $(wrk -v 2>&1 | head -1); nginx: $(nginx -v 2>&1 || echo missing)"
  echo "python: $("$PYTHON" --version 2>&1); aiohttp: $("$PYTHON" -c 'import aiohttp; print(aiohttp.__version__)' 2>/dev/null || echo missing); uvloop: $("$PYTHON" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo missing)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt" >&2

PID=""
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server NAME PORT PIN: starts it in the background (pinned to core PIN unless "-") and
# waits for its "serving on" line (nginx: for a first answer).
start_server() {
  local name="$1" port="$2" pin="$3" log="$OUT/$1.log" pre=()
  [ "$pin" != "-" ] && pre=(taskset -c "$pin")
  case "$name" in
    aio4j) "${pre[@]}" "$JAVA" $JAVA_OPTS --add-opens java.base/java.lang=ALL-UNNAMED -cp "$CP" \
             dev.aio4j.examples.web.BenchServer --host 127.0.0.1 --port "$port" > "$log" 2>&1 & ;;
    aio4j_portable) "${pre[@]}" "$JAVA" $JAVA_OPTS -cp "$CP" \
             dev.aio4j.examples.web.BenchServer --host 127.0.0.1 --port "$port" > "$log" 2>&1 & ;;
    workers) "$JAVA" $JAVA_OPTS --add-opens java.base/java.lang=ALL-UNNAMED -cp "$CP" \
             dev.aio4j.examples.web.BenchServer --host 127.0.0.1 --port "$port" --workers 2 > "$log" 2>&1 & ;;
    netty) "${pre[@]}" "$JAVA" $JAVA_OPTS -cp "$JAR" dev.aio4j.bench.web.NettyHelloServer "$port" > "$log" 2>&1 & ;;
    helidon) "${pre[@]}" "$JAVA" $JAVA_OPTS -cp "$JAR" dev.aio4j.bench.web.HelidonHelloServer "$port" > "$log" 2>&1 & ;;
    aiohttp) "${pre[@]}" "$PYTHON" "$BENCH/python/web_server.py" --port "$port" > "$log" 2>&1 & ;;
    nginx)
      mkdir -p "$OUT/nginx"
      cat > "$OUT/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx; proxy_temp_path $OUT/nginx; fastcgi_temp_path $OUT/nginx;
  uwsgi_temp_path $OUT/nginx; scgi_temp_path $OUT/nginx;
  server {
    listen 127.0.0.1:$port;
    location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
    location = /json { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
}
CONF
      "${pre[@]}" nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" > "$log" 2>&1 & ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac
  PID=$!
  for _ in $(seq 1 300); do
    if grep -q "serving on" "$log" 2>/dev/null || { [ "$name" = nginx ] && curl -sf "http://127.0.0.1:$port/plaintext" >/dev/null 2>&1; }; then
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || { echo "$name died:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name did not start in 30 s" >&2; cat "$log" >&2; exit 1
}

stop_server() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  PID=""
}
trap stop_server EXIT

# warm NAME PORT PIN THREADS: WARMUP seconds on each path before anything is measured, so that
# the JIT (which shares the server's core) has compiled both paths
warm() {
  local port="$2" pin="$3" threads="$4" pre=() path
  [ "$pin" != "-" ] && pre=(taskset -c "$pin")
  for path in /plaintext /json; do
    "${pre[@]}" wrk -t"$threads" -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$port$path" > /dev/null
  done
}

# wrk_run NAME PORT PATH PIN THREADS: the measured run; one line to results.tsv
wrk_run() {
  local name="$1" port="$2" path="$3" pin="$4" threads="$5" pre=()
  [ "$pin" != "-" ] && pre=(taskset -c "$pin")
  "${pre[@]}" wrk -t"$threads" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$path" > "$OUT/$name${path//\//_}.wrk"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name${path//\//_}.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$name${path//\//_}.wrk")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/$name${path//\//_}.wrk" | tr '\n' ' ')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$rps" "$p99" "${errors:-}" >> "$OUT/results.tsv"
  printf '%-16s %-11s %12s req/s  p99 %s %s\n' "$name" "$path" "$rps" "$p99" "${errors:-}" >&2
}

# rss_kb PID: resident memory of a process and its children
rss_kb() { ps -o rss= --ppid "$1" -p "$1" | awk '{s += $1} END {print s}'; }

: > "$OUT/results.tsv"
ALL=(aio4j aio4j_portable nginx netty helidon aiohttp workers idle)
WORK=("$@"); [ ${#WORK[@]} -eq 0 ] && WORK=("${ALL[@]}")
ulimit -n 65536 2>/dev/null || true

for w in "${WORK[@]}"; do
  case "$w" in
    workers)
      say "aio4j --workers 2 (server and wrk unpinned, wrk -t2)"
      port=$(free_port); start_server workers "$port" -
      warm workers "$port" - 2
      wrk_run workers "$port" /plaintext - 2
      wrk_run workers "$port" /json - 2
      stop_server
      say "aio4j --workers 1 for the same unpinned setup"
      port=$(free_port); start_server aio4j "$port" -
      warm aio4j "$port" - 2
      wrk_run one_loop_unpinned "$port" /plaintext - 2
      stop_server ;;
    idle)
      for s in aio4j aiohttp; do
        say "$s: $IDLE_CONNS idle keep-alive connections"
        port=$(free_port); start_server "$s" "$port" 0
        sleep 1
        before=$(rss_kb "$PID")
        coproc HOLD { "$PYTHON" "$BENCH/python/idle_clients.py" "$port" "$IDLE_CONNS"; }
        read -r line <&"${HOLD[0]}"
        sleep 2
        after=$(rss_kb "$PID")
        printf '%s\tidle\t%s\t%s\t%s\n' "$s" "$before" "$after" "$line" >> "$OUT/idle.tsv"
        printf '%s: RSS %s kB before, %s kB with %s\n' "$s" "$before" "$after" "$line" >&2
        exec {HOLD[1]}>&-
        wait "$HOLD_PID" 2>/dev/null || true
        stop_server
      done ;;
    *)
      say "$w (server on core 0, wrk on core 1)"
      port=$(free_port); start_server "$w" "$port" 0
      warm "$w" "$port" 1 1
      wrk_run "$w" "$port" /plaintext 1 1
      wrk_run "$w" "$port" /json 1 1
      stop_server ;;
  esac
done

"$PYTHON" - "$OUT" <<'PY' > "$OUT/table.md"
import csv, os, sys
out = sys.argv[1]
rows = list(csv.reader(open(os.path.join(out, "results.tsv")), delimiter="\t"))
rate = {(r[0], r[1]): float(r[2]) for r in rows if r[2]}
p99 = {(r[0], r[1]): r[3] for r in rows}
print("| server | path | requests/s | p99 | vs nginx | vs netty | vs helidon | vs aiohttp (uvloop) |")
print("|---|---|---|---|---|---|---|---|")
def ratio(a, b):
    return f"{a / b:.2f}x" if b else ""
for (name, path), r in rate.items():
    cells = [ratio(r, rate.get((peer, path), 0)) for peer in ("nginx", "netty", "helidon", "aiohttp")]
    print(f"| {name} | {path} | {r:,.0f} | {p99.get((name, path), '')} | " + " | ".join(cells) + " |")
if ("workers", "/plaintext") in rate and ("one_loop_unpinned", "/plaintext") in rate:
    print()
    print(f"workers 2 / 1 loop (unpinned, /plaintext): {rate[('workers', '/plaintext')] / rate[('one_loop_unpinned', '/plaintext')]:.2f}x")
idle = os.path.join(out, "idle.tsv")
if os.path.exists(idle):
    print()
    print("| server | idle connections | RSS before (kB) | RSS after (kB) | per connection (kB) |")
    print("|---|---|---|---|---|")
    for r in csv.reader(open(idle), delimiter="\t"):
        n = int(r[4].split()[1])
        print(f"| {r[0]} | {n} | {r[2]} | {r[3]} | {(int(r[3]) - int(r[2])) / n:.1f} |")
PY
cat "$OUT/table.md" >&2
echo "web-compare.sh: results in $OUT" >&2
exit 0
}
