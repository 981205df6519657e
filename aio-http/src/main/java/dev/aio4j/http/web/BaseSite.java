package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Server;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;

/**
 * Where an {@link AppRunner} listens: a TCP address ({@link TCPSite}), a Unix socket
 * ({@link UnixSite}) or a socket bound elsewhere ({@link SockSite}).
 *
 * <p><b>aiohttp:</b> {@code web.BaseSite}. <b>Differences:</b> sealed: the three kinds above.
 *
 * @since 0.2
 */
public abstract sealed class BaseSite permits TCPSite, UnixSite, SockSite {
    private final AppRunner runner;
    private Server server;

    BaseSite(AppRunner runner) {
        this.runner = Checks.notNull(runner, "runner");
    }

    /**
     * Returns the runner.
     *
     * @return the runner this site serves
     */
    public final AppRunner runner() {
        return runner;
    }

    /**
     * Starts listening: {@code await site.start()}.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if the runner is not set up, or the site started already
     */
    public final void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the site is started already: " + this);
        }
        WebServer ws = runner.server();
        server = listen(ws);
        runner.addSite(this);
    }

    abstract Server listen(WebServer ws) throws IOException;

    /**
     * Stops listening (open connections go on until the runner's cleanup): {@code await site.stop()}.
     */
    public final void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Returns the addresses the site listens on.
     *
     * @return the bound addresses, empty before {@link #start()}
     */
    public final List<SocketAddress> addresses() {
        return server == null ? List.of() : server.addresses();
    }

    /**
     * Returns the URL of the site: {@code site.name}.
     *
     * @return e.g. {@code http://127.0.0.1:8080}
     */
    public abstract String name();

    /**
     * Returns the listening server.
     *
     * @return the aio-streams server, or null before {@link #start()}
     */
    public final Server server() {
        return server;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + name() + ">";
    }
}
