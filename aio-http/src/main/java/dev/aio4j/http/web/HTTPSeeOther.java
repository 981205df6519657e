package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 303 See Other: the answer is at another URI, to be retrieved with GET (safe after a POST).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPSeeOther}, status 303. <b>Differences:</b> those of
 * {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPSeeOther extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code See Other} and the text
     * {@code 303: See Other}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPSeeOther(String location) {
        super(303, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code See Other}
     * @param text the body, or {@code null} for {@code "303: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPSeeOther(String location, Headers headers, String reason, String text, String contentType) {
        super(303, location, headers, reason, text, contentType);
    }
}
