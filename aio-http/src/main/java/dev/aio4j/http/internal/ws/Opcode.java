package dev.aio4j.http.internal.ws;

/**
 * The opcodes RFC 6455 section 5.2 defines; every other value (3-7 and 11-15) is reserved and
 * refused by the parser.
 */
public enum Opcode {
    CONTINUATION(0x0), TEXT(0x1), BINARY(0x2), CLOSE(0x8), PING(0x9), PONG(0xA);

    /** The largest payload of a control frame (RFC 6455 section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /**
     * Returns the 4-bit value on the wire.
     *
     * @return the 4-bit value on the wire
     */
    public int code() {
        return code;
    }

    /**
     * Returns whether this is a control opcode (close, ping, pong: the high bit of the opcode is set).
     *
     * @return whether this is a control opcode
     */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /**
     * Returns the opcode for a 4-bit value, or {@code null} if the value is reserved.
     *
     * @param code the 4-bit value from the wire
     * @return the opcode, or {@code null} if reserved
     */
    public static Opcode of(int code) {
        return switch (code) {
            case 0x0 -> CONTINUATION;
            case 0x1 -> TEXT;
            case 0x2 -> BINARY;
            case 0x8 -> CLOSE;
            case 0x9 -> PING;
            case 0xA -> PONG;
            default -> null;
        };
    }
}
