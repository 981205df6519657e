package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 304 Not Modified: the client's cached copy is still valid.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNotModified}, status 304. <b>Differences:</b> a text or
 * content type is refused (aiohttp 4 deprecates them);
 * otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNotModified extends HTTPRedirection {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Not Modified} and no body. */
    public HTTPNotModified() {
        super(304);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     * Status 304 has no body, so {@code text} and {@code contentType} must be {@code null}.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Not Modified}
     * @param text must be {@code null}
     * @param contentType must be {@code null}
     * @throws IllegalArgumentException if the reason is invalid, or a text or content type is given
     */
    public HTTPNotModified(Headers headers, String reason, String text, String contentType) {
        super(304, headers, reason, text, contentType);
    }
}
