package dev.aio4j.http;

/**
 * The kind of a {@link WSMessage}: a data message, a control frame, or a state of the
 * connection that {@code receive()} reports.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WSMsgType}. <b>Differences:</b> an enum whose
 * {@link #value()} is aiohttp's integer (the opcode for the frame kinds); {@code CONTINUATION}
 * is left out, since fragments are joined before a message is delivered.
 *
 * @since 0.2
 */
public enum WSMsgType {
    /** A text message; {@link WSMessage#data()} is a {@link String}. */
    TEXT(0x1),
    /** A binary message; {@link WSMessage#data()} is a {@code byte[]}. */
    BINARY(0x2),
    /** A ping (delivered only with autoping off); data is the payload, a {@code byte[]}. */
    PING(0x9),
    /** A pong (delivered only with autoping off); data is the payload, a {@code byte[]}. */
    PONG(0xA),
    /** The peer's close frame; data is the close code (an {@link Integer}), extra the reason. */
    CLOSE(0x8),
    /** The peer's close frame arrived earlier (or this end is closing): call {@code close()}. */
    CLOSING(0x100),
    /** The connection is closed: nothing more will arrive. */
    CLOSED(0x101),
    /** The connection failed; data is the exception (a protocol error, a timeout). */
    ERROR(0x102);

    private final int value;

    WSMsgType(int value) {
        this.value = value;
    }

    /**
     * Returns aiohttp's integer for this type: the opcode for TEXT, BINARY, PING, PONG and CLOSE.
     *
     * @return the value
     */
    public int value() {
        return value;
    }
}
