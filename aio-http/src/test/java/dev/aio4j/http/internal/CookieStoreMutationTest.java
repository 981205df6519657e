package dev.aio4j.http.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link CookieStore} that its mutants (issue 11) showed untested: the size bound at and
 * one past it, the limits at and one past them, which cookie is evicted, Max-Age overflow, and
 * the counts the jar reports. aio4j-only; complements {@link CookieStoreTest}.
 */
class CookieStoreMutationTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final URI EXAMPLE = URI.create("http://www.example.com/");

    private static List<String> names(CookieStore jar, URI url, Instant now) {
        return jar.cookiesFor(url, now).stream().map(CookieStore.Cookie::name).toList();
    }

    @Test
    void nameAndValueOf4096BytesAreKept4097AreNot_issue11() {
        CookieStore jar = new CookieStore();
        assertTrue(jar.setCookie(EXAMPLE, "n=" + "v".repeat(4095), T0));
        assertFalse(jar.setCookie(EXAMPLE, "m=" + "v".repeat(4096), T0));
        assertEquals(List.of("n"), names(jar, EXAMPLE, T0));
    }

    @Test
    void aJarAtItsLimitsKeepsItsExpiredCookies_issue11() {
        // Per domain: two cookies fill the domain; the expired one stays until a third arrives.
        CookieStore perDomain = new CookieStore(2, 100);
        perDomain.setCookie(EXAMPLE, "short=1; Max-Age=1", T0);
        perDomain.setCookie(EXAMPLE, "live=1", T0.plusSeconds(10));
        assertEquals(2, perDomain.size(), "at the limit, not over it: nothing is purged");
        // In all: likewise with two domains.
        CookieStore total = new CookieStore(50, 2);
        total.setCookie(URI.create("http://a.org/"), "short=1; Max-Age=1", T0);
        total.setCookie(URI.create("http://b.org/"), "live=1", T0.plusSeconds(10));
        assertEquals(2, total.size());
    }

    @Test
    void onlyTheCookiesOfTheSameDomainCountAgainstItsLimit_issue11() {
        CookieStore jar = new CookieStore(2, 100);
        jar.setCookie(URI.create("http://a.org/"), "short=1; Max-Age=1", T0);
        jar.setCookie(EXAMPLE, "b1=1", T0.plusSeconds(10));
        jar.setCookie(EXAMPLE, "b2=1", T0.plusSeconds(11));
        assertEquals(3, jar.size(), "www.example.com holds 2 of 2; a.org's expired cookie is not purged for it");
    }

    @Test
    void aFullDomainEvictsItsOwnOldestCookieNotAnotherDomains_issue11() {
        CookieStore jar = new CookieStore(2, 100);
        URI other = URI.create("http://a.org/");
        jar.setCookie(other, "oldest=1", T0);
        jar.setCookie(EXAMPLE, "b1=1", T0.plusSeconds(1));
        jar.setCookie(EXAMPLE, "b2=1", T0.plusSeconds(2));
        jar.setCookie(EXAMPLE, "b3=1", T0.plusSeconds(3));
        assertEquals(3, jar.size());
        assertEquals(List.of("oldest"), names(jar, other, T0.plusSeconds(3)));
        assertEquals(List.of("b2", "b3"), names(jar, EXAMPLE, T0.plusSeconds(3)));
    }

    @Test
    void removeExpiredReturnsHowManyWentAndClearEmptiesTheJar_issue11() {
        CookieStore jar = new CookieStore();
        jar.setCookie(EXAMPLE, "a=1; Max-Age=5", T0);
        jar.setCookie(EXAMPLE, "b=1; Max-Age=5", T0);
        jar.setCookie(EXAMPLE, "c=1", T0);
        assertEquals(0, jar.removeExpired(T0.plusSeconds(4)));
        assertEquals(2, jar.removeExpired(T0.plusSeconds(5)));
        assertEquals(1, jar.size());
        assertEquals("CookieStore[1 cookies, maxPerDomain=50, maxTotal=3000]", jar.toString());
        jar.clear();
        assertEquals(0, jar.size());
        assertNull(jar.cookieHeader(EXAMPLE, T0));
        assertEquals("CookieStore[0 cookies, maxPerDomain=50, maxTotal=3000]", jar.toString());
    }

    @Test
    void maxAgeThatOverflowsALongIsCappedOrDeletes_issue11() {
        CookieStore jar = new CookieStore();
        assertTrue(jar.setCookie(EXAMPLE, "big=1; Max-Age=99999999999999999999", T0));
        CookieStore.Cookie big = jar.cookiesFor(EXAMPLE, T0).get(0);
        assertEquals(T0.plus(Duration.ofDays(400)), big.expires(), "capped at 400 days");
        assertTrue(jar.setCookie(EXAMPLE, "big=1; Max-Age=-99999999999999999999", T0));
        assertEquals(0, jar.size(), "a negative Max-Age deletes the cookie");
    }

    @Test
    void expiresWithANegativeNumericZoneIsParsed_issue11() {
        // RFC 6265 5.1.1 never reads a zone: the time is UTC whatever follows it (as browsers and aiohttp).
        assertEquals(Instant.parse("2027-01-21T07:28:00Z"), CookieStore.parseDate("Thu, 21 Jan 2027 07:28:00 -0100"));
        assertEquals(Instant.parse("2027-01-21T07:28:00Z"), CookieStore.parseDate("Thu, 21-Jan-2027 07:28:00 GMT"));
    }

    @Test
    void aDomainEqualToAnIpHostIsHostOnlyADomainEqualToANameIsNot_issue11() {
        CookieStore jar = new CookieStore();
        URI ip = URI.create("http://10.0.0.1/");
        assertTrue(jar.setCookie(ip, "ip=1; Domain=10.0.0.1", T0));
        assertTrue(jar.cookiesFor(ip, T0).get(0).hostOnly());
        URI name = URI.create("http://example.com/");
        assertTrue(jar.setCookie(name, "n=1; Domain=example.com", T0));
        assertFalse(jar.cookiesFor(name, T0).get(0).hostOnly());
        assertTrue(jar.setCookie(name, "h=1", T0));
        assertTrue(jar.cookiesFor(name, T0).stream().filter(c -> c.name().equals("h")).findFirst().orElseThrow().hostOnly());
    }
}
