package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 206 Partial Content: success, with the requested ranges of the content.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPPartialContent}, status 206. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPPartialContent extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Partial Content} and the text {@code 206: Partial Content}. */
    public HTTPPartialContent() {
        super(206);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Partial Content}
     * @param text the body, or {@code null} for {@code "206: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPPartialContent(Headers headers, String reason, String text, String contentType) {
        super(206, headers, reason, text, contentType);
    }
}
