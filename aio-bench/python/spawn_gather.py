#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.SpawnGatherBenchmark.

One task creates --size (100,000) trivial tasks that return their index, gathers them and
awaits the gather. One operation is one task. The JSON line also carries peak_rss_kb, the
process's peak resident set size (ru_maxrss), for the memory comparison.
"""
import asyncio

from _harness import main


async def trivial(i):
    return i


async def workload(n):
    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    results = await asyncio.gather(*tasks)
    assert len(results) == n and results[-1] == n - 1
    return n, len(results)


if __name__ == "__main__":
    main("spawn_gather", workload, default_size=100_000, default_repeat=5)
