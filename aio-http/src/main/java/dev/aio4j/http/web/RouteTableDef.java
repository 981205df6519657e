package dev.aio4j.http.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * A table of routes collected where the handlers are written, added to an application at once.
 *
 * <pre>{@code
 * static final RouteTableDef routes = new RouteTableDef()
 *     .get("/", request -> new Response().text("index"))
 *     .post("/items", Items::create);
 * app.addRoutes(routes);
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.RouteTableDef}. <b>Differences:</b> Java has no decorators:
 * {@code @routes.get(path)} over a function is {@code routes.get(path, handler)}, which
 * returns the table for chaining; the keywords {@code name=} and {@code expect_handler=} are
 * arguments of {@link #route(String, String, Handler, String, ExpectHandler)}.
 *
 * @since 0.2
 */
public final class RouteTableDef implements Iterable<RouteDef> {
    private final List<RouteDef> defs = new ArrayList<>();

    /** An empty table. */
    public RouteTableDef() {}

    /**
     * Adds a route for a method: {@code @routes.route(method, path)}.
     *
     * @param method the method, or {@code *}
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef route(String method, String path, Handler handler) {
        defs.add(RouteDef.route(method, path, handler, null));
        return this;
    }

    /**
     * Adds a route with a name and an expect handler: {@code @routes.route(method, path,
     * name=name, expect_handler=expectHandler)}, whose keywords aiohttp passes on to
     * {@code router.add_route}. A GET also gets a HEAD route, with the same expect handler, as
     * {@link #get(String, Handler)}.
     *
     * @param method the method, or {@code *}
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name, or null
     * @param expectHandler the expect handler (see {@link ExpectHandler}), or null for
     *     {@link ExpectHandler#defaultHandler()}
     * @return this table
     * @since 0.2
     */
    public RouteTableDef route(String method, String path, Handler handler, String name, ExpectHandler expectHandler) {
        defs.add(RouteDef.route(method, path, handler, name, expectHandler));
        return this;
    }

    /**
     * Adds a GET route (and HEAD): {@code @routes.get(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /**
     * Adds a named GET route (and HEAD): {@code @routes.get(path, name=name)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name
     * @return this table
     */
    public RouteTableDef get(String path, Handler handler, String name) {
        defs.add(RouteDef.route("GET", path, handler, name));
        return this;
    }

    /**
     * Adds a POST route: {@code @routes.post(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * Adds a PUT route: {@code @routes.put(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /**
     * Adds a PATCH route: {@code @routes.patch(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    /**
     * Adds a DELETE route: {@code @routes.delete(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /**
     * Adds a HEAD route: {@code @routes.head(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef head(String path, Handler handler) {
        return route("HEAD", path, handler);
    }

    /**
     * Adds an OPTIONS route: {@code @routes.options(path)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef options(String path, Handler handler) {
        return route("OPTIONS", path, handler);
    }

    /**
     * Adds a class-based view: {@code @routes.view(path)} over a {@link View} class.
     *
     * @param path the path or pattern
     * @param view makes the view per request, e.g. {@code UserView::new}
     * @return this table
     */
    public RouteTableDef view(String path, Function<Request, ? extends View> view) {
        defs.add(RouteDef.view(path, view, null));
        return this;
    }

    /**
     * Serves a directory: {@code routes.static(prefix, path)}.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @return this table
     */
    public RouteTableDef staticFiles(String prefix, Path directory) {
        return staticFiles(prefix, directory, StaticOptions.defaults());
    }

    /**
     * Serves a directory with aiohttp's keywords: {@code routes.static(prefix, path, name=,
     * expect_handler=, chunk_size=, show_index=, follow_symlinks=, append_version=)}. See
     * {@link UrlDispatcher#addStatic(String, Path, StaticOptions)}.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @param options the name and behaviour
     * @return this table
     */
    public RouteTableDef staticFiles(String prefix, Path directory, StaticOptions options) {
        defs.add(RouteDef.staticFiles(prefix, directory, options));
        return this;
    }

    /**
     * Returns the definitions in order.
     *
     * @return an iterator over the route definitions
     */
    @Override
    public Iterator<RouteDef> iterator() {
        return Collections.unmodifiableList(defs).iterator();
    }

    /**
     * Returns how many definitions the table holds: {@code len(routes)}.
     *
     * @return the number of definitions
     */
    public int size() {
        return defs.size();
    }

    @Override
    public String toString() {
        return "<RouteTableDef count=" + defs.size() + ">";
    }
}
