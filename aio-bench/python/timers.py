#!/usr/bin/python3
"""Twin of dev.aio4j.bench.loop.TimersBenchmark.

The main task schedules --size (100,000) timers with loop.call_at(loop.time() + delay), delays
uniform in [0, 100 ms) from a seeded generator; the last timer to fire completes a future the
main task awaits. One operation is the whole batch: ns_per_op is its wall time (also given as
total_ms). Every timer records its lateness (loop.time() in its callback minus its deadline);
the percentiles over all measured runs are in the JSON line (p50_ms ... max_ms).
"""
import asyncio
import random
import statistics

from _harness import main, percentile

MAX_DELAY = 0.100
_delays = {}


def delays(n):
    if n not in _delays:
        rnd = random.Random(42)
        _delays[n] = [rnd.random() * MAX_DELAY for _ in range(n)]
    return _delays[n]


async def workload(n):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    lateness = [0.0] * n
    fired = 0

    def on_timer(i, when):
        nonlocal fired
        lateness[i] = loop.time() - when
        fired += 1
        if fired == n:
            done.set_result(fired)

    for i, d in enumerate(delays(n)):
        when = loop.time() + d
        loop.call_at(when, on_timer, i, when)
    count = await done
    assert count == n
    return 1, lateness


def lateness_summary(runs):
    samples = sorted(v for run in runs for v in run)
    ms = lambda s: round(s * 1e3, 3)  # noqa: E731
    batch_p99 = sorted(percentile(sorted(run), 99) for run in runs)
    return {
        "samples": len(samples),
        "lateness_mean_ms": ms(statistics.fmean(samples)),
        "p50_ms": ms(percentile(samples, 50)),
        "p90_ms": ms(percentile(samples, 90)),
        "p99_ms": ms(percentile(samples, 99)),
        "p999_ms": ms(percentile(samples, 99.9)),
        "max_ms": ms(samples[-1]),
        "batches": len(runs),
        "batch_p99_median_ms": ms(batch_p99[(len(batch_p99) - 1) // 2]),
        "batches_p99_over_20ms": sum(1 for v in batch_p99 if v >= 0.020),
    }


if __name__ == "__main__":
    main("timers", workload, default_size=100_000, default_repeat=10, extra=lateness_summary)
