package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 416 Range Not Satisfiable: none of the requested ranges overlaps the content.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPRequestRangeNotSatisfiable}, status 416.
 * <b>Differences:</b> those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPRequestRangeNotSatisfiable extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Range Not Satisfiable} and the text {@code 416: Range Not Satisfiable}. */
    public HTTPRequestRangeNotSatisfiable() {
        super(416);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Range Not Satisfiable}
     * @param text the body, or {@code null} for {@code "416: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPRequestRangeNotSatisfiable(Headers headers, String reason, String text, String contentType) {
        super(416, headers, reason, text, contentType);
    }
}
