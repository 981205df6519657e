package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 500 Internal Server Error: the server met an unexpected condition.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPInternalServerError}, status 500. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPInternalServerError extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Internal Server Error} and the text {@code 500: Internal Server Error}. */
    public HTTPInternalServerError() {
        super(500);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Internal Server Error}
     * @param text the body, or {@code null} for {@code "500: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPInternalServerError(Headers headers, String reason, String text, String contentType) {
        super(500, headers, reason, text, contentType);
    }
}
