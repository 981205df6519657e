package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 409 Conflict: the request conflicts with the current state of the resource.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPConflict}, status 409. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPConflict extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Conflict} and the text {@code 409: Conflict}. */
    public HTTPConflict() {
        super(409);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Conflict}
     * @param text the body, or {@code null} for {@code "409: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPConflict(Headers headers, String reason, String text, String contentType) {
        super(409, headers, reason, text, contentType);
    }
}
