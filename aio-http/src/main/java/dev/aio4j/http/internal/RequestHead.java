package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

/**
 * A parsed request head, as the server's request parser hands it over.
 *
 * @param method the method, as sent
 * @param target the request target, as sent (origin-, absolute-, authority- or asterisk-form)
 * @param versionMinor 0 or 1
 * @param headers the header fields (read-only)
 * @param framing how the body is delimited: {@link Framing#NONE} (no body: no Content-Length and
 *     no Transfer-Encoding, RFC 9112 section 6.3 rule 7), {@link Framing#LENGTH} or
 *     {@link Framing#CHUNKED}
 * @param contentLength the Content-Length, or -1
 * @param keepAlive whether the connection may carry another request after this one
 * @param expectContinue whether the client sent {@code Expect: 100-continue}
 * @param absolute the parts of an absolute-form target, as the request line's parser split them
 *     (once: {@code web.Request} reads them from here); null for the other forms
 */
public record RequestHead(String method, String target, int versionMinor, Headers headers, Framing framing,
                          long contentLength, boolean keepAlive, boolean expectContinue, AbsoluteTarget absolute) {
    /**
     * A head whose target is split here: for a head that did not come from the parser (a test's
     * mocked request, a server's placeholder).
     *
     * @throws IllegalArgumentException if the target is absolute-form and {@link AbsoluteTarget#parse}
     *     refuses its authority
     */
    public RequestHead(String method, String target, int versionMinor, Headers headers, Framing framing,
                       long contentLength, boolean keepAlive, boolean expectContinue) {
        this(method, target, versionMinor, headers, framing, contentLength, keepAlive, expectContinue,
                target.startsWith("/") ? null : AbsoluteTarget.parse(target));
    }

    /** How a request body is delimited (a request never runs until the connection closes). */
    public enum Framing {
        NONE,
        LENGTH,
        CHUNKED
    }

    /**
     * Returns {@code HTTP/1.0} or {@code HTTP/1.1}.
     *
     * @return the version as text
     */
    public String version() {
        return "HTTP/1." + versionMinor;
    }
}
