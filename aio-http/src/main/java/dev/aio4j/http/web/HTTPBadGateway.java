package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 502 Bad Gateway: an upstream server sent an invalid response.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPBadGateway}, status 502. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPBadGateway extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Bad Gateway} and the text {@code 502: Bad Gateway}. */
    public HTTPBadGateway() {
        super(502);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Bad Gateway}
     * @param text the body, or {@code null} for {@code "502: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPBadGateway(Headers headers, String reason, String text, String contentType) {
        super(502, headers, reason, text, contentType);
    }
}
