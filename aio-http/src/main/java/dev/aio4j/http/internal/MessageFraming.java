package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

/**
 * The rules of HTTP/1.1 message framing that requests and responses share (RFC 9112 sections 2.3,
 * 6 and 9.3): the version, {@code Content-Length} (digits only, fits in a {@code long}, identical
 * repeats accepted), {@code Transfer-Encoding} (exactly {@code chunked}, nothing else), and
 * whether the connection persists. What a missing length means differs (a response runs until
 * close, a request has no body), so that decision stays with each parser.
 */
public final class MessageFraming {
    private MessageFraming() {}

    /**
     * Returns whether a {@code Connection} field of {@code h} lists {@code token} (case-insensitive;
     * several fields and comma-separated lists, RFC 9110 section 7.6.1). The one scan of
     * {@code Connection} tokens for the parsers, the server and the WebSocket handshakes.
     *
     * @param h the headers
     * @param token the connection option, e.g. {@code close}, {@code keep-alive}, {@code upgrade}
     * @return whether it is there
     */
    public static boolean connectionHas(Headers h, String token) {
        for (String v : h.getAll("Connection")) {
            for (String t : v.split(",")) {
                if (t.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns 0 or 1 if {@code b[off..off+8)} is {@code HTTP/1.0} or {@code HTTP/1.1}, otherwise -1
     * (the caller makes sure 8 bytes are there).
     *
     * @return the minor version, or -1
     */
    static int versionMinor(byte[] b, int off) {
        if (b[off] != 'H' || b[off + 1] != 'T' || b[off + 2] != 'T' || b[off + 3] != 'P' || b[off + 4] != '/'
                || b[off + 5] != '1' || b[off + 6] != '.' || (b[off + 7] != '0' && b[off + 7] != '1')) {
            return -1;
        }
        return b[off + 7] - '0';
    }

    /**
     * Returns whether the connection persists after this message (RFC 9112 section 9.3): HTTP/1.1
     * unless {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}.
     *
     * @return whether the connection persists after this message
     */
    static boolean keepAlive(int versionMinor, Headers h) {
        return !connectionHas(h, "close") && (versionMinor == 1 || connectionHas(h, "keep-alive"));
    }

    /**
     * Returns whether the message is chunked; {@code false} without Transfer-Encoding.
     *
     * @return whether the message is chunked
     * @throws BadHttpMessage if Transfer-Encoding is anything but exactly one {@code chunked}
     */
    static boolean transferEncodingIsChunked(Headers h) {
        var values = h.getAll("Transfer-Encoding");
        if (values.isEmpty()) {
            return false;
        }
        String all = String.join(", ", values);
        int codings = 0;
        for (String element : all.split(",", -1)) {
            String coding = element.strip();
            if (coding.isEmpty()) {
                continue;
            }
            codings++;
            if (!coding.equalsIgnoreCase("chunked")) {
                throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING,
                        "Transfer-Encoding other than chunked is not supported", -1, Escaping.quote(all));
            }
        }
        if (codings != 1) {
            throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING, codings == 0 ? "Transfer-Encoding is empty"
                    : "Transfer-Encoding applies chunked more than once", -1, Escaping.quote(all));
        }
        return true;
    }

    /**
     * Returns the Content-Length, or -1 if absent.
     *
     * @return the Content-Length, or -1 if absent
     */
    static long contentLength(Headers h) {
        long result = -1;
        for (String v : h.getAll("Content-Length")) {
            for (String element : v.split(",", -1)) {
                String digits = element.strip();
                long n = parseDigits(digits, v);
                if (result >= 0 && n != result) {
                    throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length has conflicting values " + result + " and " + n,
                            -1, Escaping.quote(String.join(", ", h.getAll("Content-Length"))));
                }
                result = n;
            }
        }
        return result;
    }

    private static long parseDigits(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 19) {
            throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, digits.isEmpty() ? "Content-Length has an empty value"
                    : "Content-Length does not fit in 63 bits", digits.isEmpty() ? -1 : Long.MAX_VALUE, Escaping.quote(whole));
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length is not a non-negative decimal number", -1,
                        Escaping.quote(whole));
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length does not fit in 63 bits", Long.MAX_VALUE,
                        Escaping.quote(whole));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
