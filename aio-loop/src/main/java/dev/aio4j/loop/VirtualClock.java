package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.time.Duration;

/**
 * A clock for an event loop that moves only when told to, or jumps to the next timer whenever
 * the loop has nothing else to do, so that code about time is tested instantly and
 * deterministically: {@code Aio.sleep(3600)} costs nothing.
 *
 * <p><b>asyncio:</b> none in the public API; it plays the part of {@code test_utils.TestLoop}'s
 * generator-driven time in CPython's own tests (and of trio's {@code MockClock} with autojump).
 * aio4j-only.
 *
 * <p>Create the loop with {@link EventLoop#create(VirtualClock)}, or run a coroutine with
 * {@link Runner#withLoopFactory}. In {@linkplain #autoJump() auto-jump} mode (the usual one),
 * when no callback is ready and no work is pending on another thread (a
 * {@link EventLoop#runInExecutor} job, for instance), the loop sets the time to the next timer's
 * deadline instead of waiting. In {@linkplain #manual() manual} mode time moves only through
 * {@link #advance(double)}; an idle loop then waits (really) for an advance from a task or from
 * another thread.
 *
 * <p><b>Threading:</b> {@link #advance} may be called from any thread; one clock serves one loop.
 *
 * @since 0.1
 */
public final class VirtualClock {
    private final boolean autoJump;
    /** The time the clock started at: 0 for the public factories. */
    final double start;
    private volatile double now;
    private volatile EventLoop loop;

    private VirtualClock(boolean autoJump, double start) {
        this.autoJump = autoJump;
        this.start = start;
        this.now = start;
    }

    /**
     * A clock at time 0 that jumps to the next timer whenever the loop is idle.
     *
     * @return a new clock
     */
    public static VirtualClock autoJump() {
        return new VirtualClock(true, 0.0);
    }

    /**
     * A clock at time 0 that moves only through {@link #advance}.
     *
     * @return a new clock
     */
    public static VirtualClock manual() {
        return new VirtualClock(false, 0.0);
    }

    /**
     * A clock starting at {@code start} instead of 0. aio4j's own tests start their clocks at a
     * large random time, as trio's clocks start at a random offset, so that code confusing a
     * deadline with a delay ({@code when} with {@code when - start}) fails there instead of in
     * production, where the monotonic clock is never near 0.
     */
    static VirtualClock startingAt(boolean autoJump, double start) {
        return new VirtualClock(autoJump, start);
    }

    /**
     * Whether the clock jumps to the next timer when its loop is idle.
     *
     * @return true for an auto-jump clock
     */
    public boolean isAutoJump() {
        return autoJump;
    }

    /**
     * The current virtual time in seconds.
     *
     * @return the time
     */
    public double time() {
        return now;
    }

    /**
     * Moves time forward; timers that become due run on the loop's next iteration.
     *
     * @param seconds how far, &gt;= 0
     */
    public void advance(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be a finite number >= 0, got " + seconds);
        }
        synchronized (this) {
            now = now + seconds;
        }
        EventLoop l = loop;
        if (l != null) {
            l.wakeup();
        }
    }

    /**
     * Moves time forward.
     *
     * @param delay how far, not negative
     */
    public void advance(Duration delay) {
        advance(Checks.seconds(delay, "delay"));
    }

    void jumpTo(double when) {
        synchronized (this) {
            if (when > now) {
                now = when;
            }
        }
    }

    void attach(EventLoop l) {
        synchronized (this) {
            if (loop != null && loop != l) {
                throw new IllegalStateException("this VirtualClock already drives " + loop + "; create one clock per loop");
            }
            loop = l;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + (autoJump ? "auto-jump" : "manual") + ", time=" + now + "]";
    }
}
