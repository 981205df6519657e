package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Queue;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Queue put/get between two tasks: a producer puts 50,000 integers into a {@link Queue} with
 * {@code maxsize} 1 and a consumer gets them, so the two tasks must take turns (the producer
 * suspends in {@code put} while the queue is full, the consumer in {@code get} while it is
 * empty). One operation is one item passed from producer to consumer.
 *
 * <p>CPython twin: {@code aio-bench/python/queue_handoff.py} ({@code asyncio.Queue(maxsize=1)}).
 */
public class QueueHandoffBenchmark extends AbstractLoopBenchmark {
    public static final int ITEMS = 50_000;

    /** Items per invocation (tests shrink it). */
    public int items = ITEMS;

    /**
     * Runs the workload once.
     *
     * @return the sum of the items the consumer received, {@code items * (items - 1) / 2}
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long queueHandoff() {
        final int n = items;
        return loop.runUntilComplete(() -> {
            Queue<Integer> q = new Queue<>(1);
            Task<Long> consumer = Aio.createTask(() -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += q.get();
                }
                return sum;
            }, "consumer");
            Task<Void> producer = Aio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
                return null;
            }, "producer");
            producer.await();
            return consumer.await();
        });
    }
}
