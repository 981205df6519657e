package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 307 Temporary Redirect: the resource is temporarily at another URI; the client must repeat the
 * same method.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPTemporaryRedirect}, status 307. <b>Differences:</b>
 * those of {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPTemporaryRedirect extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Temporary Redirect} and the
     * text
     * {@code 307: Temporary Redirect}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPTemporaryRedirect(String location) {
        super(307, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Temporary Redirect}
     * @param text the body, or {@code null} for {@code "307: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPTemporaryRedirect(String location, Headers headers, String reason, String text, String contentType) {
        super(307, location, headers, reason, text, contentType);
    }
}
