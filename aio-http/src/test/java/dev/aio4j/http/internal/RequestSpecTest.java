package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request spec: options applied in order, frozen into an immutable value, without a server.
 * Mirrors the option handling of aiohttp's {@code tests/test_client_session.py}
 * (test_merge_headers, test_merge_headers_with_multi_dict, test_reraise_os_error...) where it has one;
 * the rest is aio4j-only.
 */
class RequestSpecTest {
    private static final RequestSpec.Defaults DEFAULTS = new RequestSpec.Defaults(URI.create("http://h.example/api/"),
            Headers.of("X-Default", "d", "Accept", "text/plain").readOnlyCopy(), ClientTimeout.DEFAULT, true, 10, false);

    @Test
    void mergeHeaders() {
        RequestSpec s = RequestSpec.builder(DEFAULTS, "get", "users")
                .headers(Headers.of("Accept", "application/json", "X-A", "1"))
                .headers(Headers.of("X-A", "2", "X-A", "3"))
                .build();
        assertEquals("GET", s.method());
        assertEquals(URI.create("http://h.example/api/users"), s.url());
        assertEquals("d", s.headers().get("X-Default"));
        assertEquals(List.of("application/json"), s.headers().getAll("Accept"), "a request's header replaces the default");
        assertEquals(List.of("2", "3"), s.headers().getAll("X-A"), "a name given again replaces the earlier values");
        assertTrue(s.headers().isReadOnly());
    }

    @Test
    void defaultsApplyAndLaterSettingsWin() { // aio4j-only
        RequestSpec plain = RequestSpec.builder(DEFAULTS, "GET", "x").build();
        assertTrue(plain.allowRedirects());
        assertEquals(10, plain.maxRedirects());
        assertFalse(plain.raiseForStatus());
        assertSame(ClientTimeout.DEFAULT, plain.timeout());
        assertInstanceOf(RequestBody.None.class, plain.body());
        assertEquals(OptionalDouble.empty(), plain.continueWait());

        ClientTimeout t1 = new ClientTimeout(1, 1, 1);
        ClientTimeout t2 = new ClientTimeout(2, 2, 2);
        RequestSpec s = RequestSpec.builder(DEFAULTS, "GET", "x").timeout(t1).timeout(t2).allowRedirects(false)
                .maxRedirects(3).raiseForStatus(true).build();
        assertSame(t2, s.timeout());
        assertFalse(s.allowRedirects());
        assertEquals(3, s.maxRedirects());
        assertTrue(s.raiseForStatus());
    }

    @Test
    void paramsAreAddedInOrder() { // aio4j-only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "GET", "http://o.example/p?a=1")
                .params(List.of(Map.entry("b", "2"))).params(List.of(Map.entry("c", "x y"))).build();
        assertEquals("a=1&b=2&c=x%20y", s.url().getRawQuery());
    }

    @Test
    void methodMustBeAToken() { // aio4j-only: the one token rule (RFC 9110 tchar) of Checks
        var e = assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "GE T", "x"));
        assertEquals("method must be a token such as GET, got GE T", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "GET/1", "x"));
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "", "x"));
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, null, "x"));
        assertEquals("M-SEARCH", RequestSpec.builder(DEFAULTS, "m-search", "x").build().method());
    }

    @Test
    void oneBodyOnly() { // aio4j-only
        var b = RequestSpec.builder(DEFAULTS, "POST", "x").body(new RequestBody.Bytes(new byte[1], null), "byte[]");
        var e = assertThrows(IllegalArgumentException.class, () -> b.body(new RequestBody.None(), "Form"));
        assertEquals("a request takes one body option, got two: byte[] and Form", e.getMessage());
    }

    @Test
    void expectHeaderAloneAsksForTheDefaultWait() { // aiohttp: test_expect100 with the header only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "POST", "x").headers(Headers.of("Expect", " 100-Continue ")).build();
        assertEquals(OptionalDouble.of(RequestSpec.DEFAULT_CONTINUE_WAIT), s.continueWait());
        RequestSpec explicit = RequestSpec.builder(DEFAULTS, "POST", "x").headers(Headers.of("Expect", "100-continue"))
                .expectContinue(0.25).build();
        assertEquals(OptionalDouble.of(0.25), explicit.continueWait());
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "POST", "x").expectContinue(-1));
    }

    @Test
    void badUrlIsInvalidUrlAtBuild() { // aio4j-only
        assertThrows(InvalidURL.class, () -> RequestSpec.builder(DEFAULTS, "GET", "ftp://h.example/").build());
    }

    // aiohttp's request takes ws and wss URLs, sent as http and https and shown as given; a relative
    // URL joined to a ws(s) base URL is one too (base_url.join(url) keeps its scheme). aio4j-only
    @Test
    void aWsUrlIsSentAsHttpAndShownAsGiven() {
        RequestSpec ws = RequestSpec.builder(DEFAULTS, "get", "wss://o.example/chat").build();
        assertEquals(URI.create("https://o.example/chat"), ws.url());
        assertEquals(URI.create("wss://o.example/chat"), ws.shownUrl());
        RequestSpec plain = RequestSpec.builder(DEFAULTS, "get", "users").build();
        assertSame(plain.url(), plain.shownUrl());
        RequestSpec relative = RequestSpec.builder(DEFAULTS, true, "get", "chat").build();
        assertEquals(URI.create("http://h.example/api/chat"), relative.url());
        assertEquals(URI.create("ws://h.example/api/chat"), relative.shownUrl());
        RequestSpec absolute = RequestSpec.builder(DEFAULTS, true, "get", "http://h.example/x").build();
        assertSame(absolute.url(), absolute.shownUrl(), "an absolute http URL is not the ws base's");
        assertThrows(IllegalArgumentException.class, () -> plain.followUp("GET", plain.url(), URI.create("ws://other/"),
                plain.headers(), plain.body()), "a shown URL is the sent one or its ws form");
    }

    // aiohttp compares origins as its request knows the URLs: the session's auth goes to its base
    // URL's origin, and ws://h is not http://h's. aio4j-only
    @Test
    void theSessionsAuthFollowsTheShownOriginOfItsBaseUrl() {
        RequestSpec.Defaults withAuth = new RequestSpec.Defaults(URI.create("http://h.example/api/"), Headers.of().readOnlyCopy(),
                ClientTimeout.DEFAULT, true, 10, false, false, RequestSpec.DEFAULT_MAX_BODY_SIZE,
                RequestSpec.DEFAULT_MAX_DECOMPRESSED_SIZE, new dev.aio4j.http.BasicAuth("u", "p"), null, null, null, null, null);
        String auth = new dev.aio4j.http.BasicAuth("u", "p").encode();
        // an http base URL: its http hops get it, a ws:// hop of its host does not, until it is http again
        RequestSpec ws = RequestSpec.builder(withAuth, "get", "ws://h.example/chat").build();
        assertFalse(ws.headers().contains("Authorization"));
        RequestSpec back = ws.followUp("GET", URI.create("http://h.example/x"), URI.create("http://h.example/x"), ws.headers(),
                ws.body());
        assertEquals(auth, back.headers().get("Authorization"));
        // a ws base URL: its ws hops get it, an http hop of its host never does
        RequestSpec relative = RequestSpec.builder(withAuth, true, "get", "chat").build();
        assertEquals(auth, relative.headers().get("Authorization"));
        RequestSpec http = RequestSpec.builder(withAuth, true, "get", "http://h.example/x").build();
        assertFalse(http.headers().contains("Authorization"));
        RequestSpec left = relative.followUp("GET", URI.create("http://h.example/y"), URI.create("http://h.example/y"),
                Headers.of(), relative.body());
        assertFalse(left.headers().contains("Authorization"));
    }

    @Test
    void followUpKeepsTheSettings() { // aio4j-only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "POST", "x").maxRedirects(4).expectContinue(0.5)
                .body(new RequestBody.Bytes(new byte[] {1}, null), "byte[]").build();
        RequestSpec next = s.followUp("get", URI.create("http://o.example/"), URI.create("http://o.example/"), Headers.of("A", "1"), new RequestBody.None());
        assertEquals("GET", next.method());
        assertEquals(URI.create("http://o.example/"), next.url());
        assertEquals("1", next.headers().get("A"));
        assertTrue(next.headers().isReadOnly());
        assertInstanceOf(RequestBody.None.class, next.body());
        assertEquals(4, next.maxRedirects());
        assertEquals(OptionalDouble.of(0.5), next.continueWait());
    }
}
