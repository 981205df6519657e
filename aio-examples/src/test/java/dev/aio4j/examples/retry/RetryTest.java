package dev.aio4j.examples.retry;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.test.AioTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Retry} on virtual time: every wait, deadline and give-up instant is asserted exactly.
 * Each test runs as the main task of a fresh virtual-clock loop ({@code @AioTest}).
 */
@Timeout(30)
class RetryTest {
    /** Loop times at which the operation was called. */
    private final List<Double> calls = new ArrayList<>();

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    /** An operation that fails {@code failures} times (after {@code seconds} of work each), then returns "ok". */
    private Coroutine<String> flaky(int failures, double seconds) {
        return () -> {
            calls.add(now());
            Aio.sleep(seconds);
            if (calls.size() <= failures) {
                throw new IOException("refused #" + calls.size());
            }
            return "ok";
        };
    }

    @AioTest
    void backsOffOneTwoFourSeconds() {
        double t0 = now();
        List<Double> waits = new ArrayList<>();

        String r = Retry.withBackoff(1.0).maxAttempts(5).call(flaky(3, 0), (attempt, error, delay) -> waits.add(delay));

        assertEquals("ok", r);
        assertEquals(List.of(1.0, 2.0, 4.0), waits);
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0), calls.stream().map(t -> t - t0).toList());
        assertEquals(7.0, now() - t0, "1 + 2 + 4 s of virtual backoff");
    }

    @AioTest
    void twoFailuresCostOnePlusTwoSeconds() { // the example in docs/testing.md
        double t0 = Aio.getRunningLoop().time();
        assertEquals("ok", Retry.withBackoff(1.0).maxAttempts(5).call(flaky(2, 0)));
        assertEquals(3.0, Aio.getRunningLoop().time() - t0);     // 1 s + 2 s of virtual backoff
    }

    @AioTest
    void attemptTimeCountsTooAndWaitsStartWhenAnAttemptFails() {
        double t0 = now();
        assertEquals("ok", Retry.withBackoff(1.0).call(flaky(2, 10)));
        // attempt 1: 0-10, wait 1, attempt 2: 11-21, wait 2, attempt 3: 23-33
        assertEquals(List.of(0.0, 11.0, 23.0), calls.stream().map(t -> t - t0).toList());
        assertEquals(33.0, now() - t0);
    }

    @AioTest
    void givesUpWhenTheAttemptsAreUsedUp() {
        double t0 = now();
        RetryFailed e = assertThrows(RetryFailed.class, () -> Retry.withBackoff(1.0).maxAttempts(4).call(flaky(99, 0)));

        assertEquals(7.0, now() - t0, "no wait after the last attempt");
        assertEquals(4, e.attempts());
        assertEquals(4, calls.size());
        assertEquals("gave up after 4 attempts in 7.000 s: no attempts left (maxAttempts=4)", e.getMessage());
        assertEquals("refused #4", e.getCause().getMessage());
        assertEquals(List.of("refused #1", "refused #2", "refused #3"),
                List.of(e.getSuppressed()).stream().map(Throwable::getMessage).toList());
    }

    @AioTest
    void givesUpAtOnceWhenTheNextWaitWouldReachTheDeadline() {
        double t0 = now();
        Retry policy = Retry.withBackoff(1.0).maxAttempts(10).deadline(10.0);
        RetryFailed e = assertThrows(RetryFailed.class, () -> policy.call(flaky(99, 0)));

        // Attempts at 0, 1, 3, 7; the next wait (8 s) would end at 15 > 10: give up at 7, not at 10.
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0), calls.stream().map(t -> t - t0).toList());
        assertEquals(7.0, now() - t0);
        assertEquals("gave up after 4 attempts in 7.000 s: waiting 8.0 s more would reach the deadline of 10.0 s", e.getMessage());
    }

    @AioTest
    void theDeadlineCancelsAnAttemptInFlight() {
        double t0 = now();
        boolean[] unwound = {false};
        RetryFailed e = assertThrows(RetryFailed.class, () -> Retry.withBackoff(1.0).deadline(30.0).call(() -> {
            calls.add(now());
            try {
                Aio.sleep(100); // hangs past the deadline
                return "never";
            } finally {
                unwound[0] = true;
            }
        }));

        assertEquals(30.0, now() - t0, "exactly at the deadline");
        assertTrue(unwound[0], "the attempt was cancelled at its await and its finally ran");
        assertEquals(1, e.attempts());
        assertInstanceOf(TimeoutError.class, e.getCause());
        assertEquals("gave up during attempt 1, after 30.000 s: the deadline of 30.0 s passed", e.getMessage());
    }

    @AioTest
    void maxDelayCapsEveryWait() {
        double t0 = now();
        List<Double> waits = new ArrayList<>();
        Retry policy = Retry.withBackoff(1.0).maxDelay(5.0).maxAttempts(6);

        assertEquals("ok", policy.call(flaky(5, 0), (attempt, error, delay) -> waits.add(delay)));

        assertEquals(List.of(1.0, 2.0, 4.0, 5.0, 5.0), waits);
        assertEquals(17.0, now() - t0);
    }

    @AioTest
    void hoursOfBackoffTakeNoRealTime() {
        double t0 = now();
        Retry policy = Retry.withBackoff(60).multiplier(2).maxDelay(3600).maxAttempts(10);

        assertEquals("ok", policy.call(flaky(9, 0)));

        // 60 + 120 + 240 + 480 + 960 + 1920 + 3600 + 3600 + 3600 s: just over four virtual hours.
        assertEquals(14_580.0, now() - t0);
    }

    @AioTest
    void anExceptionRetryOnRefusesIsThrownAtOnceAsItIs() {
        IllegalArgumentException bug = new IllegalArgumentException("bad request");
        Retry policy = Retry.withBackoff(1.0).retryOn(e -> e instanceof IOException);
        double t0 = now();

        assertSame(bug, assertThrows(IllegalArgumentException.class, () -> policy.call(() -> {
            calls.add(now());
            throw bug;
        })));
        assertEquals(1, calls.size());
        assertEquals(0.0, now() - t0);

        Exception checked = new Exception("checked");
        CompletionException wrapped = assertThrows(CompletionException.class,
                () -> Retry.withBackoff(1.0).retryOn(e -> false).call(() -> {
                    throw checked;
                }));
        assertSame(checked, wrapped.getCause());
    }

    @AioTest
    void cancellingTheCallerDuringAWaitStopsTheRetrying() {
        double t0 = now();
        Task<String> caller = Aio.createTask(() -> Retry.withBackoff(10).call(flaky(99, 0)));
        Aio.sleep(15); // attempts at 0 and 10; now waiting 20 s
        caller.cancel();

        assertThrows(CancelledError.class, caller::await);
        assertEquals(List.of(0.0, 10.0), calls.stream().map(t -> t - t0).toList());
        assertEquals(15.0, now() - t0);
    }

    @AioTest
    void aCancelledErrorFromTheOperationIsNeverRetried() {
        assertThrows(CancelledError.class, () -> Retry.withBackoff(1.0).call(() -> {
            calls.add(now());
            throw new CancelledError("the operation was cancelled");
        }));
        assertEquals(1, calls.size());
    }

    @Test
    void theBackoffSequenceAndItsChecks() {
        Retry policy = Retry.withBackoff(0.5).multiplier(3).maxDelay(10);
        assertEquals(List.of(0.5, 1.5, 4.5, 10.0, 10.0), List.of(policy.delay(1), policy.delay(2), policy.delay(3),
                policy.delay(4), policy.delay(5)));
        assertEquals("Retry[firstDelay=0.5, multiplier=3.0, maxDelay=10.0, maxAttempts=5, deadline=inf]", policy.toString());
        assertEquals("maxAttempts must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> policy.maxAttempts(0)).getMessage());
        assertEquals("multiplier must be a finite number >= 1, got 0.5",
                assertThrows(IllegalArgumentException.class, () -> policy.multiplier(0.5)).getMessage());
        assertEquals("deadline must be > 0 seconds, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> policy.deadline(0)).getMessage());
        assertEquals("firstDelaySeconds must be a finite number of seconds >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Retry.withBackoff(-1)).getMessage());
    }

    @AioTest
    void theDemonstrationOnVirtualTime() {
        List<String> lines = new ArrayList<>();
        assertEquals("hello from attempt 4", Retry.demo(1.0, lines::add));
        assertEquals(List.of(
                "1. Retry[firstDelay=1.0, multiplier=2.0, maxDelay=inf, maxAttempts=5, deadline=inf] around a service that"
                        + " refuses the first 3 connections",
                "attempt 1 failed (java.io.IOException: connection refused); waiting 1.0 s",
                "attempt 2 failed (java.io.IOException: connection refused); waiting 2.0 s",
                "attempt 3 failed (java.io.IOException: connection refused); waiting 4.0 s",
                "got \"hello from attempt 4\" after 7.00 s",
                "2. Retry[firstDelay=1.0, multiplier=2.0, maxDelay=inf, maxAttempts=10, deadline=12.0] around a service that"
                        + " never answers",
                "attempt 1 failed (java.io.IOException: connection refused); waiting 1.0 s",
                "attempt 2 failed (java.io.IOException: connection refused); waiting 2.0 s",
                "attempt 3 failed (java.io.IOException: connection refused); waiting 4.0 s",
                "after 7.00 s: dev.aio4j.examples.retry.RetryFailed: gave up after 4 attempts in 7.000 s: waiting 8.0 s more"
                        + " would reach the deadline of 12.0 s"), lines);
    }

    @Test
    void mainRunsTheDemonstrationWithTheFirstWaitFromItsProperty() throws Exception {
        // Real time: the give-up decisions have at least 0.25 s of slack either way.
        List<String> lines = StdoutCapture.lines(() -> Retry.main(new String[0]), Retry.SECONDS_PROPERTY, "0.05");

        assertEquals(6, lines.stream().filter(l -> l.startsWith("attempt ")).count(), lines::toString);
        assertTrue(lines.contains("attempt 3 failed (java.io.IOException: connection refused); waiting 0.2 s"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("got \"hello from attempt 4\" after \\d+\\.\\d\\d s")), lines::toString);
        assertTrue(lines.get(lines.size() - 1).endsWith(": waiting 0.4 s more would reach the deadline of 0.6 s"), lines::toString);
    }
}
