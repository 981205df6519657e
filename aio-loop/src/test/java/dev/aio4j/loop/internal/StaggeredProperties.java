package dev.aio4j.loop.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TestClocks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * staggered_race against a model, for any list of attempts (how long each takes, whether it
 * succeeds) and any delay: when each attempt starts, which one wins, what the others record, and
 * that nothing runs once the race returned. aio4j-only as a property (CPython's test_staggered.py
 * has the examples). Durations are whole milliseconds and the delay whole milliseconds plus 0.37 ms,
 * so events rarely coincide; a scenario whose model has two events at one instant is skipped.
 */
class StaggeredProperties {
    private static final double EPS = 1e-6;

    record Attempt(int millis, boolean succeeds) {
        double seconds() {
            return millis / 1000.0;
        }
    }

    record Scenario(List<Attempt> attempts, double delay) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Attempt> attempt = Combinators.combine(Arbitraries.integers().between(0, 300), Arbitraries.of(true, false))
                .as(Attempt::new);
        Arbitrary<Double> delay = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(ms -> ms / 1000.0 + 0.00037),
                Arbitraries.just(Double.POSITIVE_INFINITY));
        return Combinators.combine(attempt.list().ofMaxSize(6), delay).as(Scenario::new);
    }

    /** What the model expects: start times of the attempts that start, and the winner (-1: none). */
    record Expected(List<Double> starts, int winner) {
    }

    static Expected model(Scenario s) {
        List<Double> starts = new ArrayList<>();
        double winnerEnd = Double.POSITIVE_INFINITY;
        int winner = -1;
        double t = 0;
        for (int k = 0; k < s.attempts().size() && t != Double.POSITIVE_INFINITY; k++) {
            Assume.that(Math.abs(t - winnerEnd) > EPS);
            if (t > winnerEnd) {
                break;
            }
            starts.add(t);
            Attempt a = s.attempts().get(k);
            double end = t + a.seconds();
            if (a.succeeds()) {
                Assume.that(Math.abs(end - winnerEnd) > EPS);
                if (end < winnerEnd) {
                    winnerEnd = end;
                    winner = k;
                }
                t = t + s.delay();
            } else {
                Assume.that(Math.abs(end - (t + s.delay())) > EPS);
                t = Math.min(t + s.delay(), end);
            }
        }
        return new Expected(starts, winner);
    }

    /**
     * What attempt {@code i} (started) records: null for the winner, CancelledError for a success
     * that lost or a failure still running when the winner finished, the IOException of a failure
     * that came first (also one at the very instant the winner started, which it caused).
     */
    static Class<? extends Throwable> expectedOutcome(Scenario s, Expected expected, int i) {
        if (i == expected.winner()) {
            return null;
        }
        if (s.attempts().get(i).succeeds()) {
            return CancelledError.class;
        }
        if (expected.winner() < 0) {
            return java.io.IOException.class;
        }
        double end = expected.starts().get(i) + s.attempts().get(i).seconds();
        double winnerStart = expected.starts().get(expected.winner());
        double winnerEnd = winnerStart + s.attempts().get(expected.winner()).seconds();
        if (end <= winnerStart + EPS || end < winnerEnd - EPS) {
            return java.io.IOException.class;
        }
        Assume.that(end > winnerEnd + EPS);
        return CancelledError.class;
    }

    @Property(tries = 300)
    void startsWinnerAndOutcomesFollowTheModel(@ForAll("scenarios") Scenario s) {
        Expected expected = model(s);
        List<Double> starts = new ArrayList<>();
        int[] running = new int[1];
        int[] runningAfter = new int[1];
        Staggered.Result<Integer> r;
        try (EventLoop loop = EventLoop.create(TestClocks.autoJump())) {
            r = loop.runUntilComplete(loop.createTask(() -> {
                double t0 = Aio.getRunningLoop().time();
                List<Coroutine<Integer>> attempts = new ArrayList<>();
                for (int i = 0; i < s.attempts().size(); i++) {
                    int index = i;
                    Attempt a = s.attempts().get(i);
                    attempts.add(() -> {
                        starts.add(Aio.getRunningLoop().time() - t0);
                        running[0]++;
                        try {
                            Aio.sleep(a.seconds());
                        } finally {
                            running[0]--;
                        }
                        if (!a.succeeds()) {
                            throw new java.io.IOException("attempt " + index + " failed");
                        }
                        return index;
                    });
                }
                Staggered.Result<Integer> result = Staggered.race(attempts, s.delay(), null);
                runningAfter[0] = running[0];
                Aio.sleep(3600); // nothing left would start or run
                return result;
            }));
        }
        assertEquals(0, runningAfter[0], "an attempt still ran when the race returned");
        assertEquals(expected.starts().size(), starts.size(), "attempts started: " + starts + " expected " + expected.starts());
        for (int i = 0; i < starts.size(); i++) {
            assertEquals(expected.starts().get(i), starts.get(i), EPS, "start of attempt " + i);
        }
        assertEquals(expected.winner(), r.winnerIndex());
        assertEquals(expected.winner() < 0 ? null : expected.winner(), r.winnerResult());
        assertEquals(starts.size(), r.exceptions().size());
        for (int i = 0; i < starts.size(); i++) {
            Throwable e = r.exceptions().get(i);
            Class<? extends Throwable> outcome = expectedOutcome(s, expected, i);
            if (outcome == null) {
                assertNull(e, "attempt " + i);
            } else {
                assertInstanceOf(outcome, e, "attempt " + i);
            }
        }
    }
}
