package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 424 Failed Dependency: the request depended on another one that failed (WebDAV).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPFailedDependency}, status 424. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPFailedDependency extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Failed Dependency} and the text {@code 424: Failed Dependency}. */
    public HTTPFailedDependency() {
        super(424);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Failed Dependency}
     * @param text the body, or {@code null} for {@code "424: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPFailedDependency(Headers headers, String reason, String text, String contentType) {
        super(424, headers, reason, text, contentType);
    }
}
