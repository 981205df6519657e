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
 * immutable class for both; a {@code StaticDef}'s keywords are one {@link StaticOptions}.
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

    private RouteDef(String method, String path, Handler handler, String name, boolean allowHead, Path directory,
                     StaticOptions staticOptions) {
        this.method = method;
        this.path = Checks.notNull(path, "path");
        this.handler = handler;
        this.name = name;
        this.allowHead = allowHead;
        this.directory = directory;
        this.staticOptions = staticOptions;
    }

    static RouteDef route(String method, String path, Handler handler, String name) {
        return new RouteDef(Checks.notNull(method, "method"), path, Checks.notNull(handler, "handler"), name,
                method.equals("GET"), null, null);
    }

    static RouteDef view(String path, Function<Request, ? extends View> view, String name) {
        Checks.notNull(view, "view");
        return new RouteDef("*", path, request -> view.apply(request).dispatch(), name, false, null, null);
    }

    static RouteDef staticFiles(String prefix, Path directory, StaticOptions options) {
        Checks.notNull(options, "options");
        return new RouteDef(null, prefix, null, options.name(), false, Checks.notNull(directory, "directory"), options);
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

    List<Route> register(UrlDispatcher router) {
        if (directory != null) {
            return router.addStatic(path, directory, staticOptions).routes();
        }
        if (method.equals("GET")) {
            return List.of(router.addGet(path, handler, name, allowHead));
        }
        return List.of(router.addRoute(method, path, handler, name));
    }

    @Override
    public String toString() {
        return "<RouteDef " + (directory != null ? "static " + path + " -> " + directory : method + " " + path)
                + (name == null ? "" : ", name='" + name + "'") + ">";
    }
}
