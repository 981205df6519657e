package dev.aio4j.http.web;

/**
 * A callback of {@link Application#onResponsePrepare()}: it sees each response just before its
 * head is built, and may change its headers.
 *
 * <p><b>aiohttp:</b> an {@code on_response_prepare} signal handler,
 * {@code async def f(request, response)}.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ResponsePrepareCallback {
    /**
     * Runs before the head of {@code response} is built.
     *
     * @param request the request
     * @param response the response being prepared
     * @throws Exception to fail the response (the connection is closed)
     */
    void call(Request request, StreamResponse response) throws Exception;
}
