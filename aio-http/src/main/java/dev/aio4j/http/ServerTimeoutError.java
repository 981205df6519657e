package dev.aio4j.http;

import java.net.URI;

/**
 * A timeout of the client expired while talking to the server.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ServerTimeoutError}, which is also an
 * {@code asyncio.TimeoutError}. <b>Differences:</b> Java has single inheritance: this is a
 * {@link ServerConnectionError}, and the {@link dev.aio4j.loop.TimeoutError} (or cancellation)
 * that the loop raised when the deadline passed is its cause.
 *
 * @since 0.1
 */
public class ServerTimeoutError extends ServerConnectionError {
    private static final long serialVersionUID = 1L;

    /** The length of the timeout that expired, in seconds. */
    private final double timeoutSeconds;

    /**
     * Creates the error.
     *
     * @param what which timeout expired, e.g. {@code "total timeout"}
     * @param timeoutSeconds its length in seconds
     * @param url the URL of the request, or {@code null}
     * @param cause the loop's timeout error, or {@code null}
     */
    public ServerTimeoutError(String what, double timeoutSeconds, URI url, Throwable cause) {
        super(what + " of " + timeoutSeconds + " s expired", url, cause);
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Returns the length of the timeout that expired, in seconds.
     *
     * @return the length of the timeout that expired, in seconds
     */
    public double timeoutSeconds() {
        return timeoutSeconds;
    }
}
