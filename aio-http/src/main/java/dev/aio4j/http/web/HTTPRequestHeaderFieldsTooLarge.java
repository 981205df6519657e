package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 431 Request Header Fields Too Large: the request's header fields are too large.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPRequestHeaderFieldsTooLarge}, status 431.
 * <b>Differences:</b> those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPRequestHeaderFieldsTooLarge extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Request Header Fields Too Large} and the text {@code 431: Request Header Fields Too Large}. */
    public HTTPRequestHeaderFieldsTooLarge() {
        super(431);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Request Header Fields Too Large}
     * @param text the body, or {@code null} for {@code "431: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPRequestHeaderFieldsTooLarge(Headers headers, String reason, String text, String contentType) {
        super(431, headers, reason, text, contentType);
    }
}
