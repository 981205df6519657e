package dev.aio4j.loop;

/**
 * A blocking call was made on a thread where it would deadlock: {@link Future#get()} on the
 * loop's thread or from one of its tasks.
 *
 * <p><b>asyncio:</b> none (aio4j-only); asyncio has no blocking {@code get()}. The loop is
 * single-threaded: while its thread blocks waiting for a future, nothing can run the callbacks
 * or tasks that would complete that future, so the wait would never end. Inside a task, use
 * {@link Future#await()}; from a loop callback, add a done-callback instead.
 *
 * @since 0.1
 */
public class BlockingOperationError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**

     * Creates the exception.

     *
     * @param message what was called, where, and what to call instead
     */
    public BlockingOperationError(String message) {
        super(message);
    }
}
