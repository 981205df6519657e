package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 200 OK: the request succeeded.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPOk}, status 200. <b>Differences:</b> those of {@link
 * HTTPException}.
 *
 * @since 0.2
 */
public class HTTPOk extends HTTPSuccessful {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code OK} and the text {@code 200: OK}. */
    public HTTPOk() {
        super(200);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code OK}
     * @param text the body, or {@code null} for {@code "200: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPOk(Headers headers, String reason, String text, String contentType) {
        super(200, headers, reason, text, contentType);
    }
}
