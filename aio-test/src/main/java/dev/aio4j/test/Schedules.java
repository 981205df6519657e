package dev.aio4j.test;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.internal.LoopTestRunner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik support for exploring interleavings: an arbitrary of {@link Schedule}s, and a way to
 * run a coroutine under one.
 *
 * <p><b>asyncio:</b> none (aio4j-only). The arbitrary generates explicit decision lists
 * ({@link Schedule#of(double, int...)}); jqwik shrinks lists towards fewer and smaller
 * decisions, so a property that fails under some interleaving reports the smallest schedule
 * that still fails, close to the plain FIFO one. Its printed form replays with
 * {@link Schedule#parse(String)}.
 *
 * <pre>{@code
 * @Property
 * void neverOversells(@ForAll Schedule schedule) {
 *     int sold = Schedules.run(schedule, () -> sellConcurrently(store, 10));
 *     assertTrue(sold <= store.stock());
 * }
 * }</pre>
 *
 * A {@code @ForAll Schedule} parameter works without {@code @Provide}: aio-test registers a
 * default arbitrary with jqwik.
 *
 * @since 0.1
 */
public final class Schedules {
    /** The jitter bound of {@link #arbitrary()}: 10 ms. */
    public static final double DEFAULT_MAX_JITTER = 0.010;

    private Schedules() {}

    /**
     * Schedules with timer jitter up to 10 ms.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Schedule> arbitrary() {
        return arbitrary(DEFAULT_MAX_JITTER);
    }

    /**
     * Schedules with timer jitter up to {@code maxJitterSeconds}.
     *
     * @param maxJitterSeconds the largest lateness a timer gets
     * @return the arbitrary; shrinks towards {@link Schedule#fifo()}
     */
    public static Arbitrary<Schedule> arbitrary(double maxJitterSeconds) {
        Schedule.of(maxJitterSeconds); // validates the bound now, not at generation time
        return Arbitraries.integers().between(0, Schedule.JITTER_STEPS).list().ofMaxSize(64)
                .map(list -> Schedule.of(maxJitterSeconds, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * Runs {@code body} as the main task of a fresh virtual-clock loop following
     * {@code schedule}, with the checks of {@link AioTest}: it fails if tasks are left pending
     * or transports or servers open, or the loop reports an error nobody received, or after 10 s
     * of real time.
     *
     * @param schedule the schedule
     * @param body the code under test
     * @param <T> the result type
     * @return what the body returned
     * @throws AssertionError on a leak or a timeout
     * @throws RuntimeException what the body threw (a checked exception wrapped in
     *     {@link java.util.concurrent.CompletionException})
     */
    public static <T> T run(Schedule schedule, Coroutine<T> body) {
        try {
            return LoopTestRunner.run(new LoopTestRunner.Options(ClockMode.VIRTUAL, 10.0, false, false), schedule,
                    String.valueOf(schedule), body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
