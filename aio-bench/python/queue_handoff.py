#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.QueueHandoffBenchmark.

A producer puts --size (50,000) integers into asyncio.Queue(maxsize=1) and a consumer gets
them, so the two tasks take turns. One operation is one item passed on.
"""
import asyncio

from _harness import main


async def workload(n):
    q = asyncio.Queue(maxsize=1)

    async def consumer():
        total = 0
        for _ in range(n):
            total += await q.get()
        return total

    async def producer():
        for i in range(n):
            await q.put(i)

    c = asyncio.create_task(consumer())
    p = asyncio.create_task(producer())
    await p
    total = await c
    assert total == n * (n - 1) // 2, total
    return n, total


if __name__ == "__main__":
    main("queue_handoff", workload, default_size=50_000)
