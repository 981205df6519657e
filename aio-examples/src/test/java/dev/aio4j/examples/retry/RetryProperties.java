package dev.aio4j.examples.retry;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Retry} over generated failure patterns and policies, on virtual time: on the plain FIFO
 * schedule every run matches a model of the policy computed by hand, to the exact instant; under
 * any {@link Schedule} (timers firing up to 10 ms late) the policy never exceeds its attempt
 * count or its deadline and always waits exactly its backoff sequence. Attempts last up to an
 * hour and waits grow to hours, so many runs cover hours of virtual time (the first property
 * checks that at least 2% do; 8 to 16% is usual); each takes milliseconds. aio4j-only.
 */
class RetryProperties {

    /** One call of the operation: how long it works, and whether it then fails. */
    record Attempt(double seconds, boolean fails) {}

    /**
     * What a run did, in seconds from the start of {@code call}.
     *
     * @param starts when each attempt started
     * @param ends when each attempt that was not cut short ended
     * @param waits the waits the policy announced, in order
     * @param result the result, or null
     * @param failure the RetryFailed message, or null
     * @param attemptsReported {@code RetryFailed.attempts()}, or 0
     * @param end when {@code call} returned or threw
     */
    record Run(List<Double> starts, List<Double> ends, List<Double> waits, String result, String failure,
               int attemptsReported, double end) {}

    /** Runs {@code policy} around an operation that follows {@code pattern} (its last entry repeats). */
    static Run run(Retry policy, List<Attempt> pattern) {
        double t0 = Aio.getRunningLoop().time();
        List<Double> starts = new ArrayList<>();
        List<Double> ends = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        String result = null;
        String failure = null;
        int reported = 0;
        try {
            result = policy.call(() -> {
                int i = starts.size();
                starts.add(Aio.getRunningLoop().time() - t0);
                Attempt a = pattern.get(Math.min(i, pattern.size() - 1));
                Aio.sleep(a.seconds());
                ends.add(Aio.getRunningLoop().time() - t0);
                if (a.fails()) {
                    throw new IOException("attempt " + (i + 1) + " failed");
                }
                return "ok #" + (i + 1);
            }, (attempt, error, delay) -> waits.add(delay));
        } catch (RetryFailed e) {
            failure = e.getMessage();
            reported = e.attempts();
        }
        return new Run(starts, ends, waits, result, failure, reported, Aio.getRunningLoop().time() - t0);
    }

    /**
     * The policy computed by hand, for the FIFO schedule, with the loop's own arithmetic (a time
     * is the previous time plus a delay), so the times compare exactly. Ties go to the deadline:
     * it was scheduled first. "Ties" are the loop's: an iteration runs every timer due within the
     * clock resolution of the clock ({@link #CLOCK_RESOLUTION}, asyncio's {@code _clock_resolution}),
     * so a deadline a hair after a sleep's end fires in the same iteration and cancels the task
     * before its step runs (a wait of 0.6 s after 7.3999999999999995 s ends at 7.999999999999999 s,
     * 9e-16 s before a deadline of 8 s).
     */
    /** The event loop's clock resolution: BaseEventLoop's, as asyncio's loop has one. */
    static final double CLOCK_RESOLUTION = 1e-9;

    /** Whether the deadline timer fires no later than the iteration of a timer due at {@code when}. */
    static boolean reaches(double when, double deadline) {
        return deadline < when + CLOCK_RESOLUTION;
    }

    static Run model(Retry policy, List<Attempt> pattern) {
        double deadline = policy.deadline();
        List<Double> starts = new ArrayList<>();
        List<Double> ends = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        double t = 0;
        for (int attempt = 1; ; attempt++) {
            starts.add(t);
            Attempt a = pattern.get(Math.min(attempt - 1, pattern.size() - 1));
            if (reaches(t + a.seconds(), deadline)) {
                return new Run(starts, ends, waits, null, "cut", attempt, Math.min(t + a.seconds(), deadline));
            }
            t += a.seconds();
            ends.add(t);
            if (!a.fails()) {
                return new Run(starts, ends, waits, "ok #" + attempt, null, 0, t);
            }
            if (attempt == policy.maxAttempts()) {
                return new Run(starts, ends, waits, null, "no attempts left", attempt, t);
            }
            double wait = policy.delay(attempt);
            if (t + wait >= deadline) { // Retry's own check, before it waits
                return new Run(starts, ends, waits, null, "deadline", attempt, t);
            }
            waits.add(wait);
            if (reaches(t + wait, deadline)) {
                return new Run(starts, ends, waits, null, "cut waiting", attempt, t + wait);
            }
            t += wait;
        }
    }

    @Provide
    Arbitrary<List<Attempt>> patterns() {
        Arbitrary<Double> seconds = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 3600).map(Integer::doubleValue),   // whole seconds: ties happen
                Arbitraries.doubles().between(0, 600).ofScale(3));           // 0 is one of its edge cases
        Arbitrary<Boolean> fails = Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false));
        return Combinators.combine(seconds, fails).as(Attempt::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<Retry> policies() {
        Arbitrary<Double> first = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 600).map(Integer::doubleValue),
                Arbitraries.doubles().between(0, 60).ofScale(2));
        Arbitrary<Double> multiplier = Arbitraries.of(1.0, 1.5, 2.0, 3.0);
        Arbitrary<Double> maxDelay = Arbitraries.of(Double.POSITIVE_INFINITY, 60.0, 600.0, 3600.0);
        Arbitrary<Integer> maxAttempts = Arbitraries.integers().between(1, 12);
        Arbitrary<Double> deadline = Arbitraries.oneOf(
                Arbitraries.just(Double.POSITIVE_INFINITY),
                Arbitraries.integers().between(1, 6 * 3600).map(Integer::doubleValue));
        return Combinators.combine(first, multiplier, maxDelay, maxAttempts, deadline).as((f, m, cap, n, d) -> {
            Retry r = Retry.withBackoff(f).multiplier(m).maxDelay(cap).maxAttempts(n);
            return d == Double.POSITIVE_INFINITY ? r : r.deadline(d);
        });
    }

    @Property(tries = 300)
    void onTheFifoScheduleEveryRunMatchesTheModelExactly(@ForAll("policies") Retry policy,
                                                          @ForAll("patterns") List<Attempt> pattern) {
        Run run = Schedules.run(Schedule.fifo(), () -> run(policy, pattern));
        Run model = model(policy, pattern);

        assertEquals(model.starts(), run.starts(), "attempt start times");
        assertEquals(model.ends(), run.ends(), "attempt end times");
        assertEquals(model.waits(), run.waits(), "waits");
        assertEquals(model.result(), run.result());
        assertEquals(model.end(), run.end(), "when call() ended");
        if (model.failure() != null) {
            assertTrue(run.failure().contains(switch (model.failure()) {
                case "cut" -> "gave up during attempt " + model.attemptsReported() + ", ";
                case "cut waiting" -> "gave up waiting after attempt " + model.attemptsReported() + ", ";
                case "deadline" -> "more would reach the deadline";
                default -> "no attempts left";
            }), run.failure());
            assertEquals(model.attemptsReported(), run.attemptsReported());
        }
        Statistics.label("virtual time").collect(run.end() >= 3600 ? "an hour or more" : run.end() >= 60 ? "minutes" : "under a minute");
        Statistics.label("virtual time").coverage(c -> c.check("an hour or more").percentage(p -> p >= 2));
    }

    @Property(tries = 300)
    void underAnyScheduleTheLimitsHoldAndTheWaitsAreTheBackoffSequence(@ForAll Schedule schedule,
                                                                       @ForAll("policies") Retry policy,
                                                                       @ForAll("patterns") List<Attempt> pattern) {
        Run run = Schedules.run(schedule, () -> run(policy, pattern));
        double jitter = schedule.maxJitter() + 1e-9;
        int attempts = run.starts().size();

        assertTrue(attempts >= 1 && attempts <= policy.maxAttempts(), () -> attempts + " attempts for " + policy);
        for (double start : run.starts()) {
            assertTrue(start < policy.deadline() + jitter, () -> "an attempt started at " + start + " for " + policy);
        }
        assertTrue(run.end() <= policy.deadline() + jitter, () -> "call() ended at " + run.end() + " for " + policy);

        // The announced waits are exactly the backoff sequence, and each one really was waited.
        assertTrue(run.waits().size() == attempts - 1 || run.waits().size() == attempts, run::toString);
        for (int i = 0; i < run.waits().size(); i++) {
            assertEquals(policy.delay(i + 1), run.waits().get(i), "wait " + (i + 1));
        }
        for (int i = 1; i < attempts; i++) {
            double gap = run.starts().get(i) - run.ends().get(i - 1);
            double wait = run.waits().get(i - 1);
            assertTrue(gap >= wait - 1e-9 && gap <= wait + jitter, "gap " + gap + " before attempt " + (i + 1) + ", wait " + wait);
        }

        // The outcome follows the pattern: it stops at the first success, and only there.
        for (int i = 0; i < attempts - 1; i++) {
            assertTrue(pattern.get(Math.min(i, pattern.size() - 1)).fails(), "attempt " + (i + 1) + " succeeded but was retried");
        }
        if (run.result() != null) {
            assertEquals("ok #" + attempts, run.result());
        } else {
            assertEquals(attempts, run.attemptsReported(), run::toString);
        }
    }
}
