package dev.aio4j.loop;

/**
 * Thrown when Queue.getNowait() was called on an empty queue.
 *
 * <p><b>asyncio:</b> {@code asyncio.QueueEmpty}. <b>Differences:</b> unchecked; the message includes the
 * object's state (its {@code toString()}).
 *
 * @since 0.1
 */
public class QueueEmpty extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was attempted and the object's state
     */
    public QueueEmpty(String message) {
        super(message);
    }
}
