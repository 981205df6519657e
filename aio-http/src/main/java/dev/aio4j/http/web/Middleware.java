package dev.aio4j.http.web;

/**
 * A middleware: wraps the handler of every request of its application.
 *
 * <pre>{@code
 * Middleware timing = (request, handler) -> {
 *     double start = request.loop().time();
 *     StreamResponse response = handler.handle(request);
 *     response.headers().set("X-Elapsed", String.valueOf(request.loop().time() - start));
 *     return response;
 * };
 * app.middlewares().add(timing);
 * }</pre>
 *
 * <p><b>aiohttp:</b> a new-style middleware, {@code @web.middleware async def mw(request,
 * handler)}. <b>Differences:</b> a functional interface instead of a decorator; the old-style
 * middleware factories are not supported. Middlewares run in list order, the first one
 * outermost; a sub-application's middlewares run inside its parent's.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface Middleware {
    /**
     * Handles one request, usually by calling {@code handler.handle(request)}.
     *
     * @param request the request
     * @param handler the rest of the chain: the next middleware or the route's handler
     * @return the response
     * @throws Exception as {@link Handler#handle}
     */
    StreamResponse handle(Request request, Handler handler) throws Exception;
}
