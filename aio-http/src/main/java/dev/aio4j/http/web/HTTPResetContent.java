package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 205 Reset Content: success; the client should reset the document that sent the request.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPResetContent}, status 205. <b>Differences:</b> a text
 * or content type is refused (aiohttp 4 deprecates them);
 * otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPResetContent extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Reset Content} and no body. */
    public HTTPResetContent() {
        super(205);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     * Status 205 has no body, so {@code text} and {@code contentType} must be {@code null}.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Reset Content}
     * @param text must be {@code null}
     * @param contentType must be {@code null}
     * @throws IllegalArgumentException if the reason is invalid, or a text or content type is given
     */
    public HTTPResetContent(Headers headers, String reason, String text, String contentType) {
        super(205, headers, reason, text, contentType);
    }
}
