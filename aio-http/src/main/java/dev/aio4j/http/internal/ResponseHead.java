package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

/**
 * A parsed status line and header section, with the body framing the parser derived from them.
 *
 * @param versionMinor 0 for HTTP/1.0, 1 for HTTP/1.1 (the major version is always 1)
 * @param status the three-digit status code, 100 to 999
 * @param reason the reason phrase, possibly empty (ISO-8859-1 decoded)
 * @param headers the header fields, read-only
 * @param framing how the body is delimited
 * @param contentLength the body length for {@link Framing#LENGTH}, otherwise -1
 * @param keepAlive whether the connection may carry another request after this response
 */
public record ResponseHead(int versionMinor, int status, String reason, Headers headers, Framing framing,
                           long contentLength, boolean keepAlive) {

    /** How the end of a response body is found (RFC 9112 section 6.3). */
    public enum Framing {
        /** No body: a HEAD request, 1xx, 204 or 304, or a 2xx answer to CONNECT. */
        NONE,
        /** Exactly {@code contentLength} bytes. */
        LENGTH,
        /** The chunked transfer coding. */
        CHUNKED,
        /** Everything until the server closes the connection. */
        UNTIL_CLOSE
    }

    /**
     * Returns {@code "HTTP/1.0"} or {@code "HTTP/1.1"}.
     *
     * @return {@code "HTTP/1.0"} or {@code "HTTP/1.1"}
     */
    public String version() {
        return "HTTP/1." + versionMinor;
    }

    /**
     * Returns whether this is an interim (1xx) response other than 101.
     *
     * @return whether this is an interim (1xx) response other than 101
     */
    public boolean interim() {
        return status >= 100 && status < 200 && status != 101;
    }
}
