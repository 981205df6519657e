package dev.aio4j.http;

/**
 * The WebSocket peer broke the protocol, or a message crossed a limit: the connection was failed
 * with {@link #code()} (1002 protocol error, 1007 invalid UTF-8, 1009 message too big). It is the
 * data of the {@link WSMsgType#ERROR} message that {@code receive()} returns, and the
 * {@code exception()} of the WebSocket afterwards, on the client and on the server.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WebSocketError} (from {@code http_websocket}), with
 * {@code code}. <b>Differences:</b> unchecked; the message names the rule that was broken.
 *
 * @since 0.2
 */
public class WebSocketError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The close code sent to the peer. */
    private final int code;

    /**
     * Creates the error.
     *
     * @param code the close code sent to the peer
     * @param message the rule that was broken, and the value received
     * @param cause the codec's error, or {@code null}
     */
    public WebSocketError(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * Returns the close code sent to the peer: aiohttp's {@code code}.
     *
     * @return 1002, 1007, 1009...
     */
    public int code() {
        return code;
    }
}
