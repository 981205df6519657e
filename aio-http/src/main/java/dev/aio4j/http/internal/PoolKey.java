package dev.aio4j.http.internal;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.util.Locale;

/**
 * What makes two requests able to share a connection: scheme, host, port, and for https the TLS
 * configuration (compared by identity).
 *
 * @param scheme {@code http} or {@code https}
 * @param host the ASCII host, lower case
 * @param port the port
 * @param ssl the TLS configuration for https, {@code null} for http
 */
public record PoolKey(String scheme, String host, int port, SSLContext ssl) {
    /** The key for a request URL. */
    public static PoolKey of(URI url, SSLContext sslForHttps) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = Urls.asciiHost(url);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new PoolKey(scheme, host, Urls.port(url), scheme.equals("https") ? sslForHttps : null);
    }

    /**
     * Returns whether connections for this key use TLS.
     *
     * @return whether connections for this key use TLS
     */
    public boolean tls() {
        return ssl != null;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
