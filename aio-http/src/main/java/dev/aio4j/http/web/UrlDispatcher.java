package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An application's router: resources in the order they were added, each with the handlers of
 * its methods. The first resource whose path matches and that has a handler for the method
 * wins; a path that matches only with other methods is a 405 with {@code Allow}; no match is a
 * 404. Both errors go through the middlewares, as every response does.
 *
 * <pre>{@code
 * UrlDispatcher router = app.router();
 * router.addGet("/", index);
 * router.addGet("/users/{id:\\d+}", user, "user");      // named, for urlFor
 * router.addStatic("/static", Path.of("public"));
 * String url = router.named("user").urlFor("id", "42");  // "/users/42"
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.UrlDispatcher} ({@code app.router}). <b>Differences:</b>
 * {@code router['name']} is {@link #named(String)}; the keyword {@code name=} is a third
 * argument; {@code add_get}'s {@code allow_head=True} is the default of {@link #addGet(String,
 * Handler)} and {@code false} in the four-argument form; routes cannot be added once the
 * application runs.
 *
 * @since 0.2
 */
public final class UrlDispatcher {
    private final List<Resource> resources = new ArrayList<>();
    private final Map<String, Resource> named = new HashMap<>();
    /** Resources by their literal path up to the first variable's segment (aiohttp's resource index). */
    private final Map<String, List<Resource>> index = new HashMap<>();
    /** The {@link Resource.Kind#DOMAIN} sub-applications, in order: matched by Host before any path (not indexed). */
    private final List<Resource> domains = new ArrayList<>();
    private String prefix = "";
    private boolean frozen;

    UrlDispatcher() {}

    // ------------------------------------------------------------------------------ adding

    /**
     * Adds (or, if the last resource has the same path and name, reuses) a resource:
     * {@code router.add_resource(path)}.
     *
     * @param path the path or pattern, starting with {@code /}; or empty, as aiohttp allows: in
     *     a sub-application it matches the prefix alone ({@code /s}, where {@code /} matches
     *     {@code /s/}), and it is {@code /} in a router mounted at no prefix once the application
     *     is frozen
     * @return the resource, to add routes to
     */
    public Resource addResource(String path) {
        return addResource(path, null);
    }

    /**
     * Adds a named resource: {@code router.add_resource(path, name=name)}.
     *
     * @param path the path or pattern
     * @param name a unique name, or null
     * @return the resource
     * @throws IllegalArgumentException if the path is malformed or the name is taken
     */
    public Resource addResource(String path, String name) {
        checkNotFrozen();
        if (!resources.isEmpty()) {
            Resource last = resources.get(resources.size() - 1);
            if (last.kind() != Resource.Kind.STATIC && !last.isSubapp() && last.path().equals(path)
                    && java.util.Objects.equals(last.name(), name)) {
                return last;
            }
        }
        return register(Resource.forPath(path, name));
    }

    private Resource register(Resource r) {
        if (r.name() != null) {
            checkName(r.name());
            if (named.containsKey(r.name())) {
                throw new IllegalArgumentException("duplicate resource name \"" + r.name() + "\": already used by " + named.get(r.name()));
            }
            named.put(r.name(), r);
        }
        if (!prefix.isEmpty()) {
            r.addPrefix(prefix);
        }
        resources.add(r);
        if (r.kind() == Resource.Kind.DOMAIN) {
            domains.add(r); // as aiohttp's _matched_sub_app_resources: a rule, not a path to index
        } else {
            index.computeIfAbsent(indexKey(r), k -> new ArrayList<>()).add(r);
        }
        return r;
    }

    /**
     * The literal part of a resource's path that a request's path must start with: {@code /a/{b}}
     * gives {@code /a}; the empty path (of a sub-application, matching its prefix alone) gives
     * the empty key.
     */
    private static String indexKey(Resource r) {
        String key = r.path();
        if (key.isEmpty()) {
            return "";
        }
        int brace = key.indexOf('{');
        if (brace >= 0) {
            key = key.substring(0, Math.max(0, key.lastIndexOf('/', brace)));
        }
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        return key.isEmpty() ? "/" : key;
    }

    static void checkName(String name) {
        for (String part : name.split("[.:-]", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0)) || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
                throw new IllegalArgumentException("resource name must be identifiers joined by '.', ':' or '-', got \"" + name + "\"");
            }
        }
    }

    /**
     * Adds a handler for a method and path: {@code router.add_route(method, path, handler)}.
     *
     * @param method the method, or {@code *} for all
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addRoute(String method, String path, Handler handler) {
        return addRoute(method, path, handler, null);
    }

    /**
     * Adds a named route: {@code router.add_route(method, path, handler, name=name)}.
     *
     * @param method the method, or {@code *} for all
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name, or null
     * @return the route
     */
    public Route addRoute(String method, String path, Handler handler, String name) {
        return addResource(path, name).addRoute(method, handler);
    }

    /**
     * Adds a route with its own expect handler: {@code router.add_route(method, path, handler,
     * name=name, expect_handler=expectHandler)}. A request carrying an {@code Expect} header meets
     * the expect handler before the handler and the middlewares: it may refuse the request, answer
     * it, or let the handler run (see {@link ExpectHandler}).
     *
     * @param method the method, or {@code *} for all
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name, or null
     * @param expectHandler the expect handler, or null for {@link ExpectHandler#defaultHandler()}
     * @return the route
     * @since 0.2
     */
    public Route addRoute(String method, String path, Handler handler, String name, ExpectHandler expectHandler) {
        return addResource(path, name).addRoute(method, handler, expectHandler);
    }

    /**
     * Adds a GET handler, and the same handler for HEAD: {@code router.add_get(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the GET route
     */
    public Route addGet(String path, Handler handler) {
        return addGet(path, handler, null, true);
    }

    /**
     * Adds a named GET handler (and HEAD): {@code router.add_get(path, handler, name=name)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name, or null
     * @return the GET route
     */
    public Route addGet(String path, Handler handler, String name) {
        return addGet(path, handler, name, true);
    }

    /**
     * Adds a GET handler: {@code router.add_get(path, handler, name=, allow_head=)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name, or null
     * @param allowHead whether HEAD gets the same handler
     * @return the GET route
     */
    public Route addGet(String path, Handler handler, String name, boolean allowHead) {
        Resource r = addResource(path, name);
        if (allowHead) {
            r.addRoute("HEAD", handler);
        }
        return r.addRoute("GET", handler);
    }

    /**
     * Adds a POST handler: {@code router.add_post(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addPost(String path, Handler handler) {
        return addRoute("POST", path, handler);
    }

    /**
     * Adds a PUT handler: {@code router.add_put(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addPut(String path, Handler handler) {
        return addRoute("PUT", path, handler);
    }

    /**
     * Adds a PATCH handler: {@code router.add_patch(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addPatch(String path, Handler handler) {
        return addRoute("PATCH", path, handler);
    }

    /**
     * Adds a DELETE handler: {@code router.add_delete(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addDelete(String path, Handler handler) {
        return addRoute("DELETE", path, handler);
    }

    /**
     * Adds a HEAD handler: {@code router.add_head(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addHead(String path, Handler handler) {
        return addRoute("HEAD", path, handler);
    }

    /**
     * Adds an OPTIONS handler: {@code router.add_options(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the route
     */
    public Route addOptions(String path, Handler handler) {
        return addRoute("OPTIONS", path, handler);
    }

    /**
     * Adds a class-based view for every method: {@code router.add_view(path, ViewClass)}.
     *
     * @param path the path or pattern
     * @param view makes the view for a request, e.g. {@code UserView::new}
     * @return the route (method {@code *})
     */
    public Route addView(String path, Function<Request, ? extends View> view) {
        Checks.notNull(view, "view");
        return addRoute("*", path, request -> view.apply(request).dispatch());
    }

    /**
     * Serves the files under {@code directory} below {@code prefix}:
     * {@code router.add_static(prefix, path)}. GET and HEAD; Range, ETag, Last-Modified and 304
     * as {@link FileResponse}; a path whose real location is outside the directory (by
     * {@code ..}, an encoded separator or a symbolic link) is a 404; a directory is a 403 (no
     * listing), as aiohttp. {@link #addStatic(String, Path, StaticOptions)} takes the rest of
     * aiohttp's keywords.
     *
     * @param prefix the URL prefix, e.g. {@code /static}
     * @param directory an existing directory
     * @return the resource
     * @throws IllegalArgumentException if the directory does not exist
     */
    public Resource addStatic(String prefix, Path directory) {
        return addStatic(prefix, directory, StaticOptions.defaults());
    }

    /**
     * Serves a directory under a named resource: {@code router.add_static(prefix, path, name=name)}.
     *
     * @param prefix the URL prefix
     * @param directory an existing directory
     * @param name the resource's name, for {@link Resource#urlForFile}, or null
     * @return the resource
     * @throws IllegalArgumentException if the directory does not exist
     */
    public Resource addStatic(String prefix, Path directory, String name) {
        return addStatic(prefix, directory, StaticOptions.defaults().name(name));
    }

    /**
     * Serves a directory with aiohttp's keyword arguments: {@code router.add_static(prefix, path,
     * name=, expect_handler=, chunk_size=, show_index=, follow_symlinks=, append_version=)}. The directory is
     * resolved once, here (a leading {@code ~} taken as the user's home, as Python's
     * {@code expanduser()}; links followed); a request's path is then looked up as aiohttp does:
     * <ul>
     * <li>without {@link StaticOptions#followSymlinks(boolean)}, every link is followed and the
     *     real location must be inside the directory (a link in it pointing inside it is
     *     fine); with it, the path must stay inside before links are followed, and links may then
     *     lead anywhere;</li>
     * <li>a directory is a listing with {@link StaticOptions#showIndex(boolean)}, else a 403;
     *     the prefix itself ({@code /static} or {@code /static/}) is the directory;</li>
     * <li>a missing file or a link loop is a 404 (an {@link HTTPNotFound} the route's handler
     *     throws, which middlewares see), a file or directory that cannot be read a
     *     403, anything but a regular file (a socket, a FIFO, a device) a 403;</li>
     * <li>a file goes out as a {@link FileResponse} read in pieces of
     *     {@link StaticOptions#chunkSize(int)}, so a pre-compressed sibling the request accepts
     *     ({@code NAME.br}, {@code NAME.gz}) is sent in its place; as in aiohttp, a missing file
     *     with such a sibling is served too.</li>
     * </ul>
     *
     * @param prefix the URL prefix, starting with {@code /}
     * @param directory an existing directory
     * @param options the name and behaviour ({@link StaticOptions#defaults()} for aiohttp's defaults)
     * @return the resource
     * @throws IllegalArgumentException if the directory does not exist or is not a directory, or
     *     the name is taken
     */
    public Resource addStatic(String prefix, Path directory, StaticOptions options) {
        checkNotFrozen();
        Checks.notNull(directory, "directory");
        Checks.notNull(options, "options");
        directory = expandUser(directory);
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("addStatic needs an existing directory, got " + directory.toAbsolutePath());
        }
        Path root;
        try {
            root = directory.toRealPath();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot resolve the static directory " + directory + ": " + e.getMessage(), e);
        }
        Resource r = register(Resource.forStatic(prefix, root, options));
        Handler h = request -> StaticFiles.serve(r, request.matchInfo().get("filename"), request);
        r.addRoute("GET", h, options.expectHandler()); // aiohttp's StaticResource gives both its expect_handler
        r.addRoute("HEAD", h, options.expectHandler());
        return r;
    }

    /**
     * Python's {@code Path.expanduser()}, which aiohttp's {@code StaticResource} applies to its
     * directory: a leading {@code ~} component is the user's home ({@code user.home}). The
     * {@code ~user} form is left as it is.
     */
    static Path expandUser(Path directory) {
        if (directory.isAbsolute() || directory.getNameCount() == 0 || !directory.getName(0).toString().equals("~")) {
            return directory;
        }
        Path home = directory.getFileSystem().getPath(System.getProperty("user.home"));
        return directory.getNameCount() == 1 ? home : home.resolve(directory.subpath(1, directory.getNameCount()));
    }

    /**
     * Adds every route of a table: {@code router.add_routes(routes)}.
     *
     * @param routes the route definitions, e.g. a {@link RouteTableDef}
     * @return the routes added
     */
    public List<Route> addRoutes(Iterable<RouteDef> routes) {
        List<Route> out = new ArrayList<>();
        for (RouteDef d : routes) {
            out.addAll(d.register(this));
        }
        return out;
    }

    /** Registers the resource of a sub-application ({@link Resource#forSubapp} or {@link Resource#forDomain}) and mounts its router. */
    Resource addSubapp(Resource r) {
        checkNotFrozen();
        register(r);
        // a domain's sub-application sees the whole path: its URLs start where this router's do
        r.subapp().router().mountAt(r.kind() == Resource.Kind.DOMAIN ? prefix : prefix + r.canonical());
        return r;
    }

    private void mountAt(String p) {
        if (p.isEmpty()) {
            return;
        }
        this.prefix = p + this.prefix;
        for (Resource r : resources) {
            r.addPrefix(p);
            if (r.isSubapp()) {
                r.subapp().router().mountAt(p);
            }
        }
    }

    // ----------------------------------------------------------------------------- reading

    /**
     * Returns a named resource: {@code router['name']}.
     *
     * @param name the name given when it was added
     * @return the resource
     * @throws IllegalArgumentException if no resource has that name (listing the names there are)
     */
    public Resource named(String name) {
        Resource r = named.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no resource named \"" + name + "\"; named resources: " + new TreeSet<>(named.keySet()));
        }
        return r;
    }

    /**
     * Returns the resources in order: {@code router.resources()}.
     *
     * @return the resources, read-only
     */
    public List<Resource> resources() {
        return Collections.unmodifiableList(resources);
    }

    /**
     * Returns every route in order: {@code router.routes()}.
     *
     * @return the routes
     */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (Resource r : resources) {
            out.addAll(r.routes());
        }
        return out;
    }

    // ----------------------------------------------------------------------------- routing

    void freeze() {
        if (!frozen && prefix.isEmpty()) {
            // aiohttp's PlainResource.freeze: "" is "/" where nothing is mounted before it
            List<Resource> empty = index.remove("");
            if (empty != null) {
                for (Resource r : empty) {
                    r.emptyPathToSlash();
                }
                index.put("/", inRegistrationOrder(resources, index.getOrDefault("/", List.of()), empty));
            }
        }
        frozen = true;
        for (Resource r : resources) {
            if (r.isSubapp()) {
                r.subapp().router().freeze();
            }
        }
    }

    /**
     * The resources of {@code a} and {@code b} in the order they were registered: {@code all}
     * (every resource of the router, in registration order) filtered to them, in one pass. Each
     * resource of {@code a} and {@code b} is in {@code all} once and in only one of the two (a
     * resource has one index key). Linear: sorting by {@code all.indexOf} cost a scan of
     * {@code all} per comparison.
     */
    static List<Resource> inRegistrationOrder(List<Resource> all, List<Resource> a, List<Resource> b) {
        Set<Resource> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(a);
        wanted.addAll(b);
        List<Resource> out = new ArrayList<>(wanted.size());
        for (Resource r : all) {
            if (wanted.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The resources under an index key, in the index's order (for tests). */
    List<Resource> indexed(String key) {
        return Collections.unmodifiableList(index.getOrDefault(key, List.of()));
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new IllegalStateException("cannot change the router of a running application: add routes before it starts");
        }
    }

    /**
     * Resolves a request's method and path (relative to this router's mount point); {@code host}
     * is its {@code Host} header (or null), which the {@link Resource.Kind#DOMAIN} sub-applications
     * are matched against first, in the order they were added. As aiohttp's, a domain that matches
     * decides: its sub-application's 404 or 405 is the answer, this router's paths are not tried.
     */
    MatchInfo resolve(String method, String path, String host, List<Application> apps) {
        for (Resource r : domains) {
            if (r.domain().match(host)) {
                return r.subapp().router().resolve(method, path, host, with(apps, r.subapp()));
            }
        }
        TreeSet<String> allowed = null;
        // as aiohttp: the longest literal prefix first (/forth/42 before /forth/{n}), then registration
        // order; an empty path (a sub-application's prefix alone) meets only the empty path's resources
        for (String part = path; part != null; part = part.isEmpty() || part.equals("/") ? null : parent(part)) {
            for (Resource r : index.getOrDefault(part, List.of())) {
                MatchInfo found = tryResource(r, method, path, host, apps);
                if (found == null) {
                    continue;
                }
                if (found.route() != null) {
                    return found;
                }
                if (allowed == null) {
                    allowed = new TreeSet<>();
                }
                if (found.httpException() instanceof HTTPMethodNotAllowed na) {
                    allowed.addAll(na.allowedMethods());
                }
            }
        }
        if (allowed != null && allowed.isEmpty()) {
            allowed = null;
        }
        HTTPException error = allowed != null ? new HTTPMethodNotAllowed(method, allowed) : new HTTPNotFound();
        return new MatchInfo(Map.of(), null, request -> {
            throw error;
        }, apps, error);
    }

    private static List<Application> with(List<Application> apps, Application inner) {
        List<Application> out = new ArrayList<>(apps);
        out.add(inner);
        return List.copyOf(out);
    }

    private static String parent(String part) {
        int slash = part.lastIndexOf('/');
        return slash <= 0 ? "/" : part.substring(0, slash);
    }

    /** The match of one resource: null if its path does not match; else a route, or a 404/405 match. */
    private MatchInfo tryResource(Resource r, String method, String path, String host, List<Application> apps) {
        Map<String, String> vars = r.match(path);
        if (vars == null) {
            return null;
        }
        if (r.kind() == Resource.Kind.SUBAPP) {
            // a 404 or 405 there lets a later resource match (/s/s after /s)
            return r.subapp().router().resolve(method, path.substring(r.canonical().length()), host, with(apps, r.subapp()));
        }
        Route route = r.routeFor(method);
        if (route != null) {
            return new MatchInfo(vars, route, route.handler(), apps, null);
        }
        TreeSet<String> allowed = new TreeSet<>();
        r.allowedMethods(allowed);
        HTTPException error = new HTTPMethodNotAllowed(method, allowed);
        return new MatchInfo(Map.of(), null, request -> {
            throw error;
        }, apps, error);
    }

    @Override
    public String toString() {
        return "<UrlDispatcher " + resources.size() + " resources>";
    }
}
