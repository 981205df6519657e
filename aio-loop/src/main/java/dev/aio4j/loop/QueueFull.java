package dev.aio4j.loop;

/**
 * Thrown when Queue.putNowait() was called on a full queue.
 *
 * <p><b>asyncio:</b> {@code asyncio.QueueFull}. <b>Differences:</b> unchecked; the message includes the
 * object's state (its {@code toString()}).
 *
 * @since 0.1
 */
public class QueueFull extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was attempted and the object's state
     */
    public QueueFull(String message) {
        super(message);
    }
}
