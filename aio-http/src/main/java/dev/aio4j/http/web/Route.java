package dev.aio4j.http.web;

/**
 * One method's handler on one {@link Resource}.
 *
 * <p><b>aiohttp:</b> {@code web.ResourceRoute} ({@code AbstractRoute}). <b>Differences:</b>
 * immutable; its {@code expect_handler} (given to
 * {@link UrlDispatcher#addRoute(String, String, Handler, String, ExpectHandler)},
 * {@link Resource#addRoute(String, Handler, ExpectHandler)}, {@link RouteDef#expectHandler(ExpectHandler)},
 * {@link RouteTableDef#route(String, String, Handler, String, ExpectHandler)} or, for static
 * files, {@link StaticOptions#expectHandler(ExpectHandler)}; {@link ExpectHandler#defaultHandler()}
 * otherwise) is not readable.
 *
 * @since 0.2
 */
public final class Route {
    /** aiohttp's {@code _default_expect_handler}: {@link ExpectHandler#defaultHandler()}. */
    static final ExpectHandler DEFAULT_EXPECT = Route::defaultExpect;

    private final String method;
    private final Handler handler;
    private final Resource resource;
    private final ExpectHandler expectHandler;

    Route(String method, Handler handler, Resource resource, ExpectHandler expectHandler) {
        this.method = method;
        this.handler = handler;
        this.resource = resource;
        this.expectHandler = expectHandler != null ? expectHandler : DEFAULT_EXPECT;
    }

    private static StreamResponse defaultExpect(Request request) {
        if (request.head().versionMinor() < 1) {
            return null; // aiohttp: only an HTTP/1.1 request's Expect is looked at
        }
        checkExpectation(request);
        long declared = request.head().contentLength();
        if (declared > request.clientMaxSize()) {
            // aio4j: refused before the client sends a body that read() would refuse anyway
            throw new HTTPRequestEntityTooLarge(request.clientMaxSize(), declared);
        }
        request.connection().sendContinue();
        return null;
    }

    /**
     * The expect handler of a request that matched no route (404) or not its method (405):
     * aiohttp's {@code SystemRoute}, which has the default one. An unknown expectation is a 417 in
     * place of the error; {@code 100-continue} is answered {@code 100 Continue}, and the error
     * follows, unless the declared body is over {@code clientMaxSize}: then no {@code 100} (no
     * body is asked for that nobody reads) and the 404 or 405 itself, not the default's 413,
     * which would hide what is wrong with the request.
     */
    static void systemRouteExpect(Request request) {
        if (request.head().versionMinor() < 1) {
            return;
        }
        checkExpectation(request);
        if (request.head().contentLength() <= request.clientMaxSize()) {
            request.connection().sendContinue();
        }
    }

    /** Throws the 417 of {@link #defaultExpect} unless every expectation is {@code 100-continue}. */
    private static void checkExpectation(Request request) {
        // every expectation must be 100-continue, in any field and list member (RFC 9110 section
        // 10.1.1); aiohttp reads the first field only
        for (String field : request.headers().getAll("Expect")) {
            for (String member : field.split(",")) {
                String m = member.strip();
                if (!m.isEmpty() && !m.equalsIgnoreCase("100-continue")) {
                    throw new HTTPExpectationFailed(null, null, "Unknown Expect: " + m, null);
                }
            }
        }
        if (!request.head().expectContinue()) {
            throw new HTTPExpectationFailed(null, null, "Unknown Expect: " + request.headers().get("Expect"), null);
        }
    }

    /**
     * Returns the method: {@code route.method}.
     *
     * @return the method, or {@code *} for every method
     */
    public String method() {
        return method;
    }

    /**
     * Returns the handler: {@code route.handler}.
     *
     * @return the handler
     */
    public Handler handler() {
        return handler;
    }

    /**
     * Returns the resource: {@code route.resource}.
     *
     * @return the resource the route belongs to
     */
    public Resource resource() {
        return resource;
    }

    /** The route's expect handler: aiohttp's {@code route._expect_handler}, never null. */
    ExpectHandler expectHandler() {
        return expectHandler;
    }

    /**
     * Returns the resource's name: {@code route.name}.
     *
     * @return the name, or null
     */
    public String name() {
        return resource.name();
    }

    @Override
    public String toString() {
        return "<Route " + method + " " + resource + ">";
    }
}
