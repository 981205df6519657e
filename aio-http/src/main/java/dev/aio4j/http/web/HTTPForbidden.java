package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 403 Forbidden: the server refuses to fulfil the request.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPForbidden}, status 403. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPForbidden extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Forbidden} and the text {@code 403: Forbidden}. */
    public HTTPForbidden() {
        super(403);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Forbidden}
     * @param text the body, or {@code null} for {@code "403: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPForbidden(Headers headers, String reason, String text, String contentType) {
        super(403, headers, reason, text, contentType);
    }
}
