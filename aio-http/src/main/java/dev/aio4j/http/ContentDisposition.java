package dev.aio4j.http;

import java.util.Map;

/**
 * A parsed {@code Content-Disposition} field of a response, as
 * {@link ClientResponse#contentDisposition()} gives it (RFC 6266).
 *
 * <pre>{@code
 * ContentDisposition cd = response.contentDisposition();
 * Path target = Path.of(cd != null && cd.filename() != null ? cd.filename() : "download.bin");
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ContentDisposition(type, parameters, filename)}, from
 * {@code response.content_disposition}. <b>Differences:</b> none in the fields; a header that
 * does not parse gives a {@code null} type and no parameters, as aiohttp's does (aiohttp also
 * warns {@code BadContentDispositionHeader}).
 *
 * <p><b>Threading:</b> immutable.
 *
 * @param type the disposition type in lower case, e.g. {@code attachment}; {@code null} if the
 *     header is malformed
 * @param parameters the parameters by lower-case name, in header order, read-only; quoted values
 *     unquoted, {@code filename*} percent-decoded in its charset
 * @param filename the file name: {@code filename*}, else {@code filename}, else RFC 2231
 *     continuations joined; {@code null} if none
 * @since 0.2
 */
public record ContentDisposition(String type, Map<String, String> parameters, String filename) {
    /**
     * Copies the parameters.
     *
     * @throws NullPointerException if {@code parameters} is null
     */
    public ContentDisposition {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
