package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

import java.net.URI;

/**
 * 451 Unavailable For Legal Reasons: the server is denying access because of a legal demand
 * (RFC 7725). A link to the party that demanded it becomes the header
 * {@code Link: <http://example.org/>; rel="blocked-by"}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPUnavailableForLegalReasons(link)}, status 451, with
 * the property {@code link}. <b>Differences:</b> the link is a {@code String} (aiohttp also
 * takes a yarl {@code URL}) and {@link #link()} a {@link java.net.URI}; it is percent-encoded
 * where a URI may not hold a character, as yarl does, so CR and LF never reach the header.
 * Otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPUnavailableForLegalReasons extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** The party that demanded the block, or {@code null}. */
    private final URI link;

    /**
     * Creates the exception with the reason {@code Unavailable For Legal Reasons} and the text
     * {@code 451: Unavailable For Legal Reasons}.
     *
     * @param link the URI of the party that demanded the block, or {@code null} or {@code ""}
     *        for no {@code Link} header
     * @throws IllegalArgumentException if the link is not a URI reference
     */
    public HTTPUnavailableForLegalReasons(String link) {
        this(link, null, null, null, null);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param link the URI of the party that demanded the block, or {@code null} or {@code ""}
     *        for no {@code Link} header
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Unavailable For Legal Reasons}
     * @param text the body, or {@code null} for {@code "451: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws IllegalArgumentException if the link is not a URI reference or the reason is
     *         invalid
     */
    public HTTPUnavailableForLegalReasons(String link, Headers headers, String reason, String text, String contentType) {
        super(451, headers, reason, text, contentType);
        if (link == null || link.isEmpty()) {
            this.link = null;
        } else {
            this.link = uriReference(link, "link");
            headers().set("Link", "<" + this.link.toASCIIString() + ">; rel=\"blocked-by\"");
        }
    }

    /**
     * Returns the URI of the party that demanded the block.
     *
     * @return the link, or {@code null} if none was given
     */
    public final URI link() {
        return link;
    }
}
