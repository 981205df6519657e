package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Reference point, not aio4j: a chain of 100,000 dependent {@link CompletableFuture} stages on
 * one thread. It shows what a callback-only Java design costs per step, the limit an event loop
 * that runs callbacks (not suspended tasks) can approach.
 *
 * <ul>
 *   <li>{@link #direct()}: each stage is {@code thenApply} and runs inline when its
 *       predecessor completes; no queue at all. The lowest conceivable cost per step.
 *   <li>{@link #queued()}: each stage is {@code thenApplyAsync} on an executor that appends to
 *       a FIFO {@link ArrayDeque} drained by the same thread, the shape of a {@code callSoon}
 *       chain (compare with {@code CallSoonChainBenchmark}).
 * </ul>
 * One operation is one stage. No CPython twin (the nearest is {@code call_soon_chain.py}).
 */
public class CompletableFutureChainBenchmark extends AbstractBenchmark {
    public static final int STAGES = 100_000;

    /** Stages per invocation (tests shrink it). */
    public int stages = STAGES;

    /**
     * Builds the chain of {@code thenApply} stages, completes its head and joins its tail.
     *
     * @return the tail's value, {@code stages}
     */
    @Benchmark
    @OperationsPerInvocation(STAGES)
    public int direct() {
        CompletableFuture<Integer> head = new CompletableFuture<>();
        CompletableFuture<Integer> tail = head;
        for (int i = 0; i < stages; i++) {
            tail = tail.thenApply(v -> v + 1);
        }
        head.complete(0);
        return tail.join();
    }

    /**
     * Each stage is scheduled onto a single-threaded FIFO queue and the next stage is attached
     * only when the previous one runs, as a self-rescheduling callback does.
     *
     * @return the last stage's value, {@code stages}
     */
    @Benchmark
    @OperationsPerInvocation(STAGES)
    public int queued() {
        ArrayDeque<Runnable> queue = new ArrayDeque<>(64);
        Executor onQueue = queue::add;
        int n = stages;
        int[] last = new int[1];
        CompletableFuture<Integer> head = new CompletableFuture<>();
        step(head, onQueue, n, last);
        head.complete(0);
        Runnable r;
        while ((r = queue.poll()) != null) {
            r.run();
        }
        return last[0];
    }

    private static void step(CompletableFuture<Integer> f, Executor ex, int n, int[] last) {
        f.thenApplyAsync(v -> v + 1, ex).thenAccept(v -> {
            last[0] = v;
            if (v < n) {
                CompletableFuture<Integer> next = CompletableFuture.completedFuture(v);
                step(next, ex, n, last);
            }
        });
    }
}
