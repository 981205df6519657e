package dev.aio4j.loop;

import java.util.Locale;

/**
 * A deadline around a block of code: when it passes, the task running the block is cancelled
 * and the block ends with {@link TimeoutError} instead of {@link CancelledError}.
 *
 * <p><b>asyncio:</b> {@code asyncio.Timeout}, made by {@code asyncio.timeout(delay)} and
 * {@code asyncio.timeout_at(when)} (Python 3.11+). <b>Differences:</b> {@code async with
 * asyncio.timeout(10) as cm:} is the block form {@code Aio.timeout(10, cm -> { ... })}
 * ({@link Aio#timeout(double, Body)}), because leaving the block must replace the body's
 * cancellation with a timeout error, which try-with-resources cannot do. "No deadline"
 * ({@code None}) is {@code Double.POSITIVE_INFINITY}.
 *
 * <p>Only the cancellation this timeout caused becomes a {@link TimeoutError}: if the task is
 * also cancelled from outside, the block ends with {@link CancelledError}. Nested timeouts work:
 * each one converts only its own.
 *
 * <p><b>Testing:</b> on a loop with a {@link VirtualClock}, deadlines pass instantly and
 * exactly.
 *
 * @since 0.1
 */
public final class Timeout {
    /*
     * Maintainer notes: state machine CREATED -> ENTERED -> (EXPIRING -> EXPIRED | EXITED).
     * `cancellingBefore` is the task's cancelling() count at entry; on exit after expiry we
     * uncancel() once, and only if the count drops back to that value was the cancellation ours.
     */
    private enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    /**
     * The body of a timeout block; it receives the {@link Timeout} to inspect or reschedule. Its
     * checked exception type is inferred from the lambda and declared by
     * {@link Aio#timeout(double, Body)}, as for a {@link ThrowingCoroutine}.
     *
     * @param <T> the result type
     * @param <E> the checked exception the block may throw ({@code RuntimeException} when none)
     */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        /**
         * Runs the block.
         *
         * @param timeout the enclosing timeout
         * @return the block's result
         * @throws E its failure, passed to the caller unchanged
         */
        T call(Timeout timeout) throws E;
    }

    private State state = State.CREATED;
    private double when;
    private Handle handle;
    private Task<?> task;
    private int cancellingBefore;
    private double enteredAt;
    private final String expiryMessage;

    Timeout(double when) {
        this(when, null);
    }

    Timeout(double when, String expiryMessage) {
        this.when = when;
        this.expiryMessage = expiryMessage;
    }

    /**
     * The deadline in loop time, or {@code Double.POSITIVE_INFINITY} for none.
     *
     * @return the deadline
     */
    public double when() {
        return when;
    }

    /**
     * Moves the deadline ({@code Double.POSITIVE_INFINITY} removes it). A deadline already in
     * the past expires on the loop's next iteration.
     *
     * @param newWhen the new deadline in loop time
     * @throws IllegalStateException if the block has not started or has already ended
     */
    public void reschedule(double newWhen) {
        if (Double.isNaN(newWhen)) {
            throw new IllegalArgumentException("when must be a loop time or +Infinity, got NaN");
        }
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("Timeout has not been entered");
            }
            throw new IllegalStateException("Cannot change state of " + state.name().toLowerCase(Locale.ROOT) + " Timeout");
        }
        when = newWhen;
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (newWhen != Double.POSITIVE_INFINITY) {
            EventLoop loop = task.loop;
            // As asyncio: a deadline already reached expires via callSoon (so it fires before a
            // task that merely yields with sleep(0) resumes); a later one fires exactly at newWhen.
            if (newWhen <= loop.time()) {
                handle = loop.callSoonInternal(this::onTimeout);
            } else {
                handle = loop.callAt(newWhen, this::onTimeout);
            }
        }
    }

    /**
     * Whether the deadline passed and cancelled the block.
     *
     * @return true once expired
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    <T, E extends Exception> T run(Body<T, E> body) throws E {
        Task<?> t = Aio.currentTask();
        if (t == null) {
            throw new IllegalStateException("Aio.timeout() called outside a task; run it inside Aio.run(...) or a task");
        }
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        task = t;
        enteredAt = t.loop.time();
        cancellingBefore = t.cancelling();
        state = State.ENTERED;
        reschedule(when);
        T result;
        try {
            result = body.call(this);
        } catch (Throwable e) {
            exit(e);
            // The body ran in this task, like a direct call: its exception passes through
            // unchanged, even a checked one (which can only be an E).
            throw Future.throwUnchanged(e);
        }
        exit(null);
        return result;
    }

    private void exit(Throwable error) {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingBefore && error instanceof CancelledError) {
                throw new TimeoutError(expiryMessage != null ? expiryMessage
                        : String.format(Locale.ROOT, "timed out after %.3f seconds (deadline %s in loop time)",
                                when - enteredAt, when), error);
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
    }

    @Override
    public String toString() {
        return "Timeout[" + state.name().toLowerCase(Locale.ROOT) + ", when=" + when + "]";
    }
}
