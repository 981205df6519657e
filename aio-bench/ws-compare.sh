#!/usr/bin/env bash
# aio-bench/ws-compare.sh: the WebSocket echo comparison of issue 16, in one run. 32-byte text
# messages echoed over 1 and over 100 connections (each connection one message at a time):
#   aio4j  WebSocketEchoBenchmark (JMH): aio-http's client against aio-http's server on the same
#          loop (peer=aio4j), against aio-http's server on a loop of its own (peer=aio4j-thread),
#          and against Netty's server on one event loop of its own (peer=netty)
#   Netty  NettyWebSocketClientBenchmark (JMH): Netty's client against Netty's server on the SAME
#          event loop (server=netty-same-loop), against Netty's server on its own event loop
#          (server=netty) and against aio-http's server on its own loop (server=aio4j)
#   aiohttp  python/ws_echo.py: aiohttp's client and server on one uvloop loop (and on asyncio)
# then a table (messages/s = 1e9 / ns per message) and issue 16's two goals with met/unmet:
#   - at least 5x aiohttp (uvloop): aio4j one loop vs aiohttp one loop (both ends on one thread)
#   - within 2x of Netty with one event loop: aio4j one loop vs Netty one event loop, and aio4j
#     client + server on a thread each vs Netty client + server on an event loop each
#
# Usage:  aio-bench/ws-compare.sh
# Environment:
#   SCHEDULER  aio4j's back-end (default carrier; "carrier,portable" runs both)
#   FORKS, WI, I, W, R  JMH forks / warm-up iterations / iterations / warm-up time / iteration
#              time (default 1, 3, 5, 1s, 1s)
#   PY_REPEAT, PY_WARMUP  measured / unmeasured runs of ws_echo.py (default 5, 2)
#   PYTHON     the Python with aiohttp and uvloop (default /usr/bin/python3; Debian's
#              python3-aiohttp and python3-uvloop)
#   JAR        the benchmarks jar (default aio-bench/target/benchmarks.jar, built if older than the
#              sources; SKIP_BUILD=1 uses it as it is)
#   OUT        results directory (default aio-bench/results/ws-<UTC timestamp>)
set -euo pipefail
# One { ... } block: bash reads the whole script before running it.
{
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/aio-bench"
JAR="${JAR:-$BENCH/target/benchmarks.jar}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SCHEDULER="${SCHEDULER:-carrier}"
OUT="${OUT:-$BENCH/results/ws-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*" >&2; }

. "$ROOT/.ci/jdk.sh"
JAVA_HOME="$(pick_jdk)" || { echo "ws-compare.sh: no JDK 21+ found; set JAVA_HOME" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
JAVA="$JAVA_HOME/bin/java"

if [ "${SKIP_BUILD:-0}" != 1 ] && [ "$JAR" = "$BENCH/target/benchmarks.jar" ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/aio-loop/src/main" "$ROOT/aio-streams/src/main" "$ROOT/aio-http/src/main" "$BENCH/src/main" "$BENCH/pom.xml" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
    say "building $JAR (./mvnw -pl aio-bench -am package, tests skipped)"
    (cd "$ROOT" && ./mvnw -B -q -o -pl aio-bench -am package -DskipTests -Dmaven.javadoc.skip=true)
  fi
fi
[ -f "$JAR" ] || { echo "ws-compare.sh: $JAR is missing" >&2; exit 1; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $0 (SCHEDULER=$SCHEDULER FORKS=${FORKS:-1} WI=${WI:-3} I=${I:-5} W=${W:-1s} R=${R:-1s} PY_REPEAT=${PY_REPEAT:-5} PY_WARMUP=${PY_WARMUP:-2})"
  echo "cores: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "python: $("$PYTHON" --version 2>&1), aiohttp: $("$PYTHON" -c 'import aiohttp; print(aiohttp.__version__)' 2>/dev/null || echo missing), uvloop: $("$PYTHON" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo missing)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt" >&2

say "JMH: WebSocketEchoBenchmark and NettyWebSocketClientBenchmark"
"$JAVA" -jar "$JAR" 'dev\.aio4j\.bench\.http\.(WebSocketEchoBenchmark|NettyWebSocketClientBenchmark)\.' \
  -p scheduler="$SCHEDULER" -f "${FORKS:-1}" -wi "${WI:-3}" -i "${I:-5}" -w "${W:-1s}" -r "${R:-1s}" -foe true \
  -rf json -rff "$OUT/jmh-ws.json" 2>&1 | grep -v '^WARNING: ' | tee "$OUT/jmh.log" \
  | grep -E '^(# (Benchmark|Parameters):|Benchmark  |[a-zA-Z.]+ +.*ns/op)' >&2 || true

: > "$OUT/python.jsonl"
for c in 1 100; do
  for loopname in uvloop asyncio; do
    say "aiohttp: $PYTHON $BENCH/python/ws_echo.py --connections $c --loop $loopname"
    "$PYTHON" "$BENCH/python/ws_echo.py" --connections "$c" --loop "$loopname" \
      --repeat "${PY_REPEAT:-5}" --warmup "${PY_WARMUP:-2}" 2>/dev/null | tee -a "$OUT/python.jsonl" >&2
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"

"$PYTHON" - "$OUT" <<'PY' | tee "$OUT/table.md"
import json, os, sys
out = sys.argv[1]
jmh = json.load(open(os.path.join(out, "jmh-ws.json")))
score = {}
for r in jmh:
    name = r["benchmark"].rsplit(".", 2)
    cls, method = name[-2], name[-1]
    p = r.get("params", {})
    conns = 1 if method == "oneConnection" else 100
    if cls == "WebSocketEchoBenchmark":
        key = ("aio4j client", {"aio4j": "aio4j server, same loop", "aio4j-thread": "aio4j server, own loop",
                                "netty": "Netty server, own event loop"}[p["peer"]], p.get("scheduler"))
    else:
        key = ("Netty client", {"netty-same-loop": "Netty server, same event loop", "netty": "Netty server, own event loop",
                                "aio4j": "aio4j server, own loop"}[p["server"]], p.get("scheduler"))
    score[key + (conns,)] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
py = {}
for line in open(os.path.join(out, "python.jsonl")):
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        if "ns_per_op" in d:
            py[(d["impl"], int(d["workload"].rsplit("_", 1)[1]))] = (d["ns_per_op"], d.get("stdev_ns_per_op", 0))
print(open(os.path.join(out, "meta.txt")).read())
print("| client | server | aio4j scheduler | 1 connection: ns/msg (msg/s) | 100 connections: ns/msg (msg/s) |")
print("|---|---|---|---|---|")
def cell(v):
    return "n/a" if v is None else f"{v[0]:,.0f} ± {v[1]:,.0f} ({1e9 / v[0]:,.0f})"
rows = sorted({k[:3] for k in score})
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2] if 'aio4j' in r[0] + r[1] else '-'} | {cell(score.get(r + (1,)))} | {cell(score.get(r + (100,)))} |")
for impl in ("uvloop", "asyncio"):
    print(f"| aiohttp client | aiohttp server, same loop ({impl}) | - | {cell(py.get((impl, 1)))} | {cell(py.get((impl, 100)))} |")
print()
print("Goals of issue 16 (ratios from this run):")
scheds = sorted({k[2] for k in score if k[0] == "aio4j client"})
for s in scheds:
    for c in (1, 100):
        a = score.get(("aio4j client", "aio4j server, same loop", s, c))
        u = py.get(("uvloop", c))
        if a and u:
            r = u[0] / a[0]
            print(f"- {s}, {c} connection(s): aio4j {1e9 / a[0]:,.0f} msg/s vs aiohttp (uvloop) {1e9 / u[0]:,.0f} msg/s:"
                  f" {r:.2f}x, goal >= 5x: {'met' if r >= 5 else 'unmet'}")
        n = score.get(("Netty client", "Netty server, same event loop", "carrier", c)) or \
            next((v for k, v in score.items() if k[:2] == ("Netty client", "Netty server, same event loop") and k[3] == c), None)
        if a and n:
            r = a[0] / n[0]
            print(f"- {s}, {c} connection(s), one thread each: aio4j {1e9 / a[0]:,.0f} msg/s vs Netty {1e9 / n[0]:,.0f} msg/s:"
                  f" aio4j's time per message is {r:.2f}x Netty's, goal within 2x: {'met' if r <= 2 else 'unmet'}")
        a2 = score.get(("aio4j client", "aio4j server, own loop", s, c))
        n2 = next((v for k, v in score.items() if k[:2] == ("Netty client", "Netty server, own event loop") and k[3] == c), None)
        if a2 and n2:
            r = a2[0] / n2[0]
            print(f"- {s}, {c} connection(s), client and server on a thread each: aio4j {1e9 / a2[0]:,.0f} msg/s vs Netty"
                  f" {1e9 / n2[0]:,.0f} msg/s: aio4j's time per message is {r:.2f}x Netty's, goal within 2x: {'met' if r <= 2 else 'unmet'}")
PY
echo
echo "results: $OUT (meta.txt, jmh-ws.json, jmh.log, python.jsonl, table.md)"
exit 0
}
