package dev.aio4j.http;

import java.net.URI;

/**
 * A connect timeout expired: no connection (from the pool or a new one) within
 * {@link ClientTimeout#connect()}, or a new connection not opened within
 * {@link ClientTimeout#sockConnect()}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ConnectionTimeoutError} (aiohttp 3.10+; {@code ClientTimeout.connect}
 * and {@code sock_connect}). <b>Differences:</b> see {@link ServerTimeoutError}.
 *
 * @since 0.1
 */
public class ConnectionTimeoutError extends ServerTimeoutError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param timeoutSeconds the connect timeout, in seconds
     * @param url the URL of the request, or {@code null}
     * @param cause the loop's timeout error, or {@code null}
     */
    public ConnectionTimeoutError(double timeoutSeconds, URI url, Throwable cause) {
        this("connect timeout", timeoutSeconds, url, cause);
    }

    /**
     * Creates the error for one of the connect limits.
     *
     * @param what which limit expired: {@code "connect timeout"} or {@code "sock_connect timeout"}
     *     ({@link ClientTimeout#sockConnect()})
     * @param timeoutSeconds its length, in seconds
     * @param url the URL of the request, or {@code null}
     * @param cause the loop's timeout error, or {@code null}
     * @since 0.2
     */
    public ConnectionTimeoutError(String what, double timeoutSeconds, URI url, Throwable cause) {
        super(what, timeoutSeconds, url, cause);
    }
}
