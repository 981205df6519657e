#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.FuturePingPongBenchmark.

Two tasks hand a value back and forth through futures: each side owns the future it receives
on and replaces it after every receive; the sender sets the other side's current future and
awaits its own. One operation is one one-way hand-off; --size round trips make 2*size ops.
"""
import asyncio

from _harness import main


class Box:
    def __init__(self, loop):
        self.to_ping = loop.create_future()
        self.to_pong = loop.create_future()


async def pong(box, loop, n):
    last = -1
    for _ in range(n):
        v = await box.to_pong
        box.to_pong = loop.create_future()
        box.to_ping.set_result(v + 1)
        last = v
    return last


async def ping(box, loop, n):
    got = 0
    for _ in range(n):
        box.to_pong.set_result(got)
        fut = box.to_ping
        got = await fut
        box.to_ping = loop.create_future()
    return got


async def workload(rounds):
    loop = asyncio.get_running_loop()
    box = Box(loop)
    pong_task = asyncio.create_task(pong(box, loop, rounds))
    ping_task = asyncio.create_task(ping(box, loop, rounds))
    got = await ping_task
    last = await pong_task
    assert got == rounds and last == rounds - 1, (got, last)
    return 2 * rounds, got


if __name__ == "__main__":
    main("ping_pong", workload, default_size=50_000)
