package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Checks;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an application on the current loop, for programs that manage the loop themselves (tests,
 * several applications, a server inside a larger program): set it up, start sites on it, clean
 * it up.
 *
 * <pre>{@code
 * AppRunner runner = new AppRunner(app);
 * runner.setup();                                     // app.startup()
 * TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
 * site.start();
 * ...
 * runner.cleanup();                                   // graceful: stop accepting, finish, cleanup
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.AppRunner(app, **kwargs)}. <b>Differences:</b> the keyword
 * arguments are a {@link ServerConfig}; {@code setup()} and {@code cleanup()} suspend directly.
 *
 * <p><b>Threading:</b> loop-confined: call everything from tasks of the loop that called
 * {@link #setup()}.
 *
 * @since 0.2
 */
public final class AppRunner {
    private final Application app;
    private final ServerConfig config;
    private final boolean runSignals;
    private final List<BaseSite> sites = new ArrayList<>();
    private WebServer server;
    private EventLoop loop;
    private boolean cleanedUp;

    /**
     * A runner with the default configuration.
     *
     * @param app the application
     */
    public AppRunner(Application app) {
        this(app, ServerConfig.defaults());
    }

    /**
     * A runner with a configuration (its connection options; the sites say where to listen).
     *
     * @param app the application
     * @param config keep-alive, timeouts, limits, access log, shutdown timeout
     */
    public AppRunner(Application app, ServerConfig config) {
        this(app, config, true);
    }

    AppRunner(Application app, ServerConfig config, boolean runSignals) {
        this.app = Checks.notNull(app, "app");
        this.config = Checks.notNull(config, "config");
        this.runSignals = runSignals;
    }

    /**
     * Returns the application.
     *
     * @return the application served
     */
    public Application app() {
        return app;
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration given
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * Freezes the application and runs its startup: {@code await runner.setup()}.
     *
     * <p><b>Cancellation:</b> suspends in the startup callbacks.
     *
     * @throws Exception what a startup callback threw
     * @throws IllegalStateException if set up already
     */
    public void setup() throws Exception {
        if (server != null) {
            throw new IllegalStateException("the runner is set up already");
        }
        loop = Aio.getRunningLoop();
        app.freeze();
        server = new WebServer(app, config, loop);
        if (runSignals) {
            app.startup();
        }
    }

    /**
     * Returns the sites started on this runner: {@code runner.sites}.
     *
     * @return the sites
     */
    public List<BaseSite> sites() {
        return List.copyOf(sites);
    }

    /**
     * Returns the addresses the sites listen on: {@code runner.addresses}.
     *
     * @return the bound addresses (with the real port when 0 was asked)
     */
    public List<SocketAddress> addresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (BaseSite s : sites) {
            out.addAll(s.addresses());
        }
        return out;
    }

    /**
     * Returns how many connections are open now.
     *
     * @return the number of open connections
     */
    public int connectionCount() {
        return server == null ? 0 : server.connectionCount();
    }

    /**
     * Stops gracefully: the sites stop accepting, the {@code onShutdown} callbacks run, idle
     * connections close, in-flight requests get {@link ServerConfig#shutdownTimeout()} to finish
     * (then they are cancelled), and the {@code onCleanup} callbacks run:
     * {@code await runner.cleanup()}. A second call does nothing.
     *
     * <p><b>Cancellation:</b> suspends while requests finish.
     *
     * @throws Exception what a shutdown or cleanup callback threw (after every step ran)
     */
    public void cleanup() throws Exception {
        if (server == null || cleanedUp) {
            return;
        }
        cleanedUp = true;
        stopSites();
        Exception failure = null;
        if (runSignals) {
            try {
                app.shutdown();
            } catch (Exception e) {
                failure = e;
            }
        }
        server.shutdown(config.shutdownTimeout());
        if (runSignals) {
            try {
                app.cleanup();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    void stopSites() {
        for (BaseSite s : sites) {
            s.stop();
        }
    }

    void shutdownConnections() {
        server.shutdown(config.shutdownTimeout());
    }

    WebServer server() {
        if (server == null) {
            throw new IllegalStateException("call runner.setup() before starting a site");
        }
        return server;
    }

    void addSite(BaseSite site) {
        if (cleanedUp) {
            throw new IllegalStateException("the runner was cleaned up: make a new one");
        }
        sites.add(site);
    }

    @Override
    public String toString() {
        return "<AppRunner " + app + " sites=" + sites.size() + ">";
    }
}
