package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 506 Variant Also Negotiates: the server's content negotiation is misconfigured.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPVariantAlsoNegotiates}, status 506. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPVariantAlsoNegotiates extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Variant Also Negotiates} and the text {@code 506: Variant Also Negotiates}. */
    public HTTPVariantAlsoNegotiates() {
        super(506);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Variant Also Negotiates}
     * @param text the body, or {@code null} for {@code "506: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPVariantAlsoNegotiates(Headers headers, String reason, String text, String contentType) {
        super(506, headers, reason, text, contentType);
    }
}
