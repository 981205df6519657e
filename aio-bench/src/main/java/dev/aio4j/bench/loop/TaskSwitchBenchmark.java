package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Task switch: 1000 tasks each call {@code Aio.sleep(0)} 100 times, all started together and
 * gathered. One operation is one {@code sleep(0)}: the task yields to the loop and is resumed
 * on the next iteration, after the other 999 tasks had their turn. The score therefore is the
 * cost of one loop-to-task-to-loop round (ready-queue push, step, fiber resume and yield),
 * amortised over 100,000 switches per invocation. Creating and gathering the 1000 tasks is
 * included (1000 task creations per 100,000 switches; {@link SpawnGatherBenchmark} measures
 * what one costs).
 *
 * <p>CPython twin: {@code aio-bench/python/task_switch.py} (same sizes).
 */
public class TaskSwitchBenchmark extends AbstractLoopBenchmark {
    public static final int TASKS = 1000;
    public static final int SWITCHES = 100;

    /** Number of tasks (tests shrink it). */
    public int tasks = TASKS;
    /** {@code sleep(0)} calls per task (tests shrink it). */
    public int switches = SWITCHES;

    /**
     * Runs the workload once.
     *
     * @return the total number of {@code sleep(0)} calls made, {@code tasks * switches}
     */
    @Benchmark
    @OperationsPerInvocation(TASKS * SWITCHES)
    public long sleepZero() {
        final int n = tasks;
        final int k = switches;
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(Aio.createTask(() -> {
                    for (int j = 0; j < k; j++) {
                        Aio.sleep(0);
                    }
                    return k;
                }));
            }
            long total = 0;
            for (int done : Aio.gather(all).await()) {
                total += done;
            }
            return total;
        });
    }
}
