package dev.aio4j.loop;

import java.util.concurrent.CancellationException;

/**
 * Raised at the await point of a task that was cancelled, and by {@link Future#result()} of a
 * cancelled future.
 *
 * <p><b>asyncio:</b> {@code asyncio.CancelledError}. <b>Differences:</b> it extends
 * {@link CancellationException}, so code that catches the JDK's cancellation type sees it too.
 * As in asyncio, a task may catch it to clean up; if the body then returns normally, the task
 * is not cancelled (call {@link Task#uncancel()} when the cancellation is deliberately
 * swallowed).
 *
 * @since 0.1
 */
public class CancelledError extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * A cancellation carrying the message given to {@link Future#cancel(String)}.
     *
     * @param message the cancel message, or null
     */
    public CancelledError(String message) {
        super(message);
    }
}
