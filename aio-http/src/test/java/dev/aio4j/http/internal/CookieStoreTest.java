package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cookie jar, stepping through time with an explicit {@code now}. Mirrors aiohttp's
 * {@code tests/test_cookiejar.py} (test_domain_filter_ip_cookie_send, test_path_filter,
 * test_expires, test_max_age, ...), written fresh.
 */
class CookieStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final URI EXAMPLE = URI.create("http://www.example.com/dir/page");
    private final CookieStore jar = new CookieStore();

    @Test
    void hostOnlyCookie() {
        assertTrue(jar.setCookie(EXAMPLE, "a=1", T0));
        assertEquals("a=1", jar.cookieHeader(URI.create("http://www.example.com/dir/x"), T0));
        assertNull(jar.cookieHeader(URI.create("http://sub.www.example.com/dir/x"), T0), "host-only: not for subdomains");
        assertNull(jar.cookieHeader(URI.create("http://example.com/dir/x"), T0));
    }

    @Test
    void domainCookie() {
        assertTrue(jar.setCookie(EXAMPLE, "d=1; Domain=.Example.com; Path=/", T0));
        assertEquals("d=1", jar.cookieHeader(URI.create("http://example.com/"), T0));
        assertEquals("d=1", jar.cookieHeader(URI.create("http://a.b.example.com/x"), T0));
        assertNull(jar.cookieHeader(URI.create("http://notexample.com/"), T0));
    }

    @Test
    void domainThatDoesNotMatchIsRefused() {
        assertFalse(jar.setCookie(EXAMPLE, "x=1; Domain=other.com", T0));
        assertFalse(jar.setCookie(EXAMPLE, "x=1; Domain=com", T0), "no public suffix list: a dotless domain is refused");
        assertFalse(jar.setCookie(EXAMPLE, "x=1; Domain=sub.www.example.com", T0));
        assertEquals(0, jar.size());
    }

    @Test
    void domainFilterIpCookie() {
        URI ip = URI.create("http://127.0.0.1/");
        assertTrue(jar.setCookie(ip, "ip=1", T0));
        assertTrue(jar.setCookie(ip, "same=1; Domain=127.0.0.1", T0));
        assertFalse(jar.setCookie(ip, "parent=1; Domain=0.0.1", T0));
        assertEquals("ip=1; same=1", jar.cookieHeader(ip, T0));
        assertNull(jar.cookieHeader(URI.create("http://127.0.0.2/"), T0));
    }

    @Test
    void pathFilter() {
        jar.setCookie(EXAMPLE, "default=1", T0);                 // default path /dir
        jar.setCookie(EXAMPLE, "root=1; Path=/", T0);
        jar.setCookie(EXAMPLE, "deep=1; Path=/dir/sub", T0);
        assertEquals("default=1; root=1", jar.cookieHeader(URI.create("http://www.example.com/dir"), T0));
        assertEquals("deep=1; default=1; root=1", jar.cookieHeader(URI.create("http://www.example.com/dir/sub/x"), T0));
        assertEquals("root=1", jar.cookieHeader(URI.create("http://www.example.com/directory"), T0),
                "/dir does not path-match /directory");
        assertEquals("root=1", jar.cookieHeader(URI.create("http://www.example.com"), T0));
    }

    @Test
    void defaultPaths() {
        assertEquals("/", CookieStore.defaultPath(URI.create("http://h")));
        assertEquals("/", CookieStore.defaultPath(URI.create("http://h/page")));
        assertEquals("/a/b", CookieStore.defaultPath(URI.create("http://h/a/b/c")));
        assertTrue(CookieStore.pathMatches("/a/b", "/a/"));
        assertFalse(CookieStore.pathMatches("/ab", "/a"));
    }

    @Test
    void orderIsLongerPathThenOlder() {
        jar.setCookie(EXAMPLE, "b=1; Path=/", T0.plusSeconds(1));
        jar.setCookie(EXAMPLE, "a=1; Path=/", T0);
        jar.setCookie(EXAMPLE, "c=1; Path=/dir", T0.plusSeconds(5));
        assertEquals("c=1; a=1; b=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(10)));
    }

    @Test
    void maxAge() {
        jar.setCookie(EXAMPLE, "m=1; Max-Age=10; Expires=Wed, 09 Jun 2100 10:18:14 GMT", T0);
        // t0+9.999s: still there
        assertEquals("m=1", jar.cookieHeader(EXAMPLE, T0.plusMillis(9_999)));
        // t0+10s: expired exactly at Max-Age (Max-Age wins over Expires)
        assertNull(jar.cookieHeader(EXAMPLE, T0.plusSeconds(10)));
        assertEquals(1, jar.removeExpired(T0.plusSeconds(10)));
        assertEquals(0, jar.size());
    }

    @Test
    void expires() {
        jar.setCookie(EXAMPLE, "e=1; Expires=Thu, 01 Jan 2026 00:01:00 GMT", T0);
        jar.setCookie(EXAMPLE, "n=1; expires=Thu, 01-Jan-2026 00:02:00 GMT", T0);
        jar.setCookie(EXAMPLE, "bad=1; Expires=someday", T0);
        assertEquals("e=1; n=1; bad=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(59)));
        assertEquals("n=1; bad=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(60)));
        assertEquals("bad=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(120)), "an unparsable Expires leaves a session cookie");
    }

    @Test
    void zeroOrNegativeMaxAgeDeletes() {
        jar.setCookie(EXAMPLE, "a=1", T0);
        assertTrue(jar.setCookie(EXAMPLE, "a=gone; Max-Age=0", T0.plusSeconds(1)));
        assertEquals(0, jar.size());
        jar.setCookie(EXAMPLE, "b=1", T0);
        jar.setCookie(EXAMPLE, "b=1; Max-Age=-5", T0);
        assertEquals(0, jar.size());
    }

    @Test
    void replacementKeepsCreationTime() {
        jar.setCookie(EXAMPLE, "a=1; Path=/", T0);
        jar.setCookie(EXAMPLE, "b=1; Path=/", T0.plusSeconds(1));
        jar.setCookie(EXAMPLE, "a=2; Path=/", T0.plusSeconds(2));
        assertEquals("a=2; b=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(3)));
        assertEquals(2, jar.size());
    }

    @Test
    void secureCookies() {
        URI https = URI.create("https://www.example.com/dir/page");
        assertFalse(jar.setCookie(EXAMPLE, "s=1; Secure", T0), "a Secure cookie from http is refused");
        assertTrue(jar.setCookie(https, "s=1; Secure; HttpOnly; SameSite=Strict", T0));
        assertEquals("s=1", jar.cookieHeader(https, T0));
        assertNull(jar.cookieHeader(EXAMPLE, T0), "never sent over http");
        assertTrue(jar.cookiesFor(https, T0).get(0).httpOnly(), "HttpOnly is recorded, and ignored by the client");
    }

    @Test
    void malformedCookiesAreIgnored() {
        assertFalse(jar.setCookie(EXAMPLE, "novalue", T0));
        assertFalse(jar.setCookie(EXAMPLE, "=value", T0));
        assertFalse(jar.setCookie(EXAMPLE, "big=" + "x".repeat(5000), T0));
        assertTrue(jar.setCookie(EXAMPLE, " spaced = v v ; Path=/", T0));
        assertEquals("spaced=v v", jar.cookieHeader(EXAMPLE, T0));
    }

    @Test
    void parseReadsTheFieldsBeforeTheJarsRules() { // aio4j-only: the one Set-Cookie parser, shared with ClientResponse.cookies()
        CookieStore.Fields f = CookieStore.parse("sid=\"a b\"; Domain=.Example.COM; Path=/x; Expires=Thu, 21 Jan 2027 07:28:00 GMT; "
                + "Max-Age=60; Secure; HttpOnly; SameSite=Lax; Priority=High");
        assertEquals(new CookieStore.Fields("sid", "\"a b\"", Instant.parse("2027-01-21T07:28:00Z"), 60L, "example.com", "/x",
                true, true, "Lax"), f);
        assertEquals(new CookieStore.Fields("a", "", null, null, null, null, false, false, null),
                CookieStore.parse("a=; Expires=never; Max-Age=soon; Domain=; Path=relative"));
        assertEquals(Long.MAX_VALUE, CookieStore.parse("a=1; Max-Age=99999999999999999999").maxAge());
        assertEquals(Long.MIN_VALUE, CookieStore.parse("a=1; Max-Age=-99999999999999999999").maxAge());
        assertNull(CookieStore.parse("novalue"));
        assertNull(CookieStore.parse("=value"));
        assertNull(CookieStore.parse("big=" + "x".repeat(5000)));
    }

    @Test
    void updateFromResponseHeaders() {
        jar.update(EXAMPLE, Headers.of("Set-Cookie", "a=1", "set-cookie", "b=2", "X", "y"), T0);
        assertEquals(2, jar.size());
    }

    @Test
    void limitsEvictExpiredThenOldest() {
        CookieStore small = new CookieStore(3, 5);
        for (int i = 0; i < 4; i++) {
            small.setCookie(EXAMPLE, "c" + i + "=1; Path=/", T0.plusSeconds(i));
        }
        assertEquals(3, small.size());
        assertEquals("c1=1; c2=1; c3=1", small.cookieHeader(EXAMPLE, T0.plusSeconds(10)), "the oldest of the domain went");
        small.setCookie(URI.create("http://a.org/"), "x=1; Max-Age=1", T0);
        small.setCookie(URI.create("http://b.org/"), "y=1", T0.plusSeconds(1));
        // total 5 now; at t0+2 the expired x goes first
        small.setCookie(URI.create("http://c.org/"), "z=1", T0.plusSeconds(2));
        assertEquals(5, small.size());
        assertNull(small.cookieHeader(URI.create("http://a.org/"), T0));
        assertEquals(List.of("y"), small.cookiesFor(URI.create("http://b.org/"), T0.plusSeconds(2)).stream().map(CookieStore.Cookie::name).toList());
    }

    @Test
    void domainFilterSameHost() { // aiohttp: test_domain_filter_same_host / _and_subdomain
        URI host = URI.create("http://example.com/");
        assertTrue(jar.setCookie(host, "d=1; Domain=example.com; Path=/", T0), "Domain equal to the request host is accepted");
        assertEquals("d=1", jar.cookieHeader(host, T0));
        assertEquals("d=1", jar.cookieHeader(URI.create("http://sub.example.com/"), T0),
                "with a Domain attribute the cookie is not host-only: subdomains get it");
        assertNull(jar.cookieHeader(URI.create("http://anotherexample.com/"), T0));
        assertFalse(jar.cookiesFor(host, T0).get(0).hostOnly());
    }

    @Test
    void dotlessDomainEqualToTheHostIsAccepted() { // aio4j-only: Domain=localhost from localhost
        URI localhost = URI.create("http://localhost:8080/");
        assertTrue(jar.setCookie(localhost, "l=1; Domain=localhost; Path=/", T0));
        assertEquals("l=1", jar.cookieHeader(localhost, T0));
        assertFalse(jar.setCookie(URI.create("http://other/"), "l=1; Domain=localhost", T0), "from another host it is refused");
    }

    @Test
    void expiredCookiesArePurgedBeforeALiveOneIsEvicted_total() { // aiohttp: test_cookie_jar_clear_expired (at capacity)
        CookieStore small = new CookieStore(50, 3);
        small.setCookie(URI.create("http://a.org/"), "oldLive=1", T0);
        small.setCookie(URI.create("http://b.org/"), "live=1", T0.plusSeconds(1));
        // the newest cookie is the one that expires: eviction by age alone would remove oldLive
        small.setCookie(URI.create("http://c.org/"), "shortLived=1; Max-Age=5", T0.plusSeconds(2));
        // t0+10: shortLived expired at t0+7; a fourth cookie takes its place, not oldLive's
        small.setCookie(URI.create("http://d.org/"), "new=1", T0.plusSeconds(10));
        assertEquals(3, small.size());
        assertEquals("oldLive=1", small.cookieHeader(URI.create("http://a.org/"), T0.plusSeconds(10)));
        assertEquals("live=1", small.cookieHeader(URI.create("http://b.org/"), T0.plusSeconds(10)));
        assertEquals("new=1", small.cookieHeader(URI.create("http://d.org/"), T0.plusSeconds(10)));
    }

    @Test
    void expiredCookiesArePurgedBeforeALiveOneIsEvicted_perDomain() { // aio4j-only
        CookieStore small = new CookieStore(2, 100);
        small.setCookie(EXAMPLE, "oldLive=1; Path=/", T0);
        small.setCookie(EXAMPLE, "shortLived=1; Path=/; Max-Age=5", T0.plusSeconds(1));
        // t0+10: the domain is full, but one of its cookies expired at t0+6
        small.setCookie(EXAMPLE, "new=1; Path=/", T0.plusSeconds(10));
        assertEquals(2, small.size());
        assertEquals("oldLive=1; new=1", small.cookieHeader(EXAMPLE, T0.plusSeconds(10)));
    }

    /** aiohttp tests/test_cookiejar.py test_date_parsing, case by case. */
    @Test
    void dateParsing() {
        assertNull(CookieStore.parseDate(""));
        // 70 -> 1970, 10 -> 2010
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), CookieStore.parseDate("Tue, 1 Jan 70 00:00:00 GMT"));
        assertEquals(Instant.parse("2010-01-01T00:00:00Z"), CookieStore.parseDate("Tue, 1 Jan 10 00:00:00 GMT"));
        // no day of week; no time zone
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 1970 00:00:00 GMT"));
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), CookieStore.parseDate("Tue, 1 Jan 1970 00:00:00"));
        assertNull(CookieStore.parseDate("Tue, 1 Jan 00:00:00 GMT"), "no year");
        assertNull(CookieStore.parseDate("Tue, 1 1970 00:00:00 GMT"), "no month");
        assertNull(CookieStore.parseDate("Tue, Jan 1970 00:00:00 GMT"), "no day of month");
        assertNull(CookieStore.parseDate("Tue, 1 Jan 1970 GMT"), "no time");
        assertNull(CookieStore.parseDate("Tue, 0 Jan 1970 00:00:00 GMT"), "invalid day of month");
        assertNull(CookieStore.parseDate("Tue, 1 Jan 1500 00:00:00 GMT"), "invalid year");
        assertNull(CookieStore.parseDate("Tue, 1 Jan 1970 77:88:99 GMT"), "invalid time");
        // invalid digits (RFC 6265 5.1.1 counts only ASCII digits)
        assertNull(CookieStore.parseDate("Tue, \u0661 Jan \u0661\u0669\u0667\u0660 \u0660\u0660:\u0660\u0660:\u0660\u0660 GMT"));
        assertNull(CookieStore.parseDate("Tue, \uFF11 Jan \uFF11\uFF19\uFF17\uFF10 \uFF10\uFF10:\uFF10\uFF10:\uFF10\uFF10 GMT"));
        assertNull(CookieStore.parseDate("Tue, 1 Jan 1970 \u0660\u0660:\u0660\u0660:\u0660\u0660 GMT"));
    }

    /** aio4j-only: the rest of RFC 6265 section 5.1.1, beyond aiohttp's cases. */
    @Test
    void dateParsingRfc6265Algorithm() {
        Instant t = Instant.parse("2027-01-21T07:28:00Z");
        // the three formats of RFC 9110 section 5.6.7 and Netscape's dashes
        assertEquals(t, CookieStore.parseDate("Thu, 21 Jan 2027 07:28:00 GMT"));
        assertEquals(t, CookieStore.parseDate("Thursday, 21-Jan-27 07:28:00 GMT"));
        assertEquals(t, CookieStore.parseDate("Thu Jan 21 07:28:00 2027"));
        assertEquals(t, CookieStore.parseDate("Thu, 21-Jan-2027 07:28:00 GMT"));
        // tokens in any order, any delimiters, month names in any case and longer
        assertEquals(t, CookieStore.parseDate("2027 07:28:00 JANUARY 21"));
        assertEquals(t, CookieStore.parseDate("21/jan/2027;07:28:00"));
        assertEquals(Instant.parse("2027-01-21T07:08:09Z"), CookieStore.parseDate("Thu, 21 Jan 2027 7:8:9 GMT"));
        // the zone is never read: the time is UTC (browsers, aiohttp)
        assertEquals(t, CookieStore.parseDate("Thu, 21 Jan 2027 07:28:00 -0100"));
        assertEquals(t, CookieStore.parseDate("Thu, 21 Jan 2027 07:28:00 PST"));
        // a token's digits must end in a non-digit: 123 is not a day, 12345 not a year, 07:28:000 not a time
        assertNull(CookieStore.parseDate("Thu, 123 Jan 2027 07:28:00 GMT"));
        assertNull(CookieStore.parseDate("Thu, 21 Jan 12345 07:28:00 GMT"));
        assertEquals(t, CookieStore.parseDate("Thu, 21th Jan 2027ad 07:28:00z GMT"), "digits then non-digits are fine");
        assertNull(CookieStore.parseDate("Thu, 21 Jan 07:28:000 GMT 2027"), "07:28:000 is no time (it reads as the year 07), so no time is found");
        // the first token of each kind wins; later look-alikes are ignored
        assertEquals(t, CookieStore.parseDate("Thu, 21 Jan 2027 07:28:00 GMT 22 Feb 2028 08:00:00"));
        // two-digit years: 0-69 -> 20xx, 70-99 -> 19xx; a three-digit year is taken as is (< 1601: refused)
        assertEquals(Instant.parse("2069-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 69 00:00:00"));
        assertEquals(Instant.parse("1999-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 99 00:00:00"));
        assertNull(CookieStore.parseDate("1 Jan 999 00:00:00"));
        assertEquals(Instant.parse("1601-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 1601 00:00:00"));
        // bounds: day 1-31, hour 23, minute and second 59; a date that does not exist is refused
        assertEquals(Instant.parse("2027-01-31T23:59:59Z"), CookieStore.parseDate("31 Jan 2027 23:59:59"));
        assertNull(CookieStore.parseDate("32 Jan 2027 00:00:00"));
        assertNull(CookieStore.parseDate("1 Jan 2027 24:00:00"));
        assertNull(CookieStore.parseDate("1 Jan 2027 00:60:00"));
        assertNull(CookieStore.parseDate("1 Jan 2027 00:00:60"));
        assertNull(CookieStore.parseDate("30 Feb 2027 00:00:00"));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), CookieStore.parseDate("29 Feb 2028 00:00:00"));
        assertNull(CookieStore.parseDate("29 Feb 2027 00:00:00"));
        assertNull(CookieStore.parseDate("someday"));
    }

    /** aio4j-only: RFC 6265 5.1.1's delimiters, each at the edge of its range, and the characters just outside. */
    @Test
    void dateParsingDelimiters() {
        Instant t = Instant.parse("1970-01-01T00:00:00Z");
        for (char d : new char[] {'\t', ' ', '!', '/', ';', '@', '[', '`', '{', '~'}) {
            assertEquals(t, CookieStore.parseDate(d + "1" + d + "Jan" + d + "1970" + d + "00:00:00" + d),
                    "delimiter U+" + Integer.toHexString(d));
        }
        for (char x : new char[] {'\u0008', '\u001f', ':', '0', 'A', 'Z', 'a', 'z', '\u007f', '\u00ff'}) {
            assertNull(CookieStore.parseDate(x + "1 " + x + "Jan " + x + "1970 " + x + "00:00:00"),
                    "U+" + Integer.toHexString(x) + " is part of a token, not a delimiter");
        }
    }

    /** aio4j-only: the first token of each kind is kept, also when its value is 0. */
    @Test
    void dateParsingFirstTokenOfEachKindWins() {
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 1970 00:00:00 12:34:56"));
        assertNull(CookieStore.parseDate("0 1 Jan 1970 00:00:00"), "day 0 is the day (and invalid); 1 is then no year");
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"), CookieStore.parseDate("1 Jan 00 00:00:00 1999"), "year 00 is 2000");
        assertEquals(Instant.parse("2027-04-01T00:00:00Z"), CookieStore.parseDate("1 APR 2027 00:00:00"));
        assertEquals(Instant.parse("2027-12-01T00:00:00Z"), CookieStore.parseDate("1 DECEMBER 2027 00:00:00"));
        assertNull(CookieStore.parseDate("1 Ja 2027 00:00:00"), "a month needs three letters");
        assertNull(CookieStore.parseDate("1 Jan 2027 07:28"), "hh:mm is no time");
        assertNull(CookieStore.parseDate("1 Jan 2027 07:28:"), "hh:mm: is no time");
        assertNull(CookieStore.parseDate("1 Jan 2027 :07:28"));
    }

    /** RFC 6265 5.2.1: an Expires that does not parse is ignored, so the cookie is a session cookie. */
    @Test
    void unparsableExpiresIsIgnored() {
        assertTrue(jar.setCookie(EXAMPLE, "a=1; Expires=Thu, 30 Feb 2027 00:00:00 GMT", T0));
        assertTrue(jar.setCookie(EXAMPLE, "b=1; Expires=1 Jan 70 00:00:00", T0)); // parses: in the past, deletes
        assertTrue(jar.setCookie(EXAMPLE, "c=1; Expires=Jan 2 2026 00:00:00", T0));
        assertEquals("a=1; c=1", jar.cookieHeader(EXAMPLE, T0));
        assertNull(jar.cookiesFor(EXAMPLE, T0).get(0).expires());
        assertEquals("a=1", jar.cookieHeader(EXAMPLE, T0.plusSeconds(86400)));
    }
}
