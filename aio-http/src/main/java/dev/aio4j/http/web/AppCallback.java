package dev.aio4j.http.web;

/**
 * A callback of an application's startup, shutdown or cleanup signal.
 *
 * <p><b>aiohttp:</b> an {@code on_startup}, {@code on_shutdown} or {@code on_cleanup} signal
 * handler, {@code async def f(app)}. It runs on the loop and may suspend.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface AppCallback {
    /**
     * Runs the callback.
     *
     * @param app the application
     * @throws Exception a failure in startup stops the start; in cleanup it is collected
     */
    void call(Application app) throws Exception;
}
