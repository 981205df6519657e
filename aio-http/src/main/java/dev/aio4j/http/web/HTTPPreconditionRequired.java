package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 428 Precondition Required: the request must be conditional.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPPreconditionRequired}, status 428. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPPreconditionRequired extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Precondition Required} and the text {@code 428: Precondition Required}. */
    public HTTPPreconditionRequired() {
        super(428);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Precondition Required}
     * @param text the body, or {@code null} for {@code "428: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPPreconditionRequired(Headers headers, String reason, String text, String contentType) {
        super(428, headers, reason, text, contentType);
    }
}
