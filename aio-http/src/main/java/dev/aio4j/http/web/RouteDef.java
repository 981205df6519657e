package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A route to add later: a method, a path and a handler (or a view, or a static directory), as
 * {@link Web#get} and friends and {@link RouteTableDef} make them.
 *
 * <pre>{@code
 * app.addRoutes(List.of(Web.get("/", index), Web.post("/users", createUser)));
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.RouteDef}, {@code web.StaticDef}. <b>Differences:</b> one
 * immutable class for both; a {@code StaticDef}'s keywords are one {@link StaticOptions}; the
 * keyword {@code expect_handler=} of {@code web.route(...)} is {@link #expectHandler(ExpectHandler)}.
 *
 * @since 0.2
 */
public final class RouteDef {
    private final String method;
    private final String path;
    private final Handler handler;
    private final String name;
    private final boolean allowHead;
    private final Path directory;
    private final StaticOptions staticOptions;
    private final ExpectHandler expectHandler;

    private RouteDef(String method, String path, Handler handler, String name, boolean allowHead, Path directory,
                     StaticOptions staticOptions, ExpectHandler expectHandler) {
        this.method = method;
        this.path = Checks.notNull(path, "path");
        this.handler = handler;
        this.name = name;
        this.allowHead = allowHead;
        this.directory = directory;
        this.staticOptions = staticOptions;
        this.expectHandler = expectHandler;
    }

    static RouteDef route(String method, String path, Handler handler, String name) {
        return route(method, path, handler, name, null);
    }

    static RouteDef route(String method, String path, Handler handler, String name, ExpectHandler expectHandler) {
        return new RouteDef(Checks.notNull(method, "method"), path, Checks.notNull(handler, "handler"), name,
                method.equals("GET"), null, null, expectHandler);
    }

    static RouteDef view(String path, Function<Request, ? extends View> view, String name) {
        Checks.notNull(view, "view");
        return new RouteDef("*", path, request -> view.apply(request).dispatch(), name, false, null, null, null);
    }

    static RouteDef staticFiles(String prefix, Path directory, StaticOptions options) {
        Checks.notNull(options, "options");
        return new RouteDef(null, prefix, null, options.name(), false, Checks.notNull(directory, "directory"), options, null);
    }

    /**
     * Returns the method.
     *
     * @return the method, {@code *} for a view, or null for static files
     */
    public String method() {
        return method;
    }

    /**
     * Returns the path (the prefix, for static files).
     *
     * @return the path or pattern
     */
    public String path() {
        return path;
    }

    /**
     * Returns the handler.
     *
     * @return the handler, or null for static files
     */
    public Handler handler() {
        return handler;
    }

    /**
     * Returns the name.
     *
     * @return the resource's name, or null
     */
    public String name() {
        return name;
    }

    /**
     * Returns a copy whose route gets {@code expectHandler}: the keyword {@code expect_handler=}
     * of {@code web.route(method, path, handler, expect_handler=...)} and {@code web.post(...)}.
     * A GET's HEAD route gets it too.
     *
     * <pre>{@code
     * app.addRoutes(List.of(Web.post("/upload", upload).expectHandler(checkAuthFirst)));
     * }</pre>
     *
     * <p>For static files ({@code web.static(prefix, path, expect_handler=...)}) it is the
     * {@link StaticOptions#expectHandler(ExpectHandler)} of the definition's options.
     *
     * @param expectHandler the expect handler, or null for {@link ExpectHandler#defaultHandler()}
     * @return the new definition
     * @since 0.2
     */
    public RouteDef expectHandler(ExpectHandler expectHandler) {
        if (directory != null) {
            return new RouteDef(null, path, null, name, false, directory, staticOptions.expectHandler(expectHandler), null);
        }
        return new RouteDef(method, path, handler, name, allowHead, null, null, expectHandler);
    }

    List<Route> register(UrlDispatcher router) {
        if (directory != null) {
            return router.addStatic(path, directory, staticOptions).routes();
        }
        if (method.equals("GET") && allowHead) {
            Resource r = router.addResource(path, name);
            r.addRoute("HEAD", handler, expectHandler);
            return List.of(r.addRoute("GET", handler, expectHandler));
        }
        return List.of(router.addRoute(method, path, handler, name, expectHandler));
    }

    @Override
    public String toString() {
        return "<RouteDef " + (directory != null ? "static " + path + " -> " + directory : method + " " + path)
                + (name == null ? "" : ", name='" + name + "'") + ">";
    }
}
