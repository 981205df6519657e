"""Shared runner for the CPython twins of the aio4j JMH benchmarks.

Each twin defines one coroutine function ``workload(size) -> (ops, check)`` and calls
``main(name, workload, default_size, ...)``. The harness runs the workload ``--warmup`` times,
then ``--repeat`` times on one event loop (as the JMH benchmarks reuse one loop per trial),
and prints one JSON line to standard output:

    {"workload": "task_switch", "impl": "asyncio", "ns_per_op": 1234.5, ...}

``ns_per_op`` is the mean over the measured runs of (run time / operations), the same
definition as JMH's average-time score with OperationsPerInvocation.

``--loop uvloop`` uses uvloop when it is importable; when it is not, the harness says so on
standard error, prints a JSON line with a "skipped" reason, and exits with status 0 so that a
comparison run goes on without it.
"""

import argparse
import asyncio
import json
import math
import platform
import resource
import statistics
import sys
import time


def percentile(sorted_values, p):
    """Nearest-rank percentile, the same rule as the Java LatencyRecorder."""
    if not sorted_values:
        return float("nan")
    n = len(sorted_values)
    rank = max(0, min(n - 1, math.ceil(p / 100.0 * n) - 1))
    return sorted_values[rank]


def loop_factory(name):
    """(factory, version) for the requested loop, or (None, reason) when it is unavailable."""
    if name == "asyncio":
        return asyncio.new_event_loop, platform.python_version()
    if name == "uvloop":
        try:
            import uvloop  # noqa: PLC0415 (optional dependency)
        except ImportError as e:
            return None, f"uvloop is not installed for {sys.executable} ({e}); on Debian: apt-get install python3-uvloop"
        return uvloop.new_event_loop, uvloop.__version__
    raise SystemExit(f"--loop must be asyncio or uvloop, got {name!r}")


def parse_args(default_size, default_repeat, default_warmup):
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    ap.add_argument("--size", type=int, default=default_size, help="workload size (default %(default)s)")
    ap.add_argument("--repeat", type=int, default=default_repeat, help="measured runs (default %(default)s)")
    ap.add_argument("--warmup", type=int, default=default_warmup, help="unmeasured runs first (default %(default)s)")
    return ap.parse_args()


def emit(record):
    print(json.dumps(record, sort_keys=False), flush=True)


def main(name, workload, default_size, default_repeat=10, default_warmup=2, extra=None):
    """Run ``workload`` and print its JSON line.

    ``workload(size)`` is a coroutine function returning ``(ops, check)``: the number of
    operations the run made and a value that proves the run did its work (compared with the
    first run's). ``extra(records)`` may add fields (e.g. lateness percentiles) computed from the
    per-run return values.
    """
    args = parse_args(default_size, default_repeat, default_warmup)
    factory, version = loop_factory(args.loop)
    base = {"workload": name, "impl": args.loop, "python": platform.python_version()}
    if factory is None:
        print(f"{name}: skipping --loop {args.loop}: {version}", file=sys.stderr)
        emit({**base, "skipped": version})
        return
    start_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_op = []
    results = []
    with asyncio.Runner(loop_factory=factory) as runner:
        for i in range(args.warmup + args.repeat):
            t0 = time.perf_counter_ns()
            ops, check = runner.run(workload(args.size))
            elapsed = time.perf_counter_ns() - t0
            if i >= args.warmup:
                per_op.append(elapsed / ops)
                results.append(check)
    record = {
        **base,
        "loop_version": version,
        "size": args.size,
        "runs": len(per_op),
        "ns_per_op": round(statistics.fmean(per_op), 1),
        "min_ns_per_op": round(min(per_op), 1),
        "stdev_ns_per_op": round(statistics.stdev(per_op), 1) if len(per_op) > 1 else 0.0,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "start_rss_kb": start_rss_kb,
    }
    if extra is not None:
        record.update(extra(results))
    emit(record)
