package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 305 Use Proxy: deprecated by RFC 9110: the resource must be accessed through a proxy.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUseProxy}, status 305. <b>Differences:</b> those of
 * {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPUseProxy extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Use Proxy} and the text
     * {@code 305: Use Proxy}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPUseProxy(String location) {
        super(305, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Use Proxy}
     * @param text the body, or {@code null} for {@code "305: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPUseProxy(String location, Headers headers, String reason, String text, String contentType) {
        super(305, location, headers, reason, text, contentType);
    }
}
