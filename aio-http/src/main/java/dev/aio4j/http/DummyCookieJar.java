package dev.aio4j.http;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A cookie jar that keeps nothing: responses' cookies are ignored and requests carry only the
 * {@code Cookie} headers they were given.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.DummyCookieJar}.
 *
 * @since 0.2
 */
public final class DummyCookieJar implements AbstractCookieJar {
    /** The jar. */
    public DummyCookieJar() {}

    @Override
    public void updateCookies(URI responseUrl, Headers responseHeaders, Instant now) {
        // keeps nothing
    }

    @Override
    public Map<String, String> filterCookies(URI requestUrl, Instant now) {
        return Map.of();
    }

    @Override
    public void clear() {
        // nothing to forget
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public String toString() {
        return "DummyCookieJar";
    }
}
