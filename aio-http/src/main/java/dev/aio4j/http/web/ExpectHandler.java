package dev.aio4j.http.web;

/**
 * What a route does with a request that carries an {@code Expect} header, before its handler
 * runs and before its middlewares: {@code expect_handler=} of
 * {@link UrlDispatcher#addRoute(String, String, Handler, String, ExpectHandler)}. It may refuse
 * the request by throwing an {@link HTTPException} (the client then need not send its body),
 * answer it by returning a response (sent instead of the handler's, without the middlewares), or
 * return {@code null} to let the handler run.
 *
 * <pre>{@code
 * ExpectHandler authFirst = request -> {
 *     if (!request.headers().contains("Authorization")) {
 *         throw new HTTPUnauthorized();                     // 401, and no body is sent
 *     }
 *     return ExpectHandler.defaultHandler().handle(request); // 100 Continue
 * };
 * app.router().addRoute("POST", "/upload", upload, null, authFirst);
 * }</pre>
 *
 * <p>When it returns {@code null} for {@code Expect: 100-continue} without having sent
 * {@code 100 Continue} (through {@link #defaultHandler()}), the server sends it before the handler
 * runs, since the handler may read the body; it does not when the expect handler has itself
 * prepared a response, whose head is already sent (return that response instead).
 *
 * <p><b>aiohttp:</b> an {@code expect_handler}, {@code async def (request) -> StreamResponse |
 * None}, and {@code _default_expect_handler} ({@link #defaultHandler()}). <b>Differences:</b> a
 * functional interface, suspending directly; {@code 100 Continue} is sent by
 * {@link #defaultHandler()} (or by the server after {@code null}), not by writing to
 * {@code request.writer}; the default handler also refuses, with 413, a declared body larger
 * than the application's {@link Application#clientMaxSize()}. A request that matches no route
 * (404) or not its method (405) meets the default handler, as aiohttp's {@code SystemRoute}
 * has it: {@code 100 Continue} and then the error, or a 417 for an unknown expectation; aio4j
 * sends no {@code 100} there for a declared body over {@code clientMaxSize}, and answers the 404
 * or 405 rather than 413.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ExpectHandler {
    /**
     * Handles the {@code Expect} header of a request whose route has this expect handler.
     *
     * <p><b>Cancellation:</b> may suspend; a cancellation ends the request as a handler's does.
     *
     * @param request the request (its {@code Expect} header is not empty)
     * @return a response to send instead of the handler's, or {@code null} to run the handler
     * @throws Exception an {@link HTTPException} becomes the response; anything else a 500
     */
    StreamResponse handle(Request request) throws Exception;

    /**
     * Returns aiohttp's {@code _default_expect_handler}, which every route has unless given
     * another: for HTTP/1.1, {@code Expect: 100-continue} (any case) is answered
     * {@code 100 Continue} (or 413 if the declared {@code Content-Length} is over the
     * application's {@link Application#clientMaxSize()}), and any other expectation is refused
     * with 417 {@code Unknown Expect: ...}, in any {@code Expect} field or list member (aiohttp
     * reads the first field only, so {@code 100-continue} then {@code SPAM} gets its 100); for
     * HTTP/1.0 it does nothing. It returns {@code null}.
     *
     * @return the default expect handler
     */
    static ExpectHandler defaultHandler() {
        return Route.DEFAULT_EXPECT;
    }
}
