package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.InvalidURL;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * URL handling for requests, on {@link java.net.URI}: parsing and checking request URLs, joining
 * a session's base URL with a request's URL as aiohttp does (RFC 3986 reference resolution, see
 * {@link UriReference}), percent-encoding as yarl does ({@link UrlEncoding}), adding query
 * parameters, and the pieces a request needs (target, Host header, port, origin).
 */
public final class Urls {
    /**
     * A port number as written after a host's colon: ASCII digits only, 0 to 65535 (the proxy
     * environment's, absolute-form targets' and add_domain's ports).
     *
     * @param s the digits after the colon
     * @return the port, or -1 if {@code s} is empty or not such a number
     */
    public static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }

    private Urls() {}

    /**
     * Parses an absolute http or https URL, percent-encoding what needs it (see
     * {@link #join(URI, String, boolean)}).
     *
     * @throws InvalidURL if it does not parse, is relative, has another scheme, or has no host
     */
    public static URI parse(String url) {
        return join(null, url, false);
    }

    /**
     * Parses an absolute http or https URL; with {@code encoded}, takes it as already encoded.
     *
     * @throws InvalidURL if it does not parse, is relative, has another scheme, or has no host
     */
    public static URI parse(String url, boolean encoded) {
        return join(null, url, encoded);
    }

    /** Encodes a reference's path, query and fragment (yarl's rules) and its host as IDN A-labels. */
    private static UriReference encode(UriReference r, String asGiven) {
        return new UriReference(r.scheme(), idnAuthority(r.authority(), asGiven), UrlEncoding.encodePath(r.path()),
                UrlEncoding.encodeQuery(r.query()), UrlEncoding.encodeFragment(r.fragment()));
    }

    /**
     * java.net.URI takes a non-ASCII host such as {@code bücher.example} only as a registry-based
     * authority (no host); rewrite it to its IDN A-label form so it parses as a server authority.
     */
    private static String idnAuthority(String auth, String asGiven) {
        if (auth == null || auth.chars().allMatch(c -> c < 0x80)) {
            return auth;
        }
        int at = auth.lastIndexOf('@');
        String user = at < 0 ? "" : auth.substring(0, at + 1);
        String host = auth.substring(at + 1);
        String port = "";
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            port = host.substring(colon);
            host = host.substring(0, colon);
        }
        try {
            return user + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + port;
        } catch (IllegalArgumentException e) {
            throw new InvalidURL(asGiven, "host is not a valid international domain name (IDNA): " + e.getMessage());
        }
    }

    /**
     * Checks that {@code uri} is an absolute http or https URL with a host.
     *
     * @throws InvalidURL if not
     */
    public static URI check(URI uri, String asGiven) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new InvalidURL(asGiven, "not absolute (no scheme); give a full URL or a base URL to the session");
        }
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new InvalidURL(asGiven, "scheme must be http or https (a request or wsConnect also takes ws and wss), got " + scheme);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidURL(asGiven, uri.getRawAuthority() == null ? "no host" : "host is not a valid host name: " + uri.getRawAuthority());
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidURL(asGiven, "user info in the URL is not supported; send an Authorization header instead");
        }
        return uri;
    }

    /**
     * Resolves a request's URL against the session's base URL, as aiohttp's
     * {@code ClientSession(base_url=...)} does, encoding it as yarl does; see
     * {@link #join(URI, String, boolean)}.
     */
    public static URI join(URI base, String url) {
        return join(base, url, false);
    }

    /**
     * Resolves a request's URL against the session's base URL, as aiohttp's
     * {@code ClientSession(base_url=...)} does, by RFC 3986 section 5.2 ({@link UriReference}):
     * an absolute URL is used as it is (its dot segments removed); otherwise {@code "users"}
     * against {@code http://h/api/} gives {@code http://h/api/users}, {@code "/users"} gives
     * {@code http://h/users}, and {@code "?page=2"} against {@code http://h/api/users} gives
     * {@code http://h/api/users?page=2}.
     *
     * <p>Unless {@code encoded}, the path, query and fragment are percent-encoded first as yarl
     * does ({@link UrlEncoding}: UTF-8 for non-ASCII, what is already encoded kept) and a non-ASCII
     * host becomes its IDN A-label form. With {@code encoded} (yarl's {@code encoded=True}) the
     * URL must already be fit to send: it is taken as it is, dot segments included, and a space,
     * a control or a non-ASCII character in it is refused.
     *
     * @param base the base URL, or {@code null} for none
     * @param url the request's URL as given
     * @param encoded whether the URL is already encoded
     * @throws InvalidURL if the result is not a usable URL
     */
    public static URI join(URI base, String url, boolean encoded) {
        Checks.notNull(url, "url");
        UriReference ref;
        if (encoded) {
            int bad = UrlEncoding.firstUnsendable(url);
            if (bad >= 0) {
                throw new InvalidURL(url, "character " + Escaping.quote(url.substring(bad, bad + 1)) + " at index " + bad
                        + " cannot be sent as it is; percent-encode it, or leave encoded off to have it encoded");
            }
            ref = UriReference.split(url);
        } else {
            ref = encode(UriReference.split(url), url);
        }
        UriReference target;
        if (ref.hasScheme()) {
            target = encoded ? ref
                    : new UriReference(ref.scheme(), ref.authority(), UriReference.removeDotSegments(ref.path()), ref.query(), ref.fragment());
        } else if (base == null) {
            throw new InvalidURL(url, "not absolute (no scheme); give a full URL or a base URL to the session");
        } else {
            target = UriReference.split(base.toString()).resolve(ref);
        }
        URI uri;
        try {
            uri = new URI(target.toString());
        } catch (URISyntaxException e) {
            throw new InvalidURL(url, e.getReason() + " at index " + e.getIndex());
        }
        return check(uri, url);
    }

    /**
     * Appends query parameters to the URL's query, keeping what is there (aiohttp's
     * {@code params=} with yarl's {@code extend_query}). Names and values are UTF-8
     * percent-encoded; a space becomes {@code %20}.
     */
    public static URI withParams(URI url, List<Map.Entry<String, String>> params) {
        if (params == null || params.isEmpty()) {
            return url;
        }
        StringBuilder q = new StringBuilder();
        if (url.getRawQuery() != null && !url.getRawQuery().isEmpty()) {
            q.append(url.getRawQuery());
        }
        for (Map.Entry<String, String> p : params) {
            if (!q.isEmpty()) {
                q.append('&');
            }
            q.append(percentEncode(p.getKey())).append('=').append(percentEncode(p.getValue()));
        }
        StringBuilder s = new StringBuilder();
        s.append(url.getScheme()).append("://").append(url.getRawAuthority());
        s.append(url.getRawPath() == null ? "" : url.getRawPath()).append('?').append(q);
        if (url.getRawFragment() != null) {
            s.append('#').append(url.getRawFragment());
        }
        return URI.create(s.toString());
    }

    /** Percent-encodes everything except RFC 3986 unreserved characters, as UTF-8. */
    public static String percentEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /**
     * Returns the request target (origin form): raw path, {@code /} if empty, plus {@code ?query}; never the fragment.
     *
     * @return the request target (origin form): raw path, {@code /} if empty, plus {@code ?query}; never the fragment
     */
    public static String requestTarget(URI url) {
        String path = url.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    /**
     * Returns the port, or the scheme's default (443 for https and wss, else 80).
     *
     * @return the port, or the scheme's default (443 for https and wss, else 80)
     */
    public static int port(URI url) {
        if (url.getPort() >= 0) {
            return url.getPort();
        }
        // wss: ProxyEnvironment looks a handshake's no_proxy port up under its wss:// URL
        return url.getScheme().equalsIgnoreCase("https") || url.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
    }

    /**
     * Returns the host in ASCII (IDN A-labels), lower case, IPv6 literals in brackets.
     *
     * @return the host in ASCII (IDN A-labels), lower case, IPv6 literals in brackets
     */
    public static String asciiHost(URI url) {
        String host = url.getHost();
        if (host.startsWith("[")) {
            return host.toLowerCase(Locale.ROOT);
        }
        return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the Host header value: host, plus {@code :port} when it is not the scheme's default.
     *
     * @return the Host header value: host, plus {@code :port} when it is not the scheme's default
     */
    public static String hostHeader(URI url) {
        String host = asciiHost(url);
        boolean defaultPort = url.getPort() < 0 || url.getPort() == (url.getScheme().equalsIgnoreCase("https") ? 443 : 80);
        return defaultPort ? host : host + ":" + url.getPort();
    }

    /**
     * Returns {@code scheme://host:port}, lower case with an explicit port: equal for the same origin.
     *
     * @return {@code scheme://host:port}, lower case with an explicit port: equal for the same origin
     */
    public static String origin(URI url) {
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + asciiHost(url) + ":" + port(url);
    }

    /**
     * Returns the URL without its fragment (what is requested and recorded in history).
     *
     * @return the URL without its fragment (what is requested and recorded in history)
     */
    public static URI withoutFragment(URI url) {
        if (url.getRawFragment() == null) {
            return url;
        }
        String s = url.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    /**
     * Returns a {@code ws://} or {@code wss://} URL as the {@code http://} or {@code https://} URL it
     * is sent to (aiohttp's {@code ClientRequest} takes ws as http and wss as https: the same default
     * ports, TLS for wss); any other URL unchanged.
     *
     * @param url a URL as the caller gave it
     * @return its http(s) form
     */
    public static String httpFormOf(String url) {
        if (url.regionMatches(true, 0, "ws://", 0, 5)) {
            return "http://" + url.substring(5);
        }
        if (url.regionMatches(true, 0, "wss://", 0, 6)) {
            return "https://" + url.substring(6);
        }
        return url;
    }

    /**
     * Returns {@code url} with the WebSocket scheme of its HTTP scheme: {@code http://} becomes
     * {@code ws://}, {@code https://} becomes {@code wss://}, the rest unchanged (a WebSocket
     * handshake is sent as HTTP, and aiohttp reports it under the {@code ws://} URL it was given).
     *
     * @param url an http or https URL
     * @return the same URL as ws or wss
     * @throws IllegalArgumentException if {@code url} is not http or https
     */
    public static URI toWebSocket(URI url) {
        String s = url.toString();
        if (s.regionMatches(true, 0, "http://", 0, 7) || s.regionMatches(true, 0, "https://", 0, 8)) {
            return URI.create("ws" + s.substring(4));
        }
        throw new IllegalArgumentException("url must be http or https, got " + url);
    }
}
