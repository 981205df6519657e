package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 507 Insufficient Storage: the server cannot store what the request needs (WebDAV).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPInsufficientStorage}, status 507. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPInsufficientStorage extends HTTPServerError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Insufficient Storage} and the text {@code 507: Insufficient Storage}. */
    public HTTPInsufficientStorage() {
        super(507);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Insufficient Storage}
     * @param text the body, or {@code null} for {@code "507: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPInsufficientStorage(Headers headers, String reason, String text, String contentType) {
        super(507, headers, reason, text, contentType);
    }
}
