package dev.aio4j.loop;

/**
 * Thrown when a Barrier was aborted or reset while a task waited on it, or awaited in its broken state.
 *
 * <p><b>asyncio:</b> {@code asyncio.BrokenBarrierError}. <b>Differences:</b> unchecked; the message includes the
 * object's state (its {@code toString()}).
 *
 * @since 0.1
 */
public class BrokenBarrierError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was attempted and the object's state
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
