package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 421 Misdirected Request: the request reached a server that cannot answer for its target.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPMisdirectedRequest}, status 421. <b>Differences:</b>
 * those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPMisdirectedRequest extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason {@code Misdirected Request} and the text {@code 421: Misdirected Request}. */
    public HTTPMisdirectedRequest() {
        super(421);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Misdirected Request}
     * @param text the body, or {@code null} for {@code "421: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPMisdirectedRequest(Headers headers, String reason, String text, String contentType) {
        super(421, headers, reason, text, contentType);
    }
}
