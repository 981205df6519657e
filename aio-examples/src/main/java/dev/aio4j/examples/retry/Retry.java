package dev.aio4j.examples.retry;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Timeout;
import dev.aio4j.loop.TimeoutError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Port of the retry-with-exponential-backoff helper that asyncio programs wrap around a flaky
 * coroutine ({@code for attempt in range(n): try: return await op() except OSError: await
 * asyncio.sleep(delay); delay *= 2}), with an overall deadline.
 *
 * <p>A policy is immutable; build one from {@link #withBackoff(double)} and call
 * {@link #call(Coroutine)} inside a task:
 *
 * <pre>{@code
 * Retry policy = Retry.withBackoff(1.0)    // wait 1 s, then 2 s, then 4 s, ...
 *         .maxAttempts(5)                  // at most 5 calls of the operation
 *         .maxDelay(30.0)                  // no single wait longer than 30 s
 *         .deadline(60.0);                 // everything over within 60 s of the first call
 * String page = policy.call(() -> fetch(url));
 * }</pre>
 *
 * <p>The rules, all measured on the loop's clock:
 * <ul>
 *   <li>The operation runs in the calling task, as {@code await op()} does; attempt 1 starts at
 *   once. After failed attempt {@code n} the policy waits {@link #delay(int) delay(n)} =
 *   {@code firstDelay * multiplier^(n-1)}, capped at {@code maxDelay}, then tries again. There is
 *   no random jitter, so tests can assert exact times; add it in your own copy if many clients
 *   retry against one server.</li>
 *   <li>It gives up with {@link RetryFailed} when {@code maxAttempts} attempts have failed, or
 *   when the next wait would end at or after the deadline (waiting could not help). An attempt
 *   still running when the deadline passes is cancelled at its await point, and
 *   {@link RetryFailed} has the {@link TimeoutError} as its cause. So the call ends by the
 *   deadline, and no attempt starts at or after it.</li>
 *   <li>Only exceptions that {@linkplain #retryOn(Predicate) retryOn} accepts are retried (by
 *   default every {@link Exception}). Any other is thrown at once, as it is (a checked one
 *   wrapped in {@link CompletionException}, as everywhere in aio4j).</li>
 *   <li><b>Cancellation:</b> {@link #call} suspends while the operation does and while it waits
 *   between attempts. A {@link CancelledError} is never retried: cancelling the calling task
 *   stops the retrying at once and the cancellation propagates.</li>
 * </ul>
 *
 * <p><b>Testing:</b> run it on a loop with a {@link dev.aio4j.loop.VirtualClock} (for example in
 * an {@code @AioTest} method from aio-test): an hour of backoff then takes microseconds and every
 * time is exact. {@code RetryTest} and {@code RetryProperties} in this module's tests do that.
 *
 * <p>Run the demonstration with {@code java -cp ... dev.aio4j.examples.retry.Retry}; the first
 * wait is {@code -Dretry.seconds=0.25} by default.
 */
public final class Retry {
    /** System property holding the demonstration's first wait, in seconds. */
    public static final String SECONDS_PROPERTY = "retry.seconds";
    /** The demonstration's first wait when the property is not set. */
    public static final double DEFAULT_SECONDS = 0.25;

    /**
     * Told about each failed attempt that will be retried, just before the wait.
     */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called after attempt {@code attempt} failed, before waiting {@code delaySeconds}.
         *
         * @param attempt the failed attempt, from 1
         * @param error what it threw
         * @param delaySeconds how long the policy now waits
         */
        void retrying(int attempt, Throwable error, double delaySeconds);
    }

    private static final Listener SILENT = (attempt, error, delay) -> { };

    private final double firstDelay;
    private final double multiplier;
    private final double maxDelay;
    private final int maxAttempts;
    private final double deadline;
    private final Predicate<? super Exception> retryOn;

    private Retry(double firstDelay, double multiplier, double maxDelay, int maxAttempts, double deadline,
                  Predicate<? super Exception> retryOn) {
        this.firstDelay = firstDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
        this.deadline = deadline;
        this.retryOn = retryOn;
    }

    /**
     * A policy that waits {@code firstDelaySeconds} after the first failure and doubles the wait
     * after each further one; 5 attempts, no cap on a wait, no deadline, every {@link Exception}
     * retried.
     *
     * @param firstDelaySeconds the first wait, finite and &gt;= 0
     * @return the policy
     */
    public static Retry withBackoff(double firstDelaySeconds) {
        return new Retry(checkSeconds(firstDelaySeconds, "firstDelaySeconds"), 2.0, Double.POSITIVE_INFINITY, 5,
                Double.POSITIVE_INFINITY, e -> true);
    }

    /**
     * This policy with another attempt limit.
     *
     * @param n how many times the operation may be called, &gt;= 1
     * @return a new policy
     */
    public Retry maxAttempts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + n);
        }
        return new Retry(firstDelay, multiplier, maxDelay, n, deadline, retryOn);
    }

    /**
     * This policy with another growth factor between waits.
     *
     * @param m the factor, finite and &gt;= 1 (1 gives a constant wait)
     * @return a new policy
     */
    public Retry multiplier(double m) {
        if (!(m >= 1) || Double.isInfinite(m)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, got " + m);
        }
        return new Retry(firstDelay, m, maxDelay, maxAttempts, deadline, retryOn);
    }

    /**
     * This policy with a cap on each wait.
     *
     * @param seconds the longest wait, &gt;= 0; {@code Double.POSITIVE_INFINITY} for no cap
     * @return a new policy
     */
    public Retry maxDelay(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("maxDelay must be >= 0 seconds, got " + seconds);
        }
        return new Retry(firstDelay, multiplier, seconds, maxAttempts, deadline, retryOn);
    }

    /**
     * This policy with an overall deadline, counted from the start of {@link #call}.
     *
     * @param seconds the time allowed, &gt; 0; {@code Double.POSITIVE_INFINITY} for none
     * @return a new policy
     */
    public Retry deadline(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("deadline must be > 0 seconds, got " + seconds);
        }
        return new Retry(firstDelay, multiplier, maxDelay, maxAttempts, seconds, retryOn);
    }

    /**
     * This policy retrying only the exceptions {@code which} accepts ({@link CancelledError} is
     * never retried, whatever it says).
     *
     * @param which true for an exception worth another attempt
     * @return a new policy
     */
    public Retry retryOn(Predicate<? super Exception> which) {
        if (which == null) {
            throw new IllegalArgumentException("retryOn must not be null");
        }
        return new Retry(firstDelay, multiplier, maxDelay, maxAttempts, deadline, which);
    }

    /**
     * The wait after failed attempt {@code n}: {@code firstDelay * multiplier^(n-1)}, at most
     * {@code maxDelay}.
     *
     * @param n the failed attempt, from 1
     * @return seconds
     */
    public double delay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return Math.min(maxDelay, firstDelay * Math.pow(multiplier, n - 1));
    }

    /**
     * The attempt limit.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The deadline in seconds from the start of a call.
     *
     * @return seconds, or {@code Double.POSITIVE_INFINITY}
     */
    public double deadline() {
        return deadline;
    }

    /**
     * Calls {@code op} until it returns, following this policy. Call it inside a task.
     *
     * <p><b>Cancellation:</b> this method suspends (in the operation and between attempts). If
     * the task is cancelled, no further attempt is made and {@link CancelledError} propagates.
     *
     * @param op the operation
     * @param <T> its result type
     * @return what the first successful attempt returned
     * @throws RetryFailed when the attempts are used up or the deadline passes
     * @throws RuntimeException an exception {@code retryOn} refuses, as it is (a checked one in a
     *     {@link CompletionException})
     */
    public <T> T call(Coroutine<T> op) {
        return call(op, SILENT);
    }

    /**
     * {@link #call(Coroutine)}, telling {@code listener} about each retry.
     *
     * @param op the operation
     * @param listener called before each wait
     * @param <T> its result type
     * @return what the first successful attempt returned
     * @throws RetryFailed when the attempts are used up or the deadline passes
     */
    public <T> T call(Coroutine<T> op, Listener listener) {
        EventLoop loop = Aio.getRunningLoop();
        double start = loop.time();
        List<Exception> errors = new ArrayList<>();
        int[] started = {0};
        if (deadline == Double.POSITIVE_INFINITY) {
            return attempts(op, listener, loop, start, Double.POSITIVE_INFINITY, errors, started);
        }
        double deadlineAt = start + deadline;
        Timeout[] timeout = new Timeout[1];
        try {
            return Aio.timeoutAt(deadlineAt, cm -> {
                timeout[0] = cm;
                return attempts(op, listener, loop, start, deadlineAt, errors, started);
            });
        } catch (TimeoutError e) {
            if (timeout[0] == null || !timeout[0].expired()) {
                throw e; // not ours (retryOn refused a TimeoutError of the operation)
            }
            boolean inAttempt = started[0] > errors.size();
            RetryFailed failed = new RetryFailed(String.format(Locale.ROOT, "gave up %s %d, after %.3f s: the deadline of %s s passed",
                    inAttempt ? "during attempt" : "waiting after attempt", started[0], loop.time() - start,
                    format(deadline)), started[0], e);
            errors.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    private <T> T attempts(Coroutine<T> op, Listener listener, EventLoop loop, double start, double deadlineAt,
                           List<Exception> errors, int[] started) {
        for (int attempt = 1; ; attempt++) {
            started[0] = attempt;
            try {
                return op.call();
            } catch (CancelledError e) {
                throw e; // never retried; our own deadline turns it into a TimeoutError
            } catch (Exception e) {
                if (!retryOn.test(e)) {
                    throw e instanceof RuntimeException re ? re : new CompletionException(e);
                }
                errors.add(e);
                if (attempt >= maxAttempts) {
                    throw gaveUp(String.format(Locale.ROOT, "gave up after %d attempt%s in %.3f s: no attempts left (maxAttempts=%d)",
                            attempt, attempt == 1 ? "" : "s", loop.time() - start, maxAttempts), attempt, errors);
                }
                double wait = delay(attempt);
                if (loop.time() + wait >= deadlineAt) {
                    throw gaveUp(String.format(Locale.ROOT,
                            "gave up after %d attempt%s in %.3f s: waiting %s s more would reach the deadline of %s s",
                            attempt, attempt == 1 ? "" : "s", loop.time() - start, format(wait), format(deadline)),
                            attempt, errors);
                }
                listener.retrying(attempt, e, wait);
                Aio.sleep(wait);
            }
        }
    }

    private static RetryFailed gaveUp(String message, int attempts, List<Exception> errors) {
        RetryFailed failed = new RetryFailed(message, attempts, errors.get(errors.size() - 1));
        for (int i = 0; i < errors.size() - 1; i++) {
            failed.addSuppressed(errors.get(i));
        }
        return failed;
    }

    @Override
    public String toString() {
        return "Retry[firstDelay=" + format(firstDelay) + ", multiplier=" + format(multiplier) + ", maxDelay="
                + format(maxDelay) + ", maxAttempts=" + maxAttempts + ", deadline=" + format(deadline) + "]";
    }

    // ------------------------------------------------------------------------- demonstration

    /**
     * Runs the demonstration on a new loop: a service that refuses three connections and then
     * answers, retried with backoff; then a service that never answers, retried under a deadline.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double first = secondsFromProperty();
        Aio.run(() -> demo(first, System.out::println));
    }

    /**
     * The demonstration. Call it inside a task.
     *
     * @param first the first wait in seconds
     * @param out receives the lines, in order
     * @return the first call's result
     */
    public static String demo(double first, Consumer<String> out) {
        EventLoop loop = Aio.getRunningLoop();
        Listener log = (attempt, error, delay) -> out.accept("attempt " + attempt + " failed (" + error + "); waiting "
                + format(delay) + " s");

        Retry policy = withBackoff(first).maxAttempts(5);
        out.accept("1. " + policy + " around a service that refuses the first 3 connections");
        int[] calls = {0};
        double t0 = loop.time();
        String answer = policy.call(() -> {
            if (++calls[0] <= 3) {
                throw new IOException("connection refused");
            }
            return "hello from attempt " + calls[0];
        }, log);
        out.accept(String.format(Locale.ROOT, "got \"%s\" after %.2f s", answer, loop.time() - t0));

        Retry bounded = withBackoff(first).maxAttempts(10).deadline(12 * first);
        out.accept("2. " + bounded + " around a service that never answers");
        t0 = loop.time();
        try {
            bounded.call(() -> {
                throw new IOException("connection refused");
            }, log);
        } catch (RetryFailed e) {
            out.accept(String.format(Locale.ROOT, "after %.2f s: %s", loop.time() - t0, e));
        }
        return answer;
    }

    /**
     * The demonstration's first wait from {@value #SECONDS_PROPERTY}, or {@value #DEFAULT_SECONDS}.
     *
     * @return seconds, finite and not negative
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double secondsFromProperty() {
        return dev.aio4j.examples.ExampleProperties.seconds(SECONDS_PROPERTY, DEFAULT_SECONDS);
    }

    private static double checkSeconds(double s, String name) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(name + " must be a finite number of seconds >= 0, got " + s);
        }
        return s;
    }

    /** 1.0 -> "1.0", 0.05 -> "0.05", infinity -> "inf". */
    static String format(double seconds) {
        if (seconds == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
