package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A cookie a response sets, with its attributes; {@link StreamResponse#setCookie} returns it
 * for chaining: {@code response.setCookie("sid", id).path("/").httpOnly(true).maxAge(3600)}.
 *
 * <p><b>aiohttp:</b> {@code http.cookies.Morsel}, as {@code response.set_cookie(name, value,
 * expires=, domain=, max_age=, path=, secure=, httponly=, samesite=)} makes it.
 * <b>Differences:</b> the keyword arguments are chained setters; the value must be a cookie-octet
 * string (RFC 6265 section 4.1.1): no space, quote, comma, semicolon or backslash.
 *
 * @since 0.2
 */
public final class ResponseCookie {
    private final String name;
    private final String value;
    private String path = "/";
    private String domain;
    private String expires;
    private Long maxAge;
    private boolean secure;
    private boolean httpOnly;
    private String sameSite;

    ResponseCookie(String name, String value) {
        Checks.notNull(name, "name");
        Checks.notNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(Checks::isTokenChar)) {
            throw new IllegalArgumentException("cookie name must be an RFC 9110 token, got \"" + name + "\"");
        }
        if (!value.chars().allMatch(ResponseCookie::isCookieOctet)) {
            throw new IllegalArgumentException("cookie value must hold only cookie-octets (no space, '\"', ',', ';', '\\' "
                    + "or control characters; percent-encode it), got \"" + value + "\"");
        }
        this.name = name;
        this.value = value;
    }

    private static boolean isCookieOctet(int c) {
        return c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A || c >= 0x3C && c <= 0x5B || c >= 0x5D && c <= 0x7E;
    }

    private static String attribute(String v, String what) {
        Checks.notNull(v, what);
        if (v.chars().anyMatch(c -> c < 0x20 || c == ';' || c == 0x7F || c > 0x7E)) {
            // RFC 6265 section 4.1.1: av-octets are visible ASCII but ';'; a character beyond
            // would fail the Set-Cookie header's own check only when the response is sent
            throw new IllegalArgumentException("cookie " + what + " must hold only visible ASCII and spaces, no ';' or control "
                    + "character (RFC 6265; percent-encode a path, use the IDNA A-label of a domain), got "
                    + dev.aio4j.loop.internal.Escaping.quote(v));
        }
        return v;
    }

    /**
     * Returns the name.
     *
     * @return the cookie's name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the value.
     *
     * @return the cookie's value
     */
    public String value() {
        return value;
    }

    /**
     * Sets {@code Path} (default {@code /}, as aiohttp).
     *
     * @param path the path, or null for none
     * @return this cookie
     */
    public ResponseCookie path(String path) {
        this.path = path == null ? null : attribute(path, "path");
        return this;
    }

    /**
     * Sets {@code Domain}.
     *
     * @param domain the domain, or null for a host-only cookie
     * @return this cookie
     */
    public ResponseCookie domain(String domain) {
        this.domain = domain == null ? null : attribute(domain, "domain");
        return this;
    }

    /**
     * Sets {@code Max-Age}.
     *
     * @param seconds seconds to live; 0 deletes the cookie
     * @return this cookie
     */
    public ResponseCookie maxAge(long seconds) {
        this.maxAge = seconds;
        return this;
    }

    /**
     * Sets {@code Expires}.
     *
     * @param when the expiry instant
     * @return this cookie
     */
    public ResponseCookie expires(ZonedDateTime when) {
        Checks.notNull(when, "when");
        this.expires = WebServer.IMF_FIXDATE.format(when.withZoneSameInstant(ZoneOffset.UTC));
        return this;
    }

    /**
     * Sets {@code Secure}.
     *
     * @param secure whether the cookie goes over TLS only
     * @return this cookie
     */
    public ResponseCookie secure(boolean secure) {
        this.secure = secure;
        return this;
    }

    /**
     * Sets {@code HttpOnly}.
     *
     * @param httpOnly whether scripts may not read the cookie
     * @return this cookie
     */
    public ResponseCookie httpOnly(boolean httpOnly) {
        this.httpOnly = httpOnly;
        return this;
    }

    /**
     * Sets {@code SameSite}.
     *
     * @param sameSite {@code Strict}, {@code Lax} or {@code None}; null for none
     * @return this cookie
     */
    public ResponseCookie sameSite(String sameSite) {
        if (sameSite != null && !sameSite.equalsIgnoreCase("strict") && !sameSite.equalsIgnoreCase("lax")
                && !sameSite.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("sameSite must be Strict, Lax or None, got \"" + sameSite + "\"");
        }
        this.sameSite = sameSite;
        return this;
    }

    /**
     * Returns the {@code Set-Cookie} header value.
     *
     * @return e.g. {@code sid=abc; Path=/; HttpOnly}
     */
    public String headerValue() {
        StringBuilder sb = new StringBuilder(name).append('=').append(value);
        if (domain != null) {
            sb.append("; Domain=").append(domain);
        }
        if (expires != null) {
            sb.append("; expires=").append(expires);
        }
        if (maxAge != null) {
            sb.append("; Max-Age=").append(maxAge);
        }
        if (path != null) {
            sb.append("; Path=").append(path);
        }
        if (sameSite != null) {
            sb.append("; SameSite=").append(sameSite);
        }
        if (secure) {
            sb.append("; Secure");
        }
        if (httpOnly) {
            sb.append("; HttpOnly");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "<ResponseCookie: " + headerValue() + ">";
    }
}
