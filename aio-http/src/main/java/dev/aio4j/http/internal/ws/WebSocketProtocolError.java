package dev.aio4j.http.internal.ws;

/**
 * The peer broke the WebSocket protocol, or a message crossed a limit: the connection must be closed
 * with {@link #closeCode()} (RFC 6455 section 7.1.7, "Fail the WebSocket Connection").
 *
 * <p><b>aiohttp:</b> {@code aiohttp.http_websocket.WebSocketError}, which also carries the close
 * code. The codec's own error: {@link WebSocketConnection} hands it to users as the public
 * {@link dev.aio4j.http.WebSocketError}, with this as the cause.
 * The message names the rule that was broken and, where there is one, the value received.
 */
public final class WebSocketProtocolError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The close code to send: one of {@link CloseStatus#PROTOCOL_ERROR}, {@link CloseStatus#INVALID_DATA}, {@link CloseStatus#MESSAGE_TOO_BIG}... */
    private final int closeCode;

    /**
     * Creates the error.
     *
     * @param closeCode the close code to send (1002 protocol error, 1007 invalid data, 1009 message too big...)
     * @param message the rule that was broken, and the value received
     */
    public WebSocketProtocolError(int closeCode, String message) {
        super(message + " (close code " + closeCode + ")");
        this.closeCode = closeCode;
    }

    /**
     * Returns the close code to send to the peer before closing.
     *
     * @return the close code to send to the peer before closing
     */
    public int closeCode() {
        return closeCode;
    }

    static WebSocketProtocolError protocol(String message) {
        return new WebSocketProtocolError(CloseStatus.PROTOCOL_ERROR, message);
    }
}
