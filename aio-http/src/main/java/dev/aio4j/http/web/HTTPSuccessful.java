package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * The group of the success statuses, 200 to 299: catch it to handle them all; extend it for a
 * status aiohttp has no class for.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPSuccessful}, the base of the 2xx exceptions.
 * <b>Differences:</b> those of {@link HTTPException}; abstract (aiohttp lets you raise it with the
 * status -1).
 *
 * @since 0.2
 */
public abstract class HTTPSuccessful extends HTTPException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the default reason, text and content type of {@code status}.
     *
     * @param status the status code
     * @throws IllegalArgumentException if the status is not from 100 to 999
     */
    protected HTTPSuccessful(int status) {
        super(status);
    }

    /**
     * Creates an exception from aiohttp's keyword arguments; {@code null} means the default
     * (see {@link HTTPException#HTTPException(int, Headers, String, String, String)}).
     *
     * @param status the status code
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for the standard one
     * @param text the body, or {@code null} for {@code "<status>: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the status is not from 100 to 999, the reason is
     *         invalid, or a text or content type is given for a status without a body
     */
    protected HTTPSuccessful(int status, Headers headers, String reason, String text, String contentType) {
        super(status, headers, reason, text, contentType);
    }
}
