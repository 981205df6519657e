package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 407 Proxy Authentication Required: the client must authenticate with the proxy.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPProxyAuthenticationRequired}, status 407.
 * <b>Differences:</b> those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPProxyAuthenticationRequired extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Proxy Authentication Required} and the text {@code 407: Proxy Authentication Required}. */
    public HTTPProxyAuthenticationRequired() {
        super(407);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Proxy Authentication Required}
     * @param text the body, or {@code null} for {@code "407: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPProxyAuthenticationRequired(Headers headers, String reason, String text, String contentType) {
        super(407, headers, reason, text, contentType);
    }
}
