package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 404 Not Found: there is no resource at the target URI.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNotFound}, status 404. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNotFound extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Not Found} and the text {@code 404: Not Found}. */
    public HTTPNotFound() {
        super(404);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Not Found}
     * @param text the body, or {@code null} for {@code "404: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNotFound(Headers headers, String reason, String text, String contentType) {
        super(404, headers, reason, text, contentType);
    }
}
