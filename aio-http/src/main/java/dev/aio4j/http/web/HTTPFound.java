package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 302 Found: the resource is temporarily at another URI.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPFound}, status 302. <b>Differences:</b> those of {@link
 * HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPFound extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Found} and the text
     * {@code 302: Found}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPFound(String location) {
        super(302, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Found}
     * @param text the body, or {@code null} for {@code "302: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPFound(String location, Headers headers, String reason, String text, String contentType) {
        super(302, location, headers, reason, text, contentType);
    }
}
