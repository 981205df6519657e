#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.PendingTasksBenchmark (not a timed _harness twin).

One task creates --size tasks (default 100,000) that each await one shared Future, lets them all
start and suspend there, measures, then completes the Future and gathers them. Prints one JSON
line: rss_bytes_per_task (resident set growth over N), retained_bytes_per_task (the same figure:
CPython returns freed memory lazily, and what a task holds is the coroutine frame, the Task and
the Future callback, all in RSS), peak_rss_kb (ru_maxrss) and the wall times.
"""
import argparse
import asyncio
import gc
import json
import platform
import resource
import time


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def main(n):
    gate = asyncio.get_running_loop().create_future()
    gc.collect()
    rss0 = rss_kb()
    t0 = time.perf_counter_ns()

    async def waiter():
        return await gate

    tasks = [asyncio.create_task(waiter()) for _ in range(n)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    started = time.perf_counter_ns() - t0
    gc.collect()
    grown = (rss_kb() - rss0) * 1024
    assert sum(1 for t in tasks if not t.done()) == n
    gate.set_result(1)
    results = await asyncio.gather(*tasks)
    assert len(results) == n
    return grown, started, time.perf_counter_ns() - t0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    ap.add_argument("--size", type=int, default=100_000)
    args = ap.parse_args()
    if args.loop == "uvloop":
        import uvloop  # noqa: PLC0415
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        grown, started, total = runner.run(main(args.size))
    print(json.dumps({"workload": "pending_tasks", "impl": args.loop, "python": platform.python_version(),
                      "tasks": args.size, "retained_bytes_per_task": grown // args.size,
                      "rss_bytes_per_task": grown // args.size,
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "start_ms": round(started / 1e6, 1), "total_ms": round(total / 1e6, 1)}), flush=True)
