package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 408 Request Timeout: the server gave up waiting for the complete request.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPRequestTimeout}, status 408. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPRequestTimeout extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Request Timeout} and the text {@code 408: Request Timeout}. */
    public HTTPRequestTimeout() {
        super(408);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Request Timeout}
     * @param text the body, or {@code null} for {@code "408: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPRequestTimeout(Headers headers, String reason, String text, String contentType) {
        super(408, headers, reason, text, contentType);
    }
}
