package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Escaping;

import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 section 5.5.1): nothing, or a 2-byte status code followed by
 * a UTF-8 reason; parsed and validated with {@link #parse}, built with {@link #payload}.
 *
 * <p>Which codes may be sent (section 7.4 and the IANA "WebSocket Close Code Number Registry"):
 * 1000-1003 and 1007-1014 as registered, and 3000-4999 (libraries, frameworks, applications).
 * Refused: below 1000, 1004 (reserved), 1005, 1006 and 1015 (never sent: they stand for "no code",
 * "closed abnormally" and "TLS failure"), the unassigned 1016-2999, and 5000 and above.
 *
 * @param code the status code, or {@link #NO_STATUS} (1005) for an empty close payload
 * @param reason the reason, empty if none
 */
public record CloseStatus(int code, String reason) {
    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the endpoint is going away (server shutdown, page left). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a message of a type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: the close frame had no status code; never sent on the wire. */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection closed without a close frame; never sent on the wire. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a text message (or close reason) that is not valid UTF-8. */
    public static final int INVALID_DATA = 1007;
    /** 1008: a message violates the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message too big to process (aiohttp's {@code max_msg_size}). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client needed an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: an unexpected condition on the server. */
    public static final int INTERNAL_ERROR = 1011;

    /** The largest reason that fits in a control frame with its code: 125 - 2 bytes of UTF-8. */
    public static final int MAX_REASON_BYTES = Opcode.MAX_CONTROL_PAYLOAD - 2;

    public CloseStatus {
        if (reason == null) {
            reason = "";
        }
    }

    /**
     * Returns whether {@code code} may appear in a close frame.
     *
     * @param code a status code
     * @return whether {@code code} may appear in a close frame (1000-1003, 1007-1014, 3000-4999)
     */
    public static boolean isValidCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /**
     * Parses and validates a received close payload.
     *
     * @param payload the close frame's payload, unmasked
     * @param offset where it starts
     * @param length its length, 0 to 125
     * @return the status; {@link #NO_STATUS} with an empty reason for an empty payload
     * @throws WebSocketProtocolError 1002 for a 1-byte payload or a code that may not be sent, 1007
     *         for a reason that is not valid UTF-8
     */
    public static CloseStatus parse(byte[] payload, int offset, int length) {
        if (length == 0) {
            return new CloseStatus(NO_STATUS, "");
        }
        if (length == 1) {
            throw WebSocketProtocolError.protocol("close frame with a 1-byte payload; it must be empty or hold a"
                    + " 2-byte status code (RFC 6455 section 5.5.1): " + Escaping.quote(payload, offset, 1));
        }
        int code = ((payload[offset] & 0xFF) << 8) | (payload[offset + 1] & 0xFF);
        if (!isValidCode(code)) {
            throw WebSocketProtocolError.protocol("close frame with status code " + code
                    + ", which may not be sent (RFC 6455 section 7.4; valid: 1000-1003, 1007-1014, 3000-4999)");
        }
        if (!Utf8Validator.isValid(payload, offset + 2, length - 2)) {
            throw new WebSocketProtocolError(INVALID_DATA, "close frame with a reason that is not valid UTF-8 (RFC 6455 section 5.5.1): "
                    + Escaping.quote(payload, offset + 2, length - 2));
        }
        return new CloseStatus(code, new String(payload, offset + 2, length - 2, StandardCharsets.UTF_8));
    }

    /**
     * Builds the payload of a close frame to send.
     *
     * @param code the status code; {@link #NO_STATUS} gives an empty payload (then the reason must be empty)
     * @param reason the reason, at most {@link #MAX_REASON_BYTES} bytes of UTF-8; {@code null} for none
     * @return the payload, at most 125 bytes
     * @throws IllegalArgumentException if the code may not be sent, or the reason is too long or has
     *         unpaired surrogates
     */
    public static byte[] payload(int code, String reason) {
        String r = reason == null ? "" : reason;
        if (code == NO_STATUS) {
            if (!r.isEmpty()) {
                throw new IllegalArgumentException("close reason needs a status code, got code 1005 (no status) with reason "
                        + Escaping.quote(r));
            }
            return new byte[0];
        }
        if (!isValidCode(code)) {
            throw new IllegalArgumentException("close code must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 section 7.4), got " + code);
        }
        byte[] text = encodeStrict(r);
        if (text.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason must be at most " + MAX_REASON_BYTES
                    + " bytes of UTF-8, got " + text.length + ": " + Escaping.quote(r));
        }
        byte[] out = new byte[2 + text.length];
        out[0] = (byte) (code >> 8);
        out[1] = (byte) code;
        System.arraycopy(text, 0, out, 2, text.length);
        return out;
    }

    /** UTF-8 that refuses unpaired surrogates, which {@code String.getBytes} would silently replace with '?'. */
    static byte[] encodeStrict(String s) {
        int n = s.length();
        boolean surrogates = false;
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                surrogates = true;
                break;
            }
        }
        if (!surrogates) {
            return s.getBytes(StandardCharsets.UTF_8); // exact without surrogates, and the JDK's fast path
        }
        try {
            var buf = StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("text must be valid UTF-16 (no unpaired surrogates), got " + Escaping.quote(s), e);
        }
    }

    /**
     * Returns the payload of this status, as {@link #payload(int, String)} builds it.
     *
     * @return the payload of this status
     */
    public byte[] payload() {
        return payload(code, reason);
    }
}
