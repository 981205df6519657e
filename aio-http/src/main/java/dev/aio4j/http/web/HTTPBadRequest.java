package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 400 Bad Request: the request is malformed or invalid.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPBadRequest}, status 400. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPBadRequest extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Bad Request} and the text {@code 400: Bad Request}. */
    public HTTPBadRequest() {
        super(400);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Bad Request}
     * @param text the body, or {@code null} for {@code "400: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPBadRequest(Headers headers, String reason, String text, String contentType) {
        super(400, headers, reason, text, contentType);
    }
}
