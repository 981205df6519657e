package dev.aio4j.http;

/**
 * One thing {@code receive()} returns from a WebSocket: a message, a control frame, or the
 * state of the connection, told apart by {@link #type()}.
 *
 * <pre>{@code
 * WSMessage msg = ws.receive();
 * switch (msg.type()) {
 *     case TEXT -> ws.sendStr("echo: " + msg.str());
 *     case BINARY -> ws.sendBytes(msg.bytes());
 *     case CLOSE, CLOSING, CLOSED -> { return; }
 *     case ERROR -> System.err.println("failed: " + msg.data());
 *     default -> { }
 * }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WSMessage(type, data, extra)}. <b>Differences:</b> a record;
 * {@link #str()} and {@link #bytes()} give the data typed; {@code json()} is
 * {@code receiveJson()} on the WebSocket (it needs the session's or application's
 * {@link JsonCodec}).
 *
 * @param type what this is
 * @param data the {@link String} of a TEXT message, the {@code byte[]} of a BINARY message or of
 *     a PING or PONG, the close code ({@link Integer}) of a CLOSE, the {@link Throwable} of an
 *     ERROR; {@code null} for CLOSING and CLOSED
 * @param extra the close reason of a CLOSE, else {@code null}
 * @since 0.2
 */
public record WSMessage(WSMsgType type, Object data, String extra) {
    /** The message {@code receive()} returns once the connection is closed. */
    public static final WSMessage CLOSED = new WSMessage(WSMsgType.CLOSED, null, null);

    /** The message {@code receive()} returns while the connection is closing. */
    public static final WSMessage CLOSING = new WSMessage(WSMsgType.CLOSING, null, null);

    /**
     * Makes a message.
     *
     * @param type what this is
     * @param data as the record's description says
     * @param extra the close reason of a CLOSE, else {@code null}
     * @throws IllegalArgumentException if {@code type} is null
     */
    public WSMessage {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
    }

    /**
     * Returns the text of a TEXT message.
     *
     * @return the text
     * @throws IllegalStateException if this is not a TEXT message
     */
    public String str() {
        if (type != WSMsgType.TEXT) {
            throw new IllegalStateException("Received message " + this + " is not WSMsgType.TEXT");
        }
        return (String) data;
    }

    /**
     * Returns the bytes of a BINARY message (or of a PING or PONG).
     *
     * @return the bytes
     * @throws IllegalStateException if this is not a BINARY, PING or PONG message
     */
    public byte[] bytes() {
        if (!(data instanceof byte[] b)) {
            throw new IllegalStateException("Received message " + this + " is not WSMsgType.BINARY");
        }
        return b;
    }

    /**
     * Returns e.g. {@code WSMessage[TEXT, "hello"]} or {@code WSMessage[BINARY, 12 bytes]}.
     *
     * @return the type and a short form of the data
     */
    @Override
    public String toString() {
        String d = switch (data) {
            case null -> "";
            case String s -> ", \"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
            case byte[] b -> ", " + b.length + " bytes";
            default -> ", " + data;
        };
        return "WSMessage[" + type + d + (extra == null ? "" : ", " + extra) + "]";
    }

}
