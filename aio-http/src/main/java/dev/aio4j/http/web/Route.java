package dev.aio4j.http.web;

/**
 * One method's handler on one {@link Resource}.
 *
 * <p><b>aiohttp:</b> {@code web.ResourceRoute} ({@code AbstractRoute}). <b>Differences:</b>
 * immutable; no per-route {@code expect_handler} (the server answers {@code Expect:
 * 100-continue} itself, refusing bodies over {@code clientMaxSize} with 413 before the client
 * sends them).
 *
 * @since 0.2
 */
public final class Route {
    private final String method;
    private final Handler handler;
    private final Resource resource;

    Route(String method, Handler handler, Resource resource) {
        this.method = method;
        this.handler = handler;
        this.resource = resource;
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
