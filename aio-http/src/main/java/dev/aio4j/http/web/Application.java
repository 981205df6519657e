package dev.aio4j.http.web;

import dev.aio4j.http.JsonCodec;
import dev.aio4j.http.internal.FrozenList;
import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web application: a router, middlewares, state, and the signals that run when it starts and
 * stops. Serve it with {@link Web#runApp} or an {@link AppRunner}.
 *
 * <pre>{@code
 * Application app = new Application();
 * app.router().addGet("/", request -> new Response().text("Hello"));
 * app.onStartup().add(a -> a.set(DB, Database.connect()));
 * app.onCleanup().add(a -> a.get(DB).close());
 * Web.runApp(app, ServerConfig.defaults().port(8080));
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.Application(middlewares=, client_max_size=)}.
 * <b>Differences:</b> state is {@link #set}/{@link #get} with typed {@link AppKey}s only (no
 * string keys); the signals are lists of {@link AppCallback}s; {@code cleanup_ctx} takes
 * {@link CleanupContext}s. As in aiohttp, the application is frozen when it starts: the router,
 * middlewares and signals can no longer change (an {@link IllegalStateException} says so).
 *
 * <p><b>Threading:</b> one application may be served by several loops at once
 * ({@link ServerConfig#workers}): its router and middlewares are read-only then, and the state
 * map is thread-safe, but the values in it are shared by every loop. Put only thread-safe
 * values there, or loop-bound ones created per worker (see the server guide).
 *
 * @since 0.2
 */
public final class Application {
    /** aiohttp's default {@code client_max_size}: 1 MiB. */
    public static final long DEFAULT_CLIENT_MAX_SIZE = 1024 * 1024;

    private final UrlDispatcher router = new UrlDispatcher();
    private final Map<AppKey<?>, Object> state = new ConcurrentHashMap<>();
    private final FrozenList<Middleware> middlewares = new FrozenList<>("the application's middlewares");
    private final FrozenList<AppCallback> onStartup = new FrozenList<>("the application's onStartup");
    private final FrozenList<AppCallback> onShutdown = new FrozenList<>("the application's onShutdown");
    private final FrozenList<AppCallback> onCleanup = new FrozenList<>("the application's onCleanup");
    private final FrozenList<CleanupContext> cleanupCtx = new FrozenList<>("the application's cleanupCtx");
    private final FrozenList<ResponsePrepareCallback> onResponsePrepare = new FrozenList<>("the application's onResponsePrepare");
    private final List<Application> subapps = new ArrayList<>();
    private final List<CleanupContext.Exit> exits = new ArrayList<>();
    private long clientMaxSize = DEFAULT_CLIENT_MAX_SIZE;
    private JsonCodec jsonCodec;
    private volatile boolean frozen;
    private boolean mounted;

    /** An empty application. */
    public Application() {}

    // ----------------------------------------------------------------------------- contents

    /**
     * Returns the router: {@code app.router}.
     *
     * @return the router
     */
    public UrlDispatcher router() {
        return router;
    }

    /**
     * Adds route definitions: {@code app.add_routes(routes)}.
     *
     * @param routes a {@link RouteTableDef} or a list of {@link RouteDef}s
     * @return the routes added
     */
    public List<Route> addRoutes(Iterable<RouteDef> routes) {
        return router.addRoutes(routes);
    }

    /**
     * Returns the middlewares, outermost first: {@code app.middlewares}.
     *
     * @return a list to add to until the application starts
     */
    public List<Middleware> middlewares() {
        return middlewares;
    }

    /**
     * Mounts a sub-application at a prefix: {@code app.add_subapp(prefix, subapp)}. Requests
     * under the prefix are routed by the sub-application (with the prefix removed), through the
     * parent's middlewares and then its own; its signals run with the parent's.
     *
     * @param prefix the path prefix, e.g. {@code /admin}
     * @param subapp the sub-application, not mounted elsewhere
     * @return the resource that stands for the mount
     * @throws IllegalArgumentException if the sub-application is this one or already mounted
     * @throws IllegalStateException if this application or the sub-application is frozen (started)
     */
    public Resource addSubapp(String prefix, Application subapp) {
        Checks.notNull(subapp, "subapp");
        checkMountable(subapp);
        return mount(Resource.forSubapp(prefix, subapp));
    }

    /**
     * Adds a sub-application for the requests to a domain: {@code app.add_domain(domain, subapp)}.
     * A request whose {@code Host} header is the domain is routed by the sub-application, whatever
     * its path (the path is not shortened), through the parent's middlewares and then its own; its
     * signals run with the parent's, and it is frozen with it, as {@link #addSubapp}'s.
     *
     * <pre>{@code
     * app.addDomain("api.example.com", api);       // Host: api.example.com
     * app.addDomain("example.com:8080", admin);    // Host: example.com:8080
     * app.addDomain("*.example.com", tenants);     // Host: a.example.com, a.b.example.com, ...
     * }</pre>
     *
     * <p>Matching, as aiohttp's {@code Domain} and {@code MaskDomain}: the domain is lower-cased,
     * its trailing dots dropped and a non-ASCII name IDNA-encoded ({@code пример.рф} matches
     * {@code Host: xn--e1afmkfd.xn--p1ai}); the {@code Host} must then equal it without regard to
     * case, port included: {@code example.com} (or {@code example.com:80}) matches
     * {@code Host: example.com} only, not {@code example.com:80} nor another port, and
     * {@code example.com:8080} matches {@code Host: example.com:8080} only. A domain with
     * {@code *} is a mask, where {@code *} stands for any run of characters (dots included) and
     * the rest must match as above, port included: {@code *.example.com} matches
     * {@code Host: a.b.example.com} but not {@code a.example.com:8080} (that is
     * {@code *.example.com:8080}), and {@code *} alone matches every request with a {@code Host}. A request without
     * {@code Host} matches no domain. Domains are tried before every path of this application, in
     * the order they were added, and the first that matches decides: its sub-application's 404 or
     * 405 is the answer.
     *
     * <p><b>Differences from aiohttp:</b> a mask compares the {@code Host} without regard to case
     * too; a domain with a path, query, fragment, user or IPv6 literal is refused, where yarl
     * would drop the extra parts; IDNA is the JDK's ({@link java.net.IDN}, IDNA 2003).
     *
     * @param domain the host, with an optional {@code :port}, or a mask such as {@code *.example.com}
     * @param subapp the sub-application, not mounted elsewhere
     * @return the resource that stands for it ({@link Resource.Kind#DOMAIN})
     * @throws IllegalArgumentException if the domain is not valid, with aiohttp's message
     *     ({@code Domain cannot be empty}, {@code Scheme not supported}, {@code Domain not
     *     valid}) and the reason; or if the sub-application is this one or already mounted
     * @throws IllegalStateException if this application or the sub-application is frozen (started)
     * @since 0.2
     */
    public Resource addDomain(String domain, Application subapp) {
        Checks.notNull(subapp, "subapp");
        DomainRule rule = DomainRule.of(domain); // as aiohttp, the domain is checked first
        checkMountable(subapp);
        return mount(Resource.forDomain(rule, subapp));
    }

    private void checkMountable(Application subapp) {
        checkNotFrozen("add a sub-application");
        if (subapp == this || subapp.mounted) {
            throw new IllegalArgumentException("a sub-application can be mounted once, and not in itself");
        }
        if (subapp.frozen) {
            throw new IllegalStateException("cannot add a frozen application as a sub-application: " + subapp);
        }
    }

    /** aiohttp's {@code _add_subapp}: the one way a sub-application is registered, by prefix or domain. */
    private Resource mount(Resource r) {
        router.addSubapp(r);
        r.subapp().mounted = true;
        subapps.add(r.subapp());
        return r;
    }

    /**
     * Returns the largest body {@link Request#read()} accepts: {@code client_max_size}.
     *
     * @return bytes (default {@value #DEFAULT_CLIENT_MAX_SIZE})
     */
    public long clientMaxSize() {
        return clientMaxSize;
    }

    /**
     * Sets the largest body {@link Request#read()} (and {@code text()}, {@code json()},
     * {@code post()}) accepts; a larger one is answered 413 without reading the rest.
     *
     * @param bytes the limit, positive
     * @return this application
     */
    public Application clientMaxSize(long bytes) {
        checkNotFrozen("change clientMaxSize");
        this.clientMaxSize = Checks.positive(bytes, "bytes");
        return this;
    }

    /**
     * Returns the JSON codec for {@link Request#json()} and {@link Web#jsonResponse(Object)}.
     *
     * @return the codec, or null
     */
    public JsonCodec jsonCodec() {
        return jsonCodec;
    }

    /**
     * Sets the JSON codec (aio-http has no JSON library of its own; see {@link JsonCodec}).
     *
     * @param codec the codec
     * @return this application
     */
    public Application jsonCodec(JsonCodec codec) {
        this.jsonCodec = Checks.notNull(codec, "codec");
        return this;
    }

    // -------------------------------------------------------------------------------- state

    /**
     * Stores a value: {@code app[key] = value}. Allowed while running too (values are shared by
     * every loop serving the application).
     *
     * @param key the key
     * @param value the value, not null
     * @param <T> the value type
     * @return the previous value, or null
     */
    public <T> T set(AppKey<T> key, T value) {
        Checks.notNull(key, "key");
        return key.cast(state.put(key, Checks.notNull(value, "value")));
    }

    /**
     * Returns a value: {@code app[key]}.
     *
     * @param key the key
     * @param <T> the value type
     * @return the value, or null if absent
     */
    public <T> T get(AppKey<T> key) {
        return key.cast(state.get(key));
    }

    /**
     * Returns whether a value is stored: {@code key in app}.
     *
     * @param key the key
     * @return whether {@link #set} stored one
     */
    public boolean containsKey(AppKey<?> key) {
        return state.containsKey(key);
    }

    /**
     * Removes a value: {@code del app[key]}.
     *
     * @param key the key
     * @param <T> the value type
     * @return the removed value, or null
     */
    public <T> T remove(AppKey<T> key) {
        return key.cast(state.remove(key));
    }

    // ------------------------------------------------------------------------------ signals

    /**
     * Returns the callbacks run when the application starts, in order: {@code app.on_startup}.
     *
     * @return a list to add to until the application starts
     */
    public List<AppCallback> onStartup() {
        return onStartup;
    }

    /**
     * Returns the callbacks run when the server stops accepting, before the connections are
     * closed: {@code app.on_shutdown} (close WebSockets and other long-lived responses here).
     *
     * @return a list to add to until the application starts
     */
    public List<AppCallback> onShutdown() {
        return onShutdown;
    }

    /**
     * Returns the callbacks run after the server stopped: {@code app.on_cleanup}.
     *
     * @return a list to add to until the application starts
     */
    public List<AppCallback> onCleanup() {
        return onCleanup;
    }

    /**
     * Returns the resources entered at startup and exited at cleanup, in reverse:
     * {@code app.cleanup_ctx}. They enter before the {@link #onStartup()} callbacks and exit
     * before the {@link #onCleanup()} callbacks, as aiohttp's.
     *
     * @return a list to add to until the application starts
     */
    public List<CleanupContext> cleanupCtx() {
        return cleanupCtx;
    }

    /**
     * Returns the callbacks that see every response before its head is built:
     * {@code app.on_response_prepare}.
     *
     * @return a list to add to until the application starts
     */
    public List<ResponsePrepareCallback> onResponsePrepare() {
        return onResponsePrepare;
    }

    /**
     * Returns whether the application started (and can no longer change): {@code app.frozen}.
     *
     * @return whether it is frozen
     */
    public boolean frozen() {
        return frozen;
    }

    /** Freezes the router, middlewares and signals: {@code app.freeze()}. */
    public void freeze() {
        if (frozen) {
            return;
        }
        frozen = true;
        router.freeze();
        middlewares.freeze();
        onStartup.freeze();
        onShutdown.freeze();
        onCleanup.freeze();
        cleanupCtx.freeze();
        onResponsePrepare.freeze();
        for (Application s : subapps) {
            s.freeze();
        }
    }

    /**
     * Runs the startup: cleanup contexts entered, then the {@link #onStartup()} callbacks, then
     * the sub-applications' startups: {@code await app.startup()}. Called by the runner.
     *
     * <p><b>Cancellation:</b> suspends in the callbacks.
     *
     * @throws Exception the first failure; the contexts entered so far are exited
     */
    public void startup() throws Exception {
        freeze();
        for (CleanupContext c : cleanupCtx) {
            try {
                exits.add(c.enter(this));
            } catch (Exception e) {
                exitContexts(e);
                throw e;
            }
        }
        for (AppCallback cb : onStartup) {
            cb.call(this);
        }
        for (Application s : subapps) {
            s.startup();
        }
    }

    /**
     * Runs the {@link #onShutdown()} callbacks, then the sub-applications':
     * {@code await app.shutdown()}.
     *
     * <p><b>Cancellation:</b> suspends in the callbacks.
     *
     * @throws Exception the first failure
     */
    public void shutdown() throws Exception {
        for (AppCallback cb : onShutdown) {
            cb.call(this);
        }
        for (Application s : subapps) {
            s.shutdown();
        }
    }

    /**
     * Exits the cleanup contexts in reverse, then runs the {@link #onCleanup()} callbacks and the
     * sub-applications' cleanups, all of them even if some fail: {@code await app.cleanup()}.
     *
     * <p><b>Cancellation:</b> suspends in the callbacks.
     *
     * @throws Exception the first failure, with the others suppressed
     */
    public void cleanup() throws Exception {
        Exception first = exitContexts(null);
        for (AppCallback cb : onCleanup) {
            try {
                cb.call(this);
            } catch (Exception e) {
                first = collect(first, e);
            }
        }
        for (Application s : subapps) {
            try {
                s.cleanup();
            } catch (Exception e) {
                first = collect(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Exception exitContexts(Exception first) {
        for (int i = exits.size() - 1; i >= 0; i--) {
            try {
                exits.get(i).exit();
            } catch (Exception e) {
                first = collect(first, e);
            }
        }
        exits.clear();
        return first;
    }

    private static Exception collect(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    private void checkNotFrozen(String what) {
        if (frozen) {
            throw new IllegalStateException("cannot " + what + ": the application is running (frozen)");
        }
    }

    List<Application> subapps() {
        return subapps;
    }

    @Override
    public String toString() {
        return "<Application 0x" + Integer.toHexString(System.identityHashCode(this)) + (frozen ? " frozen" : "") + ">";
    }
}
