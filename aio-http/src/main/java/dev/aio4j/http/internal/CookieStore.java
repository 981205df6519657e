package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;
import dev.aio4j.http.Headers;

import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The client's cookie store: an RFC 6265 subset, where every operation that depends on time takes
 * {@code now}, so tests step through expiry instant by instant.
 *
 * <p>Kept: {@code Set-Cookie} parsing (section 5.2) with {@code Expires}, {@code Max-Age} (which
 * wins), {@code Domain}, {@code Path}, {@code Secure} and {@code HttpOnly}; domain and path
 * matching (5.1.3, 5.1.4); host-only cookies; the {@code Cookie} header order (5.4: longer paths
 * first, then older cookies). {@code Secure} cookies are only accepted from and sent to https
 * URLs. {@code HttpOnly} means nothing to a client and is only recorded. {@code SameSite} is
 * ignored (a client has no "site" to compare).
 *
 * <p>Left out: the public suffix list. Instead a {@code Domain} without a dot
 * ({@code Domain=com}, {@code Domain=localhost} from another host) is refused, and an IP-address
 * host accepts only host-only cookies or a {@code Domain} equal to itself.
 *
 * <p>Bounded: a cookie whose name and value exceed 4096 bytes is ignored; each domain keeps at most
 * {@code maxPerDomain} cookies and the jar {@code maxTotal}; beyond that, expired cookies go
 * first, then the oldest.
 */
public final class CookieStore {
    /**
     * One stored cookie.
     *
     * @param expires {@code null} for a session cookie
     * @param creation when it was first stored (kept when it is replaced)
     * @param seq insertion order, the tie-breaker for equal creation times
     */
    public record Cookie(String name, String value, String domain, boolean hostOnly, String path, boolean secure,
                         boolean httpOnly, Instant expires, Instant creation, long seq) {
        boolean expiredAt(Instant now) {
            return expires != null && !expires.isAfter(now);
        }
    }

    private static final int MAX_COOKIE_BYTES = 4096;
    private static final long MAX_AGE_CAP_SECONDS = 400L * 24 * 3600; // RFC 6265bis caps at 400 days
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US),
            DateTimeFormatter.ofPattern("EEE, dd MMM yy HH:mm:ss zzz", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US).withZone(java.time.ZoneOffset.UTC));

    private final int maxPerDomain;
    private final int maxTotal;
    private final List<Cookie> cookies = new ArrayList<>();
    private long nextSeq;

    /** A jar with the bounds browsers use: 50 cookies per domain, 3000 in all. */
    public CookieStore() {
        this(50, 3000);
    }

    public CookieStore(int maxPerDomain, int maxTotal) {
        this.maxPerDomain = Checks.positive(maxPerDomain, "maxPerDomain");
        this.maxTotal = Checks.positive(maxTotal, "maxTotal");
    }

    /** Stores every {@code Set-Cookie} of a response. */
    public void update(URI responseUrl, Headers responseHeaders, Instant now) {
        for (String sc : responseHeaders.getAll("Set-Cookie")) {
            setCookie(responseUrl, sc, now);
        }
    }

    /**
     * Stores one {@code Set-Cookie} value received from {@code url}.
     *
     * @return {@code true} if it was stored (or deleted a cookie, for an expired one), {@code false} if ignored
     */
    public boolean setCookie(URI url, String setCookie, Instant now) {
        String host = Urls.asciiHost(url);
        boolean https = url.getScheme().equalsIgnoreCase("https");
        String[] parts = setCookie.split(";", -1);
        int eq = parts[0].indexOf('=');
        if (eq < 0) {
            return false;
        }
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        if (name.isEmpty() || name.length() + value.length() > MAX_COOKIE_BYTES) {
            return false;
        }
        Instant expires = null;
        boolean maxAgeSeen = false;
        String domainAttr = null;
        String path = null;
        boolean secure = false;
        boolean httpOnly = false;
        for (int i = 1; i < parts.length; i++) {
            String av = parts[i];
            int e = av.indexOf('=');
            String an = (e < 0 ? av : av.substring(0, e)).strip().toLowerCase(Locale.ROOT);
            String aval = e < 0 ? "" : av.substring(e + 1).strip();
            switch (an) {
                case "expires" -> {
                    if (!maxAgeSeen) {
                        Instant t = parseDate(aval);
                        if (t != null) {
                            expires = t;
                        }
                    }
                }
                case "max-age" -> {
                    if (aval.matches("-?[0-9]+")) {
                        maxAgeSeen = true;
                        long delta;
                        try {
                            delta = Long.parseLong(aval);
                        } catch (NumberFormatException overflow) {
                            delta = aval.startsWith("-") ? -1 : Long.MAX_VALUE;
                        }
                        expires = delta <= 0 ? Instant.MIN : now.plusSeconds(Math.min(delta, MAX_AGE_CAP_SECONDS));
                    }
                }
                case "domain" -> {
                    String d = aval.startsWith(".") ? aval.substring(1) : aval;
                    if (!d.isEmpty()) {
                        domainAttr = d.toLowerCase(Locale.ROOT);
                    }
                }
                case "path" -> path = aval.startsWith("/") ? aval : null;
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                default -> { } // SameSite, Priority, unknown: ignored
            }
        }
        boolean hostOnly;
        String domain;
        if (domainAttr != null) {
            if (!domainMatches(host, domainAttr) || IpLiterals.isIpLiteral(host) && !host.equals(domainAttr)
                    || !domainAttr.contains(".") && !host.equals(domainAttr)) {
                return false;
            }
            hostOnly = host.equals(domainAttr) && IpLiterals.isIpLiteral(host);
            domain = domainAttr;
        } else {
            hostOnly = true;
            domain = host;
        }
        if (secure && !https) {
            return false;
        }
        if (path == null) {
            path = defaultPath(url);
        }
        Instant creation = now;
        for (int i = 0; i < cookies.size(); i++) {
            Cookie c = cookies.get(i);
            if (c.name().equals(name) && c.domain().equals(domain) && c.path().equals(path)) {
                creation = c.creation();
                cookies.remove(i);
                break;
            }
        }
        Cookie cookie = new Cookie(name, value, domain, hostOnly, path, secure, httpOnly, expires, creation, nextSeq++);
        if (cookie.expiredAt(now)) {
            return true; // deleted the old one, if any
        }
        cookies.add(cookie);
        enforceLimits(domain, now);
        return true;
    }

    /**
     * Returns the cookies to send to {@code url} at {@code now}, in {@code Cookie} header order.
     *
     * @return the cookies to send to {@code url} at {@code now}, in {@code Cookie} header order
     */
    public List<Cookie> cookiesFor(URI url, Instant now) {
        String host = Urls.asciiHost(url);
        boolean https = url.getScheme().equalsIgnoreCase("https");
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        List<Cookie> out = new ArrayList<>();
        for (Cookie c : cookies) {
            if (c.expiredAt(now) || c.secure() && !https) {
                continue;
            }
            boolean domainOk = c.hostOnly() ? host.equals(c.domain()) : domainMatches(host, c.domain());
            if (domainOk && pathMatches(path, c.path())) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingInt((Cookie c) -> -c.path().length())
                .thenComparing(Cookie::creation).thenComparingLong(Cookie::seq));
        return out;
    }

    /**
     * Returns the {@code Cookie} header value for {@code url} at {@code now}, or {@code null} if none.
     *
     * @return the {@code Cookie} header value for {@code url} at {@code now}, or {@code null} if none
     */
    public String cookieHeader(URI url, Instant now) {
        List<Cookie> list = cookiesFor(url, now);
        if (list.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Cookie c : list) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(c.name()).append('=').append(c.value());
        }
        return sb.toString();
    }

    /** Forgets the cookies expired at {@code now}; @return how many */
    public int removeExpired(Instant now) {
        int before = cookies.size();
        cookies.removeIf(c -> c.expiredAt(now));
        return before - cookies.size();
    }

    /**
     * Returns the number of stored cookies, expired ones included until {@link #removeExpired}.
     *
     * @return the number of stored cookies, expired ones included until {@link #removeExpired}
     */
    public int size() {
        return cookies.size();
    }

    public void clear() {
        cookies.clear();
    }

    @Override
    public String toString() {
        return "CookieStore[" + cookies.size() + " cookies, maxPerDomain=" + maxPerDomain + ", maxTotal=" + maxTotal + "]";
    }

    private void enforceLimits(String domain, Instant now) {
        long inDomain = cookies.stream().filter(c -> c.domain().equals(domain)).count();
        if (inDomain > maxPerDomain || cookies.size() > maxTotal) {
            removeExpired(now);
        }
        while (cookies.stream().filter(c -> c.domain().equals(domain)).count() > maxPerDomain) {
            cookies.remove(oldest(domain));
        }
        while (cookies.size() > maxTotal) {
            cookies.remove(oldest(null));
        }
    }

    private Cookie oldest(String domain) {
        return cookies.stream().filter(c -> domain == null || c.domain().equals(domain))
                .min(Comparator.comparing(Cookie::creation).thenComparingLong(Cookie::seq)).orElseThrow();
    }

    /** RFC 6265 section 5.1.3. */
    static boolean domainMatches(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain) && !IpLiterals.isIpLiteral(host);
    }

    /** RFC 6265 section 5.1.4. */
    static boolean pathMatches(String requestPath, String cookiePath) {
        if (requestPath.equals(cookiePath)) {
            return true;
        }
        return requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }

    /** RFC 6265 section 5.1.4, the default path of a cookie set by {@code url}. */
    static String defaultPath(URI url) {
        String p = url.getRawPath();
        if (p == null || p.isEmpty() || p.charAt(0) != '/') {
            return "/";
        }
        int last = p.lastIndexOf('/');
        return last == 0 ? "/" : p.substring(0, last);
    }

    static Instant parseDate(String s) {
        String t = s.replace('-', ' ').strip();
        for (DateTimeFormatter f : DATE_FORMATS) {
            try {
                return ZonedDateTime.parse(t, f).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
            try {
                return ZonedDateTime.parse(s.strip(), f).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        return null;
    }
}
