package dev.aio4j.loop;

/**
 * An operation did not finish before its deadline.
 *
 * <p><b>asyncio:</b> {@code asyncio.TimeoutError} (an alias of the built-in {@code TimeoutError}
 * since Python 3.11). <b>Differences:</b> unchecked, unlike the JDK's
 * {@link java.util.concurrent.TimeoutException}. When a timeout cancelled the awaiting task, the
 * {@link CancelledError} it caused is the cause of this error, as in asyncio.
 *
 * @since 0.1
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what timed out and after how long
     */
    public TimeoutError(String message) {
        super(message);
    }

    /**

     * Creates the exception.

     *
     * @param message what timed out and after how long
     * @param cause the cancellation the timeout caused
     */
    public TimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
