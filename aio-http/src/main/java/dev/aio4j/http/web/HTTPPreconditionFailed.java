package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 412 Precondition Failed: a precondition in the request's header fields is false.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPPreconditionFailed}, status 412. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPPreconditionFailed extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Precondition Failed} and the text {@code 412: Precondition Failed}. */
    public HTTPPreconditionFailed() {
        super(412);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Precondition Failed}
     * @param text the body, or {@code null} for {@code "412: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPPreconditionFailed(Headers headers, String reason, String text, String contentType) {
        super(412, headers, reason, text, contentType);
    }
}
