package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Acquired;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Lock;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Lock hand-off: two tasks each take a {@link Lock} 25,000 times (try-with-resources on
 * {@link Lock#hold()}, aio4j's {@code async with lock:}) and yield once
 * ({@code Aio.sleep(0)}) while holding it, so the other task is always waiting in
 * {@code acquire()} when the lock is released and every release hands the lock over. One
 * operation is one acquisition (50,000 per invocation), which includes the holder's
 * {@code sleep(0)}: compare it with {@link TaskSwitchBenchmark} to see what the lock itself
 * adds.
 *
 * <p>CPython twin: {@code aio-bench/python/lock_handoff.py} ({@code async with lock: await
 * asyncio.sleep(0)}).
 */
public class LockHandoffBenchmark extends AbstractLoopBenchmark {
    public static final int TASKS = 2;
    public static final int ACQUIRES_PER_TASK = 25_000;

    /** Acquisitions per task (tests shrink it). */
    public int acquiresPerTask = ACQUIRES_PER_TASK;

    /**
     * Runs the workload once.
     *
     * @return the number of times the lock was held, {@code 2 * acquiresPerTask}, counted
     *     inside the critical section (a lost update would show here)
     */
    @Benchmark
    @OperationsPerInvocation(TASKS * ACQUIRES_PER_TASK)
    @SuppressWarnings("try") // the resource is the lock's hold, released by close()
    public int lockHandoff() {
        final int n = acquiresPerTask;
        return loop.runUntilComplete(() -> {
            Lock lock = new Lock();
            int[] held = new int[1];
            List<Task<Void>> all = new ArrayList<>(TASKS);
            for (int t = 0; t < TASKS; t++) {
                all.add(Aio.createTask(() -> {
                    for (int i = 0; i < n; i++) {
                        try (Acquired hold = lock.hold()) {
                            int before = held[0];
                            Aio.sleep(0);
                            held[0] = before + 1;
                        }
                    }
                    return null;
                }));
            }
            Aio.gather(all).await();
            return held[0];
        });
    }
}
