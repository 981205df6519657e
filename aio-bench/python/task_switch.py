#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.TaskSwitchBenchmark.

1000 tasks each await asyncio.sleep(0) 100 times, started together and gathered.
One operation is one sleep(0) (a task yields to the loop and is resumed on the next
iteration); ns_per_op is the time per switch, task creation and gather included.
"""
import asyncio

from _harness import main

TASKS = 1000


async def switcher(k):
    for _ in range(k):
        await asyncio.sleep(0)
    return k


async def workload(switches):
    done = await asyncio.gather(*[switcher(switches) for _ in range(TASKS)])
    total = sum(done)
    assert total == TASKS * switches, total
    return total, total


if __name__ == "__main__":
    main("task_switch", workload, default_size=100)
