package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes an HTTP/1.1 head: the start line, the fields in order, the framing field that the body
 * decides ({@link BodyFraming}), and the empty line, as ISO-8859-1 bytes. Shared: the client's
 * {@link RequestSerializer} writes request heads with it, and {@link #response} writes response
 * heads (for the server). The caller's fields must not hold {@code Content-Length} or
 * {@code Transfer-Encoding}: the framing owns them, so a head can never announce two framings.
 *
 * <p>No field reaches the wire unchecked: a name must be a token and a value may hold only HTAB,
 * spaces and visible ISO-8859-1 characters ({@link #badFieldChar}, the one rule). Modifiable
 * {@link Headers} check every field as it is added or copied, so their fields are written as
 * they are; read-only ones (a received multipart part's head, decoded as UTF-8, or a copy of it)
 * may hold more, and are checked field by field here ({@link #appendField}), as are the fields
 * of the other heads (CONNECT, trailers). The head is built whole before a byte is written, so a
 * refused field leaves nothing sent (aiohttp's {@code _safe_header} in its http writer, the JDK
 * {@code HttpClient}'s header checks).
 */
public final class HeadSerializer {
    private static final List<String> FRAMING_FIELDS = List.of("Content-Length", "Transfer-Encoding");

    private HeadSerializer() {}

    /**
     * Serializes a response head: {@code HTTP/1.1 status reason}, the fields, and the framing
     * field. A body of {@link BodyFraming.None} is announced as {@code Content-Length: 0}, except
     * for 1xx, 204 and 304 responses, which must not carry one (RFC 9110 sections 8.6, 15.3.5,
     * 15.4.5).
     *
     * @param status 100 to 999
     * @param reason the reason phrase, possibly empty; no CR, LF or other control character but HTAB
     * @throws IllegalArgumentException if the status or reason is invalid, or the fields hold a
     *         framing field
     */
    public static byte[] response(int status, String reason, Headers headers, BodyFraming framing) {
        checkStatusLine(status, reason);
        StringBuilder sb = new StringBuilder(128);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        boolean mustNotHaveLength = status < 200 || status == 204 || status == 304;
        return finish(sb, headers, framing, !mustNotHaveLength);
    }

    private static void checkStatusLine(int status, String reason) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a three-digit code from 100, got " + status);
        }
        Checks.notNull(reason, "reason");
        if (badFieldChar(reason) != -1) {
            throw new IllegalArgumentException("reason must hold no control character (HTAB allowed) and only ISO-8859-1, got "
                    + Escaping.quote(reason));
        }
    }

    /**
     * Serializes a server's response head whose fields may already hold {@code Content-Length}
     * or {@code Transfer-Encoding} (aiohttp keeps them in {@code response.headers}): those are
     * skipped and the framing writes its own, so the two can never disagree on the wire.
     * {@link BodyFraming.UntilClose} writes no framing field (an HTTP/1.0 body that ends when
     * the connection closes).
     *
     * @throws IllegalArgumentException as {@link #response}
     */
    public static byte[] serverResponse(int status, String reason, Headers headers, BodyFraming framing) {
        checkStatusLine(status, reason);
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        boolean checked = !headers.isReadOnly(); // see the class comment
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("Content-Length") && !n.equalsIgnoreCase("Transfer-Encoding")) {
                if (checked) {
                    sb.append(n).append(": ").append(v).append("\r\n");
                } else {
                    appendField(sb, n, v, "response");
                }
            }
        });
        switch (framing) {
            case BodyFraming.None none -> {
                if (status >= 200 && status != 204 && status != 304) {
                    sb.append("Content-Length: 0\r\n");
                }
            }
            case BodyFraming.Length l -> {
                if (status >= 200 && status != 204) {
                    sb.append("Content-Length: ").append(l.length()).append("\r\n");
                }
            }
            case BodyFraming.Chunked c -> sb.append("Transfer-Encoding: chunked\r\n");
            case BodyFraming.UntilClose u -> { }
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Appends {@code name: value CRLF} to a head being built, after checking both: the one check
     * every head (request, response, {@code CONNECT}, trailers) makes before it is written.
     *
     * @param what the kind of head, for the message: {@code request}, {@code response}, ...; null:
     *     read from the start line in {@code sb} when a message is needed (no work per head)
     * @throws IllegalArgumentException naming the field, if the name is not an RFC 9110 token or
     *         the value holds CR, LF, NUL, another control character but HTAB, or a character
     *         beyond ISO-8859-1
     */
    public static void appendField(StringBuilder sb, String name, String value, String what) {
        int bad = value == null ? -2 : badFieldChar(value);
        if (bad != -1 || name == null || !Checks.isToken(name)) {
            refuseField(name, value, bad, what != null ? what : headKind(sb));
        }
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    /**
     * The index of the first character a field value (or a reason phrase) may not hold: all but
     * HTAB, spaces and visible ISO-8859-1 (RFC 9110 section 5.5, obs-text included), or -1. The one
     * rule of {@link Headers} and of every head written here.
     *
     * @param value the value
     * @return the index of the first refused character, or -1
     */
    public static int badFieldChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                return i;
            }
        }
        return -1;
    }

    /** "response" for a head whose start line is a status line, "request" otherwise: only for a message. */
    private static String headKind(StringBuilder sb) {
        return sb.length() >= 5 && sb.charAt(0) == 'H' && sb.charAt(1) == 'T' && sb.charAt(2) == 'T' && sb.charAt(3) == 'P'
                && sb.charAt(4) == '/' ? "response" : "request";
    }

    /** Throws the IllegalArgumentException that names what is wrong with the field ({@code bad}: -2 null value). */
    private static void refuseField(String name, String value, int bad, String what) {
        if (name == null || !Checks.isToken(name)) {
            throw new IllegalArgumentException("cannot send the " + what + " head: header name " + Escaping.quote(String.valueOf(name))
                    + " is not an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~); nothing was sent");
        }
        if (bad == -2) {
            throw new IllegalArgumentException("cannot send the " + what + " head: header " + name + " has a null value; nothing was sent");
        }
        throw new IllegalArgumentException("cannot send the " + what + " head: the value of header " + name
                + " holds " + String.format("U+%04X", (int) value.charAt(bad)) + " at index " + bad
                + " (HTTP/1.1 carries only HTAB, spaces and visible ISO-8859-1 characters: no CR, LF, NUL or other"
                + " controls), got " + Escaping.quote(value) + "; nothing was sent");
    }

    /**
     * Appends the fields, the framing field and the empty line to a start line in {@code sb}.
     *
     * @param zeroLengthForNone whether {@link BodyFraming.None} is announced as {@code Content-Length: 0}
     */
    static byte[] finish(StringBuilder sb, Headers headers, BodyFraming framing, boolean zeroLengthForNone) {
        Checks.notNull(framing, "framing");
        for (String owned : FRAMING_FIELDS) {
            if (headers.contains(owned)) {
                throw new IllegalArgumentException("headers must not contain " + owned
                        + ": the body decides the framing (bytes: Content-Length, a stream of chunks: chunked), got " + headers);
            }
        }
        if (headers.isReadOnly()) { // see the class comment
            headers.forEach((n, v) -> appendField(sb, n, v, null));
        } else {
            headers.forEach((n, v) -> sb.append(n).append(": ").append(v).append("\r\n"));
        }
        switch (framing) {
            case BodyFraming.None none -> {
                if (zeroLengthForNone) {
                    sb.append("Content-Length: 0\r\n");
                }
            }
            case BodyFraming.Length l -> sb.append("Content-Length: ").append(l.length()).append("\r\n");
            case BodyFraming.Chunked c -> sb.append("Transfer-Encoding: chunked\r\n");
            case BodyFraming.UntilClose u -> throw new IllegalArgumentException("a body that ends at the connection's close is for server responses only: use serverResponse");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
