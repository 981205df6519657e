package dev.aio4j.http.web;

/**
 * A resource that lives as long as the application runs: {@link #enter} runs at startup and
 * returns what to run at cleanup.
 *
 * <pre>{@code
 * app.cleanupCtx().add(a -> {
 *     ClientSession session = ClientSession.create();
 *     a.set(SESSION, session);
 *     return session::close;              // runs at cleanup, in reverse order of entering
 * });
 * }</pre>
 *
 * <p><b>aiohttp:</b> a {@code cleanup_ctx} async generator: the code before {@code yield} is
 * {@link #enter}, the code after it is the returned {@link Exit}.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface CleanupContext {
    /**
     * Acquires the resource.
     *
     * @param app the application
     * @return what to run at cleanup
     * @throws Exception to stop the startup (the contexts entered before are exited)
     */
    Exit enter(Application app) throws Exception;

    /** The cleanup half of a {@link CleanupContext}. */
    @FunctionalInterface
    interface Exit {
        /**
         * Releases the resource.
         *
         * @throws Exception collected with the other cleanup failures
         */
        void exit() throws Exception;
    }
}
