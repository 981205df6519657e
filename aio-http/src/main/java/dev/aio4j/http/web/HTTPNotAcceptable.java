package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 406 Not Acceptable: no representation matches the request's {@code Accept} fields.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPNotAcceptable}, status 406. <b>Differences:</b> those
 * of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPNotAcceptable extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Not Acceptable} and the text {@code 406: Not Acceptable}. */
    public HTTPNotAcceptable() {
        super(406);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Not Acceptable}
     * @param text the body, or {@code null} for {@code "406: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPNotAcceptable(Headers headers, String reason, String text, String contentType) {
        super(406, headers, reason, text, contentType);
    }
}
