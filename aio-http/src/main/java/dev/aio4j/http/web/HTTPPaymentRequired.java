package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 402 Payment Required: reserved for future use.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPPaymentRequired}, status 402. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPPaymentRequired extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Payment Required} and the text {@code 402: Payment Required}. */
    public HTTPPaymentRequired() {
        super(402);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Payment Required}
     * @param text the body, or {@code null} for {@code "402: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPPaymentRequired(Headers headers, String reason, String text, String contentType) {
        super(402, headers, reason, text, contentType);
    }
}
