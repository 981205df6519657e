package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Parses one header or trailer field line (RFC 9112 section 5): {@code token ":" OWS value OWS}.
 * Refuses obsolete line folding, whitespace before the colon, a name that is not a token, and
 * control characters other than HTAB in the value. Bytes 0x80-0xFF (obs-text) are kept, decoded
 * as ISO-8859-1 so that every byte maps to one char.
 */
final class FieldLines {
    private FieldLines() {}

    static void parse(byte[] line, int len, Headers into, String section) {
        if (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
            throw new BadHttpMessage(Kind.INVALID_HEADER, section + " line starts with whitespace (obsolete line folding is refused)",
                    -1, Escaping.quote(line, 0, len));
        }
        int colon = -1;
        for (int i = 0; i < len; i++) {
            byte b = line[i];
            if (b == ':') {
                colon = i;
                break;
            }
            if (!Checks.isTokenChar(b & 0xFF)) {
                String why = b == ' ' || b == '\t'
                        ? section + " name is followed by whitespace (none is allowed before the colon)"
                        : section + " name has a character that is not allowed in a token at offset " + i;
                throw new BadHttpMessage(Kind.INVALID_HEADER, why, -1, Escaping.quote(line, 0, len));
            }
        }
        if (colon < 0) {
            throw new BadHttpMessage(Kind.INVALID_HEADER, section + " line has no colon", -1, Escaping.quote(line, 0, len));
        }
        if (colon == 0) {
            throw new BadHttpMessage(Kind.INVALID_HEADER, section + " line has an empty name", -1, Escaping.quote(line, 0, len));
        }
        int start = colon + 1;
        int end = len;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int b = line[i] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw new BadHttpMessage(Kind.INVALID_HEADER, section + " value has a control character at offset " + i,
                        -1, Escaping.quote(line, 0, len));
            }
        }
        into.add(new String(line, 0, colon, StandardCharsets.ISO_8859_1),
                new String(line, start, end - start, StandardCharsets.ISO_8859_1));
    }
}
