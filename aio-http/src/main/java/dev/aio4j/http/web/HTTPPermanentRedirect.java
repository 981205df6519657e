package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 308 Permanent Redirect: the resource has a new permanent URI; the client must repeat the same
 * method.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPPermanentRedirect}, status 308. <b>Differences:</b>
 * those of {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPPermanentRedirect extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Permanent Redirect} and the
     * text
     * {@code 308: Permanent Redirect}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPPermanentRedirect(String location) {
        super(308, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Permanent Redirect}
     * @param text the body, or {@code null} for {@code "308: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPPermanentRedirect(String location, Headers headers, String reason, String text, String contentType) {
        super(308, location, headers, reason, text, contentType);
    }
}
