#!/usr/bin/env bash
# A/B experiments for docs/benchmarks.md ("Experiments behind the findings"), kept as it ran;
# its output is experiments.txt. Each pair runs back to back, the whole set twice.
# Paths are those of the run: bench-final.jar is a copy of aio-bench/target/benchmarks.jar built
# at commit 3a838cb; patch/classes holds EventLoop.java of that commit recompiled with the clock
# read in runOnce() moved inside `if (!timers.isEmpty())` (an out-of-tree experiment).
{
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/bench-scratch/bench-final.jar
PATCH=/work/bench-scratch/patch/classes
BASE="--add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -Xms1g -Xmx1g"
OUT=/work/bench-scratch/exp
busy() { a=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)); sleep 1; b=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)); echo $(( 100*(b[0]-a[0])/((b[0]-a[0])+(b[1]-a[1])+1) )); }
idle() { q=0; for i in $(seq 1 300); do [ "$(busy)" -le 15 ] && q=$((q+1)) || q=0; [ $q -ge 3 ] && return; done; echo "(not idle)"; }
jmh() { # label cp args...
  local label=$1 cp=$2; shift 2
  idle; echo "### $label (busy before $(busy)%) : java -cp $cp org.openjdk.jmh.Main $*"
  $J -cp "$cp" org.openjdk.jmh.Main "$@" -rf json -rff "$OUT/$label.json" 2>&1 | grep -E '^[A-Z][A-Za-z]+Benchmark\.[a-zA-Z]+(:gc\.[a-z.]+)? +|"workload"'
}
exp=${1:-all}
for rep in 1 2; do
  if [ $exp = all ] || [ $exp = clock ]; then
    jmh "clock-base-$rep" "$JAR" 'CallSoonChain|FuturePingPong|QueueHandoff' -p scheduler=carrier -f 1 -wi 3 -i 5
    jmh "clock-patched-$rep" "$PATCH:$JAR" 'CallSoonChain|FuturePingPong|QueueHandoff' -p scheduler=carrier -f 1 -wi 3 -i 5
  fi
  if [ $exp = all ] || [ $exp = par1 ]; then
    jmh "par-default-$rep" "$JAR" 'TaskSwitch|QueueHandoff|LockHandoff|FuturePingPong' -p scheduler=portable -f 2 -wi 3 -i 5
    jmh "par-1-$rep" "$JAR" 'TaskSwitch|QueueHandoff|LockHandoff|FuturePingPong' -p scheduler=portable -f 2 -wi 3 -i 5 -jvmArgsAppend "$BASE -Djdk.virtualThreadScheduler.parallelism=1"
  fi
  if [ $exp = all ] || [ $exp = track ]; then
    jmh "track-default-$rep" "$JAR" 'SpawnGather' -f 1 -wi 3 -i 5
    jmh "track-off-$rep" "$JAR" 'SpawnGather' -f 1 -wi 3 -i 5 -jvmArgsAppend "$BASE -Djdk.trackAllThreads=false"
  fi
  if [ $exp = all ] || [ $exp = zgc ]; then
    jmh "gc-g1-$rep" "$JAR" 'TimersBenchmark' -f 1 -wi 3 -i 5 -prof gc
    jmh "gc-zgc-$rep" "$JAR" 'TimersBenchmark' -f 1 -wi 3 -i 5 -prof gc -jvmArgsAppend "$BASE -XX:+UseZGC"
  fi
done
exit 0
}
