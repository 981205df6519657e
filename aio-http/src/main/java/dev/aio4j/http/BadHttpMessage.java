package dev.aio4j.http;

/**
 * The server's bytes break HTTP/1.1 or one of the parser's limits: the strict response parser's
 * only error type, also used by the body decoders.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.http_exceptions.BadHttpMessage} and its subclasses
 * {@code BadStatusLine}, {@code LineTooLong}, {@code InvalidHeader},
 * {@code TransferEncodingError}, {@code ContentLengthError} and {@code ContentEncodingError}.
 * <b>Differences:</b> one class; {@link #kind()} says which of those it is. The message names what
 * was wrong, the limit when one was exceeded ({@link #limit()}), and the offending bytes escaped
 * and cut to 64 ({@link #offending()}). The session reports it as the cause of a
 * {@link ClientResponseError} (a bad head) or a {@link ClientPayloadError} (a bad body).
 *
 * @since 0.1
 */
public final class BadHttpMessage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Which rule the message broke.
     *
     * @since 0.1
     */
    public enum Kind {
        /** The status line is malformed (aiohttp's {@code BadStatusLine}). */
        BAD_STATUS_LINE,
        /** A line is longer than its limit (aiohttp's {@code LineTooLong}). */
        LINE_TOO_LONG,
        /** The header or trailer section is larger, or has more fields, than allowed. */
        HEADERS_TOO_LARGE,
        /** A header or trailer field line is malformed (aiohttp's {@code InvalidHeader}). */
        INVALID_HEADER,
        /** A line ended with a bare LF or contained a bare CR. */
        BAD_LINE_ENDING,
        /** Content-Length is malformed or conflicting (aiohttp's {@code InvalidHeader}). */
        BAD_CONTENT_LENGTH,
        /** Transfer-Encoding is unsupported or conflicts with the framing. */
        BAD_TRANSFER_ENCODING,
        /** The chunked framing is broken (aiohttp's {@code TransferEncodingError}). */
        BAD_CHUNK,
        /** The connection closed before the message was complete (aiohttp's {@code ContentLengthError} for bodies). */
        INCOMPLETE,
        /** The body's gzip or deflate data is corrupt or too large (aiohttp's {@code ContentEncodingError}). */
        BAD_CONTENT_ENCODING,
        /** More interim (1xx) responses came than allowed before the final one (8). */
        TOO_MANY_INTERIM_RESPONSES
    }

    /** Which rule the message broke. */
    private final Kind kind;
    /** The limit that was exceeded, or -1 if the error is not about a limit. */
    private final long limit;
    /** The offending bytes, escaped and cut to 64 bytes, or {@code null} if there are none to show. */
    private final String offending;

    /**
     * Creates the error.
     *
     * @param kind which rule was broken
     * @param what what was wrong, in words
     * @param limit the limit that was exceeded, or -1 if none
     * @param offending the offending bytes, already escaped and cut (see {@code Escaping}), or {@code null}
     */
    public BadHttpMessage(Kind kind, String what, long limit, String offending) {
        super(what + (limit >= 0 ? " (limit " + limit + ")" : "") + (offending != null ? ": " + offending : ""));
        this.kind = kind;
        this.limit = limit;
        this.offending = offending;
    }

    /**
     * Creates the error for a decoder failure with an underlying cause.
     *
     * @param kind which rule was broken
     * @param what what was wrong
     * @param cause e.g. a {@link java.util.zip.DataFormatException}
     */
    public BadHttpMessage(Kind kind, String what, Throwable cause) {
        super(what, cause);
        this.kind = kind;
        this.limit = -1;
        this.offending = null;
    }

    /**
     * Returns which rule the message broke.
     *
     * @return which rule the message broke
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the limit that was exceeded, or -1 if the error is not about a limit.
     *
     * @return the limit that was exceeded, or -1 if the error is not about a limit
     */
    public long limit() {
        return limit;
    }

    /**
     * Returns the offending bytes, escaped and cut to 64 bytes, or {@code null}.
     *
     * @return the offending bytes, escaped and cut to 64 bytes, or {@code null}
     */
    public String offending() {
        return offending;
    }
}
