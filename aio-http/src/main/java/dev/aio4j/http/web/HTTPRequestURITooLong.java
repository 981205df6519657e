package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 414 URI Too Long: the request target is longer than the server will interpret.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPRequestURITooLong}, status 414. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPRequestURITooLong extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code URI Too Long} and the text {@code 414: URI Too Long}. */
    public HTTPRequestURITooLong() {
        super(414);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code URI Too Long}
     * @param text the body, or {@code null} for {@code "414: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPRequestURITooLong(Headers headers, String reason, String text, String contentType) {
        super(414, headers, reason, text, contentType);
    }
}
