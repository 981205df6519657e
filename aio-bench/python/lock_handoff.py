#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.LockHandoffBenchmark.

Two tasks each take an asyncio.Lock --size (25,000) times and await asyncio.sleep(0) while
holding it, so every release hands the lock to the other, waiting task. One operation is one
acquisition (2 * size per run), the holder's sleep(0) included.
"""
import asyncio

from _harness import main

TASKS = 2


async def workload(n):
    lock = asyncio.Lock()
    held = 0

    async def worker():
        nonlocal held
        for _ in range(n):
            async with lock:
                before = held
                await asyncio.sleep(0)
                held = before + 1

    await asyncio.gather(*[worker() for _ in range(TASKS)])
    assert held == TASKS * n, held
    return TASKS * n, held


if __name__ == "__main__":
    main("lock_handoff", workload, default_size=25_000)
