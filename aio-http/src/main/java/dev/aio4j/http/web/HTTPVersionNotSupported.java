package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 505 HTTP Version Not Supported: the server does not support the request's HTTP version.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPVersionNotSupported}, status 505. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPVersionNotSupported extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code HTTP Version Not Supported} and the text {@code 505: HTTP Version Not Supported}. */
    public HTTPVersionNotSupported() {
        super(505);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code HTTP Version Not Supported}
     * @param text the body, or {@code null} for {@code "505: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPVersionNotSupported(Headers headers, String reason, String text, String contentType) {
        super(505, headers, reason, text, contentType);
    }
}
