package dev.aio4j.http;

import java.io.IOException;
import java.net.URI;

/**
 * An I/O error of the socket (reset, broken pipe, ...) while a request was in flight.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientOSError}, which is both a {@code ClientConnectionError}
 * and an {@code OSError}. <b>Differences:</b> Java has single inheritance, so this is only a
 * {@link ClientConnectionError}; the {@link IOException} the socket threw (aio4j's counterpart of
 * {@code OSError}) is its {@linkplain #getCause() cause} and {@link #ioException()}.
 *
 * @since 0.1
 */
public class ClientOSError extends ClientConnectionError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param what what the client was doing, e.g. {@code "sending the request body"}
     * @param url the URL of the request, or {@code null}
     * @param cause the socket's error
     */
    public ClientOSError(String what, URI url, IOException cause) {
        super(what + ": " + cause, url, cause);
    }

    /**
     * Returns the socket's error, the same object as {@link #getCause()}.
     *
     * @return the socket's error, the same object as {@link #getCause()}
     */
    public IOException ioException() {
        return (IOException) getCause();
    }
}
