package dev.aio4j.http;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * What a {@link ClientSession} asks of its cookie jar: store the cookies a response sets, and
 * pick the cookies a request sends. Implement it to keep cookies elsewhere (a database, a
 * shared store) and give it to {@link ClientSession.Builder#cookieJar(AbstractCookieJar)}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.abc.AbstractCookieJar} ({@code update_cookies},
 * {@code filter_cookies}, {@code clear}, {@code len(jar)}). <b>Differences:</b> the session
 * passes the time ({@code now}), so that a session on a virtual clock expires cookies in virtual
 * time; {@code update_cookies} takes the response's headers (every {@code Set-Cookie}).
 *
 * <p><b>Threading:</b> a session calls its jar from its own loop only.
 *
 * @since 0.2
 */
public interface AbstractCookieJar {
    /**
     * Stores the cookies of every {@code Set-Cookie} of a response: {@code update_cookies}.
     *
     * @param responseUrl the URL that answered
     * @param responseHeaders the response's headers
     * @param now the current time
     */
    void updateCookies(URI responseUrl, Headers responseHeaders, Instant now);

    /**
     * Returns the cookies to send to {@code requestUrl}, in {@code Cookie} header order:
     * {@code filter_cookies(url)}.
     *
     * @param requestUrl the URL about to be requested
     * @param now the current time
     * @return name to value, in order (empty for none)
     */
    Map<String, String> filterCookies(URI requestUrl, Instant now);

    /** Forgets every cookie: {@code clear()}. */
    void clear();

    /**
     * Returns the number of stored cookies: {@code len(jar)}.
     *
     * @return the count
     */
    int size();
}
