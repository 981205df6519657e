package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

import java.net.URI;

/**
 * The group of redirections that name where to go: it sets the {@code Location} header.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPMove}, with its {@code location} argument and
 * property. <b>Differences:</b> abstract; the location is a {@code String} (aiohttp also takes a
 * yarl {@code URL}; pass {@code uri.toString()}) and {@link #location()} is a
 * {@link java.net.URI}. What a URI may not hold in its path, query or fragment is
 * percent-encoded, as yarl does, so CR and LF can never reach the header; a location that is
 * {@code null} or empty is refused with {@link IllegalArgumentException} (aiohttp's
 * {@code ValueError}), and so is one that is still no URI reference after encoding (a space in
 * the host, say). Otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public abstract class HTTPMove extends HTTPRedirection {
    private static final long serialVersionUID = 1L;

    /** Where to redirect to, percent-encoded where needed. */
    private final URI location;

    /**
     * Creates a redirection with the default reason, text and content type of {@code status}.
     *
     * @param status the status code
     * @param location the URI reference to redirect to, absolute or relative
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, or the status is not from 100 to 999
     */
    protected HTTPMove(int status, String location) {
        this(status, location, null, null, null, null);
    }

    /**
     * Creates a redirection from aiohttp's arguments; {@code null} means the default (see
     * {@link HTTPException#HTTPException(int, Headers, String, String, String)}).
     *
     * @param status the status code
     * @param location the URI reference to redirect to, absolute or relative
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for the standard one
     * @param text the body, or {@code null} for {@code "<status>: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the location is {@code null}, empty or not a URI
     *         reference, the status is not from 100 to 999, or the reason is invalid
     */
    protected HTTPMove(int status, String location, Headers headers, String reason, String text, String contentType) {
        super(status, headers, reason, text, contentType);
        if (location == null || location.isEmpty()) {
            throw new IllegalArgumentException("location must be a non-empty URI reference (HTTP redirects need a location to "
                    + "redirect to), got " + (location == null ? "null" : "\"\""));
        }
        this.location = uriReference(location, "location");
        headers().set("Location", this.location.toASCIIString());
    }

    /**
     * Returns where to redirect to: the value of the {@code Location} header.
     *
     * @return the location, percent-encoded where needed
     */
    public final URI location() {
        return location;
    }
}
