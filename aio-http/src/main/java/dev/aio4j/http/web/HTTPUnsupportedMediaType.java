package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 415 Unsupported Media Type: the content is in a format the resource does not support.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUnsupportedMediaType}, status 415. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPUnsupportedMediaType extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Unsupported Media Type} and the text {@code 415: Unsupported Media Type}. */
    public HTTPUnsupportedMediaType() {
        super(415);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Unsupported Media Type}
     * @param text the body, or {@code null} for {@code "415: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPUnsupportedMediaType(Headers headers, String reason, String text, String contentType) {
        super(415, headers, reason, text, contentType);
    }
}
