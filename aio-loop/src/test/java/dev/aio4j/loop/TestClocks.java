package dev.aio4j.loop;

import java.util.Random;

/**
 * Virtual clocks for aio4j's own tests, started at a large random time (in [1e6, 2e6) seconds)
 * as trio's clocks start at a random offset: code that confuses a deadline ({@code when}) with
 * a delay ({@code when - start}) then fails a test instead of passing only because time starts
 * at 0. The offsets come from one seed per JVM, printed once; rerun with
 * {@code -Daio4j.test.clockSeed=<seed>} to get the same offsets. aio4j-only test support.
 */
public final class TestClocks {
    private static final long SEED = Long.getLong("aio4j.test.clockSeed", System.nanoTime());
    private static final Random RANDOM = new Random(SEED);

    static {
        System.err.println("aio4j tests: virtual clocks start at random times in [1e6, 2e6) s; reproduce with "
                + "-Daio4j.test.clockSeed=" + SEED);
    }

    private TestClocks() {}

    /** A random start time in [1e6, 2e6) seconds. */
    public static synchronized double randomStart() {
        return 1e6 + RANDOM.nextDouble() * 1e6;
    }

    /** {@link VirtualClock#autoJump()}, started at a random large time. */
    public static VirtualClock autoJump() {
        return VirtualClock.startingAt(true, randomStart());
    }

    /** {@link VirtualClock#manual()}, started at a random large time. */
    public static VirtualClock manual() {
        return VirtualClock.startingAt(false, randomStart());
    }

    /** Seconds since {@code clock} started, rounded to the nanosecond. */
    public static double elapsed(VirtualClock clock) {
        return Math.round((clock.time() - clock.start) * 1e9) / 1e9;
    }

    /** The time {@code clock} started at. */
    public static double start(VirtualClock clock) {
        return clock.start;
    }

    /** The loop time {@code seconds} after {@code loop}'s virtual clock started (a deadline for callAt, timeoutAt). */
    public static double at(EventLoop loop, double seconds) {
        return start(loop) + seconds;
    }

    /** {@code when} (a loop time) as seconds since {@code loop}'s clock started, rounded to the nanosecond. */
    public static double sinceStart(EventLoop loop, double when) {
        if (Double.isInfinite(when)) {
            return when;
        }
        return Math.round((when - start(loop)) * 1e9) / 1e9;
    }

    private static double start(EventLoop loop) {
        VirtualClock c = loop.virtualClock();
        if (c == null) {
            throw new IllegalArgumentException(loop + " has no virtual clock");
        }
        return c.start;
    }

    /**
     * Seconds since {@code loop}'s virtual clock started, rounded to the nanosecond, so that a
     * test can compare it with a literal ({@code assertEquals(0.3, elapsed(loop))}) although the
     * offset costs some bits of precision.
     */
    public static double elapsed(EventLoop loop) {
        return sinceStart(loop, loop.time());
    }
}
