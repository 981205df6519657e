package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * callSoon chain: a loop callback that schedules itself again with {@code callSoon}, 100,000
 * times per invocation, then completes a future that the main task awaits. One operation is
 * one callback: a {@link dev.aio4j.loop.Handle} allocated and queued, one loop iteration, the
 * callback run. No task switch is involved except the main task's single await, so this is the
 * floor of the loop's own per-iteration cost and should not depend on the scheduler back-end.
 *
 * <p>CPython twin: {@code aio-bench/python/call_soon_chain.py}.
 */
public class CallSoonChainBenchmark extends AbstractLoopBenchmark {
    public static final int CALLBACKS = 100_000;

    /** Callbacks per invocation (tests shrink it). */
    public int callbacks = CALLBACKS;

    /** The self-rescheduling callback. */
    private static final class Chain implements Runnable {
        private final EventLoop loop;
        private final int limit;
        private final Future<Integer> done;
        private int count;

        Chain(EventLoop loop, int limit, Future<Integer> done) {
            this.loop = loop;
            this.limit = limit;
            this.done = done;
        }

        @Override
        public void run() {
            if (++count < limit) {
                loop.callSoon(this);
            } else {
                done.setResult(count);
            }
        }
    }

    /**
     * Runs the workload once.
     *
     * @return how many times the callback ran ({@code callbacks})
     */
    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public int chain() {
        final int n = callbacks;
        return loop.runUntilComplete(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<Integer> done = l.createFuture();
            l.callSoon(new Chain(l, n, done));
            return done.await();
        });
    }
}
