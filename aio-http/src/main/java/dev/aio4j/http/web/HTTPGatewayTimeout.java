package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 504 Gateway Timeout: an upstream server did not answer in time.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPGatewayTimeout}, status 504. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPGatewayTimeout extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Gateway Timeout} and the text {@code 504: Gateway Timeout}. */
    public HTTPGatewayTimeout() {
        super(504);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Gateway Timeout}
     * @param text the body, or {@code null} for {@code "504: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPGatewayTimeout(Headers headers, String reason, String text, String contentType) {
        super(504, headers, reason, text, contentType);
    }
}
