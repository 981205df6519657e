package dev.aio4j.bench.loop;

import dev.aio4j.bench.PeakRss;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory of pending tasks (a {@code main}, not JMH): one task creates {@code N} tasks that each
 * await one shared Future, lets them all start and suspend there, measures, then completes the
 * Future and gathers them. "Pending" is what a server's idle connection handlers or a crawler's
 * waiting requests are: started and suspended, each holding its (virtual-thread) stack.
 *
 * <p>Prints one JSON line: {@code retained_bytes_per_task}, the heap retained per suspended task
 * (used heap after a full GC with all N suspended, minus before, over N),
 * {@code rss_bytes_per_task} (the process's resident set growth over N), {@code peak_rss_kb}
 * (the process's peak RSS, VmHWM), and the wall time to create and start them. Usage:
 * {@code java [-Daio4j.scheduler=carrier|portable] [heap preset] -cp benchmarks.jar
 * dev.aio4j.bench.loop.PendingTasksBenchmark N [label]}. Twin: {@code aio-bench/python/pending_tasks.py}.
 */
public final class PendingTasksBenchmark {
    private PendingTasksBenchmark() {}

    /**
     * Runs the workload once and prints its JSON line.
     *
     * @param args N (default 100,000), then an optional label appended to the implementation name
     * @throws Exception if the workload fails
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        String label = args.length > 1 ? "-" + args[1] : "";
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        EventLoop loop = EventLoop.create();
        String impl = "aio4j-" + loop.schedulerName() + label;
        long[] m = new long[5];
        try {
            loop.runUntilComplete(() -> {
                Future<Integer> gate = Aio.getRunningLoop().createFuture();
                System.gc();
                long heap0 = mem.getHeapMemoryUsage().getUsed();
                long rss0 = rssKb();
                long t0 = System.nanoTime();
                List<Task<Integer>> all = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    all.add(Aio.createTask(gate::await));
                }
                Aio.sleep(0); // every task runs up to its await and suspends there
                Aio.sleep(0);
                m[2] = System.nanoTime() - t0;
                System.gc();
                m[0] = mem.getHeapMemoryUsage().getUsed() - heap0;
                m[1] = (rssKb() - rss0) * 1024;
                int suspended = 0;
                for (Task<Integer> t : all) {
                    if (!t.done()) {
                        suspended++;
                    }
                }
                if (suspended != n) {
                    throw new IllegalStateException(suspended + " of " + n + " tasks pending, expected all");
                }
                gate.setResult(1);
                List<Integer> results = Aio.gather(all).await();
                if (results.size() != n) {
                    throw new IllegalStateException("gathered " + results.size() + ", expected " + n);
                }
                m[3] = System.nanoTime() - t0;
                return null;
            });
        } finally {
            loop.close();
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"pending_tasks\",\"impl\":\"%s\",\"tasks\":%d,\"retained_bytes_per_task\":%d,"
                        + "\"rss_bytes_per_task\":%d,\"peak_rss_kb\":%d,\"start_ms\":%.1f,\"total_ms\":%.1f,\"max_heap_mb\":%d,"
                        + "\"jvm_args\":\"%s\"}%n",
                impl, n, m[0] / n, m[1] / n, PeakRss.kilobytes(), m[2] / 1e6, m[3] / 1e6, rt.maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()).replace("\"", "'"));
    }

    /** Current RSS (VmRSS) in KiB, or 0 off Linux. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
