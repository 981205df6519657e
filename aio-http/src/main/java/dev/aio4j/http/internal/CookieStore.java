package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;
import dev.aio4j.http.Headers;

import java.net.URI;
import java.time.Instant;
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
     * One {@code Set-Cookie} field as RFC 6265 section 5.2 parses it, before any rule of the jar
     * (domain and path matching, {@code Secure} from http, expiry against a clock) is applied:
     * what the jar stores from, and what {@code ClientResponse.cookies()} shows.
     *
     * @param name the cookie's name, not empty
     * @param value the cookie's value as sent (surrounding quotes kept, as RFC 6265 keeps them)
     * @param expires the last {@code Expires} that is a cookie date (5.1.1), or {@code null}
     * @param maxAge the last {@code Max-Age} that is an integer, in seconds (a number too large
     *     for a {@code long} saturates), or {@code null}; it wins over {@code expires}
     * @param domain the last non-empty {@code Domain} without its leading dot, in lower case, or {@code null}
     * @param path the last {@code Path} if it starts with {@code /}, or {@code null} (the default path)
     * @param secure whether {@code Secure} was given
     * @param httpOnly whether {@code HttpOnly} was given
     * @param sameSite the last {@code SameSite} value as given, or {@code null}
     */
    public record Fields(String name, String value, Instant expires, Long maxAge, String domain, String path,
                         boolean secure, boolean httpOnly, String sameSite) {}

    /**
     * Parses one {@code Set-Cookie} value (RFC 6265 section 5.2): the name and value before the
     * first {@code ;}, split at their first {@code =}, then the attributes, unknown ones ignored.
     * The jar's only parser of {@code Set-Cookie}.
     *
     * @param setCookie the field value
     * @return the fields, or {@code null} if the value is to be ignored: no {@code =} in the
     *     name-value pair, an empty name, or a name and value of more than 4096 characters
     */
    public static Fields parse(String setCookie) {
        String[] parts = setCookie.split(";", -1);
        int eq = parts[0].indexOf('=');
        if (eq < 0) {
            return null;
        }
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        if (name.isEmpty() || name.length() + value.length() > MAX_COOKIE_BYTES) {
            return null;
        }
        Instant expires = null;
        Long maxAge = null;
        String domain = null;
        String path = null;
        boolean secure = false;
        boolean httpOnly = false;
        String sameSite = null;
        for (int i = 1; i < parts.length; i++) {
            String av = parts[i];
            int e = av.indexOf('=');
            String an = (e < 0 ? av : av.substring(0, e)).strip().toLowerCase(Locale.ROOT);
            String aval = e < 0 ? "" : av.substring(e + 1).strip();
            switch (an) {
                case "expires" -> {
                    Instant t = parseDate(aval);
                    if (t != null) {
                        expires = t;
                    }
                }
                case "max-age" -> {
                    if (aval.matches("-?[0-9]+")) {
                        try {
                            maxAge = Long.parseLong(aval);
                        } catch (NumberFormatException overflow) {
                            maxAge = aval.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
                        }
                    }
                }
                case "domain" -> {
                    String d = aval.startsWith(".") ? aval.substring(1) : aval;
                    if (!d.isEmpty()) {
                        domain = d.toLowerCase(Locale.ROOT);
                    }
                }
                case "path" -> path = aval.startsWith("/") ? aval : null;
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                case "samesite" -> sameSite = aval;
                default -> { } // Priority, Partitioned, unknown: ignored
            }
        }
        return new Fields(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /**
     * Stores one {@code Set-Cookie} value received from {@code url}.
     *
     * @return {@code true} if it was stored (or deleted a cookie, for an expired one), {@code false} if ignored
     */
    public boolean setCookie(URI url, String setCookie, Instant now) {
        Fields f = parse(setCookie);
        if (f == null) {
            return false;
        }
        String host = Urls.asciiHost(url);
        boolean https = url.getScheme().equalsIgnoreCase("https");
        String name = f.name();
        String value = f.value();
        Instant expires = f.maxAge() != null
                ? f.maxAge() <= 0 ? Instant.MIN : now.plusSeconds(Math.min(f.maxAge(), MAX_AGE_CAP_SECONDS))
                : f.expires();
        String domainAttr = f.domain();
        String path = f.path();
        boolean secure = f.secure();
        boolean httpOnly = f.httpOnly();
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

    /**
     * Parses a cookie date by RFC 6265 section 5.1.1, as browsers and aiohttp's
     * {@code CookieJar._parse_date} do: the value is split at delimiters into tokens, and the first
     * token that looks like a time ({@code hh:mm:ss}, one or two digits each), a day of month (one
     * or two digits), a month (starting with {@code jan} ... {@code dec}, any case) and a year (two
     * to four digits) is taken for each, in any order; every other token (the weekday, a zone) is
     * ignored, and the time is always UTC. Years 70 to 99 are 19xx, 0 to 69 are 20xx.
     *
     * @return the instant, or {@code null} if a part is missing or out of range (day 1 to 31 and
     *     existing in that month, year from 1601, hour to 23, minute and second to 59): the
     *     {@code Expires} attribute is then ignored
     */
    static Instant parseDate(String s) {
        boolean foundTime = false;
        boolean foundDay = false;
        boolean foundMonth = false;
        boolean foundYear = false;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int day = 0;
        int month = 0;
        int year = 0;
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && isDateDelimiter(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int start = i;
            while (i < n && !isDateDelimiter(s.charAt(i))) {
                i++;
            }
            String token = s.substring(start, i);
            int[] hms = foundTime ? null : timeToken(token);
            if (hms != null) {
                foundTime = true;
                hour = hms[0];
                minute = hms[1];
                second = hms[2];
                continue;
            }
            int v = foundDay ? -1 : digitsToken(token, 1, 2);
            if (v >= 0) {
                foundDay = true;
                day = v;
                continue;
            }
            v = foundMonth ? 0 : monthToken(token);
            if (v != 0) {
                foundMonth = true;
                month = v;
                continue;
            }
            v = foundYear ? -1 : digitsToken(token, 2, 4);
            if (v >= 0) {
                foundYear = true;
                year = v;
            }
        }
        if (!foundTime || !foundDay || !foundMonth || !foundYear) {
            return null;
        }
        if (year >= 70 && year <= 99) {
            year += 1900;
        } else if (year <= 69) {
            year += 2000;
        }
        if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null; // RFC 6265 5.1.1 step 6: no such date (February 30)
        }
        return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.UTC);
    }

    /** RFC 6265 5.1.1: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. */
    private static boolean isDateDelimiter(char c) {
        return c == 0x09 || c >= 0x20 && c <= 0x2F || c >= 0x3B && c <= 0x40 || c >= 0x5B && c <= 0x60
                || c >= 0x7B && c <= 0x7E;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code min} to {@code max} ASCII digits, then the end or a non-digit: their value; else -1. */
    private static int digitsToken(String t, int min, int max) {
        int end = digitRun(t, 0, max);
        return end >= min ? Integer.parseInt(t, 0, end, 10) : -1;
    }

    /**
     * Returns the end of the run of at most {@code max} ASCII digits at {@code from}, or -1 if the
     * run is longer (RFC 6265: the digits must be followed by the end or a non-digit).
     */
    private static int digitRun(String t, int from, int max) {
        int i = from;
        while (i < t.length() && isAsciiDigit(t.charAt(i))) {
            i++;
        }
        return i - from > max ? -1 : i - from;
    }

    /** RFC 6265's time production, {@code hh:mm:ss} with one or two digits each, then the end or a non-digit. */
    private static int[] timeToken(String t) {
        int[] out = new int[3];
        int at = 0;
        for (int f = 0; f < 3; f++) {
            int len = digitRun(t, at, 2);
            if (len < 1) {
                return null;
            }
            out[f] = Integer.parseInt(t, at, at + len, 10);
            at += len;
            if (f < 2) {
                if (at >= t.length() || t.charAt(at) != ':') {
                    return null;
                }
                at++;
            }
        }
        return out;
    }

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    /** ASCII letters in lower case; every other character as it is (so no Unicode case folding matches). */
    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** A token starting with a month's three letters (any case): 1 to 12; else 0. */
    private static int monthToken(String t) {
        if (t.length() < 3) {
            return 0;
        }
        for (int m = 0; m < MONTHS.length; m++) {
            if (asciiLower(t.charAt(0)) == MONTHS[m].charAt(0) && asciiLower(t.charAt(1)) == MONTHS[m].charAt(1)
                    && asciiLower(t.charAt(2)) == MONTHS[m].charAt(2)) {
                return m + 1;
            }
        }
        return 0;
    }
}
