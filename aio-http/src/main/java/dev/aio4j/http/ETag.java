package dev.aio4j.http;

import dev.aio4j.http.internal.ETags;

import java.util.Objects;

/**
 * An entity tag (RFC 9110 section 8.8.3): what a response's {@code ETag} header carries and what
 * {@code If-Match} and {@code If-None-Match} list.
 *
 * <pre>{@code
 * List<ETag> tags = request.ifNoneMatch();          // null without the header
 * if (tags != null && tags.contains(new ETag(current))) {
 *     throw new HTTPNotModified();
 * }
 * response.etag(new ETag(current, true));           // ETag: W/"<current>"
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ETag(value, is_weak=False)}. <b>Differences:</b> the value is
 * checked when the tag is made (aiohttp checks it when a response's {@code etag} is set).
 *
 * @param value the tag without its quotes, or {@code *} (any tag, as {@code If-Match: *} says)
 * @param isWeak whether it is a weak tag ({@code W/"..."})
 * @since 0.2
 */
public record ETag(String value, boolean isWeak) {
    /** The value that stands for any entity tag: aiohttp's {@code ETAG_ANY}. */
    public static final String ANY = "*";

    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException if the value is neither {@code *} nor one or more of
     *     {@code !}, {@code #} to {@code ~} and the bytes 0x80 to 0xFF (no space, no {@code "})
     */
    public ETag {
        Objects.requireNonNull(value, "value");
        if (!ETags.isTagText(value)) { // * is tag text too
            throw new IllegalArgumentException("Value " + value + " is not a valid etag. Maybe it contains '\"' or a space? "
                    + "Give the tag without its quotes: characters ! and # to ~, or bytes 0x80 to 0xFF");
        }
    }

    /**
     * A strong tag: {@code ETag(value)}.
     *
     * @param value the tag without its quotes, or {@code *}
     */
    public ETag(String value) {
        this(value, false);
    }

    /**
     * Returns the tag as a header carries it.
     *
     * @return {@code "value"}, {@code W/"value"}, or {@code *}
     */
    public String headerValue() {
        if (value.equals(ANY)) {
            return ANY;
        }
        return (isWeak ? "W/\"" : "\"") + value + "\"";
    }
}
