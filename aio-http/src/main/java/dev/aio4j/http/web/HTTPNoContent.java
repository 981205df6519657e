package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 204 No Content: success, and there is no content to send.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNoContent}, status 204. <b>Differences:</b> a text or
 * content type is refused (aiohttp 4 deprecates them);
 * otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNoContent extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code No Content} and no body. */
    public HTTPNoContent() {
        super(204);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     * Status 204 has no body, so {@code text} and {@code contentType} must be {@code null}.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code No Content}
     * @param text must be {@code null}
     * @param contentType must be {@code null}
     * @throws IllegalArgumentException if the reason is invalid, or a text or content type is given
     */
    public HTTPNoContent(Headers headers, String reason, String text, String contentType) {
        super(204, headers, reason, text, contentType);
    }
}
