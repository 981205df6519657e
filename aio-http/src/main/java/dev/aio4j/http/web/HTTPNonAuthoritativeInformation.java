package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 203 Non-Authoritative Information: success, with content changed by a transforming proxy.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNonAuthoritativeInformation}, status 203.
 * <b>Differences:</b> those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNonAuthoritativeInformation extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Non-Authoritative Information} and the text {@code 203: Non-Authoritative Information}. */
    public HTTPNonAuthoritativeInformation() {
        super(203);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Non-Authoritative Information}
     * @param text the body, or {@code null} for {@code "203: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNonAuthoritativeInformation(Headers headers, String reason, String text, String contentType) {
        super(203, headers, reason, text, contentType);
    }
}
