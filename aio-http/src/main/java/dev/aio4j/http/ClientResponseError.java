package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * A response arrived but is an error: a status of 400 or more under {@code raiseForStatus}, a
 * response head the strict parser refused (then {@link #status()} is 400 and the
 * {@link BadHttpMessage} is the cause, as aiohttp does), or a proxy's answer to {@code CONNECT}
 * that is not valid HTTP/1.1 or has bytes after its 200 head (status 400). The subclasses name
 * the other cases: a proxy that refused the tunnel ({@link ClientHttpProxyError}), a WebSocket
 * handshake the server did not accept ({@link WSServerHandshakeError}), {@code json()} on a
 * response whose {@code Content-Type} is not JSON ({@link ContentTypeError}), too many redirects
 * ({@link TooManyRedirects}).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientResponseError} with {@code status}, {@code message},
 * {@code headers}, {@code history} and {@code request_info.real_url}. <b>Differences:</b>
 * {@link #history()} lists the URLs of the redirect responses that led here (aiohttp keeps the
 * response objects), also for an error raised inside the request call (a head the parser
 * refused, the session's {@code raiseForStatus}), where aiohttp's is empty: aiohttp gives a
 * response its history only after the redirect loop. Every error the client raises carries its
 * {@link #requestInfo()}, as aiohttp's: the response's; for a head the parser refused, the
 * request's (with {@link #headers()} {@code null}, as aiohttp's {@code exc.headers}); for the
 * proxy's answer to {@code CONNECT}, the {@code CONNECT} (as {@link ClientHttpProxyError} says).
 * It is {@code null} only for an error made with a constructor that takes a URL. The message
 * reads like aiohttp's: {@code 404, message='Not Found', url=http://example.com/x}.
 *
 * @since 0.1
 */
public class ClientResponseError extends ClientError {
    private static final long serialVersionUID = 1L;

    /** The HTTP status code: the server's, or 400 for a head the parser refused or a broken answer to CONNECT. */
    private final int status;
    /** The reason phrase, or what was wrong with the response (aiohttp's {@code message}). */
    private final String reason;
    private final transient Headers headers;
    private final transient List<URI> history;
    private final transient RequestInfo requestInfo;

    /**
     * Creates the error.
     *
     * @param status the HTTP status code (400 for a response the parser refused)
     * @param message the reason phrase or what was wrong
     * @param url the URL of the request
     * @param history the URLs of earlier redirect responses, oldest first (may be empty)
     * @param headers the response headers, or {@code null} if none were parsed
     * @param cause the underlying error, or {@code null}
     */
    public ClientResponseError(int status, String message, URI url, List<URI> history, Headers headers, Throwable cause) {
        this(null, url, status, message, history, headers, cause);
    }

    /**
     * Creates the error for a known request, as aiohttp's
     * {@code ClientResponseError(request_info, history, status=, message=, headers=)}.
     *
     * @param requestInfo the request the response answers; its {@link RequestInfo#realUrl()} is
     *     the error's {@link #url()} and is in the message, as aiohttp's {@code str()} names
     *     {@code request_info.real_url}
     * @param status the HTTP status code (400 for a response the parser refused)
     * @param message the reason phrase or what was wrong
     * @param history the URLs of earlier redirect responses, oldest first (may be empty)
     * @param headers the response headers, or {@code null} if none were parsed
     * @param cause the underlying error, or {@code null}
     * @throws NullPointerException if {@code requestInfo} is null
     * @since 0.2
     */
    public ClientResponseError(RequestInfo requestInfo, int status, String message, List<URI> history, Headers headers,
                               Throwable cause) {
        this(dev.aio4j.loop.internal.Checks.notNull(requestInfo, "requestInfo"), requestInfo.realUrl(), status, message, history,
                headers, cause);
    }

    /** For a known request whose error names another URL ({@link TooManyRedirects}); {@code requestInfo} may be null. */
    ClientResponseError(RequestInfo requestInfo, URI url, int status, String message, List<URI> history, Headers headers,
                                Throwable cause) {
        super(status + ", message='" + message + "'", url, cause);
        this.requestInfo = requestInfo;
        this.status = status;
        this.reason = message;
        this.history = history == null ? List.of() : List.copyOf(history);
        this.headers = headers == null ? null : headers.readOnlyCopy();
    }

    /**
     * Returns the request the failed response answers (aiohttp's {@code request_info}), or
     * {@code null} if the error was made without one.
     *
     * @return the request's URL, method, headers and real URL, or {@code null}
     * @since 0.2
     */
    public RequestInfo requestInfo() {
        return requestInfo;
    }

    /**
     * Returns the HTTP status code.
     *
     * @return the HTTP status code
     */
    public int status() {
        return status;
    }

    /**
     * Returns the reason phrase, or what was wrong with the response (aiohttp's {@code message}).
     *
     * @return the reason phrase, or what was wrong with the response (aiohttp's {@code message})
     */
    public String message() {
        return reason;
    }

    /**
     * Returns the URLs of the redirect responses before this one, oldest first.
     *
     * @return the URLs of the redirect responses before this one, oldest first
     */
    public List<URI> history() {
        return history;
    }

    /**
     * Returns the response headers (read-only), or {@code null} if there were none.
     *
     * @return the response headers (read-only), or {@code null} if there were none
     */
    public Headers headers() {
        return headers;
    }
}
