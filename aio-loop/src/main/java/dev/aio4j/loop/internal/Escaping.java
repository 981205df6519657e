package dev.aio4j.loop.internal;

/**
 * Renders bytes from the network (or any text) for error messages: printable ASCII as is, {@code \r \n \t \\ \"}
 * escaped, every other byte as {@code \xNN}, cut after {@link #MAX_SHOWN} bytes with a note of how
 * many were left out. Messages therefore stay one short line whatever the peer sent.
 */
public final class Escaping {
    /** At most this many bytes of offending input appear in a message. */
    public static final int MAX_SHOWN = 64;

    private Escaping() {}

    public static String quote(byte[] data, int offset, int length) {
        StringBuilder sb = new StringBuilder(Math.min(length, MAX_SHOWN) + 16).append('"');
        int shown = Math.min(length, MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            appendEscaped(sb, data[offset + i] & 0xFF);
        }
        sb.append('"');
        if (length > shown) {
            sb.append("... (").append(length - shown).append(" more bytes)");
        }
        return sb.toString();
    }

    public static String quote(byte[] data) {
        return quote(data, 0, data.length);
    }

    /** Quotes a string whose chars are treated as bytes (ISO-8859-1); others as {@code \}{@code uNNNN}. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder().append('"');
        int shown = Math.min(s.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                appendEscaped(sb, c);
            }
        }
        sb.append('"');
        if (s.length() > shown) {
            sb.append("... (").append(s.length() - shown).append(" more chars)");
        }
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, int b) {
        switch (b) {
            case '\r' -> sb.append("\\r");
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            case '"' -> sb.append("\\\"");
            default -> {
                if (b >= 0x20 && b < 0x7F) {
                    sb.append((char) b);
                } else {
                    sb.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
                }
            }
        }
    }
}
