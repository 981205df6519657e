package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 511 Network Authentication Required: the client must authenticate to gain network access.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNetworkAuthenticationRequired}, status 511.
 * <b>Differences:</b> those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNetworkAuthenticationRequired extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Network Authentication Required} and the text {@code 511: Network Authentication Required}. */
    public HTTPNetworkAuthenticationRequired() {
        super(511);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Network Authentication Required}
     * @param text the body, or {@code null} for {@code "511: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNetworkAuthenticationRequired(Headers headers, String reason, String text, String contentType) {
        super(511, headers, reason, text, contentType);
    }
}
