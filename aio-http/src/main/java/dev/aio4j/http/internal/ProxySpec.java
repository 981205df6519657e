package dev.aio4j.http.internal;

import dev.aio4j.http.BasicAuth;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import dev.aio4j.loop.internal.Checks;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP proxy a request goes through: its address, the credentials sent to it
 * ({@code Proxy-Authorization}) and extra header fields for it. Two requests share pooled
 * connections only through equal proxies (same address, credentials and fields), as aiohttp's
 * connection key includes {@code proxy}, {@code proxy_auth} and the proxy headers.
 *
 * @param host the proxy's ASCII host, lower case, without IPv6 brackets
 * @param port the proxy's port (80 when the URL gives none)
 * @param auth the credentials for the proxy, or {@code null}
 * @param headers header fields for the proxy (read-only; empty for none)
 */
public record ProxySpec(String host, int port, BasicAuth auth, Headers headers) {
    public ProxySpec {
        Checks.notNull(host, "host");
        // copyOf checks every field: a proxy's fields are sent, so they are refused here, not at CONNECT
        headers = headers == null ? new Headers().readOnlyCopy() : Headers.copyOf(headers).readOnlyCopy();
    }

    /**
     * Reads a proxy URL such as {@code http://user:pass@proxy:3128}. The user-info becomes the
     * credentials (percent-decoded) unless {@code auth} is given, which wins (aiohttp turns the
     * proxy URL's user and password into {@code proxy_auth} too).
     *
     * @param url the proxy URL: {@code http}, a host, an optional port; a path is ignored; without
     *     a scheme ({@code proxy:3128}) it is taken as {@code http://}, as curl and requests do
     * @param auth explicit credentials, or {@code null}
     * @param headers header fields for the proxy, or {@code null}
     * @throws InvalidURL if the URL cannot be parsed, has no host, or its scheme is not {@code http}
     */
    public static ProxySpec parse(String url, BasicAuth auth, Headers headers) {
        Checks.notNull(url, "proxy");
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text; // proxy:3128, as curl and requests read it
        }
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidURL(url, "the proxy URL cannot be parsed: " + e.getMessage());
        }
        if (u.getScheme() == null || u.getHost() == null) {
            throw new InvalidURL(url, "a proxy URL must be absolute with a host, such as http://proxy:3128");
        }
        if (!u.getScheme().equalsIgnoreCase("http")) {
            throw new InvalidURL(url, "only http:// proxies are supported (an https:// URL goes through an http:// proxy with CONNECT), got scheme "
                    + u.getScheme());
        }
        BasicAuth a = auth;
        if (a == null && u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            String login = colon < 0 ? info : info.substring(0, colon);
            String password = colon < 0 ? "" : info.substring(colon + 1);
            try {
                a = new BasicAuth(decode(login), decode(password));
            } catch (IllegalArgumentException e) {
                throw new InvalidURL(url.replace(info + "@", "***@"), "the proxy URL's credentials cannot be sent as "
                        + "ISO-8859-1 (aiohttp's default); give them with proxyAuth(new BasicAuth(login, password, "
                        + "StandardCharsets.UTF_8)) instead: " + e.getMessage());
            }
        }
        String host = Urls.asciiHost(u);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ProxySpec(host, u.getPort() < 0 ? 80 : u.getPort(), a, headers);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * This proxy with a {@code Proxy-Authorization} field the caller put among a request's
     * headers, when the proxy has no credentials of its own: the field then goes to the proxy (in
     * the {@code CONNECT} of an https request) and never to the origin, as aiohttp moves it.
     */
    public ProxySpec withCallerAuthorization(Headers requestHeaders) {
        String value = requestHeaders.get("Proxy-Authorization");
        if (value == null || auth != null || headers.contains("Proxy-Authorization")) {
            return this;
        }
        Headers h = Headers.copyOf(headers);
        h.add("Proxy-Authorization", value);
        return new ProxySpec(host, port, null, h);
    }

    /** The fields a request to the proxy carries: the caller's proxy fields, then {@code Proxy-Authorization}. */
    public Headers proxyFields() {
        Headers h = Headers.copyOf(headers);
        if (auth != null) {
            h.remove("Proxy-Authorization");
            h.add("Proxy-Authorization", auth.encode());
        }
        return h;
    }

    /**
     * Returns {@code host:port} as written in a URL (IPv6 literals in brackets).
     *
     * @return {@code host:port} as written in a URL (IPv6 literals in brackets)
     */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        // Never the credentials.
        return "http://" + authority().toLowerCase(Locale.ROOT) + (auth == null ? "" : " (with proxy auth)");
    }
}
