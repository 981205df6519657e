package dev.aio4j.http;

import java.net.URI;

/**
 * The socket read timeout expired: the server sent nothing for too long in the middle of a
 * response.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.SocketTimeoutError} (aiohttp 3.10+; {@code ClientTimeout.sock_read}).
 * <b>Differences:</b> see {@link ServerTimeoutError}.
 *
 * @since 0.1
 */
public class SocketTimeoutError extends ServerTimeoutError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param timeoutSeconds the read timeout, in seconds
     * @param url the URL of the request, or {@code null}
     * @param cause the loop's timeout error, or {@code null}
     */
    public SocketTimeoutError(double timeoutSeconds, URI url, Throwable cause) {
        super("socket read timeout", timeoutSeconds, url, cause);
    }
}
