package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 510 Not Extended: the request lacks a required extension (RFC 2774, obsoleted).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNotExtended}, status 510. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNotExtended extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Not Extended} and the text {@code 510: Not Extended}. */
    public HTTPNotExtended() {
        super(510);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Not Extended}
     * @param text the body, or {@code null} for {@code "510: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNotExtended(Headers headers, String reason, String text, String contentType) {
        super(510, headers, reason, text, contentType);
    }
}
