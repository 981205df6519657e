package dev.aio4j.loop;

/**
 * Receives errors that no caller can receive: an exception thrown by a loop callback, a task
 * exception that nobody retrieved, a task destroyed while pending.
 *
 * <p><b>asyncio:</b> the callable given to {@code loop.set_exception_handler(handler)}, called as
 * {@code handler(loop, context)}. <b>Differences:</b> the context is an {@link ExceptionContext}
 * with typed accessors ({@link ExceptionContext#asMap()} gives asyncio's dict shape).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles one error. Runs on the loop's thread; an exception it throws is logged and
     * otherwise ignored.
     *
     * @param loop the loop that saw the error
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
