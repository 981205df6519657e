package dev.aio4j.bench.loop;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.bench.LatencyRecorder;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * 100,000 timers with random delays between 0 and 100 ms, on the real clock. One operation is
 * the whole batch: the main task schedules every timer with {@code callAt(time() + delay)}
 * (which is what {@code callLater} does) and awaits a future that the last timer to fire
 * completes. The score is the total wall time in milliseconds; it cannot be below 100 ms, the
 * longest delay.
 *
 * <p>Each timer also records its lateness, {@code loop.time()} when its callback runs minus
 * its deadline, into an array; after each invocation (outside the measured time, in a
 * {@code @TearDown(Level.Invocation)}) the array goes into a {@link LatencyRecorder}, for
 * measurement iterations only. At the end of the trial the percentiles are printed as one JSON line
 * ({@code {"workload":"timers",...,"p99_ms":...}}) and appended to the file named by the
 * environment variable {@code AIO4J_BENCH_OUT} if it is set; {@code compare.sh} collects them
 * from there. Lateness includes the time the scheduling loop itself takes: a timer of 0 ms
 * cannot fire before the task that schedules the other 99,999 has yielded.
 *
 * <p>CPython twin: {@code aio-bench/python/timers.py} (same count, same delay distribution, same
 * lateness definition with {@code loop.call_at}).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TimersBenchmark extends AbstractLoopBenchmark {
    public static final int TIMERS = 100_000;
    public static final double MAX_DELAY_SECONDS = 0.100;

    /** Timers per invocation (tests shrink it). */
    public int timers = TIMERS;
    /** Longest delay in seconds (tests shrink it). */
    public double maxDelay = MAX_DELAY_SECONDS;

    private double[] delays;
    private double[] lateness;
    private boolean recording;
    private final LatencyRecorder recorder = new LatencyRecorder();

    @Override
    protected void prepare() {
        SplittableRandom random = new SplittableRandom(42);
        delays = new double[timers];
        for (int i = 0; i < timers; i++) {
            delays[i] = random.nextDouble() * maxDelay;
        }
        lateness = new double[timers];
        recorder.clear();
    }

    /**
     * JMH: record lateness only in measurement iterations.
     *
     * @param params the iteration that starts
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        recording = params.getType() == IterationType.MEASUREMENT;
    }

    /** Tests and {@code main}-style callers: record lateness from now on. */
    public void recordAll() {
        recording = true;
    }

    /** JMH, after each invocation (not measured): move the lateness of the batch into the recorder. */
    @TearDown(Level.Invocation)
    public void recordInvocation() {
        if (recording) {
            recorder.addBatch(lateness, timers);
        }
    }

    @Override
    protected void cleanUp() {
        if (recorder.count() > 0) {
            recorder.report("timers", "aio4j-" + actualScheduler());
        }
    }

    /** The percentile summary of the recorded lateness, for tests. */
    public LatencyRecorder lateness() {
        return recorder;
    }

    /** One timer's callback. */
    private static final class Timer implements Runnable {
        private final EventLoop loop;
        private final double when;
        private final int index;
        private final double[] lateness;
        private final Countdown countdown;

        Timer(EventLoop loop, double when, int index, double[] lateness, Countdown countdown) {
            this.loop = loop;
            this.when = when;
            this.index = index;
            this.lateness = lateness;
            this.countdown = countdown;
        }

        @Override
        public void run() {
            lateness[index] = loop.time() - when;
            countdown.tick();
        }
    }

    /** Completes {@code done} when the last timer fired. */
    private static final class Countdown {
        private final int total;
        private int fired;
        private final Future<Integer> done;

        Countdown(int total, Future<Integer> done) {
            this.total = total;
            this.done = done;
        }

        void tick() {
            if (++fired == total) {
                done.setResult(fired);
            }
        }
    }

    /**
     * Runs the workload once.
     *
     * @return how many timers fired
     */
    @Benchmark
    public int timers() {
        final int n = timers;
        final double[] d = delays;
        final double[] late = lateness;
        int fired = loop.runUntilComplete(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<Integer> done = l.createFuture();
            Countdown countdown = new Countdown(n, done);
            for (int i = 0; i < n; i++) {
                double when = l.time() + d[i];
                l.callAt(when, new Timer(l, when, i, late, countdown));
            }
            return done.await();
        });
        return fired;
    }
}
