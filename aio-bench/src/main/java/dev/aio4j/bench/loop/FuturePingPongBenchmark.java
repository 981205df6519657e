package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Future ping-pong: two tasks hand a value back and forth through futures, 50,000 round trips
 * per invocation. Each side owns the future it receives on and replaces it with a fresh one
 * after every receive; the sender completes the other side's current future with
 * {@code setResult} and then awaits its own.
 *
 * <p>One operation is one one-way hand-off: a {@code setResult} by one task, the other task's
 * {@code await()} returning, and the loop iteration in between (completing the future puts the
 * waiting task's step in the ready queue; it runs on the next iteration). A round trip is two
 * operations. This is the
 * cheapest "one task passes data to another" path and what Queue and Lock hand-offs build on.
 *
 * <p>CPython twin: {@code aio-bench/python/ping_pong.py} (same algorithm, same counts).
 */
public class FuturePingPongBenchmark extends AbstractLoopBenchmark {
    public static final int ROUNDS = 50_000;

    /** Round trips per invocation (tests shrink it). */
    public int rounds = ROUNDS;

    /** The two mailboxes; each side replaces its own after receiving. */
    private static final class Box {
        Future<Integer> toPing;
        Future<Integer> toPong;

        Box(EventLoop loop) {
            toPing = loop.createFuture();
            toPong = loop.createFuture();
        }
    }

    /**
     * Runs the workload once.
     *
     * @return the last value received by the pinger, which is {@code rounds} when every
     *     hand-off arrived in order
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public int pingPong() {
        final int n = rounds;
        return loop.runUntilComplete(() -> {
            EventLoop l = Aio.getRunningLoop();
            Box box = new Box(l);
            Task<Integer> pong = Aio.createTask(() -> {
                int last = -1;
                for (int i = 0; i < n; i++) {
                    Future<Integer> in = box.toPong;
                    int v = in.await();
                    box.toPong = l.createFuture();
                    box.toPing.setResult(v + 1);
                    last = v;
                }
                return last;
            }, "pong");
            Task<Integer> ping = Aio.createTask(() -> {
                int got = 0;
                for (int i = 0; i < n; i++) {
                    box.toPong.setResult(got);
                    Future<Integer> in = box.toPing;
                    got = in.await();
                    box.toPing = l.createFuture();
                }
                return got;
            }, "ping");
            int got = ping.await();
            int pongLast = pong.await();
            if (pongLast != n - 1) {
                throw new IllegalStateException("pong saw " + pongLast + " last, expected " + (n - 1));
            }
            return got;
        });
    }
}
