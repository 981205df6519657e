package dev.aio4j.http;

import java.net.URI;

/**
 * The server broke the connection or stopped answering after it was established.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ServerConnectionError}. <b>Differences:</b> unchecked; see
 * {@link ClientError}.
 *
 * @since 0.1
 */
public class ServerConnectionError extends ClientConnectionError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param what what happened
     * @param url the URL of the request, or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public ServerConnectionError(String what, URI url, Throwable cause) {
        super(what, url, cause);
    }
}
