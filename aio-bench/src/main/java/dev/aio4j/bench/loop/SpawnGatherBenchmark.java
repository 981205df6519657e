package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.bench.PeakRss;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spawn and gather: one task creates 100,000 trivial tasks (each returns its index), gathers
 * them and awaits the gather. One operation is one task: created, scheduled, run to its end
 * (on its own virtual thread), its result collected. Run with JMH's GC profiler
 * ({@code -prof gc}) to read the allocation per task from {@code gc.alloc.rate.norm}, which JMH
 * divides by the operations per invocation.
 *
 * <p>{@link #main} runs the same workload outside JMH and prints the process's peak resident
 * set size, for the "peak RSS no more than asyncio's" goal; see {@code docs/benchmarks.md}.
 *
 * <p>CPython twin: {@code aio-bench/python/spawn_gather.py} (same count; it prints its peak RSS
 * too).
 */
public class SpawnGatherBenchmark extends AbstractLoopBenchmark {
    public static final int TASKS = 100_000;

    /** Tasks per invocation (tests shrink it). */
    public int tasks = TASKS;

    /**
     * Runs the workload once.
     *
     * @return the gathered results, in creation order (element {@code i} is {@code i})
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public List<Integer> spawnGather() {
        final int n = tasks;
        List<Integer> results = loop.runUntilComplete(() -> {
            List<Task<Integer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(Aio.createTask(trivial(i)));
            }
            return Aio.gather(all).await();
        });
        if (results.size() != n) {
            throw new IllegalStateException("gather returned " + results.size() + " results, expected " + n);
        }
        return results;
    }

    private static Coroutine<Integer> trivial(int i) {
        Integer boxed = i;
        return () -> boxed;
    }

    /**
     * Heap retained per pending task: creates {@code n} tasks, and before any of them runs,
     * forces a GC and compares the used heap with the figure before they were created.
     *
     * @param n tasks to create
     * @return bytes of heap retained per created-but-not-yet-run task
     */
    public long retainedBytesPerPendingTask(int n) {
        java.lang.management.MemoryMXBean mem = java.lang.management.ManagementFactory.getMemoryMXBean();
        return loop.runUntilComplete(() -> {
            System.gc();
            long before = mem.getHeapMemoryUsage().getUsed();
            List<Task<Integer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(Aio.createTask(trivial(i)));
            }
            System.gc();
            long after = mem.getHeapMemoryUsage().getUsed();
            List<Integer> results = Aio.gather(all).await();
            if (results.size() != n) {
                throw new IllegalStateException("gather returned " + results.size() + " results, expected " + n);
            }
            return (after - before) / n;
        });
    }

    /**
     * Runs the workload {@code repeat} times (default 5) on the scheduler named by
     * {@code -Daio4j.scheduler} and prints one JSON line with the time of the last run, the
     * process's peak RSS, and the heap retained per pending task (measured after the timed
     * runs). Used by {@code compare.sh} for the memory comparison; the timing here is informal
     * (JMH's is the one reported). {@code -Daio4j.bench.label=x} appends {@code -x} to the
     * implementation label (compare.sh labels its constrained-heap run this way).
     *
     * @param args optional: repeat count
     * @throws Exception if the workload fails
     */
    public static void main(String[] args) throws Exception {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SpawnGatherBenchmark b = new SpawnGatherBenchmark();
        b.scheduler = System.getProperty(SCHEDULER_PROPERTY, "auto");
        b.setUpLoop();
        long last = 0;
        long peakRss;
        long retained;
        String label = "aio4j-" + b.actualScheduler();
        String suffix = System.getProperty("aio4j.bench.label", "");
        if (!suffix.isBlank()) {
            label += "-" + suffix;
        }
        try {
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                b.spawnGather();
                last = System.nanoTime() - t0;
            }
            peakRss = PeakRss.kilobytes(); // before the forced GCs below can change the picture
            retained = b.retainedBytesPerPendingTask(TASKS);
        } finally {
            b.tearDownLoop();
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"spawn_gather\",\"impl\":\"%s\",\"tasks\":%d,\"repeat\":%d,"
                        + "\"last_run_ns_per_op\":%.1f,\"peak_rss_kb\":%d,\"max_heap_mb\":%d,"
                        + "\"retained_bytes_per_pending_task\":%d}%n",
                label, TASKS, repeat, (double) last / TASKS, peakRss, rt.maxMemory() >> 20, retained);
    }
}
