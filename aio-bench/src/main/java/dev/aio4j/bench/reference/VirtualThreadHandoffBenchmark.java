package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Reference point, not aio4j: the bare JDK hand-off each aio4j scheduler back-end is built on,
 * with no event loop around it. One operation is one hand-off.
 *
 * <ul>
 *   <li>{@link #customScheduler()}: the mechanism of the {@code carrier} back-end. A virtual
 *       thread whose scheduler is an executor that only stores the continuation; the benchmark
 *       thread unparks it, runs the stored continuation itself (mounting the virtual thread on
 *       the benchmark thread), and gets control back when the virtual thread parks again. One
 *       operation = unpark + mount + run until park + unmount. aio4j's task switch cannot be
 *       cheaper than this with the carrier back-end. Needs {@code --add-opens
 *       java.base/java.lang=ALL-UNNAMED} (given to every fork by {@link AbstractBenchmark}).
 *   <li>{@link #defaultScheduler()}: the mechanism of the {@code portable} back-end. Two
 *       virtual threads on the JDK's default scheduler pass a turn back and forth with
 *       park/unpark. One operation = one one-way hand-off.
 * </ul>
 * No CPython twin.
 */
public class VirtualThreadHandoffBenchmark extends AbstractBenchmark {
    public static final int HANDOFFS = 100_000;

    /** Hand-offs per invocation (tests shrink it). */
    public int handoffs = HANDOFFS;

    // ------------------------------------------------------------ custom scheduler (carrier)

    private static final MethodHandle BUILDER;

    static {
        MethodHandle mh;
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            var ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            mh = MethodHandles.lookup().unreflectConstructor(ctor)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            mh = null; // customScheduler() reports it
        }
        BUILDER = mh;
    }

    /** Whether the custom-scheduler constructor is reachable (tests skip otherwise). */
    public static boolean customSchedulerAvailable() {
        return BUILDER != null;
    }

    private Runnable stored;
    private Thread worker;
    private volatile boolean stop;
    private long workerCount;

    @Setup(Level.Trial)
    public void startWorker() throws Throwable {
        if (BUILDER == null) {
            throw new IllegalStateException("needs --add-opens java.base/java.lang=ALL-UNNAMED");
        }
        Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.invokeExact((Executor) r -> stored = r);
        stop = false;
        worker = b.name("handoff-worker").unstarted(() -> {
            while (!stop) {
                workerCount++;
                LockSupport.park();
            }
        });
        worker.start();
        runStored(); // runs the worker until its first park
    }

    @TearDown(Level.Trial)
    public void stopWorker() {
        stop = true;
        LockSupport.unpark(worker);
        runStored();
    }

    private void runStored() {
        Runnable r = stored;
        stored = null;
        if (r != null) {
            r.run();
        }
    }

    /**
     * Resumes the worker virtual thread {@code handoffs} times on this thread.
     *
     * @return how many times the worker ran since the trial started
     */
    @Benchmark
    @OperationsPerInvocation(HANDOFFS)
    public long customScheduler() {
        Thread w = worker;
        for (int i = 0; i < handoffs; i++) {
            LockSupport.unpark(w);
            runStored();
        }
        return workerCount;
    }

    // ------------------------------------------------------------ default scheduler (portable)

    private volatile int turn;

    /**
     * Two virtual threads on the default scheduler hand a turn back and forth.
     *
     * @return the number of hand-offs made
     * @throws InterruptedException if interrupted while joining
     */
    @Benchmark
    @OperationsPerInvocation(HANDOFFS)
    public int defaultScheduler() throws InterruptedException {
        final int n = handoffs;
        final Thread[] pair = new Thread[2];
        final int[] made = new int[2];
        turn = 0;
        for (int side = 0; side < 2; side++) {
            final int me = side;
            pair[side] = Thread.ofVirtual().unstarted(() -> {
                for (int i = me; i < n; i += 2) {
                    while (turn != i) {
                        LockSupport.park();
                    }
                    made[me]++;
                    turn = i + 1;
                    LockSupport.unpark(pair[1 - me]);
                }
            });
        }
        pair[0].start();
        pair[1].start();
        pair[0].join();
        pair[1].join();
        return made[0] + made[1];
    }
}
