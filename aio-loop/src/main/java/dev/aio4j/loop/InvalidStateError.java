package dev.aio4j.loop;

/**
 * A future was asked for something its state does not allow: the result of a pending future,
 * or a second {@code setResult}.
 *
 * <p><b>asyncio:</b> {@code asyncio.InvalidStateError}. The message names the state and the
 * future, e.g. {@code "Result is not set: Future[pending]"}.
 *
 * @since 0.1
 */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was asked and the future's state
     */
    public InvalidStateError(String message) {
        super(message);
    }
}
