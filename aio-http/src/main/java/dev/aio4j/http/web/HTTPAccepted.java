package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 202 Accepted: the request was accepted for processing, which has not finished.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPAccepted}, status 202. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPAccepted extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Accepted} and the text {@code 202: Accepted}. */
    public HTTPAccepted() {
        super(202);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Accepted}
     * @param text the body, or {@code null} for {@code "202: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPAccepted(Headers headers, String reason, String text, String contentType) {
        super(202, headers, reason, text, contentType);
    }
}
