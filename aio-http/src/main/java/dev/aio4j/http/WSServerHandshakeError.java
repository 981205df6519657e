package dev.aio4j.http;

import java.net.URI;

/**
 * The server did not accept the WebSocket handshake of {@link ClientSession#wsConnect}: it
 * answered with another status than 101, or its 101 broke RFC 6455 (a wrong
 * {@code Sec-WebSocket-Accept}, no {@code Upgrade: websocket}, an extension that was not
 * offered). {@link #status()} is the response's status; {@link #message()} says what was wrong.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WSServerHandshakeError}, a {@code ClientResponseError}.
 * <b>Differences:</b> none beyond {@link ClientResponseError}'s.
 *
 * @since 0.2
 */
public class WSServerHandshakeError extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param status the response's status
     * @param message what was wrong, e.g. {@code Invalid response status}
     * @param url the URL of the request
     * @param headers the response headers, or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public WSServerHandshakeError(int status, String message, URI url, Headers headers, Throwable cause) {
        super(status, message, url, null, headers, cause);
    }
}
