package dev.aio4j.http;

import java.io.IOException;
import java.net.URI;

/**
 * Opening the connection failed: the name did not resolve, the connection was refused, the TLS
 * handshake failed...
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientConnectorError}, with {@code host}, {@code port} and
 * {@code ssl}. <b>Differences:</b> the {@link IOException} is the cause (see {@link ClientOSError});
 * the accessors are {@link #host()}, {@link #port()} and {@link #ssl()}.
 *
 * @since 0.1
 */
public class ClientConnectorError extends ClientOSError {
    private static final long serialVersionUID = 1L;

    /** The host name or address the client tried to reach. */
    private final String host;
    /** The port the client tried to reach. */
    private final int port;
    /** Whether the connection was to use TLS. */
    private final boolean ssl;

    /**
     * Creates the error.
     *
     * @param host the host the client tried to reach
     * @param port its port
     * @param ssl whether the connection was to use TLS
     * @param url the URL of the request, or {@code null}; {@link #url()} has it without its fragment,
     *     as aiohttp's errors name {@code req.url}, which has none
     * @param cause the error from resolving, connecting or the handshake
     */
    public ClientConnectorError(String host, int port, boolean ssl, URI url, IOException cause) {
        super("cannot connect to host " + host + ":" + port + (ssl ? " (TLS)" : ""),
                url == null ? null : dev.aio4j.http.internal.Urls.withoutFragment(url), cause);
        this.host = host;
        this.port = port;
        this.ssl = ssl;
    }

    /**
     * Returns the host the client tried to reach.
     *
     * @return the host the client tried to reach
     */
    public String host() {
        return host;
    }

    /**
     * Returns the port the client tried to reach.
     *
     * @return the port the client tried to reach
     */
    public int port() {
        return port;
    }

    /**
     * Returns whether the connection was to use TLS.
     *
     * @return whether the connection was to use TLS
     */
    public boolean ssl() {
        return ssl;
    }
}
