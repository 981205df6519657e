package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 429 Too Many Requests: the client sent too many requests; a {@code Retry-After} header may say
 * when to retry.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPTooManyRequests}, status 429. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPTooManyRequests extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Too Many Requests} and the text {@code 429: Too Many Requests}. */
    public HTTPTooManyRequests() {
        super(429);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Too Many Requests}
     * @param text the body, or {@code null} for {@code "429: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPTooManyRequests(Headers headers, String reason, String text, String contentType) {
        super(429, headers, reason, text, contentType);
    }
}
