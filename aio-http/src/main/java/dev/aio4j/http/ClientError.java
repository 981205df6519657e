package dev.aio4j.http;

import java.net.URI;

/**
 * The root of every error the HTTP client raises: catch this to handle them all.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientError}. <b>Differences:</b> unchecked, like every aio4j
 * error. aiohttp's {@code ClientOSError} is also a Python {@code OSError}; Java has single
 * inheritance, so here the whole hierarchy stays under this class and the socket's
 * {@link java.io.IOException} is the {@linkplain #getCause() cause} of a {@link ClientOSError}.
 * The message always says what happened and, when one is known, to which URL ({@link #url()}).
 *
 * <p>The subclasses, as in aiohttp:
 * <pre>
 * ClientError
 * ├── ClientConnectionError
 * │   ├── ClientOSError
 * │   │   └── ClientConnectorError
 * │   └── ServerConnectionError
 * │       ├── ServerDisconnectedError
 * │       └── ServerTimeoutError
 * │           ├── ConnectionTimeoutError
 * │           └── SocketTimeoutError
 * ├── ClientResponseError
 * │   ├── ClientHttpProxyError
 * │   ├── ContentTypeError
 * │   ├── TooManyRedirects
 * │   └── WSServerHandshakeError
 * ├── ClientPayloadError
 * └── InvalidURL
 * </pre>
 *
 * @since 0.1
 */
public class ClientError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The URL the failed request was for, or {@code null}. */
    private final transient URI url;

    /**
     * Creates the error.
     *
     * @param what what happened, in a few words
     * @param url the URL of the request, or {@code null} if none applies
     * @param cause the underlying error, or {@code null}
     */
    public ClientError(String what, URI url, Throwable cause) {
        super(url == null ? what : what + ", url=" + url, cause);
        this.url = url;
    }

    /**
     * Creates the error.
     *
     * @param what what happened, in a few words
     * @param url the URL of the request, or {@code null} if none applies
     */
    public ClientError(String what, URI url) {
        this(what, url, null);
    }

    /**
     * Returns the URL of the request that failed, or {@code null} if none applies.
     *
     * @return the URL of the request that failed, or {@code null} if none applies
     */
    public URI url() {
        return url;
    }
}
