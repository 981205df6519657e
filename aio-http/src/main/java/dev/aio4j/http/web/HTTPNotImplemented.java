package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 501 Not Implemented: the server does not support what the request needs.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNotImplemented}, status 501. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNotImplemented extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Not Implemented} and the text {@code 501: Not Implemented}. */
    public HTTPNotImplemented() {
        super(501);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Not Implemented}
     * @param text the body, or {@code null} for {@code "501: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNotImplemented(Headers headers, String reason, String text, String contentType) {
        super(501, headers, reason, text, contentType);
    }
}
