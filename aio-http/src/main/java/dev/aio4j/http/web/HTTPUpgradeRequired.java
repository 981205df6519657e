package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 426 Upgrade Required: the client must switch to another protocol; send an {@code Upgrade} header
 * with it.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUpgradeRequired}, status 426. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPUpgradeRequired extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Upgrade Required} and the text {@code 426: Upgrade Required}. */
    public HTTPUpgradeRequired() {
        super(426);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Upgrade Required}
     * @param text the body, or {@code null} for {@code "426: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPUpgradeRequired(Headers headers, String reason, String text, String contentType) {
        super(426, headers, reason, text, contentType);
    }
}
