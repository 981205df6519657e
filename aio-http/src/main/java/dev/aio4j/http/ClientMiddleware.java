package dev.aio4j.http;

/**
 * Code that runs around every request a {@link ClientSession} sends: it sees the request of each
 * hop (the first request and each redirect's follow-up) before it goes out, may change its headers
 * and body, passes it on with {@code handler.send(request)}, and returns a response.
 *
 * <pre>{@code
 * ClientMiddleware bearer = (request, handler) -> {
 *     request.headers().set("Authorization", "Bearer " + tokens.current());
 *     ClientResponse r = handler.send(request);
 *     if (r.status() == 401) {             // the token expired: refresh it and send once more
 *         r.close();                       // close what you do not return, before sending again
 *         request.headers().set("Authorization", "Bearer " + tokens.refresh());
 *         r = handler.send(request);
 *     }
 *     return r;
 * };
 * ClientSession session = ClientSession.builder().middlewares(bearer).build();
 * }</pre>
 *
 * <p>Given to {@link ClientSession.Builder#middlewares} for every request of a session, or to
 * {@link RequestOption#middlewares} for one request (which replaces the session's; no middlewares
 * at all turns them off for that request). The first in the list is the outermost: it runs first
 * before the request and last after the response. A middleware may:
 * <ul>
 *   <li>call the handler several times (retries, challenge and response): close each response it
 *       does not return before it calls the handler again, so its connection goes back to the pool
 *       (the session closes leftovers when the middleware returns, but a connection held until then
 *       may make the retry open another one, or wait at the pool's limit);
 *   <li>return without calling the handler, or throw (to block a request): no connection is made,
 *       no host name looked up;
 *   <li>throw after it got responses: the session closes them and their connections, and the
 *       exception propagates from the request;
 *   <li>make requests of its own through {@link ClientRequest#session()}; they pass through the
 *       session's middlewares too, so give them {@code RequestOption.middlewares()} (none), or
 *       check the URL, to keep from recursing.
 * </ul>
 * A middleware must not return null (the request then fails with {@link IllegalStateException}).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientMiddlewareType}
 * ({@code async def mw(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse}).
 * <b>Differences:</b> a functional interface whose {@link #handle} runs in the requesting task and
 * may suspend. As in aiohttp, the session's own one retry of an idempotent request whose
 * connection was lost runs the middlewares again (they see the failure come out of the handler
 * first), {@link ClientSession#wsConnect}'s handshake goes through them, and a 307/308 sends on
 * the body they left.
 *
 * <p><b>Testing:</b> run a local server on loopback and count what it receives, as
 * {@code ClientMiddlewareTest} does.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ClientMiddleware {
    /**
     * Handles one hop of a request.
     *
     * <p><b>Cancellation:</b> runs in the requesting task; a cancellation while it waits (in
     * {@code handler.send} or elsewhere) propagates, and responses it got are closed.
     *
     * @param request the request of this hop; its headers and body may be changed
     * @param handler the rest of the chain
     * @return the response of this hop, not null
     */
    ClientResponse handle(ClientRequest request, ClientHandler handler);
}
