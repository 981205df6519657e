package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 401 Unauthorized: the request lacks valid credentials; send a {@code WWW-Authenticate} header
 * with it.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUnauthorized}, status 401. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPUnauthorized extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Unauthorized} and the text {@code 401: Unauthorized}. */
    public HTTPUnauthorized() {
        super(401);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Unauthorized}
     * @param text the body, or {@code null} for {@code "401: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPUnauthorized(Headers headers, String reason, String text, String contentType) {
        super(401, headers, reason, text, contentType);
    }
}
