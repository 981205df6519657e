package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 417 Expectation Failed: the request's {@code Expect} cannot be met.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPExpectationFailed}, status 417. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPExpectationFailed extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Expectation Failed} and the text {@code 417: Expectation Failed}. */
    public HTTPExpectationFailed() {
        super(417);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Expectation Failed}
     * @param text the body, or {@code null} for {@code "417: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPExpectationFailed(Headers headers, String reason, String text, String contentType) {
        super(417, headers, reason, text, contentType);
    }
}
