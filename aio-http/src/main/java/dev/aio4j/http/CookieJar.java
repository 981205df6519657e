package dev.aio4j.http;

import dev.aio4j.http.internal.CookieStore;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session's cookie jar: RFC 6265's storage model (expiry, {@code Domain} and {@code Path}
 * matching, host-only and {@code Secure} cookies, the {@code Cookie} header order), bounded to
 * 50 cookies per domain and 3000 in all.
 *
 * <pre>{@code
 * CookieJar jar = new CookieJar(true);                  // unsafe: also keep cookies from 127.0.0.1
 * ClientSession session = ClientSession.builder().cookieJar(jar).build();
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.CookieJar(unsafe=False)}. By default, as aiohttp's, cookies
 * from a host given as an IP address are ignored; {@code unsafe} keeps them (host-only, or with a
 * {@code Domain} equal to the address). <b>Differences:</b> no {@code quote_cookie},
 * {@code treat_as_secure_origin} or {@code save}/{@code load}; no public suffix list: a
 * {@code Domain} without a dot is refused instead.
 *
 * <p><b>Threading:</b> not thread-safe; one session's loop uses it.
 *
 * @since 0.2
 */
public final class CookieJar implements AbstractCookieJar {
    private final CookieStore store = new CookieStore();
    private final boolean unsafe;

    /** A jar that ignores cookies from IP-address hosts, as aiohttp's default. */
    public CookieJar() {
        this(false);
    }

    /**
     * A jar; {@code unsafe} keeps cookies from IP-address hosts too: {@code CookieJar(unsafe=True)}.
     *
     * @param unsafe whether to accept cookies from hosts given as IP addresses
     */
    public CookieJar(boolean unsafe) {
        this.unsafe = unsafe;
    }

    /**
     * Returns whether cookies from IP-address hosts are kept.
     *
     * @return the {@code unsafe} flag
     */
    public boolean unsafe() {
        return unsafe;
    }

    @Override
    public void updateCookies(URI responseUrl, Headers responseHeaders, Instant now) {
        Checks.notNull(responseUrl, "responseUrl");
        if (!unsafe && responseUrl.getHost() != null && IpLiterals.isIpLiteral(stripBrackets(responseUrl.getHost()))) {
            return;
        }
        store.update(responseUrl, responseHeaders, now);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public Map<String, String> filterCookies(URI requestUrl, Instant now) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CookieStore.Cookie c : store.cookiesFor(requestUrl, now)) {
            out.putIfAbsent(c.name(), c.value());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Forgets the cookies expired at {@code now}.
     *
     * @param now the current time
     * @return how many were removed
     */
    public int removeExpired(Instant now) {
        return store.removeExpired(now);
    }

    @Override
    public void clear() {
        store.clear();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public String toString() {
        return "CookieJar[" + store.size() + " cookies" + (unsafe ? ", unsafe" : "") + "]";
    }
}
