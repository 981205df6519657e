package dev.aio4j.bench;

import dev.aio4j.loop.EventLoop;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Base of the benchmarks that run an aio4j {@link EventLoop}: one loop per trial, created after
 * the scheduler back-end was chosen, and checked to really use it.
 *
 * <p>{@link #scheduler} is a JMH parameter, so every loop benchmark runs once with
 * {@code carrier} (task threads mounted on the loop thread; needs the {@code --add-opens} flag
 * that {@link AbstractBenchmark} gives every fork) and once with {@code portable} (plain virtual
 * threads, no flag needed). The value is applied with
 * {@code System.setProperty("aio4j.scheduler", ...)} before the loop is created, which works
 * because aio-loop reads the property each time it creates a loop. {@link #setUpLoop()} then
 * compares {@link EventLoop#schedulerName()} with the parameter and fails the trial if they
 * differ, so a silent fallback to the other back-end cannot produce a mislabelled number.
 *
 * <p>Subclasses put their per-trial preparation in {@link #prepare()} (called after the loop
 * exists) rather than in their own {@code @Setup} method, so the order is fixed; preparation that
 * runs code on the loop goes in {@link #prepareOnLoop()} instead (see there for why). Tests call
 * {@link #setUpLoop()}, the benchmark method, and {@link #tearDownLoop()} directly.
 */
public abstract class AbstractLoopBenchmark extends AbstractBenchmark {

    /** System property read by aio-loop when it creates a loop. */
    public static final String SCHEDULER_PROPERTY = "aio4j.scheduler";

    /** Scheduler back-end: {@code carrier} or {@code portable} ({@code auto} lets aio-loop pick). */
    @Param({"carrier", "portable"})
    public String scheduler;

    /** The loop of this trial. */
    protected EventLoop loop;

    @Setup(Level.Trial)
    public final void setUpLoop() throws Exception {
        if (scheduler == null || scheduler.isBlank()) {
            scheduler = System.getProperty(SCHEDULER_PROPERTY, "auto");
        }
        System.setProperty(SCHEDULER_PROPERTY, scheduler);
        loop = newLoop();
        String actual = loop.schedulerName();
        if (!scheduler.equals("auto") && !scheduler.equals(actual)) {
            loop.close();
            throw new IllegalStateException("asked for scheduler '" + scheduler + "' but the loop runs '" + actual
                    + "': " + loop);
        }
        prepare();
    }

    @TearDown(Level.Trial)
    public final void tearDownLoop() throws Exception {
        try {
            cleanUp();
        } finally {
            preparedOnLoop = false;
            if (loop != null) {
                loop.close();
                loop = null;
            }
        }
    }

    /** Name of the back-end the trial's loop really uses. */
    public final String actualScheduler() {
        return loop.schedulerName();
    }

    /**
     * Creates the trial's loop; the scheduler property is already set. Overridden by benchmarks
     * that need another clock (e.g. {@code VirtualTimeBenchmark}).
     *
     * @return a new loop
     */
    protected EventLoop newLoop() {
        return EventLoop.create();
    }

    private boolean preparedOnLoop;

    /**
     * Per-trial preparation that runs code on the loop (opens servers and connections, parks
     * tasks). It does not run in {@code @Setup}: JMH calls trial set-up while holding the monitor
     * of the generated class, and a {@code runUntilComplete} under the {@code carrier} back-end
     * while the calling thread holds a monitor left that monitor locked for good (the trial then
     * hangs at its tear-down). Benchmarks call {@link #ensurePrepared()} at the start of each
     * invocation instead, so this runs once, in the first warm-up invocation.
     *
     * @throws Exception if the preparation fails
     */
    protected void prepareOnLoop() throws Exception {
    }

    /**
     * Runs {@link #prepareOnLoop()} once per trial; cheap afterwards.
     *
     * @throws Exception if the preparation fails
     */
    protected final void ensurePrepared() throws Exception {
        if (!preparedOnLoop) {
            preparedOnLoop = true;
            prepareOnLoop();
        }
    }

    /** @return whether {@link #prepareOnLoop()} has run in this trial */
    protected final boolean preparedOnLoop() {
        return preparedOnLoop;
    }

    /** Per-trial preparation; the loop exists already. */
    protected void prepare() throws Exception {
    }

    /** Per-trial clean-up; the loop is closed right after. */
    protected void cleanUp() throws Exception {
    }
}
