package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Serves an {@link AppRunner} on a TCP host and port, with TLS if given an {@code SSLContext}.
 *
 * <p><b>aiohttp:</b> {@code web.TCPSite(runner, host, port, ssl_context=, backlog=,
 * reuse_port=)}. <b>Differences:</b> the keyword arguments are the six-argument constructor.
 *
 * @since 0.2
 */
public final class TCPSite extends BaseSite {
    private final String host;
    private final int port;
    private final SSLContext ssl;
    private final int backlog;
    private final boolean reusePort;

    /**
     * A plain HTTP site.
     *
     * @param runner a set-up runner
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for a free one
     */
    public TCPSite(AppRunner runner, String host, int port) {
        this(runner, host, port, null, 128, false);
    }

    /**
     * A site with every option.
     *
     * @param runner a set-up runner
     * @param host the host to bind, or null (or empty) for all interfaces
     * @param port the port, 0 for a free one
     * @param ssl the TLS context for HTTPS, or null
     * @param backlog the listen backlog
     * @param reusePort whether to set {@code SO_REUSEPORT}
     */
    public TCPSite(AppRunner runner, String host, int port, SSLContext ssl, int backlog, boolean reusePort) {
        super(runner);
        Checks.port(port);
        this.host = host == null || host.isEmpty() ? null : host; // "" is all interfaces, as in asyncio
        this.port = port;
        this.ssl = ssl;
        this.backlog = Checks.positive(backlog, "backlog");
        this.reusePort = reusePort;
    }

    @Override
    Server listen(WebServer ws) throws IOException {
        return Streams.createServer(ws::newConnection, host, port, ssl, backlog, reusePort);
    }

    /**
     * Returns the port bound (the real one when 0 was asked, once started).
     *
     * @return the port
     */
    public int port() {
        for (SocketAddress a : addresses()) {
            if (a instanceof InetSocketAddress i) {
                return i.getPort();
            }
        }
        return port;
    }

    @Override
    public String name() {
        String h = host == null ? "0.0.0.0" : host.contains(":") ? "[" + host + "]" : host;
        return (ssl != null ? "https" : "http") + "://" + h + ":" + port();
    }
}
