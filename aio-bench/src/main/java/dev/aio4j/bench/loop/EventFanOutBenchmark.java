package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Event;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Event fan-out: 10,000 tasks wait on one {@link Event}; {@code set()} wakes them all. One
 * operation is one woken waiter: its wake-up, its resumption, and its return to waiting on the
 * next round's Event. One invocation is 10 rounds (100,000 wake-ups).
 *
 * <p>The 10,000 waiter tasks are created once per trial (in {@link #prepareOnLoop()}, i.e. in the first warm-up invocation) and stay parked
 * on the loop between invocations, so task creation is not part of the score (spawn+gather
 * measures that). Each round the driver replaces the shared Event with a fresh one, then sets
 * the old one; each waiter, once woken, counts itself and waits on the fresh Event; the last one
 * of the round sets the round's "done" Event, which the driver awaits.
 *
 * <p>CPython twin: {@code aio-bench/python/event_fanout.py} (same structure; the waiters are
 * created in the first, unmeasured, run).
 */
public class EventFanOutBenchmark extends AbstractLoopBenchmark {
    public static final int WAITERS = 10_000;
    public static final int ROUNDS = 10;

    /** Waiting tasks (tests shrink it; read in {@link #prepareOnLoop()}). */
    public int waiters = WAITERS;
    /** Rounds per invocation (tests shrink it). */
    public int rounds = ROUNDS;

    private Event current;
    private Event done;
    private int arrived;
    private long woken;
    private boolean stop;
    private List<Task<Long>> tasks;

    @Override
    protected void prepareOnLoop() {
        current = new Event();
        stop = false;
        tasks = new ArrayList<>(waiters);
        loop.runUntilComplete(() -> {
            for (int i = 0; i < waiters; i++) {
                tasks.add(Aio.createTask(this::waiter, "waiter-" + i));
            }
            Aio.sleep(0); // every waiter runs up to its first await
            return null;
        });
    }

    private long waiter() {
        long mine = 0;
        while (true) {
            Event e = current;
            e.await();
            if (stop) {
                return mine;
            }
            mine++;
            woken++;
            if (++arrived == waiters) {
                arrived = 0;
                done.set();
            }
        }
    }

    /**
     * Runs {@code rounds} fan-outs.
     *
     * @return the number of wake-ups counted by the waiters in this invocation
     */
    @Benchmark
    @OperationsPerInvocation(WAITERS * ROUNDS)
    public long fanOut() throws Exception {
        ensurePrepared();
        final int r = rounds;
        return loop.runUntilComplete(() -> {
            long before = woken;
            for (int i = 0; i < r; i++) {
                Event e = current;
                done = new Event();
                current = new Event();
                e.set();
                done.await();
            }
            return woken - before;
        });
    }

    @Override
    protected void cleanUp() {
        if (tasks == null) {
            return;
        }
        loop.runUntilComplete(() -> {
            stop = true;
            current.set();
            long total = 0;
            for (long n : Aio.gather(tasks).await()) {
                total += n;
            }
            return total;
        });
        tasks = null;
    }
}
