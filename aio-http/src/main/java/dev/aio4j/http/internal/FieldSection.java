package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

/**
 * One header or trailer section as it is read, line by line: each field line is counted against
 * the section's bounds ({@link ParserLimits#maxHeaderBytes()} bytes, every line with its CRLF;
 * {@link ParserLimits#maxHeaders()} fields) and parsed by {@link FieldLines}. Not tied to
 * responses: the response parser reads its header section with one, the chunked decoder its
 * trailer section, and a request parser (the server's) reads its header section the same way.
 */
final class FieldSection {
    private final ParserLimits limits;
    private final String section;
    private final String field;
    private Headers fields = new Headers();
    private int bytes;

    /**
     * @param what {@code "header"} or {@code "trailer"}: messages say "header section ...",
     *        "trailer field ..."
     */
    FieldSection(ParserLimits limits, String what) {
        this.limits = Checks.notNull(limits, "limits");
        this.section = what + " section";
        this.field = what + " field";
    }

    /** Starts a new, empty section (the next message, or the final head after a 1xx). */
    void reset() {
        fields = new Headers();
        bytes = 0;
    }

    /**
     * Adds one field line (without its CRLF).
     *
     * @throws BadHttpMessage {@link Kind#HEADERS_TOO_LARGE} past a bound (the message names it),
     *         or {@link Kind#INVALID_HEADER} if the line is malformed
     */
    void addLine(byte[] line, int len) {
        bytes += len + 2;
        if (bytes > limits.maxHeaderBytes()) {
            throw new BadHttpMessage(Kind.HEADERS_TOO_LARGE, section + " is larger than " + limits.maxHeaderBytes() + " bytes",
                    limits.maxHeaderBytes(), Escaping.quote(line, 0, len));
        }
        if (fields.size() >= limits.maxHeaders()) {
            throw new BadHttpMessage(Kind.HEADERS_TOO_LARGE, section + " has more than " + limits.maxHeaders() + " fields",
                    limits.maxHeaders(), Escaping.quote(line, 0, len));
        }
        FieldLines.parse(line, len, fields, field);
    }

    /**
     * Returns the fields read so far (the live, mutable collection).
     *
     * @return the fields read so far
     */
    Headers fields() {
        return fields;
    }
}
