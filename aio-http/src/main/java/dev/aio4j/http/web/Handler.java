package dev.aio4j.http.web;

/**
 * A request handler: takes a request, returns the response (or throws an {@link HTTPException}).
 *
 * <pre>{@code
 * Handler hello = request -> new Response().text("Hello, " + request.matchInfo().get("name"));
 * }</pre>
 *
 * <p><b>aiohttp:</b> a handler, {@code async def handler(request) -> web.StreamResponse}.
 * <b>Differences:</b> a functional interface; the handler runs in the connection's task and
 * suspends directly (no {@code await}), so it may call {@code Aio.sleep}, a
 * {@code ClientSession}, or read the request body. It must not block its thread.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface Handler {
    /**
     * Handles one request.
     *
     * @param request the request
     * @return the response to send; a {@link StreamResponse} the handler prepared itself is
     *     finished (its end written) after the handler returns
     * @throws Exception an {@link HTTPException} becomes its response; anything else a 500
     */
    StreamResponse handle(Request request) throws Exception;
}
