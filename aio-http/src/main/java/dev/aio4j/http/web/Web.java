package dev.aio4j.http.web;

import dev.aio4j.http.JsonCodec;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * aiohttp.web's module-level functions: {@link #runApp}, {@link #jsonResponse}, and the route
 * definitions {@link #get}, {@link #post}, ... for {@link Application#addRoutes}.
 *
 * <pre>{@code
 * import static dev.aio4j.http.web.Web.*;
 *
 * Application app = new Application();
 * app.addRoutes(List.of(get("/", request -> new Response().text("Hello, World!"))));
 * runApp(app, ServerConfig.defaults().host("127.0.0.1").port(8080));
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.run_app}, {@code web.json_response},
 * {@code web.normalize_path_middleware}, {@code web.get},
 * {@code web.post}, {@code web.put}, {@code web.patch}, {@code web.delete}, {@code web.head},
 * {@code web.options}, {@code web.route}, {@code web.view}, {@code web.static}.
 * <b>Differences:</b> {@code web.static} is {@link #staticFiles} ({@code static} is a Java
 * keyword); {@code run_app}'s keyword arguments are a {@link ServerConfig}.
 *
 * @since 0.2
 */
public final class Web {
    private Web() {}

    // ------------------------------------------------------------------------------- runApp

    /**
     * Serves an application on all interfaces, port 8080, until SIGINT or SIGTERM:
     * {@code web.run_app(app)}.
     *
     * @param app the application
     * @throws Exception what the startup or cleanup threw, or an {@link IOException} if the
     *     address cannot be bound
     */
    public static void runApp(Application app) throws Exception {
        runApp(app, ServerConfig.defaults());
    }

    /**
     * Serves an application until SIGINT or SIGTERM, then shuts down gracefully:
     * {@code web.run_app(app, **kwargs)}. Interrupting the calling thread does not stop it. To
     * stop it without a signal, cancel its main task (an {@code onStartup} callback can keep
     * {@code Aio.currentTask()} and {@code Aio.getRunningLoop()}; cancel through
     * {@code loop.callSoonThreadsafe}): the shutdown runs, then the {@code CancelledError} is
     * rethrown.
     * Starts its own event loop (several, with {@link ServerConfig#workers}): call it from
     * {@code main}, not from a task.
     *
     * <p>Order, as aiohttp: startup; listen; print {@code ======== Running on URL ========};
     * wait; stop accepting; {@code onShutdown}; idle connections closed, in-flight requests given
     * {@link ServerConfig#shutdownTimeout()} then cancelled; {@code onCleanup}.
     *
     * @param app the application
     * @param config where and how to serve
     * @throws Exception what the startup or cleanup threw, or an {@link IOException} if the
     *     address cannot be bound
     * @throws IllegalStateException if called inside a running loop
     */
    public static void runApp(Application app, ServerConfig config) throws Exception {
        Checks.notNull(app, "app");
        Checks.notNull(config, "config");
        if (isInLoop()) {
            throw new IllegalStateException("runApp starts its own event loop: call it from main, not from a task "
                    + "(inside a loop, use AppRunner and a TCPSite)");
        }
        if (config.workers() > 1) {
            Workers.run(app, config);
            return;
        }
        Aio.run(() -> serve(app, config));
    }

    private static boolean isInLoop() {
        try {
            Aio.getRunningLoop();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void serve(Application app, ServerConfig config) throws Exception {
        AppRunner runner = new AppRunner(app, config);
        runner.setup();
        EventLoop loop = Aio.getRunningLoop();
        Signals signals = null;
        try {
            BaseSite site = siteFor(runner, config);
            site.start();
            Future<Void> stop = loop.createFuture();
            signals = Signals.install(loop, config, () -> {
                if (!stop.done()) {
                    stop.setResult(null);
                }
            });
            config.print().accept("======== Running on " + site.name() + " ========\n(Press CTRL+C to quit)");
            stop.await();
        } finally {
            if (signals != null) {
                signals.remove();
            }
            runner.cleanup();
        }
    }

    static BaseSite siteFor(AppRunner runner, ServerConfig config) {
        if (config.path() != null) {
            return new UnixSite(runner, config.path());
        }
        if (config.sock() != null) {
            return new SockSite(runner, config.sock());
        }
        return new TCPSite(runner, config.host(), config.port(), config.ssl(), config.backlog(), config.reusePort());
    }

    // ------------------------------------------------------------------------ responses

    /**
     * A JSON response, encoded with the application's {@link JsonCodec} when it is prepared:
     * {@code web.json_response(data)}.
     *
     * @param data the value to encode
     * @return a 200 response with {@code Content-Type: application/json}
     */
    public static Response jsonResponse(Object data) {
        return jsonResponse(data, 200);
    }

    /**
     * A JSON response with a status: {@code web.json_response(data, status=status)}.
     *
     * @param data the value to encode
     * @param status the status
     * @return the response
     */
    public static Response jsonResponse(Object data, int status) {
        return new Response(status).json(data, null);
    }

    /**
     * A JSON response encoded with a given codec: {@code web.json_response(data, dumps=...)}.
     *
     * @param data the value to encode
     * @param codec the codec
     * @return the response
     */
    public static Response jsonResponse(Object data, JsonCodec codec) {
        return new Response(200).json(data, Checks.notNull(codec, "codec"));
    }

    // --------------------------------------------------------------------------- middlewares

    private static final java.util.regex.Pattern SLASHES = java.util.regex.Pattern.compile("//+");
    private static final java.util.regex.Pattern LEADING_SLASHES = java.util.regex.Pattern.compile("^//+");

    /**
     * {@link #normalizePathMiddleware(boolean, boolean, boolean)} with aiohttp's defaults: append
     * a slash, merge slashes: {@code web.normalize_path_middleware()}.
     *
     * @return the middleware
     */
    public static Middleware normalizePathMiddleware() {
        return normalizePathMiddleware(true, false, true);
    }

    /**
     * A middleware that redirects (308) a request that matched no route (404 or 405) to a
     * normalized path that does: slashes merged, then a trailing slash added or removed, then
     * both. The query is kept; a path that would start with {@code //} (another host, to a
     * browser) starts with one slash: {@code web.normalize_path_middleware(append_slash=,
     * remove_slash=, merge_slashes=)}.
     *
     * <p><b>aiohttp:</b> {@code web.normalize_path_middleware}. <b>Differences:</b> no
     * {@code redirect_class}: the redirect is always {@link HTTPPermanentRedirect}.
     *
     * @param appendSlash try the path with a trailing slash
     * @param removeSlash try the path without its trailing slash
     * @param mergeSlashes try the path with runs of slashes merged
     * @return the middleware
     * @throws IllegalArgumentException if both {@code appendSlash} and {@code removeSlash}
     */
    public static Middleware normalizePathMiddleware(boolean appendSlash, boolean removeSlash, boolean mergeSlashes) {
        if (appendSlash && removeSlash) {
            throw new IllegalArgumentException("appendSlash and removeSlash cannot both be true");
        }
        return (request, handler) -> {
            MatchInfo match = request.matchInfo();
            HTTPException routing = match == null ? null : match.httpException();
            if (routing instanceof HTTPNotFound || routing instanceof HTTPMethodNotAllowed) {
                String raw = request.rawPath();
                int q = raw.indexOf('?');
                String path = q < 0 ? raw : raw.substring(0, q);
                String query = q < 0 ? "" : raw.substring(q);
                boolean slashEnd = request.path().endsWith("/");
                java.util.List<String> candidates = new java.util.ArrayList<>();
                if (mergeSlashes) {
                    candidates.add(SLASHES.matcher(path).replaceAll("/"));
                }
                if (appendSlash && !slashEnd) {
                    candidates.add(path + "/");
                }
                if (removeSlash && slashEnd) {
                    candidates.add(path.substring(0, path.length() - 1));
                }
                if (mergeSlashes && appendSlash) {
                    candidates.add(SLASHES.matcher(path + "/").replaceAll("/"));
                }
                if (mergeSlashes && removeSlash && path.endsWith("/")) {
                    String merged = SLASHES.matcher(path).replaceAll("/");
                    candidates.add(merged.substring(0, merged.length() - 1));
                }
                Application root = match.apps().get(0);
                for (String c : candidates) {
                    String candidate = LEADING_SLASHES.matcher(c).replaceFirst("/"); // GHSA-v6wp-4m6f-gcjg
                    if (candidate.isEmpty()) {
                        continue;
                    }
                    MatchInfo alt = root.router().resolve(request.method(),
                            dev.aio4j.http.internal.UrlEncoding.decode(candidate), request.headers().get("Host"), java.util.List.of(root));
                    if (alt.httpException() == null) {
                        throw new HTTPPermanentRedirect(candidate + query);
                    }
                }
            }
            return handler.handle(request);
        };
    }

    // ---------------------------------------------------------------------- route definitions

    /**
     * A route for any method: {@code web.route(method, path, handler)}.
     *
     * @param method the method, or {@code *}
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef route(String method, String path, Handler handler) {
        return RouteDef.route(method, path, handler, null);
    }

    /**
     * A GET route (HEAD too): {@code web.get(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef get(String path, Handler handler) {
        return RouteDef.route("GET", path, handler, null);
    }

    /**
     * A named GET route (HEAD too): {@code web.get(path, handler, name=name)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @param name the resource's name
     * @return the definition
     */
    public static RouteDef get(String path, Handler handler, String name) {
        return RouteDef.route("GET", path, handler, name);
    }

    /**
     * A POST route: {@code web.post(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * A PUT route: {@code web.put(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /**
     * A PATCH route: {@code web.patch(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    /**
     * A DELETE route: {@code web.delete(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /**
     * A HEAD route: {@code web.head(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef head(String path, Handler handler) {
        return route("HEAD", path, handler);
    }

    /**
     * An OPTIONS route: {@code web.options(path, handler)}.
     *
     * @param path the path or pattern
     * @param handler the handler
     * @return the definition
     */
    public static RouteDef options(String path, Handler handler) {
        return route("OPTIONS", path, handler);
    }

    /**
     * A class-based view: {@code web.view(path, ViewClass)}.
     *
     * @param path the path or pattern
     * @param view makes the view per request, e.g. {@code UserView::new}
     * @return the definition
     */
    public static RouteDef view(String path, Function<Request, ? extends View> view) {
        return RouteDef.view(path, view, null);
    }

    /**
     * Static files: {@code web.static(prefix, path)}.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @return the definition
     */
    public static RouteDef staticFiles(String prefix, Path directory) {
        return RouteDef.staticFiles(prefix, directory, StaticOptions.defaults());
    }

    /**
     * Static files with aiohttp's keywords: {@code web.static(prefix, path, name=, expect_handler=,
     * chunk_size=, show_index=, follow_symlinks=, append_version=)}. See
     * {@link UrlDispatcher#addStatic(String, Path, StaticOptions)}.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @param options the name and behaviour
     * @return the definition
     */
    public static RouteDef staticFiles(String prefix, Path directory, StaticOptions options) {
        return RouteDef.staticFiles(prefix, directory, options);
    }
}
