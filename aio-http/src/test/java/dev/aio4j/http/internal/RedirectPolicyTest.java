package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.http.TooManyRedirects;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The redirect policy as a pure function. Mirrors the redirect cases of aiohttp's
 * {@code tests/test_client_functional.py} (test_HTTP_302_REDIRECT_POST, test_HTTP_307_REDIRECT_POST,
 * test_HTTP_302_max_redirects, test_drop_auth_on_redirect_to_other_host, ...), without a server.
 */
class RedirectPolicyTest {
    private static final URI A = URI.create("http://a.example/start");
    /** The first request of the chain, which every TooManyRedirects carries (aiohttp: history[0].request_info). */
    private static final RequestInfo INFO = new RequestInfo(A, "GET", Headers.of("Accept", "*/*"), A);
    private final RedirectPolicy policy = new RedirectPolicy(10);
    private final Headers headers = Headers.of("Authorization", "Bearer t", "Cookie", "s=1",
            "Content-Type", "application/json", "Content-Length", "2", "Accept", "*/*");

    @Test
    void http302RedirectPost() {
        var r = policy.decide(302, "/next", "POST", A, A, headers, true, List.of(), INFO);
        assertEquals("GET", r.method());
        assertEquals(URI.create("http://a.example/next"), r.url());
        assertFalse(r.keepBody());
        assertFalse(r.headers().contains("Content-Type"));
        assertFalse(r.headers().contains("Content-Length"));
        assertEquals("Bearer t", r.headers().get("Authorization"), "same origin keeps credentials");
        assertEquals("*/*", r.headers().get("Accept"));
    }

    @Test
    void http301And302KeepNonPostMethods() {
        for (String m : List.of("GET", "PUT", "DELETE", "HEAD")) {
            var r = policy.decide(301, "/n", m, A, A, headers, true, List.of(), INFO);
            assertEquals(m, r.method());
            assertTrue(r.keepBody());
        }
    }

    @Test
    void http303BecomesGetExceptHead() {
        assertEquals("GET", policy.decide(303, "/n", "PUT", A, A, headers, true, List.of(), INFO).method());
        var head = policy.decide(303, "/n", "HEAD", A, A, headers, true, List.of(), INFO);
        assertEquals("HEAD", head.method());
    }

    @Test
    void http307And308KeepMethodAndBody() {
        for (int status : new int[] {307, 308}) {
            var r = policy.decide(status, "/n", "POST", A, A, headers, true, List.of(), INFO);
            assertEquals("POST", r.method());
            assertTrue(r.keepBody());
            assertEquals("application/json", r.headers().get("Content-Type"));
        }
    }

    /**
     * aiohttp test_client_functional.py test_async_iterable_payload_redirect (aiohttp's current
     * branch raises ClientPayloadError "Cannot follow redirect with a consumed request body"): a
     * redirect that keeps a one-shot body already sent fails; one that drops the body is followed.
     */
    @Test
    void aRedirectKeepingAConsumedOneShotBodyFails() {
        for (int status : new int[] {307, 308}) {
            dev.aio4j.http.ClientPayloadError e = assertThrows(dev.aio4j.http.ClientPayloadError.class,
                    () -> policy.decide(status, "/n", "POST", A, A, headers, false, List.of(), INFO));
            assertTrue(e.getMessage().contains("cannot follow the " + status + " redirect of POST to http://a.example/n: it keeps "
                    + "the request body, which was a one-shot stream"), e.getMessage());
            assertTrue(e.getMessage().contains("or use allowRedirects(false) to get the " + status + " response"), e.getMessage());
        }
        for (int status : new int[] {301, 302}) {
            assertThrows(dev.aio4j.http.ClientPayloadError.class, () -> policy.decide(status, "/n", "PUT", A, A, headers, false, List.of(), INFO),
                    "301/302 keep the body of methods other than POST");
            var r = policy.decide(status, "/n", "POST", A, A, headers, false, List.of(), INFO);
            assertEquals("GET", r.method(), "301/302 turn a POST into a GET without body, so it can be followed");
            assertFalse(r.keepBody());
        }
        assertEquals("GET", policy.decide(303, "/n", "PUT", A, A, headers, false, List.of(), INFO).method(),
                "a 303 drops the body, so it can be followed");
        assertNull(policy.decide(307, null, "POST", A, A, headers, true, List.of(), INFO), "no Location: the 307 is returned");
    }

    /**
     * aiohttp client.py {@code _request}: {@code if req._body.consumed: raise ClientPayloadError}
     * comes before {@code r_url = resp.headers.get(hdrs.LOCATION) ...}, so a 307/308 (or a 301/302
     * of another method than POST) that would keep a spent one-shot body fails even without a
     * Location, or with an unusable one. aio4j returned the 3xx without Location before.
     */
    @Test
    void aConsumedOneShotBodyIsCheckedBeforeLocation() {
        for (int status : new int[] {307, 308}) {
            dev.aio4j.http.ClientPayloadError e = assertThrows(dev.aio4j.http.ClientPayloadError.class,
                    () -> policy.decide(status, null, "POST", A, A, headers, false, List.of(), INFO));
            assertTrue(e.getMessage().startsWith("cannot follow the " + status + " redirect of POST from "
                    + "http://a.example/start (no Location): it keeps the request body"), e.getMessage());
        }
        dev.aio4j.http.ClientPayloadError bad = assertThrows(dev.aio4j.http.ClientPayloadError.class,
                () -> policy.decide(301, "ftp://files/x", "PUT", A, A, headers, false, List.of(), INFO));
        assertTrue(bad.getMessage().startsWith("cannot follow the 301 redirect of PUT from http://a.example/start "
                + "(Location: ftp://files/x): it keeps"), bad.getMessage());
        assertNull(policy.decide(302, null, "POST", A, A, headers, false, List.of(), INFO),
                "a 302 of a POST drops the body: without Location it is the response");
        assertNull(policy.decide(303, null, "PUT", A, A, headers, false, List.of(), INFO));
    }

    /**
     * aiohttp client.py {@code _request}: {@code r_url = resp.headers.get(hdrs.LOCATION) or
     * resp.headers.get(hdrs.URI)}; {@code if r_url is None: break}.
     */
    @Test
    void theTargetIsLocationOrElseUri() {
        assertEquals("/l", RedirectPolicy.location(Headers.of("Location", "/l", "URI", "/u")), "Location wins");
        assertEquals("/u", RedirectPolicy.location(Headers.of("URI", "/u")), "no Location: URI");
        assertEquals("/u", RedirectPolicy.location(Headers.of("Location", "", "URI", "/u")), "an empty Location: URI");
        assertNull(RedirectPolicy.location(Headers.of("Location", "")), "an empty Location and no URI: none");
        assertNull(RedirectPolicy.location(new Headers()), "neither: none");
        assertEquals("", RedirectPolicy.location(Headers.of("URI", "")), "an empty URI is what aiohttp follows");
        assertEquals(URI.create("http://a.example/start"), policy.decide(307, "", "GET", A, A, headers, true, List.of(), INFO).url(),
                "an empty reference is the request's own URL (RFC 3986 section 5.2)");
    }

    @Test
    void notARedirect() {
        assertNull(policy.decide(200, "/n", "GET", A, A, headers, true, List.of(), INFO));
        assertNull(policy.decide(304, "/n", "GET", A, A, headers, true, List.of(), INFO));
        assertNull(policy.decide(302, null, "GET", A, A, headers, true, List.of(), INFO), "no Location: return the 302");
    }

    @Test
    void dropAuthOnRedirectToOtherHost() {
        var r = policy.decide(302, "http://b.example/x", "GET", A, A, headers, true, List.of(), INFO);
        assertFalse(r.headers().contains("Authorization"));
        assertFalse(r.headers().contains("Cookie"));
        assertEquals("*/*", r.headers().get("Accept"));
        // a change of scheme or port is a change of origin too
        assertFalse(policy.decide(302, "https://a.example/x", "GET", A, A, headers, true, List.of(), INFO).headers().contains("Authorization"));
        assertFalse(policy.decide(302, "http://a.example:8080/x", "GET", A, A, headers, true, List.of(), INFO).headers().contains("Cookie"));
        assertTrue(policy.decide(302, "http://A.EXAMPLE:80/x", "GET", A, A, headers, true, List.of(), INFO).headers().contains("Cookie"));
    }

    @Test
    void explicitHostIsDropped() {
        var r = policy.decide(302, "http://b.example/x", "GET", A, A, Headers.of("Host", "a.example"), true, List.of(), INFO);
        assertFalse(r.headers().contains("Host"));
    }

    @Test
    void invalidRedirectLocations() {
        InvalidURL e = assertThrows(InvalidURL.class, () -> policy.decide(302, "ftp://files/x", "GET", A, A, headers, true, List.of(), INFO));
        assertEquals("invalid URL ftp://files/x: redirect from http://a.example/start to a non-HTTP URL", e.getMessage());
        assertThrows(InvalidURL.class, () -> policy.decide(302, "http://bad host/", "GET", A, A, headers, true, List.of(), INFO));
    }

    @Test
    void locationIsResolvedByRfc3986AndEncoded_issue14() {
        URI from = URI.create("http://a.example/redir/query");
        assertEquals(URI.create("http://a.example/redir/query?via=query"),
                policy.decide(302, "?via=query", "GET", from, from, headers, true, List.of(), INFO).url());
        assertEquals(URI.create("http://a.example/x"), policy.decide(302, "../../../x", "GET", from, from, headers, true, List.of(), INFO).url());
        // The parser reads header bytes as ISO-8859-1: raw UTF-8 "é" arrives as "\u00c3\u00a9" and goes out as the server's bytes.
        assertEquals(URI.create("http://a.example/caf%C3%A9"),
                policy.decide(302, "/caf\u00c3\u00a9", "GET", from, from, headers, true, List.of(), INFO).url());
    }

    @Test
    void fragmentOfLocationIsKeptAndTheBasesIsNot() { // aiohttp: url.join(parsed_redirect_url), RFC 3986 5.2.2
        assertEquals(URI.create("http://a.example/n#part"), policy.decide(302, "/n#part", "GET", A, A, headers, true, List.of(), INFO).url());
        assertEquals(URI.create("http://b.example/n#part"),
                policy.decide(302, "http://b.example/n#part", "GET", A, A, headers, true, List.of(), INFO).url());
        URI withFragment = URI.create("http://a.example/p?q=1#old");
        assertEquals(URI.create("http://a.example/n"), policy.decide(302, "/n", "GET", withFragment, withFragment, headers, true, List.of(), INFO).url());
        assertEquals(URI.create("http://a.example/p?q=1#new"),
                policy.decide(302, "#new", "GET", withFragment, withFragment, headers, true, List.of(), INFO).url());
    }

    @Test
    void aLoopIsFoundWhateverTheFragments() { // aio4j-only: the loop check compares URLs without fragments
        URI a = URI.create("http://a.example/a");
        URI b = URI.create("http://a.example/b#one");
        List<RedirectPolicy.Hop> history = List.of(new RedirectPolicy.Hop("GET", a, b));
        TooManyRedirects e = assertThrows(TooManyRedirects.class,
                () -> policy.decide(302, "/b#two", "GET", URI.create("http://a.example/a#x"), URI.create("http://a.example/a#x"), headers, true, history, INFO));
        assertTrue(e.getMessage().contains("was redirected to http://a.example/b twice"), e.getMessage());
    }

    @Test
    void http302MaxRedirects() { // test_HTTP_302_max_redirects: max_redirects=2 raises at the 2nd redirect, history of 2
        RedirectPolicy two = new RedirectPolicy(2);
        List<RedirectPolicy.Hop> history = new ArrayList<>();
        var r = two.decide(302, "/r0", "GET", A, A, headers, true, history, INFO);
        history.add(new RedirectPolicy.Hop("GET", A, r.url()));
        URI last = r.url();
        TooManyRedirects e = assertThrows(TooManyRedirects.class, () -> two.decide(302, "/r9", "GET", last, last, headers, true, history, INFO));
        assertEquals("302, message='redirect 2 reached maxRedirects=2 (next: http://a.example/r9)', url=http://a.example/r0",
                e.getMessage());
        assertEquals(List.of(A, URI.create("http://a.example/r0")), e.history(), "two redirect responses, as aiohttp's history");
        assertEquals(302, e.status());
        TooManyRedirects one = assertThrows(TooManyRedirects.class,
                () -> new RedirectPolicy(1).decide(301, "/x", "GET", A, A, headers, true, List.of(), INFO));
        assertEquals("301, message='redirect 1 reached maxRedirects=1 (next: http://a.example/x)', url=http://a.example/start",
                one.getMessage());
    }

    @Test
    void everyTooManyRedirectsCarriesTheFirstRequest() {
        // aiohttp: raise TooManyRedirects(history[0].request_info, tuple(history)); the docs promise requestInfo()
        // on every error the client raises, so a decision without the first request is refused up front
        RedirectPolicy one = new RedirectPolicy(1);
        TooManyRedirects limit = assertThrows(TooManyRedirects.class, () -> one.decide(302, "/n", "GET", A, A, headers, true, List.of(), INFO));
        assertSame(INFO, limit.requestInfo());
        List<RedirectPolicy.Hop> history = List.of(new RedirectPolicy.Hop("GET", A, URI.create("http://a.example/n")));
        TooManyRedirects loop = assertThrows(TooManyRedirects.class,
                () -> policy.decide(302, "/n", "GET", A, A, headers, true, history, INFO));
        assertSame(INFO, loop.requestInfo());
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> one.decide(302, "/n", "GET", A, A, headers, true, List.of(), null));
        assertTrue(none.getMessage().contains("firstRequest"), none.getMessage());
        assertThrows(NullPointerException.class, () -> policy.decide(200, "/n", "GET", A, A, headers, true, List.of(), null),
                "refused whatever the status, not only when the error is raised");
    }

    @Test
    void theLimitIsCheckedBeforeLocationIsRead() {
        // aiohttp's _request: `redirects += 1; history.append(resp); if max_redirects and redirects >= max_redirects:
        // raise TooManyRedirects` comes before Location is read, so at the limit a 3xx without Location or with a
        // bad one is TooManyRedirects too
        RedirectPolicy one = new RedirectPolicy(1);
        TooManyRedirects none = assertThrows(TooManyRedirects.class, () -> one.decide(302, null, "GET", A, A, headers, true, List.of(), INFO));
        assertEquals("302, message='redirect 1 reached maxRedirects=1 (no Location)', url=http://a.example/start",
                none.getMessage());
        assertEquals(List.of(A), none.history());
        TooManyRedirects bad = assertThrows(TooManyRedirects.class,
                () -> one.decide(301, "ftp://files/x", "GET", A, A, headers, true, List.of(), INFO));
        assertEquals("301, message='redirect 1 reached maxRedirects=1 (Location: ftp://files/x)', url=http://a.example/start",
                bad.getMessage());
        assertThrows(TooManyRedirects.class, () -> one.decide(302, "http://bad host/", "GET", A, A, headers, true, List.of(), INFO));
        // below the limit a 3xx without Location is still the response (`if r_url is None: break`), and a bad one InvalidURL
        RedirectPolicy two = new RedirectPolicy(2);
        assertNull(two.decide(302, null, "GET", A, A, headers, true, List.of(), INFO));
        assertThrows(InvalidURL.class, () -> two.decide(302, "ftp://files/x", "GET", A, A, headers, true, List.of(), INFO));
        // not a redirect status: never counted
        assertNull(one.decide(304, null, "GET", A, A, headers, true, List.of(), INFO));
        assertNull(one.decide(200, "/n", "GET", A, A, headers, true, List.of(), INFO));
    }

    @Test
    void maxRedirectsZeroIsNoLimit() { // aiohttp: `if max_redirects and redirects >= max_redirects`
        RedirectPolicy unlimited = new RedirectPolicy(0);
        List<RedirectPolicy.Hop> history = new ArrayList<>();
        URI url = A;
        for (int i = 0; i < 50; i++) {
            var r = unlimited.decide(302, "/r" + i, "GET", url, url, headers, true, history, INFO);
            history.add(new RedirectPolicy.Hop("GET", url, r.url()));
            url = r.url();
        }
        assertEquals(50, history.size());
    }

    @Test
    void theLimitIsCheckedAndKept() { // aiohttp's max_redirects: 0 (no limit) or more
        assertEquals(0, new RedirectPolicy(0).maxRedirects());
        assertEquals(7, new RedirectPolicy(7).maxRedirects());
        assertEquals("maxRedirects must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new RedirectPolicy(-1)).getMessage());
    }

    @Test
    void redirectLoopIsDetectedBeforeTheLimit() { // aio4j-only
        URI b = URI.create("http://a.example/login");
        List<RedirectPolicy.Hop> history = new ArrayList<>();
        history.add(new RedirectPolicy.Hop("GET", A, b));
        // back to A once is fine (a login flow sets a cookie and returns)
        var back = policy.decide(302, "/start", "GET", b, b, headers, true, history, INFO);
        assertEquals(A, back.url());
        history.add(new RedirectPolicy.Hop("GET", b, A));
        // A -> B again is the same redirect a second time: a loop
        TooManyRedirects e = assertThrows(TooManyRedirects.class, () -> policy.decide(302, "/login", "GET", A, A, headers, true, history, INFO));
        assertEquals("302, message='redirect loop: GET http://a.example/start was redirected to http://a.example/login twice', "
                + "url=http://a.example/start", e.getMessage());
    }

    // aiohttp compares the origins of the URLs its request has: a ws:// request sent as http:// and
    // redirected to http:// on the same host changed origin (the scheme), so the credentials go; a
    // relative Location keeps the ws scheme (url.join) and the origin. aio4j-only
    @Test
    void aWsHopComparesItsShownOrigin() {
        URI ws = URI.create("ws://a.example/start");
        var left = policy.decide(302, "http://a.example/x", "GET", A, ws, headers, true, List.of(), INFO);
        assertEquals(URI.create("http://a.example/x"), left.url());
        assertEquals(URI.create("http://a.example/x"), left.shownUrl());
        assertFalse(left.headers().contains("Authorization"));
        assertFalse(left.headers().contains("Cookie"));
        var stays = policy.decide(302, "/n", "GET", A, ws, headers, true, List.of(), INFO);
        assertEquals(URI.create("http://a.example/n"), stays.url());
        assertEquals(URI.create("ws://a.example/n"), stays.shownUrl());
        assertEquals("Bearer t", stays.headers().get("Authorization"));
        var plain = policy.decide(302, "/n", "GET", A, A, headers, true, List.of(), INFO);
        assertSame(plain.url(), plain.shownUrl());
    }
}
