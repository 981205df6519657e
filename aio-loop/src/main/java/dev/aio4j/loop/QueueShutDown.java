package dev.aio4j.loop;

/**
 * Thrown when an operation was attempted on a queue after Queue.shutdown().
 *
 * <p><b>asyncio:</b> {@code asyncio.QueueShutDown} (Python 3.13). <b>Differences:</b> unchecked; the message includes the
 * object's state (its {@code toString()}).
 *
 * @since 0.1
 */
public class QueueShutDown extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was attempted and the object's state
     */
    public QueueShutDown(String message) {
        super(message);
    }
}
