package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;

import java.nio.charset.StandardCharsets;

/**
 * A parsed status line (RFC 9112 section 4): {@code HTTP-version SP 3DIGIT SP [reason-phrase]};
 * the SP before an empty reason may be missing. Only HTTP/1.0 and HTTP/1.1; a status from 100 to
 * 999; no control characters but HTAB in the reason. The client-only start line: a request parser
 * has its own request-line parser and shares the rest of the head ({@link LineReader},
 * {@link FieldSection}, {@link MessageFraming}).
 *
 * @param versionMinor 0 or 1
 * @param status 100 to 999
 * @param reason the reason phrase, ISO-8859-1, possibly empty
 */
record StatusLine(int versionMinor, int status, String reason) {
    /**
     * Parses the line's bytes (without CRLF).
     *
     * @throws BadHttpMessage {@link Kind#BAD_STATUS_LINE} naming what is wrong
     */
    static StatusLine parse(byte[] b, int len) {
        int minor = len < 12 ? -1 : MessageFraming.versionMinor(b, 0);
        if (minor < 0) {
            String why = len >= 8 && b[0] == 'H' && b[4] == '/' ? "status line has an unsupported HTTP version (only HTTP/1.0 and HTTP/1.1)"
                    : "status line does not start with HTTP/1.0 or HTTP/1.1 followed by a status code";
            throw new BadHttpMessage(Kind.BAD_STATUS_LINE, why, -1, Escaping.quote(b, 0, len));
        }
        if (b[8] != ' ' || !isDigit(b[9]) || !isDigit(b[10]) || !isDigit(b[11]) || b[9] == '0'
                || (len > 12 && b[12] != ' ')) {
            throw new BadHttpMessage(Kind.BAD_STATUS_LINE, "status line needs one space and a three-digit status code from 100 after the version",
                    -1, Escaping.quote(b, 0, len));
        }
        for (int i = 13; i < len; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new BadHttpMessage(Kind.BAD_STATUS_LINE, "reason phrase has a control character at offset " + i, -1,
                        Escaping.quote(b, 0, len));
            }
        }
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        String reason = len > 13 ? new String(b, 13, len - 13, StandardCharsets.ISO_8859_1) : "";
        return new StatusLine(minor, status, reason);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
