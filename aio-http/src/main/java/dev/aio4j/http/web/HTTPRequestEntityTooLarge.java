package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * 413 Content Too Large: the request's content is larger than the server accepts. The default
 * text names both sizes: {@code Maximum request body size 1024 exceeded, actual body size 4096}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPRequestEntityTooLarge(max_size, actual_size)},
 * status 413, as in aiohttp 3.13. <b>Differences:</b> the sizes are also kept as
 * {@link #maxSize()} and {@link #actualSize()}; aiohttp 3.14 and later make
 * {@code actual_size} optional and leave it out of the text ({@code Maximum request body size
 * 1024 exceeded.}), since a decompressed body's full size is not known when the limit is hit.
 * The default reason is RFC 9110's {@code Content Too Large}. Otherwise those of
 * {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPRequestEntityTooLarge extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** The largest body the server accepts, in bytes. */
    private final long maxSize;
    /** The size of the body that exceeded it, in bytes. */
    private final long actualSize;

    /**
     * Creates the exception with the reason {@code Content Too Large} and the text
     * {@code Maximum request body size <maxSize> exceeded, actual body size <actualSize>}.
     *
     * @param maxSize the largest body the server accepts, in bytes
     * @param actualSize the size of the body (or as much of it as was read), in bytes
     */
    public HTTPRequestEntityTooLarge(long maxSize, long actualSize) {
        this(maxSize, actualSize, null, null, null, null);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param maxSize the largest body the server accepts, in bytes
     * @param actualSize the size of the body (or as much of it as was read), in bytes
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Content Too Large}
     * @param text the body, or {@code null} for the text that names both sizes
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPRequestEntityTooLarge(long maxSize, long actualSize, Headers headers, String reason, String text,
            String contentType) {
        super(413, headers, reason, text != null ? text
                : "Maximum request body size " + maxSize + " exceeded, actual body size " + actualSize, contentType);
        this.maxSize = maxSize;
        this.actualSize = actualSize;
    }

    /**
     * Returns the largest body the server accepts.
     *
     * @return the limit, in bytes
     */
    public final long maxSize() {
        return maxSize;
    }

    /**
     * Returns the size of the body that exceeded the limit.
     *
     * @return the size, in bytes, as given
     */
    public final long actualSize() {
        return actualSize;
    }
}
