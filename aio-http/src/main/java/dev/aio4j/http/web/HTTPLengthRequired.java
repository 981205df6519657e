package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 411 Length Required: the request must have a {@code Content-Length}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPLengthRequired}, status 411. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPLengthRequired extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Length Required} and the text {@code 411: Length Required}. */
    public HTTPLengthRequired() {
        super(411);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Length Required}
     * @param text the body, or {@code null} for {@code "411: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPLengthRequired(Headers headers, String reason, String text, String contentType) {
        super(411, headers, reason, text, contentType);
    }
}
