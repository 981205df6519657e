#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.CallSoonChainBenchmark.

A callback that reschedules itself with loop.call_soon --size (100,000) times, then completes a
future the main task awaits. One operation is one callback.
"""
import asyncio

from _harness import main


async def workload(n):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    count = 0

    def chain():
        nonlocal count
        count += 1
        if count < n:
            loop.call_soon(chain)
        else:
            done.set_result(count)

    loop.call_soon(chain)
    ran = await done
    assert ran == n
    return n, ran


if __name__ == "__main__":
    main("call_soon_chain", workload, default_size=100_000)
