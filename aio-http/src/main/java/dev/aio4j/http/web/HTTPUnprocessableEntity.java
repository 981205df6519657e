package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 422 Unprocessable Content: the content is well-formed but its instructions cannot be processed.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUnprocessableEntity}, status 422. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPUnprocessableEntity extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Unprocessable Content} and the text {@code 422: Unprocessable Content}. */
    public HTTPUnprocessableEntity() {
        super(422);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Unprocessable Content}
     * @param text the body, or {@code null} for {@code "422: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPUnprocessableEntity(Headers headers, String reason, String text, String contentType) {
        super(422, headers, reason, text, contentType);
    }
}
