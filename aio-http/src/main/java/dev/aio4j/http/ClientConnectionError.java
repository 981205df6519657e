package dev.aio4j.http;

import java.net.URI;

/**
 * Something went wrong with the connection itself rather than with an HTTP response.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientConnectionError}. <b>Differences:</b> unchecked; see
 * {@link ClientError}.
 *
 * @since 0.1
 */
public class ClientConnectionError extends ClientError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param what what happened
     * @param url the URL of the request, or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public ClientConnectionError(String what, URI url, Throwable cause) {
        super(what, url, cause);
    }
}
