package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 503 Service Unavailable: the server cannot handle the request now; a {@code Retry-After} header
 * may say when to retry.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPServiceUnavailable}, status 503. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPServiceUnavailable extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Service Unavailable} and the text {@code 503: Service Unavailable}. */
    public HTTPServiceUnavailable() {
        super(503);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Service Unavailable}
     * @param text the body, or {@code null} for {@code "503: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPServiceUnavailable(Headers headers, String reason, String text, String contentType) {
        super(503, headers, reason, text, contentType);
    }
}
