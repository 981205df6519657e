package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * The server did not accept the WebSocket handshake of {@link ClientSession#wsConnect}: it
 * answered with another status than 101, or its 101 broke RFC 6455 (a wrong
 * {@code Sec-WebSocket-Accept}, no {@code Upgrade: websocket}, an extension that was not
 * offered). {@link #status()} is the response's status; {@link #message()} says what was wrong.
 *
 * <p>The session's error carries the last handshake request as {@link #requestInfo()}, the
 * response's {@link #headers()} and the redirects before it as {@link #history()}
 * ({@code wsConnect} follows redirects, as aiohttp's does). As in aiohttp, a {@code ws://} or
 * {@code wss://} URL the caller gave stays so in {@code requestInfo()}, {@link #url()} and
 * {@code history()}, although the handshake is sent as {@code http://} or {@code https://}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.WSServerHandshakeError}, a {@code ClientResponseError}, made of
 * {@code resp.request_info}, {@code resp.history}, {@code resp.status} and {@code resp.headers}.
 * <b>Differences:</b> {@link ClientResponseError}'s.
 *
 * @since 0.2
 */
public class WSServerHandshakeError extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param status the response's status
     * @param message what was wrong, e.g. {@code Invalid response status}
     * @param url the URL of the request
     * @param headers the response headers, or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public WSServerHandshakeError(int status, String message, URI url, Headers headers, Throwable cause) {
        super(status, message, url, null, headers, cause);
    }

    /**
     * Creates the error for a known handshake request, as aiohttp's
     * {@code WSServerHandshakeError(resp.request_info, resp.history, message=, status=, headers=)}
     * in {@code ClientSession._ws_connect}.
     *
     * @param requestInfo the handshake request the response answers; its
     *     {@link RequestInfo#realUrl()} is the error's {@link #url()}
     * @param status the response's status
     * @param message what was wrong, e.g. {@code Invalid response status}
     * @param history the URLs of earlier redirect responses, oldest first (may be empty)
     * @param headers the response headers, or {@code null}
     * @param cause the underlying error, or {@code null}
     * @throws NullPointerException if {@code requestInfo} is null
     * @since 0.2
     */
    public WSServerHandshakeError(RequestInfo requestInfo, int status, String message, List<URI> history, Headers headers,
                                  Throwable cause) {
        super(requestInfo, status, message, history, headers, cause);
    }
}
