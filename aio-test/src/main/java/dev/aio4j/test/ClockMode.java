package dev.aio4j.test;

/**
 * The clock of the loop an {@link AioTest} runs on.
 *
 * <p><b>asyncio:</b> none (aio4j-only); {@code IsolatedAsyncioTestCase} always runs on real
 * time.
 *
 * @since 0.1
 */
public enum ClockMode {
    /** A {@link dev.aio4j.loop.VirtualClock} that jumps to the next timer when the loop is idle. */
    VIRTUAL,
    /** A {@link dev.aio4j.loop.VirtualClock} that moves only through {@code advance(...)}. */
    MANUAL,
    /** The real monotonic clock. */
    REAL
}
