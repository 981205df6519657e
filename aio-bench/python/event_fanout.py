#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.EventFanOutBenchmark.

--size (10,000) tasks wait on one asyncio.Event; set() wakes them all. Each run is 10 rounds;
each round the driver replaces the shared Event with a fresh one and sets the old one; every
woken waiter counts itself and waits on the fresh Event; the last one of the round sets the
round's "done" Event. One operation is one woken waiter (100,000 per run). The waiters are
created in the first run (an unmeasured warm-up run) and stay parked on the loop between runs,
as the JMH benchmark creates them once per trial.
"""
import asyncio

from _harness import main

ROUNDS = 10


class State:
    def __init__(self, n):
        self.n = n
        self.current = asyncio.Event()
        self.done = None
        self.arrived = 0
        self.woken = 0
        self.tasks = None


_state = None


async def waiter(s):
    while True:
        e = s.current
        await e.wait()
        s.woken += 1
        s.arrived += 1
        if s.arrived == s.n:
            s.arrived = 0
            s.done.set()


async def workload(n):
    global _state
    if _state is None or _state.n != n:
        _state = State(n)
        _state.tasks = [asyncio.create_task(waiter(_state)) for _ in range(n)]
        await asyncio.sleep(0)  # every waiter runs up to its first wait()
    s = _state
    before = s.woken
    for _ in range(ROUNDS):
        e = s.current
        s.done = asyncio.Event()
        s.current = asyncio.Event()
        e.set()
        await s.done.wait()
    woken = s.woken - before
    assert woken == ROUNDS * n, woken
    return ROUNDS * n, woken


if __name__ == "__main__":
    main("event_fanout", workload, default_size=10_000)
