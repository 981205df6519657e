package dev.aio4j.examples.retry;

/**
 * Thrown by {@link Retry#call} when it gives up: every allowed attempt failed, or the deadline
 * passed (or would have passed during the next wait). The cause is the last attempt's exception,
 * or the {@link dev.aio4j.loop.TimeoutError} of the deadline when the deadline cut an attempt (or,
 * with late timers, a wait) short; the other attempts' exceptions are attached as suppressed,
 * oldest first.
 *
 * <p><b>asyncio:</b> none; the retry helpers asyncio programs write usually re-raise the last
 * error. This example keeps it as the cause and says in the message why the retrying stopped.
 */
public final class RetryFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How many attempts were started before the retrying stopped. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param message why the retrying stopped
     * @param attempts how many attempts were started
     * @param cause the last error
     */
    public RetryFailed(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /**
     * How many times the operation was called.
     *
     * @return at least 1
     */
    public int attempts() {
        return attempts;
    }
}
