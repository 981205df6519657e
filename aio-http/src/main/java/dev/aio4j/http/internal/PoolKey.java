package dev.aio4j.http.internal;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.util.Locale;

/**
 * What makes two requests able to share a connection: scheme, host, port, for https the TLS
 * configuration (compared by identity), and the proxy.
 *
 * <p>Through a proxy: an http request's key is the proxy's address with the scheme {@code http}
 * (one pool per proxy for every http origin: the request names its origin in absolute form); an
 * https request's key is its origin with the proxy (one tunnel per origin and proxy).
 *
 * @param scheme {@code http} or {@code https}
 * @param host the ASCII host, lower case: the origin's, or for http through a proxy the proxy's
 * @param port the port, likewise
 * @param ssl the TLS configuration for https, {@code null} for http
 * @param proxy the proxy, or {@code null} for a direct connection
 */
public record PoolKey(String scheme, String host, int port, SSLContext ssl, ProxySpec proxy) {
    /** A key for a direct connection. */
    public PoolKey(String scheme, String host, int port, SSLContext ssl) {
        this(scheme, host, port, ssl, null);
    }

    /** The key for a request URL with a direct connection. */
    public static PoolKey of(URI url, SSLContext sslForHttps) {
        return of(url, sslForHttps, null);
    }

    /** The key for a request URL through {@code proxy} ({@code null}: direct). */
    public static PoolKey of(URI url, SSLContext sslForHttps, ProxySpec proxy) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (proxy != null && !https) {
            return new PoolKey(scheme, proxy.host(), proxy.port(), null, proxy);
        }
        String host = Urls.asciiHost(url);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new PoolKey(scheme, host, Urls.port(url), https ? sslForHttps : null, proxy);
    }

    /**
     * Returns whether connections for this key use TLS.
     *
     * @return whether connections for this key use TLS
     */
    public boolean tls() {
        return ssl != null;
    }

    /**
     * Returns whether connections for this key are TLS tunnels through the proxy ({@code CONNECT}).
     *
     * @return whether connections for this key are TLS tunnels through the proxy
     */
    public boolean tunnel() {
        return proxy != null && ssl != null;
    }

    /**
     * Returns the host a socket connects to: the proxy's when there is one.
     *
     * @return the host a socket connects to
     */
    public String connectHost() {
        return proxy == null ? host : proxy.host();
    }

    /**
     * Returns the port a socket connects to: the proxy's when there is one.
     *
     * @return the port a socket connects to
     */
    public int connectPort() {
        return proxy == null ? port : proxy.port();
    }

    @Override
    public String toString() {
        if (proxy != null && !tunnel()) {
            return "http://*:* via proxy " + proxy;
        }
        return scheme + "://" + host + ":" + port + (proxy == null ? "" : " via proxy " + proxy);
    }
}
