package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 410 Gone: the resource is no longer there, and that is likely permanent.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPGone}, status 410. <b>Differences:</b> those of {@link
 * HTTPException}.
 *
 * @since 0.2
 */
public class HTTPGone extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Gone} and the text {@code 410: Gone}. */
    public HTTPGone() {
        super(410);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Gone}
     * @param text the body, or {@code null} for {@code "410: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPGone(Headers headers, String reason, String text, String contentType) {
        super(410, headers, reason, text, contentType);
    }
}
