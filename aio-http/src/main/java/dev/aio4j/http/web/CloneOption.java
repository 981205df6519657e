package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.AbsoluteTarget;
import dev.aio4j.http.internal.UriReference;
import dev.aio4j.loop.internal.Checks;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One attribute a {@link Request#clone(CloneOption...)} replaces:
 *
 * <pre>{@code
 * import static dev.aio4j.http.web.CloneOption.*;
 *
 * Request rewritten = request.clone(relUrl("/v2" + request.rawPath()), headers(newHeaders));
 * }</pre>
 *
 * <p>Given twice, the last one wins.
 *
 * <p><b>aiohttp:</b> the keyword arguments of {@code BaseRequest.clone()}: {@code method},
 * {@code rel_url}, {@code headers}, {@code scheme}, {@code host}, {@code remote},
 * {@code client_max_size}. <b>Differences:</b> Java has no keyword arguments, so each is a value
 * made by a static factory; a method must be a token and a URL must be sendable in a request line
 * (no space or control character), where aiohttp takes anything. An absolute {@code rel_url}
 * gives the copy its scheme and host as well, as aiohttp's does.
 *
 * @since 0.2
 */
public final class CloneOption {
    private enum Kind { METHOD, REL_URL, HEADERS, SCHEME, HOST, REMOTE, CLIENT_MAX_SIZE }

    private final Kind kind;
    private final Object value;
    /** An absolute {@code rel_url}'s parts, split once when the option is made; else null. */
    private final AbsoluteTarget absolute;

    private CloneOption(Kind kind, Object value) {
        this(kind, value, null);
    }

    private CloneOption(Kind kind, Object value, AbsoluteTarget absolute) {
        this.kind = kind;
        this.value = value;
        this.absolute = absolute;
    }

    /**
     * Replaces the method: {@code clone(method=...)}.
     *
     * @param method the method, a token such as {@code POST}; kept as given, as a received one is
     * @return the option
     * @throws IllegalArgumentException if the method is empty or not a token
     */
    public static CloneOption method(String method) {
        Objects.requireNonNull(method, "method");
        if (!Checks.isToken(method)) {
            throw new IllegalArgumentException("clone(method=" + method + "): a method must be a non-empty token such as POST");
        }
        return new CloneOption(Kind.METHOD, method);
    }

    /**
     * Replaces the path and query: {@code clone(rel_url=...)}.
     *
     * @param relUrl the request target as a client would send it, percent-encoded, such as
     *     {@code /v2/items?page=2}; an absolute {@code http://} or {@code https://} URL gives the
     *     copy its scheme and host too, as an absolute-form request target does
     * @return the option
     * @throws IllegalArgumentException if the text does not begin with {@code /} and is not an
     *     absolute http(s) URL with a {@code host[:port]}, or holds a space, a control character
     *     or a non-ASCII character (percent-encode them)
     */
    public static CloneOption relUrl(String relUrl) {
        Objects.requireNonNull(relUrl, "relUrl");
        if (relUrl.isEmpty()) {
            throw new IllegalArgumentException("clone(rel_url=''): give a path such as /items");
        }
        boolean absolute = relUrl.regionMatches(true, 0, "http://", 0, 7) || relUrl.regionMatches(true, 0, "https://", 0, 8);
        if (!relUrl.startsWith("/") && !absolute) {
            throw new IllegalArgumentException("clone(rel_url=" + relUrl + "): give a path beginning with /, such as /items?page=2, "
                    + "or an absolute http(s) URL");
        }
        for (int i = 0; i < relUrl.length(); i++) {
            char c = relUrl.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException("clone(rel_url=" + relUrl + "): character " + i + " (U+"
                        + String.format("%04X", (int) c) + ") cannot be in a request target; percent-encode it");
            }
        }
        AbsoluteTarget parts = null;
        if (absolute) {
            try {
                parts = AbsoluteTarget.parse(relUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clone(rel_url=" + relUrl + "): " + e.getMessage(), e);
            }
        }
        return new CloneOption(Kind.REL_URL, relUrl, parts);
    }

    /**
     * Replaces the path and query: {@code clone(rel_url=URL(...))}.
     *
     * @param relUrl a relative URL (its raw path, query and fragment) or an absolute one, whose
     *     scheme and host the copy takes too
     * @return the option
     * @throws IllegalArgumentException if it is neither a path beginning with {@code /} nor an
     *     absolute http(s) URL
     */
    public static CloneOption relUrl(URI relUrl) {
        Objects.requireNonNull(relUrl, "relUrl");
        return relUrl(relUrl.toASCIIString());
    }

    /**
     * Replaces all the header fields: {@code clone(headers=...)}. The copy's headers are a
     * read-only copy of these; the body is still framed as the client sent it.
     *
     * @param headers the fields
     * @return the option
     */
    public static CloneOption headers(Headers headers) {
        Objects.requireNonNull(headers, "headers");
        return new CloneOption(Kind.HEADERS, headers.readOnlyCopy());
    }

    /**
     * Replaces all the header fields: {@code clone(headers={...})}.
     *
     * @param headers name to value
     * @return the option
     * @throws IllegalArgumentException if a name or value cannot be a header field
     */
    public static CloneOption headers(Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        Headers h = new Headers();
        headers.forEach(h::add);
        return new CloneOption(Kind.HEADERS, h.readOnlyCopy());
    }

    /**
     * Replaces the scheme: {@code clone(scheme=...)}; {@link Request#secure()} follows it.
     *
     * @param scheme {@code http}, {@code https} or another
     * @return the option
     * @throws IllegalArgumentException if it is not an RFC 3986 scheme
     */
    public static CloneOption scheme(String scheme) {
        nonEmpty("scheme", scheme);
        if (!UriReference.isScheme(scheme, scheme.length())) { // RFC 3986 section 3.1
            throw new IllegalArgumentException("clone(scheme=" + scheme + "): a scheme is a letter followed by letters, digits, "
                    + "'+', '-' or '.', such as https");
        }
        return new CloneOption(Kind.SCHEME, scheme);
    }

    /**
     * Replaces the host: {@code clone(host=...)}.
     *
     * @param host the host, with a port if any, as a {@code Host} header gives it
     * @return the option
     * @throws IllegalArgumentException if it holds a space, a control or non-ASCII character, or
     *     one of {@code / ? # @ \}
     */
    public static CloneOption host(String host) {
        nonEmpty("host", host);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "/?#@\\".indexOf(c) >= 0) {
                throw new IllegalArgumentException("clone(host=" + host + "): a host (with an optional :port) cannot hold a space, "
                        + "a control or non-ASCII character, or any of / ? # @ \\; give it as a Host header would, such as "
                        + "example.com:8080 (IDNA-encode international names)");
            }
        }
        return new CloneOption(Kind.HOST, host);
    }

    /**
     * Replaces the client's address: {@code clone(remote=...)}.
     *
     * @param remote the address as text
     * @return the option
     */
    public static CloneOption remote(String remote) {
        return new CloneOption(Kind.REMOTE, nonEmpty("remote", remote));
    }

    /**
     * Replaces the largest body the copy's whole-body reads accept: {@code clone(client_max_size=...)}.
     *
     * @param bytes the limit, at least 0
     * @return the option
     * @throws IllegalArgumentException if negative
     */
    public static CloneOption clientMaxSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("clone(client_max_size=" + bytes + "): the limit must be at least 0");
        }
        return new CloneOption(Kind.CLIENT_MAX_SIZE, bytes);
    }

    private static String nonEmpty(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("clone(" + what + "=''): give a value, or leave the option out to keep the request's");
        }
        return value;
    }

    /** The replacements of one clone call; null (or -1) where the request's own stays. */
    static final class Changes {
        String method;
        String target;
        /** The parts of {@link #target} if it is absolute, else null. */
        AbsoluteTarget absolute;
        Headers headers;
        String scheme;
        String host;
        String remote;
        long clientMaxSize = -1;
    }

    static Changes apply(CloneOption[] options) {
        Changes c = new Changes();
        for (CloneOption o : options) {
            Objects.requireNonNull(o, "a clone option is null");
            switch (o.kind) {
                case METHOD -> c.method = (String) o.value;
                case REL_URL -> {
                    c.target = (String) o.value;
                    c.absolute = o.absolute;
                }
                case HEADERS -> c.headers = (Headers) o.value;
                case SCHEME -> c.scheme = (String) o.value;
                case HOST -> c.host = (String) o.value;
                case REMOTE -> c.remote = (String) o.value;
                case CLIENT_MAX_SIZE -> c.clientMaxSize = (Long) o.value;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "CloneOption." + kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + value + ")";
    }
}
