#!/usr/bin/env bash
# aio-bench/compare.sh: aio4j (JMH, both scheduler back-ends) side by side with CPython asyncio
# and uvloop on the same machine, interleaved workload by workload, then one table.
#
# Usage:  aio-bench/compare.sh [workload ...]
#   workloads: task_switch ping_pong spawn_gather call_soon_chain queue_handoff lock_handoff timers
#              event_fanout virtual_time echo_1 echo_50 bulk http_1 http_10 http_50
#              reference ws tls_handshake tls_bulk pending_tasks echo_cores (default: all, in this order)
#   The last four are not JMH runs (see docs/benchmarks.md, issue 18): tls_handshake and tls_bulk run
#   TlsBenchmark (both schedulers, default heap and the LEAN preset), BareSslEngineBenchmark (JSSE's
#   own ceiling, no sockets) and python/tls.py; pending_tasks runs PendingTasksBenchmark for 100k and
#   1M tasks (both schedulers, default heap and LEAN) and python/pending_tasks.py; echo_cores runs
#   MultiLoopEchoServer with 1 and 2 loops against EchoLoadClient, unpinned and pinned apart
#   (taskset). Their lines go to extra.jsonl; _table.py prints them with met/unmet.
#   ws is the WebSocket echo of issue 16 (1 and 100 connections): it runs aio-bench/ws-compare.sh
#   into OUT/ws (aio4j, Netty's WebSocket server and client on one event loop, aiohttp on uvloop and
#   asyncio) and prints that comparison's own table with met/unmet for the two WebSocket goals.
#   virtual_time has no Python twin (asyncio has no virtual clock). http_N runs aio-http's
#   ClientSession and, as a reference, the JDK's HttpClient (JdkHttpClientBenchmark) in JMH, and
#   aiohttp's ClientSession (python3-aiohttp) on asyncio and on uvloop in Python.
#   A workload disturbed by other load (see the "other processes used N%" lines in meta.txt) can be
#   rerun alone into another directory and merged:  python/_table.py FIRST_DIR RERUN_DIR
#
# Environment:
#   QUICK=1            smoke run: JMH -f 1 -wi 1 -i 2 -w 1s -r 1s, Python --warmup 1 --repeat 3
#   FORKS, WI, I, W, R JMH forks / warm-up iterations / iterations / warm-up time / iteration time
#                      (default: the @Fork/@Warmup/@Measurement of AbstractBenchmark: 2, 3, 5, 1s, 1s)
#   PY_REPEAT, PY_WARMUP  measured / unmeasured runs of each Python twin (default: each script's own)
#   JMH_EXTRA          more JMH arguments (e.g. "-prof stack"); -prof gc is always on. A -jvmArgsAppend
#                      here REPLACES AbstractBenchmark's fork flags: repeat --add-opens
#                      java.base/java.lang=ALL-UNNAMED --add-exports java.base/jdk.internal.vm=ALL-UNNAMED
#                      -Xms1g -Xmx1g in it, or the carrier trials fail (loudly)
#   PYTHON             the Python to compare with (default /usr/bin/python3, Debian's, where apt's
#                      python3-uvloop lands)
#   INSTALL_UVLOOP=1   if uvloop is missing, install Debian's python3-uvloop with apt-get (root)
#   SKIP_BUILD=1       use the benchmarks jar as it is
#   JAR                the benchmarks jar (default aio-bench/target/benchmarks.jar); point it at a copy
#                      when other builds may rewrite target/ during the run (implies SKIP_BUILD=1)
#   OUT                results directory (default aio-bench/results/<UTC timestamp>)
#   IDLE_WAIT=S        on a shared machine: before each workload wait up to S seconds until the CPUs
#                      have been at most IDLE_BUSY percent busy (default 15) for 3 seconds in a row.
#                      Either way meta.txt records, per workload, how busy the CPUs were before it
#                      and what share of them other processes used while it ran
#   JAVA_HOME          a JDK 21+; if unset (or older), one is picked as .ci/run does
#   LEAN               the "lean" JVM preset of the memory figures (default
#                      "-XX:+UseSerialGC -Xms16m -Xmx2g"; see docs/benchmarks.md)
set -euo pipefail
# The whole script is one { ... } block, so bash reads it completely before running it: editing
# this file while a long comparison runs cannot change the run.
{
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/aio-bench"
JAR="${JAR:-$BENCH/target/benchmarks.jar}"
PYTHON="${PYTHON:-/usr/bin/python3}"

say() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- JDK (the rule .ci/run uses)
. "$ROOT/.ci/jdk.sh"
JAVA_HOME="$(pick_jdk)" || { echo "compare.sh: no JDK 21+ found; set JAVA_HOME (see .ci/run)" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
JAVA="$JAVA_HOME/bin/java"

# ---------------------------------------------------------------- build the benchmarks jar
if [ "${SKIP_BUILD:-0}" != 1 ] && [ "$JAR" = "$BENCH/target/benchmarks.jar" ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/aio-loop/src/main" "$ROOT/aio-streams/src/main" "$ROOT/aio-http/src/main" "$BENCH/src/main" "$BENCH/pom.xml" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
    say "building $JAR (./mvnw -pl aio-bench -am package, tests skipped)"
    (cd "$ROOT" && ./mvnw -B -q -pl aio-bench -am package -DskipTests)
  fi
fi
[ -f "$JAR" ] || { echo "compare.sh: $JAR is missing" >&2; exit 1; }

# ---------------------------------------------------------------- Python and uvloop
[ -x "$PYTHON" ] || { echo "compare.sh: $PYTHON not found (set PYTHON=...)" >&2; exit 1; }
if ! "$PYTHON" -c 'import uvloop' 2>/dev/null; then
  if [ "${INSTALL_UVLOOP:-0}" = 1 ] && command -v apt-get >/dev/null; then
    say "uvloop missing: installing Debian's python3-uvloop"
    apt-get install -y python3-uvloop >&2 || { apt-get update >&2 && apt-get install -y python3-uvloop >&2; } || true
  fi
fi
if "$PYTHON" -c 'import uvloop' 2>/dev/null; then
  UVLOOP_VERSION=$("$PYTHON" -c 'import uvloop; print(uvloop.__version__)')
else
  UVLOOP_VERSION="missing"
  echo "compare.sh: uvloop is NOT installed for $PYTHON: the uvloop column will be empty." >&2
  echo "            Install it with 'apt-get install python3-uvloop' or rerun with INSTALL_UVLOOP=1." >&2
fi

# ---------------------------------------------------------------- settings
JMH_ARGS=(-foe true -prof gc)
PY_ARGS=()
if [ "${QUICK:-0}" = 1 ]; then
  JMH_ARGS+=(-f "${FORKS:-1}" -wi "${WI:-1}" -i "${I:-2}" -w "${W:-1s}" -r "${R:-1s}")
  PY_ARGS+=(--warmup "${PY_WARMUP:-1}" --repeat "${PY_REPEAT:-3}")
else
  [ -n "${FORKS:-}" ] && JMH_ARGS+=(-f "$FORKS")
  [ -n "${WI:-}" ] && JMH_ARGS+=(-wi "$WI")
  [ -n "${I:-}" ] && JMH_ARGS+=(-i "$I")
  [ -n "${W:-}" ] && JMH_ARGS+=(-w "$W")
  [ -n "${R:-}" ] && JMH_ARGS+=(-r "$R")
  [ -n "${PY_WARMUP:-}" ] && PY_ARGS+=(--warmup "$PY_WARMUP")
  [ -n "${PY_REPEAT:-}" ] && PY_ARGS+=(--repeat "$PY_REPEAT")
fi
# shellcheck disable=SC2206
[ -n "${JMH_EXTRA:-}" ] && JMH_ARGS+=($JMH_EXTRA)

OUT="${OUT:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
: > "$OUT/python.jsonl"; : > "$OUT/lateness.jsonl"; : > "$OUT/rss.jsonl"; : > "$OUT/extra.jsonl"
export AIO4J_BENCH_OUT="$OUT/lateness.jsonl"   # read by TimersBenchmark in the forks

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $0 $* (QUICK=${QUICK:-0} FORKS=${FORKS:-} WI=${WI:-} I=${I:-} W=${W:-} R=${R:-} PY_REPEAT=${PY_REPEAT:-} PY_WARMUP=${PY_WARMUP:-})"
  echo "jmh args: ${JMH_ARGS[*]}"
  echo "python args: ${PY_ARGS[*]:-(script defaults)}"
  echo "cores: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "python: $("$PYTHON" --version 2>&1) ($PYTHON), uvloop: $UVLOOP_VERSION"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), aio-loop/src/main changes vs HEAD: $(git -C "$ROOT" status --porcelain -- aio-loop/src/main 2>/dev/null | wc -l) files"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "other java/python processes at start: $(pgrep -c -f 'java|python' 2>/dev/null || echo 0)"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt" >&2

# ---------------------------------------------------------------- the runs
ALL=(task_switch ping_pong spawn_gather call_soon_chain queue_handoff lock_handoff timers
     event_fanout virtual_time echo_1 echo_50 bulk http_1 http_10 http_50 reference ws
     tls_handshake tls_bulk pending_tasks echo_cores)
WORK=("$@"); [ ${#WORK[@]} -eq 0 ] && WORK=("${ALL[@]}")

jmh_class() {
  case "$1" in
    task_switch) echo 'dev\.aio4j\.bench\.loop\.TaskSwitchBenchmark\.' ;;
    ping_pong) echo 'dev\.aio4j\.bench\.loop\.FuturePingPongBenchmark\.' ;;
    spawn_gather) echo 'dev\.aio4j\.bench\.loop\.SpawnGatherBenchmark\.' ;;
    call_soon_chain) echo 'dev\.aio4j\.bench\.loop\.CallSoonChainBenchmark\.' ;;
    queue_handoff) echo 'dev\.aio4j\.bench\.loop\.QueueHandoffBenchmark\.' ;;
    lock_handoff) echo 'dev\.aio4j\.bench\.loop\.LockHandoffBenchmark\.' ;;
    timers) echo 'dev\.aio4j\.bench\.loop\.TimersBenchmark\.' ;;
    event_fanout) echo 'dev\.aio4j\.bench\.loop\.EventFanOutBenchmark\.' ;;
    virtual_time) echo 'dev\.aio4j\.bench\.loop\.VirtualTimeBenchmark\.' ;;
    echo_1) echo 'dev\.aio4j\.bench\.streams\.EchoBenchmark\.oneClient$' ;;
    echo_50) echo 'dev\.aio4j\.bench\.streams\.EchoBenchmark\.fiftyClients$' ;;
    bulk) echo 'dev\.aio4j\.bench\.streams\.BulkTransferBenchmark\.' ;;
    http_1) echo 'dev\.aio4j\.bench\.(http\.HttpKeepAliveBenchmark|reference\.JdkHttpClientBenchmark)\.sequential$' ;;
    http_10) echo 'dev\.aio4j\.bench\.(http\.HttpKeepAliveBenchmark|reference\.JdkHttpClientBenchmark)\.concurrent10$' ;;
    http_50) echo 'dev\.aio4j\.bench\.(http\.HttpKeepAliveBenchmark|reference\.JdkHttpClientBenchmark)\.concurrent50$' ;;
    reference) echo 'dev\.aio4j\.bench\.reference\.(?!JdkHttpClientBenchmark)' ;;
    ws) echo '(ws-compare.sh)' ;;
    tls_handshake|tls_bulk|pending_tasks|echo_cores) echo '' ;; # not JMH: run_extra
    *) echo "compare.sh: unknown workload $1 (one of: ${ALL[*]})" >&2; exit 2 ;;
  esac
}

run_jmh() { # workload
  local regex; regex=$(jmh_class "$1")
  say "JMH $1: $JAVA -jar $JAR '$regex' ${JMH_ARGS[*]}"
  "$JAVA" -jar "$JAR" "$regex" "${JMH_ARGS[@]}" -rf json -rff "$OUT/jmh-$1.json" 2>&1 \
    | grep -v '^WARNING: ' | tee -a "$OUT/jmh.log" \
    | grep -E '^(# (Benchmark|Parameters):|Iteration|Result|  [0-9].*±|Benchmark  |[a-zA-Z.]+ +(carrier|portable|N/A) )' >&2 || true
}

py_script() { # workload -> the twin's script and its workload arguments
  case "$1" in
    echo_*) echo "echo.py --clients ${1#echo_}" ;;
    http_*) echo "http_client.py --concurrency ${1#http_}" ;;
    *) echo "$1.py" ;;
  esac
}

run_python() { # workload
  local loopname script args
  if [ "$1" = virtual_time ]; then
    say "Python $1: no twin (asyncio has no virtual clock)"
    return 0
  fi
  read -r script args <<< "$(py_script "$1")"
  for loopname in asyncio uvloop; do
    say "Python $1 --loop $loopname: $PYTHON $BENCH/python/$script ${args:-} --loop $loopname ${PY_ARGS[*]:-}"
    # shellcheck disable=SC2086
    "$PYTHON" "$BENCH/python/$script" ${args:-} --loop "$loopname" "${PY_ARGS[@]}" | tee -a "$OUT/python.jsonl" >&2
  done
}

run_rss() { # peak RSS of the Java spawn+gather outside JMH: default heap, a 128 MiB heap, an idle JVM
  local s
  say "RSS of an idle JVM: $JAVA -cp $JAR dev.aio4j.bench.PeakRss"
  "$JAVA" -cp "$JAR" dev.aio4j.bench.PeakRss | tee -a "$OUT/rss.jsonl" >&2
  for s in carrier portable; do
    say "RSS spawn_gather aio4j-$s: $JAVA --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler=$s -cp $JAR dev.aio4j.bench.loop.SpawnGatherBenchmark 7"
    "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -Daio4j.scheduler="$s" -cp "$JAR" \
      dev.aio4j.bench.loop.SpawnGatherBenchmark 7 | tee -a "$OUT/rss.jsonl" >&2
    say "RSS spawn_gather aio4j-$s, -Xmx128m: $JAVA --add-opens java.base/java.lang=ALL-UNNAMED -Xmx128m -Daio4j.scheduler=$s -Daio4j.bench.label=xmx128m -cp $JAR dev.aio4j.bench.loop.SpawnGatherBenchmark 7"
    "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -Xmx128m -Daio4j.scheduler="$s" -Daio4j.bench.label=xmx128m \
      -cp "$JAR" dev.aio4j.bench.loop.SpawnGatherBenchmark 7 | tee -a "$OUT/rss.jsonl" >&2
  done
}

cpu_busy() { # percent of both CPUs busy over the next second (everything, this script included)
  local a b
  a=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)); sleep 1
  b=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat))
  local busy=$(( b[0] - a[0] )) idle=$(( b[1] - a[1] ))
  echo $(( 100 * busy / (busy + idle + 1) ))
}

busy_seconds() { # CPU seconds all processes have used since boot (both CPUs)
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f", ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat
}

own_seconds() { # CPU seconds used by this script and its finished children, into $OWN
  # `times` must run in this shell: call own_seconds directly, never inside $(...) or a pipe
  times > "$OUT/.times"
  OWN=$(awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1]*60 + t[2] } } END {printf "%.2f", s}' "$OUT/.times")
}

wait_idle() { # workload
  local limit="${IDLE_WAIT:-0}" quiet=0 waited=0 busy
  [ "$limit" -gt 0 ] || return 0
  while [ "$waited" -lt "$limit" ]; do
    busy=$(cpu_busy); waited=$((waited + 1))
    if [ "$busy" -le "${IDLE_BUSY:-15}" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 3 ] && return 0
  done
  echo "compare.sh: the machine did not go idle within ${limit}s before $1; running anyway" >&2
  echo "WARNING: $1 started on a busy machine (waited ${limit}s)" >> "$OUT/meta.txt"
}

LEAN="${LEAN:--XX:+UseSerialGC -Xms16m -Xmx2g}"
FLAG=(--add-opens java.base/java.lang=ALL-UNNAMED)

extra() { # label command...: runs a command, its JSON line into extra.jsonl
  local what="$1"; shift
  say "$what: $*"
  "$@" | tee -a "$OUT/extra.jsonl" >&2
}

run_extra() { # workload (issue 18's non-JMH workloads)
  local s mode preset n
  case "$1" in
    tls_handshake|tls_bulk)
      mode=${1#tls_}
      for s in carrier portable; do
        extra "TLS $mode aio4j-$s" "$JAVA" "${FLAG[@]}" -Daio4j.scheduler=$s -cp "$JAR" \
          dev.aio4j.bench.streams.TlsBenchmark "$mode" --warmup 3 --repeat 5
        # shellcheck disable=SC2086
        extra "TLS $mode aio4j-$s, lean preset" "$JAVA" "${FLAG[@]}" $LEAN -Daio4j.scheduler=$s -cp "$JAR" \
          dev.aio4j.bench.streams.TlsBenchmark "$mode" --warmup 3 --repeat 5 --label lean
      done
      extra "TLS $mode, bare SSLEngines (JSSE's ceiling)" "$JAVA" -cp "$JAR" \
        dev.aio4j.bench.streams.BareSslEngineBenchmark "$mode" --warmup 3 --repeat 5
      [ "$mode" = bulk ] && extra "plain TCP bulk, same harness" "$JAVA" "${FLAG[@]}" -Daio4j.scheduler=carrier -cp "$JAR" \
          dev.aio4j.bench.streams.TlsBenchmark bulk --warmup 3 --repeat 5 --plain
      for loopname in asyncio uvloop; do
        extra "TLS $mode $loopname" "$PYTHON" "$BENCH/python/tls.py" --mode "$mode" --loop "$loopname" --warmup 1 --repeat 5
      done ;;
    pending_tasks)
      for n in 100000 1000000; do
        for s in carrier portable; do
          extra "pending tasks $n aio4j-$s" "$JAVA" "${FLAG[@]}" -Daio4j.scheduler=$s -cp "$JAR" \
            dev.aio4j.bench.loop.PendingTasksBenchmark $n
          # shellcheck disable=SC2086
          extra "pending tasks $n aio4j-$s, lean preset" "$JAVA" "${FLAG[@]}" $LEAN -Daio4j.scheduler=$s -cp "$JAR" \
            dev.aio4j.bench.loop.PendingTasksBenchmark $n lean
        done
        for loopname in asyncio uvloop; do
          extra "pending tasks $n $loopname" "$PYTHON" "$BENCH/python/pending_tasks.py" --size $n --loop "$loopname"
        done
      done ;;
    echo_cores)
      local loops pin fifo port spid cpu0 cpu1
      for pin in unpinned pinned; do
        for loops in 1 2; do
          fifo="$OUT/.echo-stdin"; rm -f "$fifo"; mkfifo "$fifo"
          if [ "$pin" = pinned ]; then
            taskset -c 0 "$JAVA" "${FLAG[@]}" -cp "$JAR" dev.aio4j.bench.streams.MultiLoopEchoServer "$loops" \
              < "$fifo" > "$OUT/.echo-server.log" 2>&1 &
          else
            "$JAVA" "${FLAG[@]}" -cp "$JAR" dev.aio4j.bench.streams.MultiLoopEchoServer "$loops" \
              < "$fifo" > "$OUT/.echo-server.log" 2>&1 &
          fi
          spid=$!
          exec 3> "$fifo"
          for _ in $(seq 100); do grep -q '^port ' "$OUT/.echo-server.log" 2>/dev/null && break; sleep 0.1; done
          port=$(awk '/^port / {print $2}' "$OUT/.echo-server.log")
          cpu0=$(awk '{print $14 + $15}' /proc/$spid/stat)
          if [ "$pin" = pinned ]; then
            extra "echo server, $loops loop(s), server on CPU 0, client on CPU 1" taskset -c 1 "$JAVA" -cp "$JAR" \
              dev.aio4j.bench.streams.EchoLoadClient "$port" 50 16 10 5 "aio4j-loops$loops-$pin"
          else
            extra "echo server, $loops loop(s), server and client unpinned" "$JAVA" -cp "$JAR" \
              dev.aio4j.bench.streams.EchoLoadClient "$port" 50 16 10 5 "aio4j-loops$loops-$pin"
          fi
          cpu1=$(awk '{print $14 + $15}' /proc/$spid/stat)
          echo "{\"workload\":\"echo_server_cpu\",\"impl\":\"aio4j-loops$loops-$pin\",\"server_cpu_s\":$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / hz}')}" \
            | tee -a "$OUT/extra.jsonl" >&2
          exec 3>&-
          wait "$spid" || true
          rm -f "$fifo"
        done
      done ;;
  esac
}

for w in "${WORK[@]}"; do
  jmh_class "$w" >/dev/null
  wait_idle "$w"
  echo "$w: cpu busy before $(cpu_busy)%, load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/meta.txt"
  t0=$(date +%s.%N); b0=$(busy_seconds); own_seconds; o0=$OWN
  case "$w" in
    ws)
      say "WebSocket echo: $BENCH/ws-compare.sh into $OUT/ws"
      OUT="$OUT/ws" JAR="$JAR" SKIP_BUILD=1 PYTHON="$PYTHON" "$BENCH/ws-compare.sh" >&2 || true ;;
    tls_handshake|tls_bulk|pending_tasks|echo_cores) run_extra "$w" ;;
    *)
      run_jmh "$w"
      if [ "$w" != reference ]; then
        run_python "$w"
      fi ;;
  esac
  if [ "$w" = spawn_gather ]; then
    run_rss
  fi
  t1=$(date +%s.%N); b1=$(busy_seconds); own_seconds; o1=$OWN
  awk -v w="$w" -v t0="$t0" -v t1="$t1" -v b0="$b0" -v b1="$b1" -v o0="$o0" -v o1="$o1" -v n="$(nproc)" \
    'BEGIN { t = t1 - t0; other = (b1 - b0) - (o1 - o0); if (other < 0) other = 0;
             printf "%s: %.0f s wall; other processes used %.0f%% of the %d CPUs meanwhile\n", w, t, 100 * other / (t * n), n }' \
    >> "$OUT/meta.txt"
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"
"$PYTHON" "$BENCH/python/_table.py" "$OUT" | tee "$OUT/table.md"
if [ -f "$OUT/ws/table.md" ]; then
  echo
  echo "## WebSocket echo (issue 16): $OUT/ws/table.md"
  cat "$OUT/ws/table.md"
fi
echo
echo "results: $OUT (meta.txt, jmh-*.json, python.jsonl, lateness.jsonl, rss.jsonl, extra.jsonl, table.md, jmh.log)"
exit 0
}
