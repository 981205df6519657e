package dev.aio4j.http.internal.ws;

/**
 * The opening handshake cannot complete: the server's response breaks RFC 6455 section 4.1 or
 * RFC 7692, so the client must fail the connection (no close frame: the WebSocket never opened).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WSServerHandshakeError}. The codec's own error;
 * {@code ClientSession.wsConnect} throws the public {@link dev.aio4j.http.WSServerHandshakeError}
 * with this as the cause.
 */
public final class WebSocketHandshakeError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what in the handshake was wrong, and the value received
     */
    public WebSocketHandshakeError(String message) {
        super(message);
    }
}
