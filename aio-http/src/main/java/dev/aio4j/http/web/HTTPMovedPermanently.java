package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 301 Moved Permanently: the resource has a new permanent URI.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPMovedPermanently}, status 301. <b>Differences:</b>
 * those of {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPMovedPermanently extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Moved Permanently} and the
     * text
     * {@code 301: Moved Permanently}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPMovedPermanently(String location) {
        super(301, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Moved Permanently}
     * @param text the body, or {@code null} for {@code "301: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPMovedPermanently(String location, Headers headers, String reason, String text, String contentType) {
        super(301, location, headers, reason, text, contentType);
    }
}
