package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * The proxy refused to open a tunnel: it answered the {@code CONNECT} for an https URL with a
 * status other than 200 (another 2xx too, as in aiohttp), such as {@code 407 Proxy Authentication Required} when the credentials
 * are missing or wrong. {@link #status()}, {@link #message()} and {@link #headers()} are the
 * proxy's answer (its {@code Proxy-Authenticate} among them); {@link #requestInfo()} is the
 * {@code CONNECT}: method {@code CONNECT}, the URL of the request that needed the tunnel, the
 * fields sent to the proxy. The connection to the proxy is closed, never pooled.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientHttpProxyError}, a {@code ClientResponseError}.
 * <b>Differences:</b> {@link #url()} and {@code requestInfo().realUrl()} are the URL of the
 * request, not the proxy's (aiohttp's {@code real_url} is the proxy's); {@link #history()} is the
 * request's redirects (aiohttp's is empty); the message
 * names the proxy ({@code 407, message='Proxy Authentication Required',
 * url=https://example.com/, proxy=http://127.0.0.1:3128}). A refusal of a plain http request, which goes to the proxy without
 * {@code CONNECT}, is not an error: it is the response (aiohttp returns it too).
 *
 * @since 0.1
 */
public final class ClientHttpProxyError extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /** The proxy, {@code http://host:port}. */
    private final String proxy;

    /**
     * Creates the error.
     *
     * @param status the proxy's status code
     * @param message the proxy's reason phrase
     * @param proxy the proxy, {@code http://host:port}
     * @param url the URL of the request
     * @param history the URLs of earlier redirect responses, oldest first (may be empty)
     * @param headers the proxy's response headers, or {@code null}
     */
    public ClientHttpProxyError(int status, String message, String proxy, URI url, List<URI> history, Headers headers) {
        super(status, message, url, history, headers, null);
        this.proxy = proxy;
    }

    /**
     * Creates the error for a known {@code CONNECT} request, as aiohttp's
     * {@code ClientHttpProxyError(proxy_resp.request_info, resp.history, status=, message=, headers=)}
     * in {@code TCPConnector._create_proxy_connection}.
     *
     * @param requestInfo the {@code CONNECT} request: method {@code CONNECT}, the URL of the
     *     request that needed the tunnel (its {@link RequestInfo#realUrl()} is the error's
     *     {@link #url()}), the fields sent to the proxy
     * @param status the proxy's status code
     * @param message the proxy's reason phrase
     * @param proxy the proxy, {@code http://host:port}
     * @param history the URLs of earlier redirect responses, oldest first (may be empty)
     * @param headers the proxy's response headers, or {@code null}
     * @throws NullPointerException if {@code requestInfo} is null
     * @since 0.2
     */
    public ClientHttpProxyError(RequestInfo requestInfo, int status, String message, String proxy, List<URI> history,
                                Headers headers) {
        super(requestInfo, status, message, history, headers, null);
        this.proxy = proxy;
    }

    /**
     * Returns the proxy that refused, {@code http://host:port}.
     *
     * @return the proxy that refused, {@code http://host:port}
     */
    public String proxy() {
        return proxy;
    }

    /** The text of {@link ClientResponseError}, then {@code , proxy=http://host:port}. */
    @Override
    public String getMessage() {
        return super.getMessage() + ", proxy=" + proxy;
    }
}
