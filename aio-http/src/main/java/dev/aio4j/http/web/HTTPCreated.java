package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 201 Created: the request created a resource.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPCreated}, status 201. <b>Differences:</b> those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPCreated extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Created} and the text {@code 201: Created}. */
    public HTTPCreated() {
        super(201);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Created}
     * @param text the body, or {@code null} for {@code "201: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPCreated(Headers headers, String reason, String text, String contentType) {
        super(201, headers, reason, text, contentType);
    }
}
