package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 300 Multiple Choices: the resource has several representations; the location is the preferred
 * one.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPMultipleChoices}, status 300. <b>Differences:</b> those
 * of {@link HTTPMove}.
 *
 * @since 0.2
 */
public class HTTPMultipleChoices extends HTTPMove {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a {@code Location}, the reason {@code Multiple Choices} and the
     * text
     * {@code 300: Multiple Choices}.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *        reference
     */
    public HTTPMultipleChoices(String location) {
        super(300, location);
    }

    /**
     * Creates the exception with a {@code Location} and aiohttp's keyword arguments;
     * {@code null} means the default.
     *
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Multiple Choices}
     * @param text the body, or {@code null} for {@code "300: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the reason is invalid
     */
    public HTTPMultipleChoices(String location, Headers headers, String reason, String text, String contentType) {
        super(300, location, headers, reason, text, contentType);
    }
}
