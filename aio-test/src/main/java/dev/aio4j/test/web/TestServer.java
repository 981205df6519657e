package dev.aio4j.test.web;

import dev.aio4j.http.internal.UriReference;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.ServerConfig;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.internal.Checks;

/**
 * An {@link Application} served on 127.0.0.1 and a free port, in the current event loop, for the
 * length of a test.
 *
 * <pre>{@code
 * @AioTest
 * void helloAnswers() throws Exception {
 *     try (TestServer server = new TestServer(app());
 *          TestClient client = new TestClient(server)) {
 *         client.start();                            // starts the server too
 *         try (ClientResponse r = client.get("/hello")) {
 *             assertEquals("Hello, World!", r.text());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.test_utils.TestServer(app)} (the server behind the pytest
 * plugin's {@code aiohttp_server} fixture): {@code await server.start_server()},
 * {@code server.port}, {@code server.host}, {@code server.make_url(path)},
 * {@code server.app}, {@code server.runner}, {@code await server.close()}.
 * <b>Differences:</b> {@link #start()} and {@link #close()} suspend directly;
 * {@code make_url} is {@link #url(String)} and returns a string; the host is always
 * {@code 127.0.0.1} and the scheme {@code http}; the {@link ServerConfig} takes the runner's
 * keyword arguments (signals are never handled).
 *
 * <p><b>Threading:</b> loop-confined: start it, use it and close it from tasks of one loop, e.g.
 * inside an {@code @AioTest} method. On a virtual clock the server's timers (a handler's
 * {@code Aio.sleep}, keep-alive) run in virtual time: the loop waits a few real milliseconds for
 * pending socket I/O before it jumps to the next timer.
 *
 * @since 0.2
 */
public final class TestServer implements AutoCloseable {
    /** The address the server listens on. */
    public static final String HOST = "127.0.0.1";

    private final Application app;
    private final ServerConfig config;
    private AppRunner runner;
    private TCPSite site;
    private boolean closed;

    /**
     * A server for {@code app} with the default runner configuration; not started.
     *
     * @param app the application (frozen when the server starts)
     */
    public TestServer(Application app) {
        this(app, ServerConfig.defaults());
    }

    /**
     * A server for {@code app} with a runner configuration (keep-alive, limits, shutdown timeout,
     * access log); its host, port, workers and signal settings are ignored.
     *
     * @param app the application (frozen when the server starts)
     * @param config the runner's configuration
     */
    public TestServer(Application app, ServerConfig config) {
        Checks.notNull(app, "app");
        Checks.notNull(config, "config");
        this.app = app;
        this.config = config.handleSignals(false);
    }

    /**
     * Runs the application's startup and starts listening: {@code await server.start_server()}.
     * A second call does nothing.
     *
     * <p><b>Cancellation:</b> suspends while the application's {@code onStartup} callbacks run;
     * if cancelled there, nothing listens and the server can only be closed.
     *
     * @throws Exception what the application's startup threw, or an {@code IOException} if no
     *     port could be bound
     * @throws IllegalStateException if the server was closed, or when not called from a task
     */
    public void start() throws Exception {
        if (closed) {
            throw new IllegalStateException("TestServer.start() called after close(): make a new TestServer");
        }
        if (site != null) {
            return;
        }
        if (runner == null) {
            runner = new AppRunner(app, config);
            runner.setup();
        }
        TCPSite s = new TCPSite(runner, HOST, 0);
        s.start();
        site = s;
    }

    /**
     * Returns whether {@link #start()} completed and {@link #close()} was not called.
     *
     * @return whether the server accepts connections
     */
    public boolean started() {
        return site != null && !closed;
    }

    /**
     * Returns the application: {@code server.app}.
     *
     * @return the application
     */
    public Application app() {
        return app;
    }

    /**
     * Returns the runner: {@code server.runner}.
     *
     * @return the runner, or null before {@link #start()}
     */
    public AppRunner runner() {
        return runner;
    }

    /**
     * Returns the host: {@code server.host}.
     *
     * @return {@value #HOST}
     */
    public String host() {
        return HOST;
    }

    /**
     * Returns the port the server listens on: {@code server.port}.
     *
     * @return the bound port
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        if (site == null) {
            throw new IllegalStateException("TestServer.port() called before start(): " + this);
        }
        return site.port();
    }

    /**
     * Returns the absolute URL of a path on this server: {@code server.make_url(path)}.
     *
     * @param path a path with an optional query, e.g. {@code /users?page=2} (a missing leading
     *     slash is added)
     * @return {@code http://127.0.0.1:PORT/path}; a {@code ://} in the path or the query is
     *     kept ({@code /login?next=http://x}), as aiohttp's
     * @throws IllegalArgumentException if {@code path} is an absolute URL ({@code scheme://...})
     *     or starts with {@code //}, which names a host ({@code //a/b} is host {@code a}, path
     *     {@code /b}): aiohttp's {@code make_url} asserts {@code not URL(path).absolute}, and yarl
     *     reads both as absolute
     * @throws IllegalStateException before {@link #start()}
     */
    public String url(String path) {
        Checks.notNull(path, "path");
        if (path.startsWith("//")) {
            throw new IllegalArgumentException("path " + path + " starts with //, which names a host (a network-path "
                    + "reference, as aiohttp's make_url reads it too), not a path on the test server; give one leading "
                    + "slash, or request the path " + path + " with session() and the whole URL, http://" + HOST + ":PORT" + path);
        }
        if (hasScheme(path)) {
            throw new IllegalArgumentException("path must be relative to the test server, got " + path);
        }
        int p = port();
        return "http://" + HOST + ":" + p + (path.startsWith("/") ? path : "/" + path);
    }

    /** Whether {@code path} starts with {@code scheme://} (RFC 3986 section 3.1: a letter, then letters, digits, + - .). */
    private static boolean hasScheme(String path) {
        return UriReference.isScheme(path, path.indexOf("://"));
    }

    /**
     * Stops listening, finishes open connections and runs the application's shutdown and
     * cleanup: {@code await server.close()}. A second call does nothing.
     *
     * <p><b>Cancellation:</b> suspends while requests in flight finish (at most the config's
     * shutdown timeout); if cancelled there, the remaining connections are left to the loop's
     * shutdown.
     *
     * @throws Exception what the application's shutdown or cleanup threw
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (runner != null) {
            runner.cleanup();
        }
    }

    @Override
    public String toString() {
        String state = closed ? "closed" : site == null ? "not started" : "serving";
        return "TestServer[" + (site == null ? HOST : site.name()) + ", " + state + "]";
    }
}
